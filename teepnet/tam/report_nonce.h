// The TAM's check of SUIT report nonces (draft-ietf-teep-protocol §"Success Message", §"Error
// Message", §"QueryResponse Message": when the request carried a token, every SUIT Report
// "MUST" carry suit-report-nonce equal to it; digest §5: "otherwise drop").
#ifndef TEEPNET_TAM_REPORT_NONCE_H_
#define TEEPNET_TAM_REPORT_NONCE_H_

#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::tam {

// The suit-report-nonce (key 2) of an encoded SUIT_Report map (draft-ietf-suit-report-18 §4),
// nullopt when absent. tam::Errc::kBadSuitReport when the bytes are not one well-formed map.
Result<std::optional<Bytes>> ReadReportNonce(ByteView report);

// Every report's nonce equals `token` (compared in constant time): kReportNonceMismatch for a
// missing or different nonce, kBadSuitReport for a report that does not parse.
Status CheckReportNonces(const std::vector<Bytes>& reports, ByteView token);

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_REPORT_NONCE_H_
