// Full TEEP exchanges over loopback HTTP (issue 3 item 8), both sides real and on this
// machine: the real teepnet-moc process serves the TAM at POST /tam on 127.0.0.1 with its
// SQLite store in a temporary directory, and this driver plays N concurrent devices, each a
// Broker (broker::BrokerCore + device::TamTransport, one keep-alive connection) in front of an
// in-process TEEP Agent (agent::AgentCore). N devices are enrolled and given the bench TC
// through the admin API first; then for each N in --brokers, --runs times, every device runs
// exchanges back to back for --seconds (exchange_kit.h: each is a full install).
//
// Reported per run: exchanges/s (those completed inside the window / window), p50 and p99
// latency of one exchange (opening POST to the final 204), CPU per exchange of the TAM
// process and of this driver, their context switches per exchange (every thread's, from
// /proc: threads handing work to each other and waiting), and the crypto bound computed in the same
// run: the signatures and verifications of one exchange (counted in process on an identical TAM +
// Agent pair, and the Agent side re-counted here during the run) times the bare OpenSSL cost
// measured here, with both sides sharing this machine's cores: bound = cores / crypto time.
//
// Closed loop (the default) each device starts its next exchange as soon as one ends, so with
// N devices the latency is N / throughput by Little's law whatever the server does. With
// --open-rate R1,R2,... the devices poll instead (open loop): together they start R exchanges
// a second, device i of N at start + i/R + k*N/R for k = 0, 1, ...; a device whose previous
// exchange overran its slot starts the next at once. Latency is then measured from the
// scheduled start, so time spent waiting behind the device's own late exchange counts as
// queueing. Slots scheduled inside the window but not started by its end are reported as
// "unstarted" (the offered rate was not sustained); exchanges started in the window count
// in the latencies even when they end after it.
//
// Not a Google Benchmark program, but `make bench` passes it --benchmark_out=FILE (JSON
// results are written there) and --benchmark_out_format=...; other --benchmark_* flags are
// ignored.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto_counter.h"
#include "exchange_kit.h"
#include "services/common/process.h"
#include "services/device/tam_transport.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/broker/broker_core.h"
#include "teepnet/crypto/random.h"

#ifndef TEEPNET_MOC_BIN
#define TEEPNET_MOC_BIN ""
#endif

namespace teepnet::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<int> brokers = {1, 50, 200};
  std::vector<double> open_rates;  // exchanges/s offered by all devices together; empty: closed
  double seconds = 5;
  int runs = 3;
  int moc_threads = 64;  // enough handlers in flight for group commit to batch (store docs)
  std::string moc = TEEPNET_MOC_BIN;
  std::string out;  // --benchmark_out
};

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "teep_http_bench: %s\n"
               "usage: teep_http_bench [--brokers 1,50,200] [--open-rate R1,R2,...]\n"
               "                       [--seconds 5] [--runs 3] [--moc-threads 64] [--moc PATH]\n"
               "                       [--benchmark_out=FILE]\n",
               why.c_str());
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    const size_t eq = arg.find('=');
    const bool has_eq = eq != std::string::npos;
    if (has_eq) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto take = [&]() -> std::string {
      if (has_eq) return value;
      if (i + 1 >= argc) Usage(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--benchmark_out") {
      o.out = take();
    } else if (arg.rfind("--benchmark_", 0) == 0) {
      // Google Benchmark flags from scripts/bench.sh: nothing to do (only --flag=value form).
    } else if (arg == "--brokers") {
      o.brokers.clear();
      std::stringstream list(take());
      for (std::string item; std::getline(list, item, ',');) {
        const int n = std::atoi(item.c_str());
        if (n < 1 || n > 2000) Usage("--brokers: 1..2000 each");
        o.brokers.push_back(n);
      }
    } else if (arg == "--open-rate") {
      o.open_rates.clear();
      std::stringstream list(take());
      for (std::string item; std::getline(list, item, ',');) {
        const double rate = std::atof(item.c_str());
        if (rate <= 0 || rate > 100000) Usage("--open-rate: 0..100000 exchanges/s each");
        o.open_rates.push_back(rate);
      }
      if (o.open_rates.empty()) Usage("--open-rate: empty");
    } else if (arg == "--seconds") {
      o.seconds = std::atof(take().c_str());
      if (o.seconds <= 0 || o.seconds > 600) Usage("--seconds: 0..600");
    } else if (arg == "--runs") {
      o.runs = std::atoi(take().c_str());
      if (o.runs < 1 || o.runs > 100) Usage("--runs: 1..100");
    } else if (arg == "--moc-threads") {
      o.moc_threads = std::atoi(take().c_str());
      if (o.moc_threads < 1 || o.moc_threads > 64) Usage("--moc-threads: 1..64");
    } else if (arg == "--moc") {
      o.moc = take();
    } else {
      Usage("unknown argument " + arg);
    }
  }
  if (o.brokers.empty()) Usage("--brokers: empty");
  if (o.moc.empty()) Usage("--moc: no teepnet-moc known at build time");
  return o;
}

std::string ReadTrimmed(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return "";
  std::string s(AsChars(*bytes));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// The 1-minute load average (/proc/loadavg), noted with every run: the machine is shared.
double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double one = 0;
  in >> one;
  return one;
}

// CPU time of a process in seconds: all of it, and the part spent in the kernel (system
// calls: TCP on loopback, the store's writes and fsyncs, futex waits).
struct CpuTimes {
  double total = 0;
  double kernel = 0;
  CpuTimes operator-(const CpuTimes& o) const { return {total - o.total, kernel - o.kernel}; }
};

// utime + stime of a process, from /proc/<pid>/stat.
CpuTimes ProcessCpu(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {(utime + stime) / tick, stime / tick};
}

// Context switches (voluntary and involuntary) of every thread of a process so far: each is a
// thread that blocked or was preempted, the kernel's share of thread hand-offs.
uint64_t ProcessContextSwitches(pid_t pid) {
  uint64_t total = 0;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
          line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
        total += std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
      }
    }
  }
  return total;
}

// This process's context switches so far, its finished threads' included (getrusage), so the
// count never falls when a Broker thread ends.
uint64_t SelfContextSwitches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<uint64_t>(u.ru_nvcsw) + static_cast<uint64_t>(u.ru_nivcsw);
}

CpuTimes SelfCpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double user =
      static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6;
  const double sys =
      static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6;
  return {user + sys, sys};
}

double Percentile(std::vector<double>& sorted_ms, double p) {
  if (sorted_ms.empty()) return 0;
  const size_t i = std::min(sorted_ms.size() - 1,
                            static_cast<size_t>(p * static_cast<double>(sorted_ms.size())));
  return sorted_ms[i];
}

// A temporary directory removed on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/teep_http_bench.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Usage("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct RunResult {
  int brokers = 0;
  double offered_per_s = 0;  // open loop; 0: closed loop
  uint64_t unstarted = 0;    // open loop: slots in the window never started
  uint64_t exchanges = 0;    // completed inside the window
  uint64_t failures = 0;
  double window_s = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double tam_cpu_us = 0;       // teepnet-moc CPU per exchange
  double tam_sys_us = 0;       // of which in the kernel
  double driver_cpu_us = 0;    // Brokers + Agents CPU per exchange
  double driver_sys_us = 0;    // of which in the kernel
  double tam_switches = 0;     // context switches of teepnet-moc's threads per exchange
  double driver_switches = 0;  // and of this driver's
  CryptoCounts agent_counts;   // per exchange, counted in this driver (times 1000)
  std::string first_failure;
};

class Bench {
 public:
  explicit Bench(Options options) : o_(std::move(options)) {}
  int Main();

 private:
  Status StartMoc();
  Status EnrollDevices(int count);
  // `open_rate` 0: closed loop; else the total offered exchanges/s (open loop).
  RunResult RunOnce(int brokers, double open_rate);

  Options o_;
  TempDir dir_;
  std::optional<common::Subprocess> moc_;
  std::string base_url_;
  std::string tam_uri_;
  SystemClock clock_;
  std::vector<std::unique_ptr<BenchDevice>> devices_;
};

Status StartMocAt(const Options& o, const std::string& data, const std::string& log,
                  std::optional<common::Subprocess>& moc) {
  common::SpawnOptions spawn;
  spawn.argv = {o.moc,    "serve", "--listen",  "127.0.0.1:0",
                "--data", data,    "--threads", std::to_string(o.moc_threads)};
  spawn.stderr_path = log;
  spawn.stdout_path = log;
  TEEPNET_ASSIGN_OR_RETURN(common::Subprocess child, common::Subprocess::Spawn(spawn));
  moc.emplace(std::move(child));
  return OkStatus();
}

Status Bench::StartMoc() {
  const std::string data = dir_.path() + "/moc";
  TEEPNET_RETURN_IF_ERROR(StartMocAt(o_, data, dir_.path() + "/moc.log", moc_));
  std::string addr;
  for (int i = 0; i < 500 && addr.empty(); ++i) {
    if (moc_->Poll().has_value()) return Error(Code::kUnavailable, "teepnet-moc exited");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    addr = ReadTrimmed(data + "/moc.addr");
  }
  if (addr.empty()) return Error(Code::kUnavailable, "teepnet-moc did not start listening");
  base_url_ = "http://" + addr;
  tam_uri_ = base_url_ + "/tam";
  return OkStatus();
}

Status Bench::EnrollDevices(int count) {
  const std::string data = dir_.path() + "/moc";
  const std::string enroll_token = ReadTrimmed(data + "/enroll-token");
  const std::string admin_token = ReadTrimmed(data + "/admin-token");
  TEEPNET_ASSIGN_OR_RETURN(Bytes tam_pem, ReadFile(data + "/tam-key.pub.pem"));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey tam_key, crypto::PublicKey::FromPem(AsChars(tam_pem)));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey signer,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  const Bytes envelope = BenchEnvelope(signer);
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> admin,
                           net::HttpClient::Create(base_url_));
  for (int i = 0; i < count; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<BenchDevice> device,
                             MakeBenchDevice(tam_uri_, tam_key, signer.public_key(), clock_,
                                             crypto::SystemRandom::Get()));
    const json request = {{"agent_key", ToHex(device->cose_key)},
                          {"label", "bench-" + std::to_string(i)}};
    TEEPNET_ASSIGN_OR_RETURN(net::HttpResponse enrolled,
                             admin->Send("POST", "/admin/v1/devices",
                                         {{"Authorization", "Bearer " + enroll_token},
                                          {"Content-Type", "application/json"}},
                                         AsBytes(request.dump())));
    const json reply = json::parse(AsChars(enrolled.body), nullptr, false);
    if (enrolled.status != 200 || !reply.is_object() || !reply.contains("device_id") ||
        !reply["device_id"].is_string()) {
      return Error(Code::kInternal, "enroll: HTTP " + std::to_string(enrolled.status));
    }
    const std::string id = reply["device_id"].get<std::string>();
    TEEPNET_ASSIGN_OR_RETURN(net::HttpResponse installed,
                             admin->Send("POST", "/admin/v1/devices/" + id + "/install",
                                         {{"Authorization", "Bearer " + admin_token}}, envelope));
    if (installed.status != 200) {
      return Error(Code::kInternal, "install: HTTP " + std::to_string(installed.status));
    }
    devices_.push_back(std::move(device));
  }
  return OkStatus();
}

RunResult Bench::RunOnce(int brokers, double open_rate) {
  struct PerThread {
    std::vector<double> latencies_ms;
    uint64_t failures = 0;
    uint64_t late = 0;       // finished after the window closed
    uint64_t unstarted = 0;  // open loop: slots of the window it never got to
    std::string first_failure;
  };
  const bool open = open_rate > 0;
  const auto window =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
  // Open loop: each device's slots are this far apart, device t's first at t / rate.
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(open ? brokers / open_rate : 0));
  std::vector<PerThread> per_thread(static_cast<size_t>(brokers));
  std::atomic<bool> stop{false};
  std::latch ready(brokers + 1);
  std::latch go(1);
  Clock::time_point start;
  Clock::time_point end;
  std::vector<std::thread> threads;
  for (int t = 0; t < brokers; ++t) {
    threads.emplace_back([&, t] {
      BenchDevice& device = *devices_[static_cast<size_t>(t)];
      PerThread& mine = per_thread[static_cast<size_t>(t)];
      broker::BrokerCore broker(*device.link, clock_, crypto::SystemRandom::Get());
      device::TamTransport transport;
      // One exchange; returns its outcome (and opens the keep-alive connection the first time).
      auto exchange = [&]() -> std::string {
        device.store.Reset();
        const size_t succeeded = broker.stats().sessions_succeeded;
        size_t posts_with_body = 0;
        size_t replies_with_body = 0;
        broker.StartPolicyCheck();
        while (const broker::HttpPost* post = broker.CurrentPost()) {
          if (!post->body.empty()) ++posts_with_body;
          auto reply = transport.Post(*post);
          if (!reply.ok()) {
            broker.OnTransportFailure();
            continue;
          }
          if (!reply->body.empty()) ++replies_with_body;
          broker.OnHttpResponse(reply->status, reply->body);
        }
        if (broker.stats().sessions_succeeded != succeeded + 1) {
          return broker.stats().last_failure ? broker.stats().last_failure->ToString()
                                             : "no session";
        }
        // QueryRequest and Update came back, QueryResponse and Success went out.
        if (posts_with_body != 2 || replies_with_body != 2 || !device.Installed()) {
          return "not a full install exchange";
        }
        return "";
      };
      std::string warm = exchange();
      if (!warm.empty()) {
        ++mine.failures;
        mine.first_failure = "warm-up: " + warm;
      }
      ready.count_down();
      go.wait();
      if (open) {
        const Clock::time_point window_end = start + window;
        Clock::time_point slot =
            start + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(t) / open_rate));
        for (; slot < window_end; slot += period) {
          std::this_thread::sleep_until(slot);
          if (Clock::now() >= window_end) {
            // Behind schedule past the window's end: these slots were offered, not served.
            for (; slot < window_end; slot += period) ++mine.unstarted;
            break;
          }
          std::string failure = exchange();
          const Clock::time_point t1 = Clock::now();
          if (!failure.empty()) {
            if (mine.first_failure.empty()) mine.first_failure = failure;
            ++mine.failures;
            continue;
          }
          if (t1 > window_end) ++mine.late;
          mine.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - slot).count());
        }
        return;
      }
      while (!stop.load(std::memory_order_relaxed)) {
        const Clock::time_point t0 = Clock::now();
        std::string failure = exchange();
        const Clock::time_point t1 = Clock::now();
        if (!failure.empty()) {
          if (mine.first_failure.empty()) mine.first_failure = failure;
          ++mine.failures;
          continue;
        }
        if (stop.load(std::memory_order_relaxed)) {
          ++mine.late;
          continue;
        }
        mine.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  }
  ready.arrive_and_wait();
  const CryptoCounts counts_before = CountedCrypto();
  const CpuTimes tam_cpu_before = ProcessCpu(moc_->pid());
  const CpuTimes self_cpu_before = SelfCpu();
  const uint64_t tam_switches_before = ProcessContextSwitches(moc_->pid());
  const uint64_t self_switches_before = SelfContextSwitches();
  start = Clock::now();
  go.count_down();
  std::this_thread::sleep_until(start + window);
  stop.store(true);
  end = Clock::now();
  const CpuTimes tam_cpu = ProcessCpu(moc_->pid()) - tam_cpu_before;
  const CpuTimes self_cpu = SelfCpu() - self_cpu_before;
  const uint64_t tam_switches = ProcessContextSwitches(moc_->pid()) - tam_switches_before;
  const uint64_t self_switches = SelfContextSwitches() - self_switches_before;
  for (std::thread& t : threads) t.join();
  const CryptoCounts counts = CountedCrypto() - counts_before;

  RunResult r;
  r.brokers = brokers;
  r.offered_per_s = open_rate;
  std::vector<double> all;
  uint64_t late = 0;
  for (PerThread& p : per_thread) {
    all.insert(all.end(), p.latencies_ms.begin(), p.latencies_ms.end());
    r.failures += p.failures;
    late += p.late;
    r.unstarted += p.unstarted;
    if (r.first_failure.empty()) r.first_failure = p.first_failure;
  }
  std::sort(all.begin(), all.end());
  // Closed loop: only exchanges that ended inside the window are in `all`. Open loop: `all`
  // also holds those started in the window that ended after it (their latency counts); the
  // rate counts only those that ended inside.
  r.exchanges = all.size() - (open ? late : 0);
  r.window_s = std::chrono::duration<double>(end - start).count();
  r.per_second = static_cast<double>(r.exchanges) / r.window_s;
  r.p50_ms = Percentile(all, 0.50);
  r.p99_ms = Percentile(all, 0.99);
  // CPU is sampled over the window; exchanges still in flight when it closed ran partly in it.
  const double in_window = static_cast<double>(r.exchanges) + 0.5 * static_cast<double>(late);
  if (in_window > 0) {
    r.tam_cpu_us = tam_cpu.total * 1e6 / in_window;
    r.tam_sys_us = tam_cpu.kernel * 1e6 / in_window;
    r.driver_cpu_us = self_cpu.total * 1e6 / in_window;
    r.driver_sys_us = self_cpu.kernel * 1e6 / in_window;
    r.tam_switches = static_cast<double>(tam_switches) / in_window;
    r.driver_switches = static_cast<double>(self_switches) / in_window;
  }
  const uint64_t done = r.exchanges + late;
  if (done > 0) {
    r.agent_counts = {counts.signs * 1000 / done, counts.verifies * 1000 / done};
  }
  return r;
}

int Bench::Main() {
  std::printf("teep_http_bench: %d core(s) online; teepnet-moc %s, %d server thread(s)\n",
              static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)), o_.moc.c_str(), o_.moc_threads);
  // Signatures per exchange, counted on an identical TAM + Agent pair in this process.
  auto inproc = InProcessExchange::Create();
  if (!inproc.ok()) Usage("in-process setup: " + inproc.error().ToString());
  for (int i = 0; i < 20; ++i) {
    if (!(*inproc)->Run()) Usage("in-process exchange: " + (*inproc)->failure());
  }
  if (!CryptoCounterActive()) Usage("signature counter not linked in");
  const double n = static_cast<double>((*inproc)->exchanges());
  const CryptoCounts tam = (*inproc)->tam_counts();
  const CryptoCounts agent = (*inproc)->agent_counts();
  const CryptoCounts total = {static_cast<uint64_t>((tam.signs + agent.signs) / n + 0.5),
                              static_cast<uint64_t>((tam.verifies + agent.verifies) / n + 0.5)};
  std::printf("per exchange: TAM %.2f signs %.2f verifies, Agent %.2f signs %.2f verifies\n",
              tam.signs / n, tam.verifies / n, agent.signs / n, agent.verifies / n);

  if (Status s = StartMoc(); !s.ok()) Usage(s.error().ToString());
  const int most = *std::max_element(o_.brokers.begin(), o_.brokers.end());
  const auto enroll_start = Clock::now();
  if (Status s = EnrollDevices(most); !s.ok()) Usage("enrollment: " + s.error().ToString());
  std::printf("enrolled %d devices via the admin API in %.1f s; TAM at %s\n", most,
              std::chrono::duration<double>(Clock::now() - enroll_start).count(), tam_uri_.c_str());

  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  json results = json::array();
  std::printf("\n%7s %7s %4s %9s %9s %9s %9s %9s %10s %8s %10s %8s %7s %7s %10s %8s %8s %5s\n",
              "brokers", "offered", "run", "exch/s", "p50 ms", "p99 ms", "failures", "unstarted",
              "tam cpu us", "tam sys", "drv cpu us", "drv sys", "tam cs", "drv cs", "bound/s",
              "of bound", "agent s/v", "load");
  // 0 stands for the closed loop.
  const std::vector<double> rates = o_.open_rates.empty() ? std::vector<double>{0} : o_.open_rates;
  for (int brokers : o_.brokers) {
    for (double rate : rates) {
      for (int run = 1; run <= o_.runs; ++run) {
        const BareCryptoCost bare = MeasureBareCrypto(0.2);
        RunResult r = RunOnce(brokers, rate);
        const double crypto_us = bare.ExchangeUs(total);
        const double bound = cores * 1e6 / crypto_us;
        const double load = LoadAverage();
        const std::string offered = rate > 0 ? std::to_string(static_cast<long>(rate)) : "closed";
        std::printf(
            "%7d %7s %4d %9.0f %9.2f %9.2f %9llu %9llu %10.0f %8.0f %10.0f %8.0f %7.1f %7.1f "
            "%10.0f %7.1f%% %4.2f/%4.2f %5.1f\n",
            brokers, offered.c_str(), run, r.per_second, r.p50_ms, r.p99_ms,
            static_cast<unsigned long long>(r.failures),
            static_cast<unsigned long long>(r.unstarted), r.tam_cpu_us, r.tam_sys_us,
            r.driver_cpu_us, r.driver_sys_us, r.tam_switches, r.driver_switches, bound,
            100.0 * r.per_second / bound, r.agent_counts.signs / 1000.0,
            r.agent_counts.verifies / 1000.0, load);
        if (!r.first_failure.empty())
          std::printf("        first failure: %s\n", r.first_failure.c_str());
        std::fflush(stdout);
        std::string name = "teep_http/brokers:" + std::to_string(brokers);
        if (rate > 0) name += "/open_rate:" + offered;
        results.push_back({{"name", name},
                           {"run", run},
                           {"brokers", brokers},
                           {"offered_per_s", rate},
                           {"exchanges", r.exchanges},
                           {"failures", r.failures},
                           {"unstarted", r.unstarted},
                           {"window_s", r.window_s},
                           {"exchanges_per_s", r.per_second},
                           {"p50_ms", r.p50_ms},
                           {"p99_ms", r.p99_ms},
                           {"tam_cpu_us_per_exchange", r.tam_cpu_us},
                           {"tam_kernel_cpu_us_per_exchange", r.tam_sys_us},
                           {"driver_cpu_us_per_exchange", r.driver_cpu_us},
                           {"driver_kernel_cpu_us_per_exchange", r.driver_sys_us},
                           {"tam_context_switches_per_exchange", r.tam_switches},
                           {"driver_context_switches_per_exchange", r.driver_switches},
                           {"signs_per_exchange", total.signs},
                           {"verifies_per_exchange", total.verifies},
                           {"agent_signs_per_exchange_here", r.agent_counts.signs / 1000.0},
                           {"agent_verifies_per_exchange_here", r.agent_counts.verifies / 1000.0},
                           {"bare_sign_us", bare.sign_us},
                           {"bare_verify_us", bare.verify_us},
                           {"crypto_us_per_exchange", crypto_us},
                           {"crypto_bound_per_s", bound},
                           {"fraction_of_bound", r.per_second / bound},
                           {"load_average_1min", load}});
      }
    }
  }
  const int stopped = moc_->Stop(5000);
  if (stopped != 0) std::printf("teepnet-moc exited with %d\n", stopped);
  if (!o_.out.empty()) {
    json doc = {{"context", {{"program", "teep_http_bench"}, {"cores", cores}}},
                {"benchmarks", results}};
    if (Status s = WriteFileAtomic(o_.out, AsBytes(doc.dump(2))); !s.ok()) {
      std::fprintf(stderr, "teep_http_bench: %s\n", s.error().ToString().c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace teepnet::bench

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  teepnet::bench::Bench bench(teepnet::bench::ParseArgs(argc, argv));
  return bench.Main();
}
