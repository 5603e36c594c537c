// QueryRequest (TAM -> Agent), draft §"QueryRequest Message":
//   [ TEEP-TYPE-query-request, options, supported-teep-cipher-suites,
//     supported-suit-cose-profiles, data-item-requested ]
#ifndef TEEPNET_TEEP_QUERY_REQUEST_H_
#define TEEPNET_TEEP_QUERY_REQUEST_H_

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

// Lists are absent on the wire when empty (every TEEP list is `[+ x]`).
struct QueryRequest {
  std::optional<Bytes> token;                            // bstr .size (8..64)
  std::vector<uint64_t> supported_freshness_mechanisms;  // absent: nonce only
  std::optional<Bytes> challenge;                        // bstr .size (8..512)
  std::vector<uint32_t> versions;                        // absent: [0]
  std::optional<std::string> attestation_payload_format;
  std::optional<Bytes> attestation_payload;  // the TAM's own Evidence or AR
  std::vector<Bytes> suit_reports;           // bstr .cbor SUIT_Report_*
  std::vector<Extension> extensions;
  // Positional and mandatory.
  std::vector<CipherSuite> supported_teep_cipher_suites;
  std::vector<SuitCoseProfile> supported_suit_cose_profiles;
  DataItemsRequested data_item_requested;

  friend bool operator==(const QueryRequest&, const QueryRequest&) = default;
};

// Every rule the decoder enforces, applied to a model (the encoder runs it first).
Status Validate(const QueryRequest& message, const WireProfile& profile);
Result<QueryRequest> DecodeQueryRequest(ByteView payload, const WireProfile& profile);
Result<Bytes> Encode(const QueryRequest& message, const WireProfile& profile,
                     const EncodeOptions& options = {});

namespace internal {
// The members after the type (the frame has been read and its arity checked).
Result<QueryRequest> ReadQueryRequest(cbor::Reader& r, const WireProfile& profile);
void WriteQueryRequest(cbor::Writer& w, const QueryRequest& m, const WireProfile& profile,
                       KeyOrder order);
}  // namespace internal

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_QUERY_REQUEST_H_
