// `teepnet workload NAME [--instance process|container] [--hardware ARCH] [--json]`: one of the
// seed's Appendix B workloads alone, on its own little network (demo_cluster.h) — the command
// the README gives for each. NAME is onprem-verifier, telemetry-ml, pce or all.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/demo_cluster.h"
#include "services/cli/workloads/demo_workloads.h"
#include "teepnet/runtime/container_backend.h"

namespace teepnet::cli {

namespace {

int Usage(FILE* to) {
  std::fprintf(to,
               "usage: teepnet workload NAME [--instance process|container] [--hardware ARCH] "
               "[--json]\n"
               "  NAME: onprem-verifier | telemetry-ml | pce | all\n"
               "  Starts a teepnet-moc and simulated devices on 127.0.0.1, deploys the workload's\n"
               "  TA as use case 3, lets every party verify the EAR and seal its private input to\n"
               "  the attested TA, then opens each party's output and checks it independently.\n"
               "  Default placement: a confidential process on sgx.\n");
  return to == stdout ? kExitOk : kExitUsageOrBadInput;
}

}  // namespace

int RunWorkloadCommand(std::span<char* const> args) {
  std::vector<std::string> names;
  workloads::Placement placement{"process", ""};
  bool as_json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string arg = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") return Usage(stdout);
    if (arg == "--json") {
      as_json = true;
    } else if (arg == "--instance") {
      if (!value(&placement.instance)) return Usage(stderr);
    } else if (arg == "--hardware") {
      if (!value(&placement.hardware)) return Usage(stderr);
    } else if (arg == "all") {
      names = workloads::WorkloadNames();
    } else if (workloads::MakeScenario(arg) != nullptr) {
      names.push_back(arg);
    } else {
      std::fprintf(stderr, "teepnet workload: unknown workload or argument '%s'\n", arg.c_str());
      return Usage(stderr);
    }
  }
  if (names.empty()) return Usage(stderr);
  if (placement.instance != "process" && placement.instance != "container") {
    std::fprintf(stderr, "teepnet workload: --instance is process or container\n");
    return kExitUsageOrBadInput;
  }
  if (placement.hardware.empty()) {
    placement.hardware = placement.instance == "process" ? "sgx" : "sev-snp";
  }
  if (placement.instance == "container") {
    const runtime::ContainerProbe probe = runtime::ProbeContainers();
    if (!probe.usable()) {
      std::fprintf(stderr, "teepnet workload: containers cannot run here:\n%s\n",
                   probe.ToString().c_str());
      return kExitFailure;
    }
  }
  const std::string bin = ProgramDir();
  if (!as_json) {
    std::printf("starting an M/OC and a %s device (confidential %s)...\n",
                placement.hardware.c_str(), placement.instance.c_str());
    std::fflush(stdout);
  }
  auto cluster = DemoCluster::Start(bin, {{placement.hardware, {placement.instance}}});
  if (!cluster.ok()) {
    std::fprintf(stderr, "teepnet workload: FAIL starting the network: %s\n",
                 cluster.error().ToString().c_str());
    return kExitFailure;
  }
  nlohmann::json rows = nlohmann::json::array();
  if (!as_json) {
    std::printf("  workload         instance  hardware ok          time  headline\n");
  }
  const bool ok =
      workloads::RunWorkloadsOnCluster(**cluster, bin, names, {placement}, as_json, &rows);
  if (as_json) std::printf("%s\n", rows.dump(2).c_str());
  return ok ? kExitOk : kExitFailure;
}

}  // namespace teepnet::cli
