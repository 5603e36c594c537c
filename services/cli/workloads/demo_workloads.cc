#include "services/cli/workloads/demo_workloads.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "services/cli/workloads/runner.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"

namespace teepnet::cli::workloads {
namespace {

constexpr size_t kConcurrentRuns = 2;

struct Job {
  std::string name;
  Placement placement;
};

std::string Marker() {
  Bytes random(8);
  (void)crypto::SystemRandom::Get().Fill(random);
  return "TEEPNET-SECRET-" + ToHex(random);
}

void PrintRow(const Job& job, const RunResult& r) {
  std::string figure = "-";
  if (r.headline) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "%s %.1f", r.headline->name.c_str(), r.headline->value);
    figure = buf;
  }
  std::printf("  %-16s %-9s %-8s %-4s  %8.2f s  %s\n", job.name.c_str(),
              job.placement.instance.c_str(), job.placement.hardware.c_str(), r.ok ? "ok" : "FAIL",
              static_cast<double>(r.ms) / 1000.0, r.ok ? figure.c_str() : r.error.c_str());
  if (r.headline && !r.headline->detail.empty()) {
    std::printf("        %s\n", r.headline->detail.dump().c_str());
  }
  std::fflush(stdout);
}

}  // namespace

// Each workload exists once its scenario is built (services/cli/CMakeLists.txt defines
// TEEPNET_WORKLOAD_<NAME> for each scenario source present).
std::vector<std::string> WorkloadNames() {
  std::vector<std::string> names;
#ifdef TEEPNET_WORKLOAD_ONPREM_VERIFIER
  names.push_back("onprem-verifier");
#endif
#ifdef TEEPNET_WORKLOAD_TELEMETRY
  names.push_back("telemetry-ml");
#endif
#ifdef TEEPNET_WORKLOAD_PCE
  names.push_back("pce");
#endif
  return names;
}

std::unique_ptr<Scenario> MakeScenario(const std::string& name) {
#ifdef TEEPNET_WORKLOAD_ONPREM_VERIFIER
  if (name == "onprem-verifier") return MakeOnpremVerifierScenario();
#endif
#ifdef TEEPNET_WORKLOAD_TELEMETRY
  if (name == "telemetry-ml") return MakeTelemetryScenario();
#endif
#ifdef TEEPNET_WORKLOAD_PCE
  if (name == "pce") return MakePceScenario();
#endif
  (void)name;
  return nullptr;
}

std::vector<Placement> DemoPlacements(bool containers) {
  std::vector<Placement> out = {{"process", "sgx"}};
  if (containers) out.push_back({"container", "sev-snp"});
  return out;
}

bool RunWorkloadsOnCluster(DemoCluster& cluster, const std::string& bin_dir,
                           const std::vector<std::string>& names,
                           const std::vector<Placement>& placements, bool as_json,
                           nlohmann::json* out) {
  std::vector<Job> jobs;
  for (const std::string& name : names) {
    for (const Placement& p : placements) jobs.push_back({name, p});
  }
  std::vector<nlohmann::json> rows(jobs.size());
  std::vector<char> oks(jobs.size(), 0);
  std::atomic<size_t> next{0};
  std::mutex mu;
  auto worker = [&] {
    for (size_t k = next++; k < jobs.size(); k = next++) {
      const Job& job = jobs[k];
      std::unique_ptr<Scenario> scenario = MakeScenario(job.name);
      RunInput in;
      in.moc_url = cluster.url();
      in.token = cluster.tenant_token();
      in.signer = &cluster.signer();
      in.instance = job.placement.instance;
      in.hardware = job.placement.hardware;
      in.marker = Marker();
      in.seed = 1 + k;
      in.timeout_ms = 300000;
      RunResult r;
      if (scenario == nullptr) {
        r.error = "unknown workload " + job.name;
      } else {
        in.ta_path = bin_dir + "/" + std::string(scenario->ta_binary());
        // A component per (workload, instance type): the process and the container runs on
        // one device install separate TAs.
        in.component = "workload-" + job.name + "-" + job.placement.instance + ".ta";
        r = RunWorkload(*scenario, in);
      }
      std::lock_guard<std::mutex> lock(mu);
      if (scenario != nullptr) {
        rows[k] = RunResultJson(*scenario, in, r);
      } else {
        rows[k] = {{"workload", job.name}, {"ok", false}, {"error", r.error}};
      }
      oks[k] = r.ok ? 1 : 0;
      if (!as_json) PrintRow(job, r);
    }
  };
  std::vector<std::thread> workers;
  for (size_t w = 0; w < kConcurrentRuns && w < jobs.size(); ++w) workers.emplace_back(worker);
  for (std::thread& t : workers) t.join();
  bool all = true;
  for (size_t k = 0; k < jobs.size(); ++k) {
    out->push_back(std::move(rows[k]));
    all = all && oks[k] != 0;
  }
  return all;
}

}  // namespace teepnet::cli::workloads
