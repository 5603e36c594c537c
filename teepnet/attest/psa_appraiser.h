// Appraises a PSA attestation token (RFC 9783) against endorsements and a policy.
//
// Steps, in order (each failure lowers the trust vector; none is a Result error):
//  1. Look up the IAK by implementation-id + instance-id (RFC 9783 §4.2.2 "the Instance ID
//     ... identifies the IAK"); none -> instance-identity 97 (unrecognized).
//  2. Verify the COSE_Sign1 with it; failure -> instance-identity 99 (crypto failed), and no
//     other claim is affirmed because nothing in the token can be believed.
//  3. Profile in policy; lifecycle secured / not debug; implementation-id allowed
//     -> configuration.
//  4. Software components against reference values -> executables.
//  5. Nonce equals the expected one (when the policy names one) -> instance-identity 96.
// The evaluation time is accepted for symmetry with the certificate-based formats: PSA trust
// anchors are raw keys without validity periods, so it only lands in the claims.
//
// Appraisal claims: "profile", "implementation_id", "instance_id", "lifecycle" (name),
// "client_id", "nonce", "debug", "sw.<index>.<type>" (measurement hex), and "measurement":
// SHA-256 over the sw-component measurement values in token order (hex), the composite a
// platform's measurement_hex() reports.
#ifndef TEEPNET_ATTEST_PSA_APPRAISER_H_
#define TEEPNET_ATTEST_PSA_APPRAISER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/psa_claims.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/attest/psa_policy.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// Result error only when the token cannot be parsed (kPsaBadToken, kPsaBadClaim, ...).
Result<Appraisal> AppraisePsa(ByteView evidence, const PsaEndorsements& endorsements,
                              const PsaPolicy& policy, int64_t at_unix_time);

// Shared with CCA: applies steps 3–5 to already signature-verified platform claims.
void AppraisePlatformClaims(const PsaClaims& claims, const PsaEndorsements& endorsements,
                            const PsaPolicy& policy, int64_t at_unix_time, Appraisal& out);
// SHA-256 over the measurement values in order (the "measurement" claim).
Bytes CompositeMeasurement(const std::vector<PsaSwComponent>& components);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_APPRAISER_H_
