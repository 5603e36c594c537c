// The Appendix-B workloads on a DemoCluster: what `teepnet demo` runs after the use-case matrix
// and what `teepnet workload NAME` runs alone.
#ifndef TEEPNET_SERVICES_CLI_WORKLOADS_DEMO_WORKLOADS_H_
#define TEEPNET_SERVICES_CLI_WORKLOADS_DEMO_WORKLOADS_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/cli/demo_cluster.h"
#include "services/cli/workloads/scenario.h"

namespace teepnet::cli::workloads {

// Where a workload runs: an instance type on an architecture's device.
struct Placement {
  std::string instance;
  std::string hardware;
};

// The three workloads, by name, in the seed's order; nullptr for an unknown name.
std::vector<std::string> WorkloadNames();
std::unique_ptr<Scenario> MakeScenario(const std::string& name);

// The placements the demo uses: a confidential process (sgx) and a confidential container
// (sev-snp) when `containers` is true.
std::vector<Placement> DemoPlacements(bool containers);

// Runs every (workload, placement) on `cluster`, two at a time, printing a row per run (or
// nothing when `as_json`), and appends one JSON object per run to `*out`. True when all passed.
bool RunWorkloadsOnCluster(DemoCluster& cluster, const std::string& bin_dir,
                           const std::vector<std::string>& names,
                           const std::vector<Placement>& placements, bool as_json,
                           nlohmann::json* out);

}  // namespace teepnet::cli::workloads

#endif  // TEEPNET_SERVICES_CLI_WORKLOADS_DEMO_WORKLOADS_H_
