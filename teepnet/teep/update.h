// Update (TAM -> Agent), draft §"Update Message": [ TEEP-TYPE-update, options ].
// manifest-list entries are bstr-wrapped SUIT_Envelopes, opaque here (teepnet/suit parses
// them); unneeded-manifest-list names manifests by their own component ids.
#ifndef TEEPNET_TEEP_UPDATE_H_
#define TEEPNET_TEEP_UPDATE_H_

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

struct Update {
  std::optional<Bytes> token;
  std::vector<ComponentId> unneeded_manifest_list;
  std::vector<Bytes> manifest_list;  // each: the encoded SUIT_Envelope inside the bstr
  std::optional<std::string> attestation_payload_format;
  std::optional<Bytes> attestation_payload;  // an AR handed back (Passport model)
  std::optional<ErrCode> err_code;           // the TAM reporting an error to the Agent
  std::optional<std::string> err_msg;        // text .size (1..128)
  std::optional<std::string> err_lang;       // text .size (1..35)
  std::vector<Extension> extensions;

  friend bool operator==(const Update&, const Update&) = default;
};

Status Validate(const Update& message, const WireProfile& profile);
Result<Update> DecodeUpdate(ByteView payload, const WireProfile& profile);
Result<Bytes> Encode(const Update& message, const WireProfile& profile,
                     const EncodeOptions& options = {});

namespace internal {
Result<Update> ReadUpdate(cbor::Reader& r, const WireProfile& profile);
void WriteUpdate(cbor::Writer& w, const Update& m, const WireProfile& profile, KeyOrder order);
}  // namespace internal

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_UPDATE_H_
