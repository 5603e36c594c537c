// Declarative appraisal policy for DCAP quotes, one struct per architecture, each buildable
// from JSON. Unknown JSON members are rejected (kBadPolicy) so a typo cannot silently widen a
// policy. Hex values are case-insensitive.
//
// Members common to both (all optional):
//   "accepted_tcb_statuses": ["UpToDate", "SWHardeningNeeded", ...]
//        combined TCB statuses that may appraise (default: all but "Revoked"); an accepted
//        status other than UpToDate still gives a hardware *warning*, a status not listed gives
//        contraindicated. "Revoked" is never accepted.
//   "allow_debug": false          debug TEEs are contraindicated unless true
//   "require_crls": true          the PCK chain needs the root CA CRL and the PCK CA CRL
//   "trailing_bytes": "zero-padding" | "reject" | "warn"
//        bytes after the signature data: "zero-padding" (default) accepts all-zero padding
//        and contraindicates anything else; "warn" gives a warning for non-zero bytes;
//        "reject" contraindicates any trailing byte, zero or not.
//   "report_data": "<128 hex>"    REPORT_DATA must equal this exactly
// SGX (SgxPolicy::FromJson):
//   "mrenclave": ["<64 hex>", ...]  "mrsigner": ["<64 hex>", ...]  (any one must match)
//   "isvprodid": 0                  "min_isvsvn": 0
// TDX (TdxPolicy::FromJson):
//   "mrtd": [...], "rtmr0".."rtmr3": [...], "mrconfigid": [...], "mrowner": [...]
//        (each a list of <96 hex> values, any one must match)
//   "min_tee_tcb_svn": "<32 hex>"   each TEE_TCB_SVN byte must be >= this one
#ifndef TEEPNET_ATTEST_DCAP_POLICY_H_
#define TEEPNET_ATTEST_DCAP_POLICY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

enum class TrailingBytesRule : uint8_t { kZeroPadding, kReject, kWarn };

struct DcapCommonPolicy {
  std::vector<TcbStatus> accepted_tcb_statuses = {TcbStatus::kUpToDate,
                                                  TcbStatus::kSwHardeningNeeded,
                                                  TcbStatus::kConfigurationNeeded,
                                                  TcbStatus::kConfigurationAndSwHardeningNeeded,
                                                  TcbStatus::kOutOfDate,
                                                  TcbStatus::kOutOfDateConfigurationNeeded};
  bool allow_debug = false;
  bool require_crls = true;
  TrailingBytesRule trailing_bytes = TrailingBytesRule::kZeroPadding;
  std::optional<std::array<uint8_t, 64>> report_data;
};

struct SgxPolicy {
  DcapCommonPolicy common;
  std::vector<std::array<uint8_t, 32>> mrenclave;
  std::vector<std::array<uint8_t, 32>> mrsigner;
  std::optional<uint16_t> isvprodid;
  std::optional<uint16_t> min_isvsvn;
  static Result<SgxPolicy> FromJson(std::string_view json);
};

struct TdxPolicy {
  DcapCommonPolicy common;
  std::vector<std::array<uint8_t, 48>> mrtd;
  std::array<std::vector<std::array<uint8_t, 48>>, 4> rtmr;
  std::vector<std::array<uint8_t, 48>> mrconfigid;
  std::vector<std::array<uint8_t, 48>> mrowner;
  std::optional<std::array<uint8_t, 16>> min_tee_tcb_svn;
  static Result<TdxPolicy> FromJson(std::string_view json);
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_POLICY_H_
