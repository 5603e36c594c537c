// Appraisal policy for Hygon CSV reports.
//
// JSON form (every key optional; unknown keys are rejected):
//   {
//     "allow_debug": false,              // guest policy NODBG (bit 0) may be clear
//     "measurements": ["<64 hex>"],      // MEASURE must be one of these (empty: no check)
//     "report_data": "<128 hex>",        // REPORT_DATA must equal this (usually per request)
//     "user_pubkey_digest": "<64 hex>",  // USER_PUBKEY_DIGEST must equal this
//     "vm_ids": ["<32 hex>"],            // VM_ID must be one of these
//     "require_endorsed_pek": false      // true: a PEK without HSK/CEK endorsement is
//   }                                    // contraindicated instead of a hardware warning
#ifndef TEEPNET_ATTEST_CSV_POLICY_H_
#define TEEPNET_ATTEST_CSV_POLICY_H_

#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

struct CsvPolicy {
  bool allow_debug = false;
  std::vector<Bytes> measurements;
  std::optional<Bytes> report_data;
  std::optional<Bytes> user_pubkey_digest;
  std::vector<Bytes> vm_ids;
  bool require_endorsed_pek = false;

  // Fails with kBadPolicy naming the offending key.
  static Result<CsvPolicy> FromJson(std::string_view json);
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CSV_POLICY_H_
