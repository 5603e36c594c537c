// The failure record (openapi.yaml GET /requests/{id}/failure): a statement, signed by the
// M/OC with the key it signs EARs with, that a request failed, where and why. A Network User
// whose request failed shows it to a third party to prove why nothing was delivered; the third
// party verifies it with the M/OC's verifier key (GET /verifier-key), the same key it pins for
// EARs.
//
// Form: a JWT (RFC 7519) in JWS compact serialisation (RFC 7515 §7.1), ES256/384/512 by the
// key's curve, like the EAR. Its protected header is {"alg", "typ": kFailureRecordType}: RFC
// 8725 §3.11 "explicit typing", so a failure record is never taken for an EAR (whose typ is
// "JWT") or the other way round. Claims:
//   "iss"          "teepnet-moc"
//   "iat"          when the record was issued (NumericDate)
//   "request_id"   the request
//   "tenant_id"    the tenant that created it
//   "device_id"    the device it was placed on (hex thumbprint)
//   "use_case"     1-4 (seed §5.1-§5.4)
//   "failed_step"  the state the request was in when it failed ("attesting_agent", ...)
//   "reason"       why it failed, as the request's error says
//   "failed_at"    when it failed (NumericDate)
//   "ear_sha256"   base64url SHA-256 of the request's EAR, present only when one was issued
// Served with Content-Type kFailureRecordMediaType.
#ifndef TEEPNET_MOC_FAILURE_RECORD_H_
#define TEEPNET_MOC_FAILURE_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

inline constexpr std::string_view kFailureRecordType = "teepnet-failure+jwt";
inline constexpr std::string_view kFailureRecordMediaType = "application/teepnet-failure+jwt";
inline constexpr std::string_view kFailureRecordIssuer = "teepnet-moc";
// A record is a few hundred bytes plus the reason; anything far larger is not one.
inline constexpr size_t kMaxFailureRecordBytes = 64 * 1024;

struct FailureRecord {
  std::string request_id;
  std::string tenant_id;
  std::string device_id;
  int use_case = 0;
  RequestState failed_step = RequestState::kSubmitted;
  std::string reason;
  int64_t failed_at = 0;
  std::optional<Bytes> ear_sha256;
  int64_t issued_at = 0;

  friend bool operator==(const FailureRecord&, const FailureRecord&) = default;
};

// The record of a failed request, issued at `now`. moc::Errc::kRequestNotFailed when the
// request has not failed (it may still be under way, or it was done).
Result<FailureRecord> FailureRecordOf(const Request& request, int64_t now);

// Signs the record: the compact JWS. The key must be P-256, P-384 or P-521.
Result<std::string> IssueFailureRecord(const FailureRecord& record, const crypto::PrivateKey& key);

// Checks the signature with `key` (the pinned verifier key), the alg, the typ and the claims'
// shapes; moc::Errc::kFailureRecordInvalid with the reason otherwise.
Result<FailureRecord> VerifyFailureRecord(std::string_view jwt, const crypto::PublicKey& key);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_FAILURE_RECORD_H_
