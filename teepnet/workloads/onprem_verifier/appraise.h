// The computation of the on-premises verifier TA: the vendor's verifier material configures the
// project's own Verifier (attest/verifier.h) inside the TEE, and every piece of evidence in the
// ISP's batch is appraised by it against the nonce the ISP asked that router for. No I/O.
//
// One bad router never spoils the batch: evidence that does not parse, or of a format the
// vendor holds no endorsements for, is reported as contraindicated with a note, like any other
// failed appraisal. Only inputs that are not this workload's messages, or vendor material the
// Verifier cannot use, fail the whole computation.
#ifndef TEEPNET_WORKLOADS_ONPREM_VERIFIER_APPRAISE_H_
#define TEEPNET_WORKLOADS_ONPREM_VERIFIER_APPRAISE_H_

#include <cstdint>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

namespace teepnet::workloads::onprem_verifier {

// The Verifier configuration the vendor's material describes: PSA endorsements when it names
// PSA anchors, references or CoRIMs; SEV-SNP trust when it names trust anchors; its policies
// by format. kBadVendorMaterial naming the item that does not parse.
Result<attest::VerifierConfig> VerifierConfigOf(const VendorInput& vendor);
// VerifierConfigOf, then attest::Verifier::Create (which refuses a policy that does not parse).
Result<attest::Verifier> MakeVerifier(const VendorInput& vendor);

struct Appraised {
  IspOutput isp;
  VendorOutput vendor;
};

// Appraises every router's evidence at `now_unix`, in batch order, and measures the time spent
// (IspOutput::appraisal_nanos, steady clock).
Appraised AppraiseBatch(const attest::Verifier& verifier, const IspInput& batch, int64_t now_unix);

struct EncodedOutputs {
  Bytes isp;
  Bytes vendor;
};

// The whole TA computation over the two opened inputs.
Result<EncodedOutputs> Compute(ByteView vendor_input, ByteView isp_input, int64_t now_unix);

}  // namespace teepnet::workloads::onprem_verifier

#endif  // TEEPNET_WORKLOADS_ONPREM_VERIFIER_APPRAISE_H_
