// Success (Agent -> TAM), draft §"Success Message": [ TEEP-TYPE-success, options ].
// Sent only after every manifest of the Update has been processed.
#ifndef TEEPNET_TEEP_SUCCESS_H_
#define TEEPNET_TEEP_SUCCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/teep/encode_options.h"
#include "teepnet/teep/types.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

struct Success {
  std::optional<Bytes> token;       // the Update's token
  std::optional<std::string> msg;   // text .size (1..128)
  std::vector<Bytes> suit_reports;  // bstr .cbor SUIT_Report_*
  std::vector<Extension> extensions;

  friend bool operator==(const Success&, const Success&) = default;
};

Status Validate(const Success& message, const WireProfile& profile);
Result<Success> DecodeSuccess(ByteView payload, const WireProfile& profile);
Result<Bytes> Encode(const Success& message, const WireProfile& profile,
                     const EncodeOptions& options = {});

namespace internal {
Result<Success> ReadSuccess(cbor::Reader& r, const WireProfile& profile);
void WriteSuccess(cbor::Writer& w, const Success& m, const WireProfile& profile, KeyOrder order);
}  // namespace internal

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_SUCCESS_H_
