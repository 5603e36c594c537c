// The PCE workload's scenario (scenario.h): a provider with a 300-node backbone and its link
// utilisation, a user with a batch of constrained path requests; each party's private input
// carries the run's marker in its label. Check re-derives every answer with the library's
// independent check (Yen's k shortest paths and separate feasibility searches, check.h).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "services/cli/workloads/scenario.h"
#include "teepnet/workloads/pce/check.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/limits.h"
#include "teepnet/workloads/pce/model.h"
#include "teepnet/workloads/pce/pce.h"

namespace teepnet::cli::workloads {
namespace {

namespace pce = teepnet::workloads::pce;

// A full batch (pce::kMaxRequests): long enough to time (paths per second), and its answer
// still fits one output (pce::kMaxOutputBytes).
constexpr size_t kRequests = pce::kMaxRequests;

class PceScenario final : public Scenario {
 public:
  std::string_view name() const override { return pce::kWorkloadName; }
  std::string_view ta_binary() const override { return "pce_ta"; }

  Result<ScenarioInputs> MakeInputs(uint64_t seed, std::string_view marker) override {
    TEEPNET_ASSIGN_OR_RETURN(
        pce::Topology topology,
        pce::GenerateTopology(seed, pce::TopologyShape{}, "backbone " + std::string(marker)));
    TEEPNET_ASSIGN_OR_RETURN(
        pce::RequestBatch batch,
        pce::GenerateRequests(topology, seed, kRequests, "path batch " + std::string(marker)));
    TEEPNET_ASSIGN_OR_RETURN(Bytes topology_bytes, pce::EncodeTopology(topology));
    TEEPNET_ASSIGN_OR_RETURN(Bytes batch_bytes, pce::EncodeBatch(batch));
    topology_ = std::move(topology);
    batch_ = std::move(batch);
    ScenarioInputs inputs;
    inputs.parties.push_back(
        PartyInput{std::string(pce::kProviderRole), SecretBytes(topology_bytes), true});
    inputs.parties.push_back(
        PartyInput{std::string(pce::kUserRole), SecretBytes(batch_bytes), true});
    return inputs;
  }

  Result<Headline> Check(const std::map<std::string, SecretBytes>& outputs) override {
    if (!topology_ || !batch_) {
      return Error(pce::Errc::kWrongAnswer, "pce: Check before MakeInputs");
    }
    auto user_it = outputs.find(std::string(pce::kUserRole));
    auto provider_it = outputs.find(std::string(pce::kProviderRole));
    if (user_it == outputs.end() || provider_it == outputs.end()) {
      return Error(pce::Errc::kWrongAnswer, "pce: the user's or the provider's output is missing");
    }
    TEEPNET_ASSIGN_OR_RETURN(pce::UserOutput user, pce::DecodeUserOutput(user_it->second.view()));
    TEEPNET_ASSIGN_OR_RETURN(pce::ProviderOutput provider,
                             pce::DecodeProviderOutput(provider_it->second.view()));
    TEEPNET_ASSIGN_OR_RETURN(pce::CheckSummary summary,
                             pce::CheckAnswer(*topology_, *batch_, user, provider));
    if (summary.compute_ns == 0) {
      return Error(pce::Errc::kWrongAnswer, "pce: the TA reports no computation time");
    }
    Headline h;
    h.name = "paths_per_second";
    h.value = static_cast<double>(summary.requests) * 1e9 / static_cast<double>(summary.compute_ns);
    nlohmann::json outcomes = nlohmann::json::object();
    for (uint64_t o = 0; o < pce::kOutcomeCount; ++o) {
      if (summary.outcomes[o] == 0) continue;
      outcomes[std::string(pce::OutcomeName(static_cast<pce::Outcome>(o)))] = summary.outcomes[o];
    }
    h.detail = {{"nodes", topology_->nodes.size()},
                {"links", topology_->links.size()},
                {"requests", summary.requests},
                {"served", summary.served},
                {"outcomes", outcomes},
                {"reserved_arcs", provider.reservations.size()},
                {"compute_ms", static_cast<double>(summary.compute_ns) / 1e6},
                {"check", "yen-k-shortest"},
                {"check_paths_ranked", summary.paths_ranked}};
    return h;
  }

 private:
  std::optional<pce::Topology> topology_;
  std::optional<pce::RequestBatch> batch_;
};

}  // namespace

std::unique_ptr<Scenario> MakePceScenario() {
  return std::make_unique<PceScenario>();
}

}  // namespace teepnet::cli::workloads
