// telemetry_ta: privacy-preserving ML on telemetry, the seed's Appendix B, as a Trusted
// Application. A third-party vendor's anomaly model (workloads/telemetry: a Gaussian mixture
// over flow features) and the operator's data key arrive sealed to this attested instance by
// each party — the operator releases the key only to the instance its own EAR check accepted —
// and the operator's flow telemetry arrives as the PD's bulk, encrypted under that key. The TA
// decrypts and scores every flow inside the TEE: the operator gets the flagged flows and the
// TA's throughput, the vendor a usage count; neither the model nor the telemetry leaves it.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/telemetry/detection.h"
#include "teepnet/workloads/telemetry/errc.h"

namespace {

namespace telemetry = teepnet::workloads::telemetry;
namespace workload = teepnet::workload;

uint64_t MonotonicNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

teepnet::Result<workload::Outputs> Detect(workload::Inputs& in) {
  const teepnet::SecretBytes* model = in.Get(telemetry::kVendorRole);
  const teepnet::SecretBytes* key = in.Get(telemetry::kOperatorRole);
  if (model == nullptr || key == nullptr || !in.bulk) {
    return teepnet::Error(telemetry::Errc::kMissingInput,
                          "telemetry-ml: needs the vendor's model, the operator's key and the "
                          "encrypted telemetry");
  }
  TEEPNET_ASSIGN_OR_RETURN(
      telemetry::DetectionOutputs out,
      telemetry::RunDetection(model->view(), key->view(), *in.bulk, MonotonicNanos));
  workload::Outputs outputs;
  outputs.emplace(std::string(telemetry::kOperatorRole), std::move(out.operator_report));
  outputs.emplace(std::string(telemetry::kVendorRole), std::move(out.vendor_usage));
  return outputs;
}

}  // namespace

int main() {
  return workload::RunWorkloadTa(telemetry::kWorkloadName, Detect);
}
