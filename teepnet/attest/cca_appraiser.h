// Appraises an Arm CCA attestation token (platform token + realm token).
//
// Steps, in order (failures lower the trust vector; none is a Result error):
//  1. Platform: find the CPAK by implementation-id + instance-id, verify the platform
//     COSE_Sign1 (instance-identity 97 / 99 on failure; then nothing else is affirmed).
//  2. Realm: take the RAK from claim 44237 (SEC1 point or COSE_Key), verify the realm
//     COSE_Sign1 with it, and check the binding: platform challenge ==
//     H_{44240}(claim 44237 bytes) (RMM spec A7.2.3.1: the platform token's challenge is the
//     hash of the RAK). Any failure -> instance-identity 99; the realm is not appraised.
//  3. Platform claims as PSA (profile, lifecycle/debug, sw components -> configuration and
//     executables).
//  4. Realm profile; RIM (+ REMs and personalization value when the reference gives them)
//     against endorsed realm references or the policy's RIM list -> executables.
//  5. Realm challenge == policy.challenge when set -> instance-identity 96.
// There are no certificates in this format, so `at_unix_time` is only recorded.
//
// Appraisal claims: the platform ones of AppraisePsa prefixed "platform_" (plus
// "platform_instance_id", "platform_implementation_id"), and "realm_profile",
// "realm_initial_measurement" (= "measurement"), "rem0".."rem3",
// "realm_personalization_value", "realm_hash_alg", "realm_key_encoding", "realm_public_key".
// report_data is the realm challenge.
#ifndef TEEPNET_ATTEST_CCA_APPRAISER_H_
#define TEEPNET_ATTEST_CCA_APPRAISER_H_

#include <cstdint>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/attest/psa_policy.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

Result<Appraisal> AppraiseCca(ByteView evidence, const CcaEndorsements& endorsements,
                              const CcaPolicy& policy, int64_t at_unix_time);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CCA_APPRAISER_H_
