// TCB level selection for SGX and TDX platforms against a TCB Info, the QE identity check, and
// the combination of platform, TDX module and QE statuses (evidence-formats.md §2.3 steps 6-7,
// following the matching rules of Intel's Quote Verification Library as documented in the
// PCS API v4 TCB Info data model).
#ifndef TEEPNET_ATTEST_DCAP_TCB_H_
#define TEEPNET_ATTEST_DCAP_TCB_H_

#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/attest/dcap_quote.h"

namespace teepnet::attest {

struct TcbMatch {
  std::optional<TcbStatus> status;  // nullopt: no level matches ("TCB not supported")
  std::vector<std::string> advisory_ids;
  std::string why;  // when status is nullopt
};

// Platform level: the first level (TCB Info lists them best first) whose SGX components and
// PCESVN are all <= the PCK certificate's; for TDX also TEE_TCB_SVN >= tdxtcbcomponents,
// skipping bytes 0 and 1 when the TDX module version TEE_TCB_SVN[1] is non-zero.
TcbMatch MatchPlatformTcb(const TcbInfo& info, const PckExtension& pck, const TdReportBody* td);

// TDX module: with TEE_TCB_SVN[1] > 0 the identity "TDX_<nn>" must match MRSIGNERSEAM and the
// masked SEAM attributes, and its first level with isvsvn <= TEE_TCB_SVN[0] gives the status;
// with TEE_TCB_SVN[1] == 0 "tdxModule" must match and no separate status applies.
TcbMatch MatchTdxModule(const TcbInfo& info, const TdReportBody& td);

// QE identity: MRSIGNER, ISVPRODID, masked MISCSELECT and ATTRIBUTES must match; the first level
// with isvsvn <= the QE report's ISVSVN gives the QE status.
TcbMatch MatchQeIdentity(const QeIdentity& qe, const SgxReportBody& qe_report);

// Combines a platform (or module) status with another component's status: a Revoked component
// revokes; an OutOfDate component makes an otherwise current platform OutOfDate (and a
// configuration-needing one OutOfDateConfigurationNeeded).
TcbStatus CombineTcbStatus(TcbStatus platform, TcbStatus other);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_TCB_H_
