// The Agent's appraisal of a confidential VM guest it launched (runtime/vm_guest_key.h): the
// TAM attests the device's Agent; the Agent, as the attested lead attester of its instances,
// appraises each VM guest's own evidence before it releases a PD (or an instance's keys) into
// it. The evidence is appraised with the same Verifier the TAM runs, against the
// manufacturers' public endorsements of this installation, and must
//   - verify (signature, chain) and not be contraindicated by the platform's policy,
//   - bind the report data the guest derived from its key (its only freshness is the key,
//     which the guest made at this boot: a replayed report names another key),
//   - carry the VM's launch digest as its measurement (zero-padded to the field's width:
//     attest::Platform::GetGuestEvidence), i.e. name the kernel, initramfs with the TA,
//     command line and VM configuration the Agent handed to the VM backend.
// The AR4SI `executables` claim is left aside: it compares the measurement with the platform's
// reference values, which describe devices, not the guests an Agent launches (a CCA realm
// with an unlisted initial measurement is contraindicated there); the launch digest is
// checked here exactly instead. Every other claim must be affirming or a warning.
#ifndef TEEPNET_EVIDENCE_GUEST_APPRAISER_H_
#define TEEPNET_EVIDENCE_GUEST_APPRAISER_H_

#include <memory>
#include <string>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::evidence {

class GuestAppraiser {
 public:
  explicit GuestAppraiser(attest::Verifier verifier) : verifier_(std::move(verifier)) {}
  // A Verifier over an endorsements directory (attest::VerifierConfig::FromDirectory; for a
  // simulated installation VENDORS/public).
  static Result<std::unique_ptr<GuestAppraiser>> FromDirectory(const std::string& dir);

  // OkStatus, or kFailedPrecondition naming what failed (the verdict's notes included).
  Status Appraise(ByteView evidence, ByteView report_data, ByteView launch_measurement,
                  int64_t now_unix) const;

 private:
  attest::Verifier verifier_;
};

}  // namespace teepnet::evidence

#endif  // TEEPNET_EVIDENCE_GUEST_APPRAISER_H_
