// pce_ta: the privacy-preserving path computation of the seed's Appendix B as a Trusted
// Application. The provider's topology with its link utilisation and the user's batch of path
// requests (its routing constraints) arrive sealed to this attested instance by each party;
// the CSPF runs inside the TEE (workloads/pce). The user gets only its paths; the provider only
// the number of requests served and the bandwidth they reserve on each of its links.
#include <chrono>
#include <cstdint>
#include <string>

#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/pce.h"

namespace {

namespace pce = teepnet::workloads::pce;
namespace workload = teepnet::workload;

uint64_t MonotonicNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

teepnet::Result<workload::Outputs> ComputePaths(workload::Inputs& in) {
  const teepnet::SecretBytes* topology = in.Get(pce::kProviderRole);
  const teepnet::SecretBytes* batch = in.Get(pce::kUserRole);
  if (topology == nullptr || batch == nullptr) {
    return teepnet::Error(pce::Errc::kMalformed,
                          "pce: needs the provider's topology and the user's requests");
  }
  TEEPNET_ASSIGN_OR_RETURN(pce::EncodedAnswer answer,
                           pce::Run(topology->view(), batch->view(), MonotonicNanos));
  workload::Outputs outputs;
  outputs.emplace(std::string(pce::kUserRole), std::move(answer.user));
  outputs.emplace(std::string(pce::kProviderRole), std::move(answer.provider));
  return outputs;
}

}  // namespace

int main() {
  return workload::RunWorkloadTa(pce::kWorkloadName, ComputePaths);
}
