// QueryResponse (Agent -> TAM), draft §"QueryResponse Message":
//   [ TEEP-TYPE-query-response, options ]
// There is no selected-cipher-suite: the TAM learns the Agent's suite from the alg of the
// COSE_Sign1 around this message (secure_message.h reports it).
#ifndef TEEPNET_TEEP_QUERY_RESPONSE_H_
#define TEEPNET_TEEP_QUERY_RESPONSE_H_

#include <cstdint>
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

struct QueryRequest;

struct QueryResponse {
  std::optional<Bytes> token;                             // echoes the QueryRequest token
  std::optional<uint32_t> selected_version;               // absent: 0
  std::optional<std::string> attestation_payload_format;  // absent: AR in the TEEP EAT profile
  std::optional<Bytes> attestation_payload;
  std::vector<Bytes> suit_reports;  // bstr .cbor SUIT_Report_*
  std::vector<SystemPropertyClaims> tc_list;
  std::vector<RequestedTcInfo> requested_tc_list;
  std::vector<ComponentId> unneeded_manifest_list;  // manifests' own component ids
  std::vector<uint32_t> ext_list;
  std::vector<Extension> extensions;

  friend bool operator==(const QueryResponse&, const QueryResponse&) = default;
};

Status Validate(const QueryResponse& message, const WireProfile& profile);
Result<QueryResponse> DecodeQueryResponse(ByteView payload, const WireProfile& profile);
Result<Bytes> Encode(const QueryResponse& message, const WireProfile& profile,
                     const EncodeOptions& options = {});

// The TAM's checks of a response against the request it answers (digest §5): the token is
// echoed byte for byte (kTokenMismatch), and each data item the request asked for is present
// (kMissingRequestedItem): attestation -> attestation-payload, trusted-components -> tc-list,
// extensions -> ext-list. SUIT report nonces are the SUIT module's check.
Status CheckAnswers(const QueryResponse& response, const QueryRequest& request);

namespace internal {
Result<QueryResponse> ReadQueryResponse(cbor::Reader& r, const WireProfile& profile);
void WriteQueryResponse(cbor::Writer& w, const QueryResponse& m, const WireProfile& profile,
                        KeyOrder order);
}  // namespace internal

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_QUERY_RESPONSE_H_
