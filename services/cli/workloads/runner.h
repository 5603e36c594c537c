// Runs one Appendix-B workload (scenario.h) through a real M/OC as use case 3: package the
// workload's TA, let the M/OC place and install it, and — only once the EAR for the TA instance
// verified (request_flow.h) — have every party seal its private input to the attested instance
// key. Each party then opens its own output from the TA's verified receipt and the scenario
// checks it independently.
#ifndef TEEPNET_SERVICES_CLI_WORKLOADS_RUNNER_H_
#define TEEPNET_SERVICES_CLI_WORKLOADS_RUNNER_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/cli/request_flow.h"
#include "services/cli/workloads/scenario.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cli::workloads {

struct RunInput {
  std::string moc_url;
  std::string token;
  const crypto::PrivateKey* signer = nullptr;  // signs the TA package (SUIT)
  std::optional<crypto::PublicKey> verifier_key;
  std::string instance = "process";
  std::string hardware;   // "" lets the M/OC choose
  std::string ta_path;    // the workload's TA executable
  std::string component;  // the TA's component name (unique per device and instance type)
  uint64_t seed = 1;
  std::string marker;  // embedded in every private input (scenario.h)
  int64_t timeout_ms = 300000;
};

struct RunResult {
  bool ok = false;
  std::string error;
  FlowResult flow;
  std::optional<Headline> headline;
  int64_t ms = 0;
};

RunResult RunWorkload(Scenario& scenario, const RunInput& input);

// {"workload", "ok", "instance", "hardware", "device_id", "request_id", "ear_status",
//  "headline": {"name", "value"}, <headline name>: value, "detail", "error", "ms", "steps"}.
nlohmann::json RunResultJson(const Scenario& scenario, const RunInput& input,
                             const RunResult& result);

}  // namespace teepnet::cli::workloads

#endif  // TEEPNET_SERVICES_CLI_WORKLOADS_RUNNER_H_
