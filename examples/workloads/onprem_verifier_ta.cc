// onprem_verifier_ta: the on-premises attestation verifier of the seed's Appendix B as a
// Trusted Application. The router vendor's verifier material (trust anchors, golden firmware
// measurements, appraisal policies) and the ISP's batch of router evidence arrive sealed to
// this attested instance by each party; the project's own Verifier appraises every router
// inside the TEE. The ISP gets one verdict per router, the vendor only the number of pieces
// of evidence appraised; neither input leaves the TEE (workloads/onprem_verifier).
#include <string>

#include "teepnet/base/clock.h"
#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/onprem_verifier/appraise.h"
#include "teepnet/workloads/onprem_verifier/errc.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

namespace {

namespace ov = teepnet::workloads::onprem_verifier;
namespace workload = teepnet::workload;

teepnet::Result<workload::Outputs> Appraise(workload::Inputs& in) {
  const teepnet::SecretBytes* vendor = in.Get(ov::kVendorRole);
  const teepnet::SecretBytes* isp = in.Get(ov::kIspRole);
  if (vendor == nullptr || isp == nullptr) {
    return teepnet::Error(ov::Errc::kMissingInput,
                          "onprem-verifier: needs the vendor's and the ISP's input");
  }
  // Evidence is appraised at the TEE's own clock: certificate validity and CoRIM validity are
  // judged by the verifier, not by what either party claims the time is.
  TEEPNET_ASSIGN_OR_RETURN(
      ov::EncodedOutputs out,
      ov::Compute(vendor->view(), isp->view(), teepnet::SystemClock().NowUnixSeconds()));
  workload::Outputs outputs;
  outputs.emplace(std::string(ov::kIspRole), std::move(out.isp));
  outputs.emplace(std::string(ov::kVendorRole), std::move(out.vendor));
  return outputs;
}

}  // namespace

int main() {
  return workload::RunWorkloadTa(ov::kWorkloadName, Appraise);
}
