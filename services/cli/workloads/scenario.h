// One Appendix-B workload as the demo, `teepnet workload NAME` and the e2e tests run it: the
// parties' private inputs, the TA that computes on them, and an independent check of the
// outputs each party got back (workload::OpenOutput).
//
// A scenario never trusts the TA's answer: Check recomputes what it can on its own (a second
// algorithm, the ground truth it generated) and fails on any difference.
#ifndef TEEPNET_SERVICES_CLI_WORKLOADS_SCENARIO_H_
#define TEEPNET_SERVICES_CLI_WORKLOADS_SCENARIO_H_

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::cli::workloads {

struct PartyInput {
  std::string role;
  SecretBytes input;
  bool wants_output = true;
};

struct ScenarioInputs {
  std::vector<PartyInput> parties;
  std::optional<Bytes> bulk;
};

// The figure `teepnet demo --json` shows for the workload, e.g. {"paths_per_second", 812.0}.
struct Headline {
  std::string name;
  double value = 0;
  nlohmann::json detail = nlohmann::json::object();  // quality figures, counts
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  // "onprem-verifier", "telemetry-ml", "pce": the workload name in the envelope.
  virtual std::string_view name() const = 0;
  // The TA executable's file name next to the teepnet binaries (TEEPNET_BIN_DIR).
  virtual std::string_view ta_binary() const = 0;
  // Every party's private input for one run. `marker` is a unique string the scenario must
  // embed in every party's private input (and in the bulk), so tests can scan the REE for it.
  virtual Result<ScenarioInputs> MakeInputs(uint64_t seed, std::string_view marker) = 0;
  // Checks every output against the scenario's own computation over the inputs it made last.
  virtual Result<Headline> Check(const std::map<std::string, SecretBytes>& outputs) = 0;
};

std::unique_ptr<Scenario> MakeOnpremVerifierScenario();
std::unique_ptr<Scenario> MakeTelemetryScenario();
std::unique_ptr<Scenario> MakePceScenario();

}  // namespace teepnet::cli::workloads

#endif  // TEEPNET_SERVICES_CLI_WORKLOADS_SCENARIO_H_
