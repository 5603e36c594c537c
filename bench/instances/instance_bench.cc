// Start-to-ready and PD delivery per instance type (issue 6 item 6; targets: container < 0.5 s,
// VM < 10 s under TCG), measured through the Agent's real op 5 path (services/agent/delivery.h)
// with examples/hello_ta:
//
//   start_ms    InstanceBackend::Start() from call to return: for a process the sealed memfd
//               is running, for a container runc has started it, for a VM the guest agent has
//               greeted the host over its link (the boot is over);
//   deliver_ms  the rest of Deliver(): for a VM first the guest's key announcement with its
//               platform evidence (a simulated SEV-SNP report naming the launch digest) and
//               the Agent's appraisal of it, then the PD frame to the TA (sealed to the guest
//               key for a VM), the TA opening it (target ta: HPKE open inside the TA; target
//               agent: the Agent opens the bundle first), and the signed receipt back,
//               verified here as the Network User would;
//   total       the iteration time Google Benchmark reports (manual time = the whole Deliver).
//
// Each iteration seals a fresh PD (the replay guards would refuse a repeat) and stops the
// instance afterwards, outside the timed region, so iterations do not pile instances up.
// Backends that the machine cannot run are skipped with the probe's reason.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "services/agent/delivery.h"
#include "services/agent/file_instance_keyring.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/channel/bundle.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/evidence/guest_appraiser.h"
#include "teepnet/evidence/sim_installation.h"
#include "teepnet/runtime/confidential_backend.h"
#include "teepnet/runtime/container_backend.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/vm_backend.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::agentd {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Forwards to a backend that outlives it and records how long the last Start() took.
class TimedBackend final : public runtime::InstanceBackend {
 public:
  explicit TimedBackend(runtime::InstanceBackend& inner, double* last_start_s)
      : inner_(inner), last_start_s_(last_start_s) {}
  std::string_view kind() const override { return inner_.kind(); }
  Result<std::unique_ptr<runtime::Instance>> Start(const runtime::InstanceSpec& spec) override {
    const auto begin = Clock::now();
    auto instance = inner_.Start(spec);
    *last_start_s_ = Seconds(begin, Clock::now());
    return instance;
  }
  Status CleanupStale() override { return inner_.CleanupStale(); }

 private:
  runtime::InstanceBackend& inner_;
  double* last_start_s_;
};

// One device's TEE side, set up once: keys, the installed TA with its instance identity, and
// the three backends (each created once; a failure is kept as the skip reason).
struct Device {
  std::string dir;
  Bytes ta;
  const suit::ComponentId component = suit::MakeComponentId({"hello-ta"});
  agent::InMemoryTcStore store;
  std::unique_ptr<FileInstanceKeyring> keyring;
  const evidence::InstanceIdentity* identity = nullptr;
  crypto::PrivateKey teep_key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey hpke_key = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  Bytes device_id;
  std::unique_ptr<runtime::InstanceBackend> process, container, vm;
  std::unique_ptr<attest::Platform> platform;  // sim-snp: signs the VM guests' evidence
  std::unique_ptr<evidence::GuestAppraiser> appraiser;
  std::string process_why, container_why, vm_why;
  std::string setup_error;
  uint64_t next_request = 0;

  Device() {
    char tmpl[] = "/tmp/teepnet-instance-bench.XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      setup_error = "mkdtemp failed";
      return;
    }
    dir = tmpl;
    // Container bundles must be searchable by the container's mapped ids.
    std::filesystem::permissions(
        dir, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
    std::filesystem::create_directory(dir + "/logs");
    auto image = ReadFile(HELLO_TA);
    if (!image.ok()) {
      setup_error = image.error().message();
      return;
    }
    ta = *std::move(image);
    suit::StoreTransaction install;
    install.writes[component] = ta;
    if (Status s = store.Commit(install); !s.ok()) {
      setup_error = s.error().message();
      return;
    }
    auto opened = FileInstanceKeyring::Open(dir + "/keys");
    if (!opened.ok()) {
      setup_error = opened.error().message();
      return;
    }
    keyring = *std::move(opened);
    auto ensured = keyring->Ensure(component, ta);
    if (!ensured.ok()) {
      setup_error = ensured.error().message();
      return;
    }
    identity = *ensured;
    auto kid = channel::RecipientKid(teep_key.public_key());
    if (kid.ok()) device_id = *kid;

    runtime::ConfidentialProcessOptions p;
    p.state_dir = dir + "/instances";
    p.read_only_binds = {"/lib", "/lib64", "/usr"};  // a dynamic hello_ta (sanitizer builds)
    if (auto b = runtime::ConfidentialProcessBackend::Create(p); !b.ok()) {
      process_why = b.error().message();
    } else if (!(*b)->probe().memfd_exec.available) {
      process_why = (*b)->probe().memfd_exec.reason;
    } else {
      process = *std::move(b);
    }
    const bool is_static = runtime::IsStaticElf(ta);
    runtime::ContainerOptions c;
    c.state_dir = dir + "/containers";
    if (!is_static) {
      container_why = "hello_ta is not static in this build";
    } else if (auto b = runtime::ContainerBackend::Create(c); !b.ok()) {
      container_why = b.error().message();
    } else {
      container = *std::move(b);
    }
    runtime::VmOptions v;
    v.state_dir = dir + "/vms";
    v.guest_agent_path = TEEPNET_GUEST_AGENT;
    auto sim =
        evidence::OpenSimPlatform({"sim-snp", dir + "/platform", dir + "/vendors", false, Now()});
    auto appraised = sim.ok() ? evidence::GuestAppraiser::FromDirectory(dir + "/vendors/public")
                              : Result<std::unique_ptr<evidence::GuestAppraiser>>(sim.error());
    if (sim.ok() && appraised.ok()) {
      platform = *std::move(sim);
      appraiser = *std::move(appraised);
      v.guest_evidence = [p = platform.get()](ByteView report_data, ByteView launch) {
        return p->GetGuestEvidence(report_data, launch);
      };
    }
    if (!appraised.ok()) {
      vm_why = "no simulated platform: " + appraised.error().message();
    } else if (!is_static) {
      vm_why = "hello_ta is not static in this build";
    } else if (auto b = runtime::VmBackend::Create(v); !b.ok()) {
      vm_why = b.error().message();
    } else {
      vm = *std::move(b);
    }
  }

  ~Device() {
    process.reset();
    container.reset();
    vm.reset();
    platform.reset();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }

  int64_t Now() const { return static_cast<int64_t>(std::time(nullptr)); }

  // Case 3/2: the PD sealed to the TA instance's attested HPKE key.
  Result<DeliverSealed> ToTa(ByteView pd) {
    DeliverSealed d;
    d.request_id = "bench-" + std::to_string(++next_request);
    d.to_ta = true;
    d.instance = identity->name;
    d.purpose = "pd";
    TEEPNET_ASSIGN_OR_RETURN(
        d.sealed, channel::Seal(identity->hpke.public_key(), pd,
                                channel::Binding{d.request_id, device_id, d.instance, d.purpose},
                                Now(), crypto::SystemRandom::Get()));
    return d;
  }

  // Cases 1/4: the TA and its PD as a bundle sealed to the Agent's HPKE key.
  Result<DeliverSealed> ToAgent(ByteView pd) {
    DeliverSealed d;
    d.request_id = "bench-" + std::to_string(++next_request);
    d.purpose = "bundle";
    TEEPNET_ASSIGN_OR_RETURN(
        d.sealed, channel::Seal(hpke_key.public_key(), channel::EncodeBundle(ta, pd),
                                channel::Binding{d.request_id, device_id, "", d.purpose}, Now(),
                                crypto::SystemRandom::Get()));
    return d;
  }
};

// Made by the first benchmark that runs (a VM backend extracts the kernel once), removed by
// main() so the temporary directory goes with it.
Device* g_device = nullptr;
Device& TheDevice() {
  if (g_device == nullptr) g_device = new Device();
  return *g_device;
}

enum Target : int64_t { kToTa = 0, kToAgent = 1 };

void BM_StartAndDeliver(benchmark::State& state) {
  Device& d = TheDevice();
  if (!d.setup_error.empty()) {
    state.SkipWithError(("set-up: " + d.setup_error).c_str());
    return;
  }
  // Delivery::Create always takes the process backend (containers and VMs come from the
  // factories below), so without it nothing can be measured.
  if (d.process == nullptr) {
    state.SkipWithError(("skipped: confidential processes: " + d.process_why).c_str());
    return;
  }
  const auto type = static_cast<InstanceType>(state.range(0));
  const bool to_ta = state.range(1) == kToTa;
  runtime::InstanceBackend* inner = nullptr;
  std::string why;
  switch (type) {
    case InstanceType::kProcess:
      inner = d.process.get();
      why = d.process_why;
      break;
    case InstanceType::kContainer:
      inner = d.container.get();
      why = d.container_why;
      break;
    case InstanceType::kVm:
      inner = d.vm.get();
      why = d.vm_why;
      break;
  }
  state.SetLabel(std::string(InstanceTypeName(type)) +
                 (to_ta ? " / target ta" : " / target agent"));
  if (inner == nullptr) {
    state.SkipWithError(("skipped: " + why).c_str());
    return;
  }
  double start_s = 0;
  double start_sum = 0, deliver_sum = 0;
  // Process deliveries go to the backend Create takes; the others to the lazily made ones.
  TimedBackend timed_process(*d.process, &start_s);
  DeliveryOptions options;
  options.log_dir = d.dir + "/logs";
  options.instance_env = {"ASAN_OPTIONS=detect_leaks=0"};
  options.make_container_backend = [&]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
    return std::unique_ptr<runtime::InstanceBackend>(new TimedBackend(*d.container, &start_s));
  };
  options.make_vm_backend = [&]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
    return std::unique_ptr<runtime::InstanceBackend>(new TimedBackend(*d.vm, &start_s));
  };
  if (d.appraiser != nullptr) {
    options.appraise_guest = [&d](ByteView evidence, ByteView report_data, ByteView launch) {
      return d.appraiser->Appraise(evidence, report_data, launch, d.Now());
    };
  }
  SystemClock clock;
  for (auto _ : state) {
    auto delivery = Delivery::Create(d.teep_key, &d.hpke_key, timed_process, d.keyring.get(),
                                     d.store, clock, options);
    if (!delivery.ok()) {
      state.SkipWithError(delivery.error().message().c_str());
      return;
    }
    const Bytes pd = ToBytes("instance bench PD #" + std::to_string(d.next_request));
    auto sealed = to_ta ? d.ToTa(pd) : d.ToAgent(pd);
    if (!sealed.ok()) {
      state.SkipWithError(sealed.error().message().c_str());
      return;
    }
    sealed->instance_type = type;
    start_s = 0;
    const auto begin = Clock::now();
    auto delivered = (*delivery)->Deliver(*sealed);
    const double total = Seconds(begin, Clock::now());
    if (!delivered.ok()) {
      state.SkipWithError(("delivery failed: " + delivered.error().message()).c_str());
      return;
    }
    // Checked as the Network User checks it: the right key over SHA-256 of this PD.
    auto receipt = channel::VerifyReceipt(
        delivered->receipt, to_ta ? d.identity->proof.public_key() : d.teep_key.public_key());
    if (!receipt.ok() || receipt->pd_digest != crypto::Sha256(pd)) {
      state.SkipWithError("the receipt does not verify or names another PD");
      return;
    }
    state.SetIterationTime(total);
    start_sum += start_s;
    deliver_sum += total - start_s;
    delivery->reset();  // stops the instance, untimed
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["start_ms"] = benchmark::Counter(n > 0 ? 1e3 * start_sum / n : 0);
  state.counters["deliver_ms"] = benchmark::Counter(n > 0 ? 1e3 * deliver_sum / n : 0);
}

void Args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"instance", "target"})->UseManualTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_StartAndDeliver)
    ->Apply(Args)
    ->Args({static_cast<int64_t>(InstanceType::kProcess), kToTa})
    ->Args({static_cast<int64_t>(InstanceType::kProcess), kToAgent})
    ->Iterations(20);
BENCHMARK(BM_StartAndDeliver)
    ->Apply(Args)
    ->Args({static_cast<int64_t>(InstanceType::kContainer), kToTa})
    ->Args({static_cast<int64_t>(InstanceType::kContainer), kToAgent})
    ->Iterations(10);
// A TCG boot takes seconds: a few iterations are what a bench run can afford.
BENCHMARK(BM_StartAndDeliver)
    ->Apply(Args)
    ->Args({static_cast<int64_t>(InstanceType::kVm), kToTa})
    ->Args({static_cast<int64_t>(InstanceType::kVm), kToAgent})
    ->Iterations(3);

}  // namespace
}  // namespace teepnet::agentd

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  delete teepnet::agentd::g_device;
  return 0;
}
