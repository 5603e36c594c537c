// `teepnet demo`: every use case on every combination of instance type and architecture that
// seed Figure 2 allows, run end to end through real processes on this machine (demo_cluster.h)
// by the same Network User flow as `teepnet request` (request_flow.h). Combinations teepnet
// cannot run yet are listed as such, and those this machine cannot run (ProbeContainers says
// why) as skipped, never as passed. Exit status 0 only when every combination that ran proved
// receipt of its PD. Two combinations run at a time (the machine has two cores; each device
// serves one request at a time, and neighbours in the matrix are on different devices).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/demo_cluster.h"
#include "services/cli/package_builder.h"
#include "services/cli/request_flow.h"
#include "services/cli/workloads/demo_workloads.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/container_backend.h"
#include "teepnet/runtime/vm_backend.h"

namespace teepnet::cli {

namespace {

using nlohmann::json;

constexpr size_t kConcurrentCombinations = 2;

struct Combination {
  int use_case;
  const char* instance;
  const char* hardware;
  bool supported;       // teepnet runs this instance type
  std::string skipped;  // why this machine cannot run it ("" when it can)
  bool runs() const { return supported && skipped.empty(); }
};

// Seed Figure 2: a confidential process on TrustZone or SGX; a container on all six; a VM on
// SEV-SNP, CCA, TDX or CSV. Containers and VMs run where their probes allow
// (`containers_skipped` / `vms_skipped` empty).
std::vector<Combination> Figure2(const std::string& containers_skipped,
                                 const std::string& vms_skipped) {
  struct Entry {
    const char* instance;
    std::vector<const char*> hardware;
    bool supported;
    std::string skipped;
  };
  const std::vector<Entry> entries = {
      {"process", {"trustzone", "sgx"}, true, ""},
      {"container", {"trustzone", "sgx", "sev-snp", "cca", "tdx", "csv"}, true, containers_skipped},
      {"vm", {"sev-snp", "cca", "tdx", "csv"}, true, vms_skipped}};
  std::vector<Combination> out;
  for (int use_case = 1; use_case <= 4; ++use_case) {
    for (const Entry& e : entries) {
      for (const char* hw : e.hardware) {
        out.push_back({use_case, e.instance, hw, e.supported, e.skipped});
      }
    }
  }
  return out;
}

// "" when `probe` allows the instance type here, else its reasons on one line.
template <typename Probe>
std::string Skipped(const Probe& probe, const char* what) {
  if (probe.usable()) return "";
  std::string why = std::string(what) + " cannot run here: ";
  for (char c : probe.ToString()) {
    if (c == '\n') {
      why += "; ";
    } else {
      why += c;
    }
  }
  return why;
}

struct Programs {
  Bytes hello_ta;
  Bytes hello_ua;
};

Result<Programs> LoadPrograms(const std::string& bin) {
  Programs p;
  TEEPNET_ASSIGN_OR_RETURN(p.hello_ta, ReadFile(bin + "/hello_ta", size_t{64} << 20));
  TEEPNET_ASSIGN_OR_RETURN(p.hello_ua, ReadFile(bin + "/hello_ua", size_t{64} << 20));
  return p;
}

// The inputs `teepnet request` would read from files for this combination.
Result<FlowInput> InputFor(const Combination& c, const Programs& programs, DemoCluster& cluster) {
  FlowInput in;
  in.moc_url = cluster.url();
  in.token = cluster.tenant_token();
  in.use_case = c.use_case;
  in.instance = c.instance;
  in.hardware = c.hardware;
  in.timeout_ms = 180000;
  // The process and container runs of a case on one device install different components.
  const std::string tag = "c" + std::to_string(c.use_case) + "-" + c.instance + "-" + c.hardware;
  if (c.use_case == 2 || c.use_case == 3) {
    PackageSpec ta{PackageComponent("hello-" + tag + ".ta"), 1, programs.hello_ta};
    TEEPNET_ASSIGN_OR_RETURN(in.ta, BuildPackage(ta, cluster.signer()));
    if (c.use_case == 2) {
      PackageSpec ua{PackageComponent("hello-" + tag + ".ua"), 1, programs.hello_ua};
      TEEPNET_ASSIGN_OR_RETURN(in.ua, BuildPackage(ua, cluster.signer()));
    }
  } else {
    in.ta = programs.hello_ta;
    if (c.use_case == 1) in.ua = programs.hello_ua;
  }
  Bytes marker(8);
  TEEPNET_RETURN_IF_ERROR(crypto::SystemRandom::Get().Fill(marker));
  const std::string pd = "{\"demo-secret\":\"case " + std::to_string(c.use_case) + " on " +
                         c.hardware + " " + ToHex(marker) + "\"}";
  in.pd = SecretBytes(AsBytes(pd));
  return in;
}

json NotRun(const Combination& c) {
  json j = {{"case", c.use_case},
            {"instance", c.instance},
            {"hardware", c.hardware},
            {"supported", c.supported},
            {"ok", false},
            {"ear_status", nullptr},
            {"ms", 0},
            {"error", c.supported ? "skipped: " + c.skipped : "not supported by teepnet yet"}};
  if (c.supported) j["skipped"] = c.skipped;
  return j;
}

void PrintRow(const FlowResult& r, const Combination& c) {
  std::printf("  case %d  %-9s %-10s %-4s  %-12s %8.2f s  %s\n", c.use_case, c.instance, c.hardware,
              r.ok ? "ok" : "FAIL", r.ear_status.empty() ? "-" : r.ear_status.c_str(),
              static_cast<double>(r.ms) / 1000.0, r.ok ? r.request_id.c_str() : r.error.c_str());
  std::string line = "        ";
  for (const FlowStep& s : r.steps) {
    std::string item = s.name + " " + std::to_string(s.ms) + "ms";
    if (line.size() + item.size() > 100) {
      std::printf("%s\n", line.c_str());
      line = "        ";
    }
    line += item + "  ";
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int RunMatrixDemo(bool as_json) {
  const std::string bin = ProgramDir();
  auto programs = LoadPrograms(bin);
  if (!programs.ok()) {
    std::fprintf(stderr,
                 "teepnet demo: the example TA and UA (hello_ta, hello_ua) next to %s: %s\n",
                 bin.c_str(), programs.error().ToString().c_str());
    return kExitFailure;
  }
  const std::vector<Combination> matrix =
      Figure2(Skipped(runtime::ProbeContainers(), "containers"),
              Skipped(runtime::ProbeVms(runtime::VmOptions{}), "confidential VMs"));
  // Every device is registered for the instance types Figure 2 allows on its architecture and
  // this machine can run; the M/OC places each request by that.
  DemoCluster::Offers offers;
  for (const Combination& c : matrix) {
    if (!c.runs()) continue;
    std::vector<std::string>& types = offers[c.hardware];
    if (std::find(types.begin(), types.end(), c.instance) == types.end()) {
      types.push_back(c.instance);
    }
  }
  if (!as_json) {
    std::printf(
        "teepnet demo — the four use cases on every Figure 2 combination teepnet supports\n"
        "starting an M/OC (temporary SQLite store, attestation required) and one simulated\n"
        "device per architecture...\n");
  }
  auto cluster = DemoCluster::Start(bin, offers);
  if (!cluster.ok()) {
    std::fprintf(stderr, "teepnet demo: FAIL starting the network: %s\n",
                 cluster.error().ToString().c_str());
    return kExitFailure;
  }
  if (!as_json) {
    std::printf("M/OC at %s; devices:\n", (*cluster)->url().c_str());
    std::map<std::string, std::string> ears = (*cluster)->EarStatuses();
    for (const DemoDevice& d : (*cluster)->devices()) {
      std::string takes;
      for (const std::string& t : d.instance_types) takes += (takes.empty() ? "" : ", ") + t;
      std::printf("  %-10s %-14s %.16s…  EAR %s%s\n", d.architecture.c_str(), d.platform.c_str(),
                  d.id.c_str(), ears.count(d.id) ? ears[d.id].c_str() : "none",
                  takes.empty() ? "" : ("  (takes confidential " + takes + ")").c_str());
    }
    std::printf("\n  case  instance  hardware   ok    EAR          time      request / reason\n");
    std::fflush(stdout);
  }
  // The combinations that run, shared out to the workers in matrix order.
  std::vector<size_t> to_run;
  for (size_t i = 0; i < matrix.size(); ++i) {
    if (matrix[i].runs()) to_run.push_back(i);
  }
  std::vector<json> results(matrix.size());
  std::vector<char> oks(matrix.size(), 0);
  std::atomic<size_t> next{0};
  std::mutex print_mu;
  auto worker = [&] {
    for (size_t k = next++; k < to_run.size(); k = next++) {
      const Combination& c = matrix[to_run[k]];
      auto in = InputFor(c, *programs, **cluster);
      FlowResult r;
      if (in.ok()) {
        r = RunRequestFlow(*in);
      } else {
        r.error = "preparing the inputs: " + in.error().ToString();
      }
      const FlowInput empty;
      json j = FlowResultJson(in.ok() ? *in : empty, r);
      j["case"] = c.use_case;
      j["instance"] = c.instance;
      j["hardware"] = c.hardware;
      j["supported"] = true;
      std::lock_guard<std::mutex> lock(print_mu);
      results[to_run[k]] = std::move(j);
      oks[to_run[k]] = r.ok ? 1 : 0;
      if (!as_json) PrintRow(r, c);
    }
  };
  {
    std::vector<std::thread> workers;
    for (size_t w = 0; w < kConcurrentCombinations && w < to_run.size(); ++w) {
      workers.emplace_back(worker);
    }
    for (std::thread& t : workers) t.join();
  }
  json all = json::array();
  bool every_ok = true;
  size_t passed = 0;
  for (size_t i = 0; i < matrix.size(); ++i) {
    if (!matrix[i].runs()) {
      all.push_back(NotRun(matrix[i]));
      continue;
    }
    all.push_back(std::move(results[i]));
    every_ok = every_ok && oks[i] != 0;
    if (oks[i] != 0) ++passed;
  }
  const bool matrix_ok = every_ok;
  // The seed's Appendix B workloads (use case 3) on the same network, after the matrix.
  if (!as_json) {
    std::printf(
        "\nAppendix B workloads (use case 3: each party seals its private input to the attested "
        "TA)\n  workload         instance  hardware ok          time  headline\n");
    std::fflush(stdout);
  }
  const bool containers = std::any_of(matrix.begin(), matrix.end(), [](const Combination& c) {
    return c.runs() && std::string(c.instance) == "container";
  });
  json workload_rows = json::array();
  const bool workloads_ok = workloads::RunWorkloadsOnCluster(
      **cluster, bin, workloads::WorkloadNames(), workloads::DemoPlacements(containers), as_json,
      &workload_rows);
  every_ok = every_ok && workloads_ok;
  for (json& row : workload_rows) all.push_back(std::move(row));
  if (as_json) {
    std::printf("%s\n", all.dump(2).c_str());
    return every_ok ? kExitOk : kExitFailure;
  }
  auto list = [&](bool supported, const char* title) {
    bool header = false;
    for (int use_case = 1; use_case <= 4; ++use_case) {
      std::string line;
      std::string instance;
      for (const Combination& c : matrix) {
        if (c.runs() || c.supported != supported || c.use_case != use_case) continue;
        if (instance != c.instance) {
          instance = c.instance;
          line += std::string(line.empty() ? "" : "  ") + instance + ":";
        }
        line += std::string(" ") + c.hardware;
      }
      if (line.empty()) continue;
      if (!header) std::printf("\n%s\n", title);
      header = true;
      std::printf("  case %d  %s\n", use_case, line.c_str());
    }
  };
  list(false, "not supported yet (listed, not run):");
  list(true, "skipped by this machine's probe (listed, not run):");
  std::vector<std::string> reasons;
  for (const Combination& c : matrix) {
    if (c.supported && !c.runs() &&
        std::find(reasons.begin(), reasons.end(), c.skipped) == reasons.end()) {
      reasons.push_back(c.skipped);
      std::printf("  reason: %s\n", c.skipped.c_str());
    }
  }
  std::printf("\n%zu of %zu combinations run proved receipt of their PD%s\n", passed, to_run.size(),
              matrix_ok ? "" : " (FAIL)");
  std::printf("%zu Appendix B workload runs %s\n", workload_rows.size(),
              workloads_ok ? "passed their independent checks" : "did not all pass (FAIL)");
  if (every_ok) std::printf("all steps passed\n");
  return every_ok ? kExitOk : kExitFailure;
}

}  // namespace teepnet::cli
