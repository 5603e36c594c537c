// Error (Agent -> TAM), draft §"Error Message":
//   [ TEEP-TYPE-error, options, err-code ]
// err-code is positional and mandatory here (in Update it is an option). Some codes make a
// supported-list option mandatory; see Validate.
#ifndef TEEPNET_TEEP_ERROR_MESSAGE_H_
#define TEEPNET_TEEP_ERROR_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/teep/cipher_suite.h"
#include "teepnet/teep/encode_options.h"
#include "teepnet/teep/types.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

struct ErrorMessage {
  std::optional<Bytes> token;
  std::optional<std::string> err_msg;   // text .size (1..128)
  std::optional<std::string> err_lang;  // text .size (1..35)
  std::vector<CipherSuite> supported_teep_cipher_suites;
  std::vector<uint64_t> supported_freshness_mechanisms;
  std::vector<SuitCoseProfile> supported_suit_cose_profiles;
  std::optional<Bytes> challenge;  // the nonce the TAM puts in its own EAT when it retries
  std::vector<uint32_t> versions;
  std::vector<Bytes> suit_reports;
  std::vector<Extension> extensions;
  ErrCode err_code = ErrorCode::kPermanentError;  // positional

  friend bool operator==(const ErrorMessage&, const ErrorMessage&) = default;
};

Status Validate(const ErrorMessage& message, const WireProfile& profile);
Result<ErrorMessage> DecodeErrorMessage(ByteView payload, const WireProfile& profile);
Result<Bytes> Encode(const ErrorMessage& message, const WireProfile& profile,
                     const EncodeOptions& options = {});

namespace internal {
Result<ErrorMessage> ReadErrorMessage(cbor::Reader& r, const WireProfile& profile);
void WriteErrorMessage(cbor::Writer& w, const ErrorMessage& m, const WireProfile& profile,
                       KeyOrder order);
}  // namespace internal

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_ERROR_MESSAGE_H_
