// Appraisal policy for SEV-SNP reports: what a Verifier requires of a guest beyond a valid
// signature and endorsement chain. Defaults are the safe choices of evidence-formats.md §1
// ("Policy checks worth hard-coding as defaults"): debug forbidden, migration agent forbidden.
//
// JSON form (every key optional; unknown keys are rejected so a typo cannot weaken a policy):
//   {
//     "allow_debug": false,            // GUEST_POLICY.DEBUG (bit 19) may be set
//     "allow_migration_agent": false,  // GUEST_POLICY.MIGRATE_MA (bit 18) may be set
//     "allow_smt": true,               // GUEST_POLICY.SMT (bit 16) may be set
//     "vmpl": 0,                       // the report's VMPL must equal this
//     "measurements": ["<96 hex>"],    // MEASUREMENT must be one of these (empty: no check)
//     "host_data": "<64 hex>",         // HOST_DATA must equal this
//     "id_key_digests": ["<96 hex>"],  // ID_KEY_DIGEST must be one of these
//     "report_data": "<128 hex>",      // REPORT_DATA must equal this (usually set per request)
//     "min_guest_svn": 0,
//     "min_tcb": {"bl": 3, "tee": 0, "snp": 8, "ucode": 115, "fmc": 0},  // REPORTED_TCB floor
//     "signers": ["vcek", "vlek"],     // signing keys accepted
//     "product": "Milan"               // product line when a v2 report's VCEK does not say
//   }
#ifndef TEEPNET_ATTEST_SNP_POLICY_H_
#define TEEPNET_ATTEST_SNP_POLICY_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/attest/snp_tcb.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

struct SnpPolicy {
  bool allow_debug = false;
  bool allow_migration_agent = false;
  bool allow_smt = true;
  std::optional<uint32_t> vmpl;
  std::vector<Bytes> measurements;
  std::optional<Bytes> host_data;
  std::vector<Bytes> id_key_digests;
  // The freshness/key binding the caller expects in REPORT_DATA (64 bytes), or nothing.
  std::optional<Bytes> report_data;
  uint32_t min_guest_svn = 0;
  SnpTcb min_tcb;
  bool allow_vcek = true;
  bool allow_vlek = true;
  SnpProduct product = SnpProduct::kUnknown;

  // Fails with kBadPolicy naming the offending key.
  static Result<SnpPolicy> FromJson(std::string_view json);
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_POLICY_H_
