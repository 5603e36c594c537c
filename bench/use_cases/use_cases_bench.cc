// Use-case latency and throughput (issue 5 item 10), end to end through real processes on this
// machine: a teepnet-moc (temporary SQLite store, attestation required) and simulated devices
// (services/cli/demo_cluster.h), confidential processes on sim-sgx and sim-trustzone, driven
// by the Network User flow of `teepnet request` (services/cli/request_flow.h): create the
// request, follow it, verify the EAR, seal, post, check the TA's receipt.
//
// 1. Latency: every use case on each architecture, --runs times one after the other. A run's
//    latency is the whole flow (verifier key pinned; cases 2, 3 upload their packages first)
//    and, separately, from the request's creation to the verified receipt ("request").
//    The first run of a case installs its TA; later runs reuse the installed TA (a Network
//    User's TA stays installed), so the cold run is reported on its own.
// 2. Throughput: --users concurrent users each running case 3 on sim-sgx back to back for
//    --seconds; requests/s = flows that proved receipt / wall time.
//
// Not a Google Benchmark program, but scripts/bench.sh passes it --benchmark_out=FILE (JSON
// results are written there) and --benchmark_out_format=...; other --benchmark_* flags are
// ignored.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "services/cli/demo_cluster.h"
#include "services/cli/moc_client.h"
#include "services/cli/package_builder.h"
#include "services/cli/request_flow.h"
#include "services/common/data_dir.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"

#ifndef TEEPNET_PROGRAM_DIR
#define TEEPNET_PROGRAM_DIR ""
#endif

namespace teepnet::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  int runs = 20;
  int users = 50;
  double seconds = 20;
  int poll_ms = 2;        // the user's request polling in the latency runs
  int load_poll_ms = 50;  // ... and under load (50 users polling every 2 ms would be the load)
  std::string bin = TEEPNET_PROGRAM_DIR;
  std::string out;
  bool latency = true;
  bool throughput = true;
  bool steps = false;  // print the steps of each case's last run
};

struct Programs {
  Bytes ta;
  Bytes ua;
};

// p in [0, 1] of sorted samples (nearest rank).
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(v.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

int64_t StepAt(const cli::FlowResult& r, const std::string& name) {
  for (const cli::FlowStep& s : r.steps) {
    if (s.name == name) return s.at_ms;
  }
  return 0;
}

// Milliseconds from the request's creation ("submitted") to the verified receipt.
double RequestMs(const cli::FlowResult& r) {
  return static_cast<double>(r.ms - StepAt(r, "submitted"));
}

struct Fixture {
  cli::DemoCluster& cluster;
  const Programs& programs;
  crypto::PublicKey verifier_key;
  std::map<std::string, Bytes> packages;  // built once per (case, architecture, kind)
};

Result<cli::FlowInput> InputFor(Fixture& f, int use_case, const std::string& hardware,
                                int poll_ms) {
  cli::FlowInput in;
  in.moc_url = f.cluster.url();
  in.token = f.cluster.tenant_token();
  in.use_case = use_case;
  in.instance = "process";
  in.hardware = hardware;
  in.verifier_key = f.verifier_key;
  in.timeout_ms = 120000;
  in.poll_interval_ms = poll_ms;
  const std::string tag = "bench-c" + std::to_string(use_case) + "-" + hardware;
  auto package = [&](const std::string& kind, const Bytes& payload) -> Result<Bytes> {
    const std::string key = tag + "." + kind;
    auto it = f.packages.find(key);
    if (it != f.packages.end()) return it->second;
    cli::PackageSpec spec{cli::PackageComponent(key), 1, payload};
    TEEPNET_ASSIGN_OR_RETURN(Bytes envelope, cli::BuildPackage(spec, f.cluster.signer()));
    f.packages[key] = envelope;
    return envelope;
  };
  if (use_case == 2 || use_case == 3) {
    TEEPNET_ASSIGN_OR_RETURN(in.ta, package("ta", f.programs.ta));
    if (use_case == 2) {
      TEEPNET_ASSIGN_OR_RETURN(in.ua, package("ua", f.programs.ua));
    }
  } else {
    in.ta = f.programs.ta;
    if (use_case == 1) in.ua = f.programs.ua;
  }
  Bytes marker(8);
  TEEPNET_RETURN_IF_ERROR(crypto::SystemRandom::Get().Fill(marker));
  in.pd = SecretBytes(AsBytes("{\"bench\":\"" + ToHex(marker) + "\"}"));
  return in;
}

json Latencies(Fixture& f, const Options& o) {
  json rows = json::array();
  std::printf("latency, %d runs each (ms; p50/p99 of the warm runs, cold = first run)\n", o.runs);
  std::printf("  case  hardware    ok  cold flow  flow p50  flow p99  request p50  request p99\n");
  for (int use_case = 1; use_case <= 4; ++use_case) {
    for (const std::string hardware : {"sgx", "trustzone"}) {
      std::vector<double> flow;
      std::vector<double> request;
      double cold = 0;
      int ok = 0;
      std::string error;
      for (int run = 0; run < o.runs + 1; ++run) {
        auto in = InputFor(f, use_case, hardware, o.poll_ms);
        if (!in.ok()) {
          error = in.error().ToString();
          break;
        }
        const cli::FlowResult r = cli::RunRequestFlow(*in);
        if (!r.ok) {
          error = r.error;
          continue;
        }
        if (run == 0) {
          cold = static_cast<double>(r.ms);
          continue;
        }
        ++ok;
        flow.push_back(static_cast<double>(r.ms));
        request.push_back(RequestMs(r));
        if (o.steps && run == o.runs) {
          for (const cli::FlowStep& s : r.steps)
            std::printf("    %s %lld ms\n", s.name.c_str(), static_cast<long long>(s.ms));
        }
      }
      json row = {{"case", use_case},
                  {"instance", "process"},
                  {"hardware", hardware},
                  {"runs", o.runs},
                  {"ok", ok},
                  {"cold_flow_ms", cold},
                  {"flow_p50_ms", Percentile(flow, 0.5)},
                  {"flow_p99_ms", Percentile(flow, 0.99)},
                  {"request_p50_ms", Percentile(request, 0.5)},
                  {"request_p99_ms", Percentile(request, 0.99)}};
      if (!error.empty()) row["last_error"] = error;
      std::printf("  %4d  %-10s %3d  %9.0f  %8.0f  %8.0f  %11.0f  %11.0f%s%s\n", use_case,
                  hardware.c_str(), ok, cold, Percentile(flow, 0.5), Percentile(flow, 0.99),
                  Percentile(request, 0.5), Percentile(request, 0.99),
                  error.empty() ? "" : "  last error: ", error.c_str());
      std::fflush(stdout);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

json Throughput(Fixture& f, const Options& o) {
  // Inputs are built up front: the package map is not shared between threads.
  std::vector<cli::FlowInput> inputs;
  for (int u = 0; u < o.users; ++u) {
    auto in = InputFor(f, 3, "sgx", o.load_poll_ms);
    if (!in.ok()) return {{"error", in.error().ToString()}};
    inputs.push_back(std::move(in).value());
  }
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::mutex mu;
  std::vector<double> latencies;
  std::string last_error;
  const auto start = Clock::now();
  const auto stop = start + std::chrono::milliseconds(static_cast<int64_t>(o.seconds * 1000));
  std::vector<std::thread> users;
  for (int u = 0; u < o.users; ++u) {
    users.emplace_back([&, u] {
      while (Clock::now() < stop) {
        const cli::FlowResult r = cli::RunRequestFlow(inputs[static_cast<size_t>(u)]);
        std::lock_guard<std::mutex> lock(mu);
        if (r.ok) {
          ++ok;
          latencies.push_back(RequestMs(r));
        } else {
          ++failed;
          last_error = r.error;
        }
      }
    });
  }
  for (std::thread& t : users) t.join();
  const double wall =
      std::chrono::duration<double>(Clock::now() - start).count();  // the last flows overrun
  const double rps = static_cast<double>(ok.load()) / wall;
  std::printf(
      "throughput: %d users, case 3 on sgx, %.1f s: %d ok, %d failed, %.2f requests/s, "
      "request p50 %.0f ms, p99 %.0f ms%s%s\n",
      o.users, wall, ok.load(), failed.load(), rps, Percentile(latencies, 0.5),
      Percentile(latencies, 0.99), last_error.empty() ? "" : "; last error: ", last_error.c_str());
  json j = {{"users", o.users},
            {"case", 3},
            {"hardware", "sgx"},
            {"seconds", wall},
            {"ok", ok.load()},
            {"failed", failed.load()},
            {"requests_per_s", rps},
            {"request_p50_ms", Percentile(latencies, 0.5)},
            {"request_p99_ms", Percentile(latencies, 0.99)}};
  if (!last_error.empty()) j["last_error"] = last_error;
  return j;
}

double LoadAverage() {
  double load[1] = {0};
  return ::getloadavg(load, 1) == 1 ? load[0] : -1;
}

int Run(const Options& o) {
  Programs programs;
  auto ta = ReadFile(o.bin + "/hello_ta", size_t{64} << 20);
  auto ua = ReadFile(o.bin + "/hello_ua", size_t{64} << 20);
  if (!ta.ok() || !ua.ok()) {
    std::fprintf(stderr, "use_cases_bench: hello_ta and hello_ua must be in %s\n", o.bin.c_str());
    return 1;
  }
  programs.ta = std::move(ta).value();
  programs.ua = std::move(ua).value();
  const double load_before = LoadAverage();
  std::printf("starting an M/OC and simulated devices (programs in %s), load average %.2f...\n",
              o.bin.c_str(), load_before);
  std::fflush(stdout);
  // A done request keeps its slot (its TA instance runs on); the demo's 64 slots per device
  // would run out after 64 requests, so the devices' Agents claim as many as the M/OC allows.
  auto cluster =
      cli::DemoCluster::Start(o.bin, {{"sgx", {"process"}}, {"trustzone", {"process"}}}, {}, 65536);
  if (!cluster.ok()) {
    std::fprintf(stderr, "use_cases_bench: %s\n", cluster.error().ToString().c_str());
    return 1;
  }
  auto pem = ReadFile((*cluster)->dir() + "/moc/ear-key.pub.pem");
  auto key =
      pem.ok() ? crypto::PublicKey::FromPem(AsChars(*pem)) : Result<crypto::PublicKey>(pem.error());
  if (!key.ok()) {
    std::fprintf(stderr, "use_cases_bench: the EAR key: %s\n", key.error().ToString().c_str());
    return 1;
  }
  Fixture f{**cluster, programs, *key, {}};
  json results = {{"load_average_before", load_before}};
  if (o.latency) results["latency"] = Latencies(f, o);
  if (o.throughput) results["throughput"] = Throughput(f, o);
  results["load_average_after"] = LoadAverage();
  std::printf("load average after: %.2f\n", LoadAverage());
  if (!o.out.empty()) {
    std::ofstream(o.out) << results.dump(2) << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace teepnet::bench

int main(int argc, char** argv) {
  teepnet::bench::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string(name) + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (const char* v = value("--runs")) {
      o.runs = std::max(1, std::atoi(v));
    } else if (const char* v2 = value("--users")) {
      o.users = std::max(1, std::atoi(v2));
    } else if (const char* v3 = value("--seconds")) {
      o.seconds = std::max(1.0, std::atof(v3));
    } else if (const char* v4 = value("--bin")) {
      o.bin = v4;
    } else if (const char* v5 = value("--benchmark_out")) {
      o.out = v5;
    } else if (arg == "--steps") {
      o.steps = true;
    } else if (arg == "--latency-only") {
      o.throughput = false;
    } else if (arg == "--throughput-only") {
      o.latency = false;
    } else if (arg.rfind("--benchmark_", 0) == 0) {
      // scripts/bench.sh's Google Benchmark flags: nothing to do with them here.
    } else {
      std::fprintf(
          stderr,
          "usage: use_cases_bench [--runs=N] [--users=N] [--seconds=S] [--bin=DIR]\n"
          "       [--latency-only | --throughput-only] [--steps] [--benchmark_out=FILE]\n");
      return 2;
    }
  }
  return teepnet::bench::Run(o);
}
