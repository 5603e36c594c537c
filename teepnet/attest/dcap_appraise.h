// Appraisal of Intel DCAP quotes (SGX v3/v4/v5-SGX, TDX v4/v5) by the RATS Verifier, following
// evidence-formats.md §2.3 steps 1-8:
//   1 quote signature with the attestation key      5 PCK SGX extension (FMSPC, SVNs, PCE-ID)
//   2 QE report signature with the PCK leaf         6 TCB Info / QE Identity signatures over the
//   3 QE REPORT_DATA binds attestation key + auth     exact received JSON, TCB signing chain
//   4 PCK chain to the pinned root, with CRLs       7 TCB level selection, status combination
//                                                   8 policy on the body fields
// A Result error means the quote (or its collateral JSON) cannot be parsed at all. Everything
// else is reported in the Appraisal: any failed check makes a claim contraindicated, and the
// appraisal is never affirming unless every check passed.
//
// Trust vector: instance_identity (signatures, PCK chain, binding, REPORT_DATA), hardware (TCB
// status, collateral validity), configuration (debug, trailing bytes), executables (reference
// measurements, only claimed when the policy names some).
// Claims: "version", "tee_type", "fmspc", "pcesvn", "cpusvn", "pck_issuer", "tcb_status",
// "platform_tcb_status", "qe_tcb_status", "tcb_evaluation_data_number", "tdx_module_tcb_status",
// "advisory_ids", "debug", "report_data", "measurement", "trailing_bytes", "tcb_info_sha256",
// "qe_identity_sha256"; SGX: "mrenclave", "mrsigner", "isvprodid", "isvsvn", "attributes",
// "miscselect"; TDX: "mrtd", "rtmr0".."rtmr3", "mrconfigid", "mrowner", "mrownerconfig", "mrseam",
// "mrsignerseam", "td_attributes", "xfam", "tee_tcb_svn" (+ "mrservicetd" for TD 1.5).
#ifndef TEEPNET_ATTEST_DCAP_APPRAISE_H_
#define TEEPNET_ATTEST_DCAP_APPRAISE_H_

#include <cstdint>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/dcap_cache.h"
#include "teepnet/attest/dcap_endorsements.h"
#include "teepnet/attest/dcap_policy.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// SGX quotes (v3, or v4/v5 with an SGX body). A TDX quote fails with kDcapUnsupportedTeeType.
// `cache` (optional, may be shared across threads) remembers verified chains and collateral.
Result<Appraisal> AppraiseSgx(ByteView evidence, const DcapEndorsements& endorsements,
                              const SgxPolicy& policy, int64_t at_unix_time,
                              DcapVerificationCache* cache = nullptr);

// TDX quotes (v4 or v5 with a TD 1.0 / TD 1.5 body). An SGX quote fails with
// kDcapUnsupportedTeeType.
Result<Appraisal> AppraiseTdx(ByteView evidence, const DcapEndorsements& endorsements,
                              const TdxPolicy& policy, int64_t at_unix_time,
                              DcapVerificationCache* cache = nullptr);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_APPRAISE_H_
