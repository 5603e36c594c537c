// Appraisal policies for PSA tokens and CCA tokens, declarative and loadable from JSON.
//
// PsaPolicy JSON (every member optional; defaults in brackets):
//   {
//     "policy-id": "teepnet/psa/default",          // echoed into EAR appraisal-policy-ids
//     "profiles": ["http://arm.com/psa/2.0.0"],     // accepted eat_profile values
//     "secured-lifecycle-only": true,               // RFC 9783 §4.2.1: state 0x30 only
//     "debug-forbidden": true,                      // lifecycle 0x40 / 0x50 contraindicated
//     "require-reference-values": true,             // every sw component must match
//     "implementation-ids": ["<hex>", ...],         // [] = any
//     "nonce": "<hex>"                              // expected nonce (usually set per request)
//   }
// CcaPolicy JSON:
//   {
//     "policy-id": "teepnet/cca/default",
//     "platform": { <PsaPolicy JSON; profiles default ["http://arm.com/CCA-SSD/1.0.0"]> },
//     "realm-profiles": ["", "tag:arm.com,2023:realm#1.0.0"],  // "" = the original profile
//     "require-realm-reference-values": true,       // RIM (and REMs/RPV when given) must match
//     "realm-initial-measurements": ["<hex>", ...], // accepted RIMs in addition to endorsements
//     "challenge": "<hex>"                          // expected realm challenge (report data)
//   }
// Unknown members are refused (kBadPolicy), so a misspelt rule cannot silently not apply.
#ifndef TEEPNET_ATTEST_PSA_POLICY_H_
#define TEEPNET_ATTEST_PSA_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

struct PsaPolicy {
  std::string policy_id = "teepnet/psa/default";
  std::vector<std::string> profiles = {"http://arm.com/psa/2.0.0"};
  bool secured_lifecycle_only = true;
  bool debug_forbidden = true;
  bool require_reference_values = true;
  std::vector<Bytes> implementation_ids;
  std::optional<Bytes> nonce;

  static Result<PsaPolicy> FromJson(std::string_view json);
};

struct CcaPolicy {
  std::string policy_id = "teepnet/cca/default";
  PsaPolicy platform = DefaultPlatform();
  std::vector<std::string> realm_profiles = {"", "tag:arm.com,2023:realm#1.0.0"};
  bool require_realm_reference_values = true;
  std::vector<Bytes> realm_initial_measurements;
  std::optional<Bytes> challenge;

  static PsaPolicy DefaultPlatform();
  static Result<CcaPolicy> FromJson(std::string_view json);
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_POLICY_H_
