// teepnet-device: the device side in the REE. It runs the TEEP Broker (BrokerCore over
// HTTP to the TAM) and starts the TEEP Agent as a separate process, `teepnet-agent`, over a
// socketpair — the TEE boundary (DESIGN §1). The Broker relays; it never holds Agent keys.
//
//   teepnet-device run --tam http://127.0.0.1:8080/tam --data /var/lib/teepnet-device
//       --platform sim-sgx --enroll-token-file moc-data/enroll-token
//       --tam-key moc-data/tam-key.pub.pem --tc-signer signer.pub.pem [--once]
//
// After every policy-check round and on the poll interval the Broker also reads the device's
// inbox at the M/OC (the TAM's origin, /device/v1/...), hands the user's sealed bytes to the
// Agent (op 5) and posts the receipts back (inbox_relay.h); the request's UA (case 1's from its
// bundle, cases 2 and 3's from the Agent's component store, op 7) runs in the REE under DIR/ua
// with a channel to its TA that the Broker relays through the Agent (op 6, ua_launcher.h).
// Between rounds it long-polls the M/OC's GET /device/v1/devices/{id}/wait (wake_client.h) and,
// once told it has work, reads its inbox and runs a round at once rather than at its next poll.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "services/common/data_dir.h"
#include "services/common/flags.h"
#include "services/common/json_log.h"
#include "services/common/shutdown.h"
#include "services/device/agent_supervisor.h"
#include "services/device/enrollment.h"
#include "services/device/inbox_relay.h"
#include "services/device/relay_client.h"
#include "services/device/tam_transport.h"
#include "services/device/ua_launcher.h"
#include "services/device/wake_client.h"
#include "teepnet/base/clock.h"
#include "teepnet/broker/broker_core.h"
#include "teepnet/crypto/random.h"

namespace teepnet::device {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kUaStopGraceMs = 3000;

// The hardware of DESIGN §3 (Figure 2). sim-generic has no attester; the other sim-* names are
// simulated platforms the Agent creates per installation (evidence/sim_installation.h).
constexpr const char* kPlatforms[] = {"sim-generic", "sim-sgx", "sim-tdx", "sim-sev-snp", "sim-cca",
                                      "sim-trustzone", "sim-csv", "sim-snp",
                                      // real attesters (attest/real_platform.h)
                                      "configfs-tsm", "sev-guest", "tdx-guest"};

struct Options {
  std::string tam;
  std::string data;
  std::string platform;
  std::string vendor_id;
  std::string class_id;
  std::string enroll_token;
  std::string enroll_token_file;
  std::string tam_key;
  std::string tc_signer;
  std::string key_type = "p256";
  std::string agent_program;
  std::string sim_vendors;
  bool sim_debug = false;
  std::string container_state_dir;  // passed to the Agent; "" = its default
  std::string container_runtime;    // passed to the Agent; "" = its default (runc)
  std::string vm_state_dir;         // passed to the Agent; "" = its default
  std::string vm_kernel;            // passed to the Agent; "" = its default
  std::string instance_types;       // passed to the Agent: its capacity claim; "" = none
  int64_t slots = 0;                // passed to the Agent with instance_types; 0 = its default
  std::string tam_ca;               // trust anchors for an https:// TAM
  bool once = false;
  int64_t poll_interval_ms = 60000;
  int64_t wake_wait_ms = 1000;
  int64_t backoff_initial_ms = 1000;
  int64_t backoff_max_ms = 60000;
  int64_t deadline_ms = 0;
};

// The program `name` in the directory of this executable (found through /proc/self/exe, so
// it works however teepnet-device was started: by path, through $PATH, or a symlink).
std::string SiblingProgram(const char* argv0, const char* name) {
  std::string self = argv0;
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) self.assign(exe, static_cast<size_t>(n));
  size_t slash = self.rfind('/');
  return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + name;
}

// Agent ops 5, 6 and 7 through the supervised Agent process.
class SupervisedDelivery final : public DeliveryAgent, public TaRelay {
 public:
  explicit SupervisedDelivery(AgentSupervisor& agent) : agent_(agent) {}
  Result<agentd::Delivered> Deliver(const agentd::DeliverSealed& request) override {
    return agent_.Deliver(request);
  }
  Result<Bytes> FetchUa(const agentd::UaFetch& request) override { return agent_.FetchUa(request); }
  Result<Bytes> RelayToTa(std::string_view request_id, ByteView message) override {
    return agent_.RelayToTa(agentd::UaMessage{std::string(request_id), ToBytes(message)});
  }

 private:
  AgentSupervisor& agent_;
};

class Device {
 public:
  Device(Options o, const common::JsonLog& log, common::ShutdownSignals& signals)
      : o_(std::move(o)),
        log_(log),
        signals_(signals),
        agent_(AgentProcessOptions{o_.agent_program, AgentArgs(o_), ""}, log),
        broker_(agent_, clock_, crypto::SystemRandom::Get(), BrokerConfigFrom(o_)),
        transport_(TamHttpOptions(o_)),
        delivery_(agent_),
        uas_(o_.data + "/ua", log, &delivery_) {}

  int Run() {
    const int64_t start = clock_.MonotonicMillis();
    int64_t enroll_delay = o_.backoff_initial_ms;
    while (!signals_.Wait(0)) {
      if (o_.once && o_.deadline_ms > 0 && clock_.MonotonicMillis() - start > o_.deadline_ms) {
        log_.Error("deadline", {{"deadline_ms", o_.deadline_ms}});
        return kExitFailure;
      }
      if (!enrolled_) {
        Status s = EnsureEnrolled();
        if (!s.ok()) {
          log_.Warn("enroll-failed", {{"error", s.error().ToString()}, {"retry_ms", enroll_delay}});
          // Only an unreachable M/OC is worth waiting for; a refusal or a local fault
          // (no token, no Agent program) will not fix itself.
          if (s.error().code() != Code::kUnavailable) return kExitFailure;
          if (signals_.Wait(static_cast<int>(enroll_delay))) break;
          enroll_delay = std::min(enroll_delay * 2, o_.backoff_max_ms);
          continue;
        }
      }
      // The UAs' questions to their TAs (op 6); answered here, so within a loop's wait.
      uas_.Pump();
      uas_.Reap();
      if (broker_.PolicyCheckDue()) {
        bool clean = RunRound();
        Relay();  // after every TEEP session
        if (o_.once && clean) {
          log_.Info("done", {{"sessions_succeeded", broker_.stats().sessions_succeeded}});
          return kExitOk;
        }
      }
      if (clock_.MonotonicMillis() - last_relay_ms_ >= o_.poll_interval_ms) Relay();
      int64_t wait = broker_.next_policy_check_ms() - clock_.MonotonicMillis();
      if (wait > 0 && WaitForWork(wait)) {
        // The M/OC has work for this device: sealed bytes first (the user is waiting on
        // them), then the TEEP round (an Update or a challenge), and its inbox again.
        Relay();
        RunRound();
        Relay();
      }
      if (signals_.Wait(0)) break;
    }
    log_.Info("stopping", {{"signal", signals_.received()}});
    uas_.StopAll(kUaStopGraceMs);
    agent_.Shutdown();
    return kExitOk;
  }

 private:
  static std::vector<std::string> AgentArgs(const Options& o) {
    std::vector<std::string> args = {"--data",     o.data + "/agent", "--tam-uri",   o.tam,
                                     "--tam-key",  o.tam_key,         "--tc-signer", o.tc_signer,
                                     "--key-type", o.key_type,        "--platform",  o.platform};
    if (!o.vendor_id.empty()) args.insert(args.end(), {"--vendor-id", o.vendor_id});
    if (!o.class_id.empty()) args.insert(args.end(), {"--class-id", o.class_id});
    // The simulated platform lives with the Agent (the TEE side), never in the Broker.
    if (o.platform.substr(0, 4) == "sim-" && o.platform != "sim-generic") {
      args.insert(args.end(), {"--sim-vendors", o.sim_vendors});
    }
    if (o.sim_debug) args.push_back("--sim-debug");
    if (!o.container_state_dir.empty()) {
      args.insert(args.end(), {"--container-state-dir", o.container_state_dir});
    }
    if (!o.container_runtime.empty()) {
      args.insert(args.end(), {"--container-runtime", o.container_runtime});
    }
    if (!o.vm_state_dir.empty()) args.insert(args.end(), {"--vm-state-dir", o.vm_state_dir});
    if (!o.vm_kernel.empty()) args.insert(args.end(), {"--vm-kernel", o.vm_kernel});
    // USE-CASES "Device capacity": the Agent claims it in its evidence; the Broker only
    // passes the configuration on and vouches for nothing.
    if (!o.instance_types.empty()) {
      args.insert(args.end(), {"--instance-types", o.instance_types});
      if (o.slots > 0) args.insert(args.end(), {"--slots", std::to_string(o.slots)});
    }
    return args;
  }

  static net::HttpClientOptions TamHttpOptions(const Options& o) {
    net::HttpClientOptions http;
    http.tls_ca_file = o.tam_ca;
    return http;
  }

  static broker::BrokerConfig BrokerConfigFrom(const Options& o) {
    broker::BrokerConfig config;
    config.backoff.policy_check_interval_ms = o.poll_interval_ms;
    config.backoff.initial_backoff_ms = o.backoff_initial_ms;
    config.backoff.max_backoff_ms = o.backoff_max_ms;
    return config;
  }

  Status EnsureEnrolled() {
    const std::string path = o_.data + "/device.json";
    TEEPNET_ASSIGN_OR_RETURN(std::optional<EnrollmentRecord> record, LoadEnrollment(path));
    if (!record) {
      std::string token = o_.enroll_token;
      if (token.empty()) {
        TEEPNET_ASSIGN_OR_RETURN(token, common::ReadToken(o_.enroll_token_file));
      }
      TEEPNET_ASSIGN_OR_RETURN(Bytes identity, agent_.Identity());
      TEEPNET_ASSIGN_OR_RETURN(std::string id,
                               Enroll(o_.tam, token, identity, o_.platform, TamHttpOptions(o_)));
      record = EnrollmentRecord{id, o_.tam, o_.platform};
      TEEPNET_RETURN_IF_ERROR(SaveEnrollment(path, *record));
      log_.Info("enrolled", {{"device_id", id}});
    }
    device_id_ = record->device_id;
    enrolled_ = true;
    return OkStatus();
  }

  // Waits up to `wait_ms` (at most --wake-wait-ms at a time, so SIGTERM is seen) for the M/OC
  // to say the device has work (wake_client.h). True when it did. Without the endpoint, or
  // while it fails, sleeps instead and tries it again after a poll interval.
  bool WaitForWork(int64_t wait_ms) {
    const int64_t slice = std::min<int64_t>(wait_ms, o_.wake_wait_ms);
    if (slice > 0 && clock_.MonotonicMillis() >= wake_retry_ms_) {
      if (!wake_) {
        Result<std::string> origin = AdminOriginFor(o_.tam);
        auto client = origin.ok() ? WakeClient::Create(*origin, device_id_, o_.wake_wait_ms,
                                                       TamHttpOptions(o_))
                                  : Result<std::unique_ptr<WakeClient>>(origin.error());
        if (client.ok()) wake_ = std::move(client).value();
      }
      Result<bool> woke =
          wake_ ? wake_->Wait(slice) : Result<bool>(Error(Code::kUnavailable, "no wait client"));
      if (woke.ok()) return *woke;
      log_.Warn("wake-wait-failed",
                {{"error", woke.error().ToString()}, {"retry_in_ms", o_.poll_interval_ms}});
      wake_retry_ms_ = clock_.MonotonicMillis() + o_.poll_interval_ms;
    }
    signals_.Wait(static_cast<int>(std::min<int64_t>(wait_ms, 1000)));
    return false;
  }

  // One poll of the device's inbox at the M/OC (inbox_relay.h); failures are logged there.
  void Relay() {
    last_relay_ms_ = clock_.MonotonicMillis();
    if (!relay_) {
      Result<std::string> origin = AdminOriginFor(o_.tam);
      auto endpoint = origin.ok()
                          ? HttpRelayEndpoint::Create(*origin, device_id_, TamHttpOptions(o_))
                          : Result<std::unique_ptr<HttpRelayEndpoint>>(origin.error());
      if (!endpoint.ok()) {
        log_.Error("relay-endpoint", {{"error", endpoint.error().ToString()}});
        return;
      }
      endpoint_ = std::move(endpoint).value();
      relay_.emplace(*endpoint_, delivery_, &uas_, log_);
    }
    relay_->RunOnce();
  }

  // One policy-check round (otrp-over-http §"Client" step 1: ask the Agent until it names no
  // more TAMs, and run one session per TAM). True when nothing failed.
  bool RunRound() {
    const broker::BrokerStats before = broker_.stats();
    if (Status s = agent_.EnsureRunning(); !s.ok()) {
      log_.Error("agent-start-failed", {{"error", s.error().ToString()}});
    }
    broker_.StartPolicyCheck();
    bool agent_failed = agent_.TakePolicyCheckFailure();
    while (const broker::HttpPost* post = broker_.CurrentPost()) {
      if (signals_.Wait(0)) return false;
      auto reply = transport_.Post(*post);
      if (reply.ok()) {
        broker_.OnHttpResponse(reply->status, reply->body);
      } else {
        broker_.OnTransportFailure();
      }
    }
    const broker::BrokerStats& after = broker_.stats();
    const size_t failed = after.sessions_failed - before.sessions_failed;
    nlohmann::json fields = {
        {"device_id", device_id_},
        {"sessions_succeeded", after.sessions_succeeded - before.sessions_succeeded},
        {"sessions_failed", failed},
        {"next_check_in_ms", broker_.next_policy_check_ms() - clock_.MonotonicMillis()}};
    if (failed > 0 && after.last_failure) fields["error"] = after.last_failure->ToString();
    if (agent_failed) fields["error"] = "the Agent could not be asked for a policy check";
    if (failed > 0 || agent_failed) {
      log_.Warn("round-failed", std::move(fields));
      return false;
    }
    log_.Info("round-done", std::move(fields));
    return true;
  }

  Options o_;
  const common::JsonLog& log_;
  common::ShutdownSignals& signals_;
  SystemClock clock_;
  AgentSupervisor agent_;
  broker::BrokerCore broker_;
  TamTransport transport_;
  SupervisedDelivery delivery_;
  ReeUaLauncher uas_;
  std::unique_ptr<HttpRelayEndpoint> endpoint_;
  std::optional<InboxRelay> relay_;
  std::unique_ptr<WakeClient> wake_;
  int64_t wake_retry_ms_ = 0;
  int64_t last_relay_ms_ = 0;
  bool enrolled_ = false;
  std::string device_id_;
};

int Run(const char* argv0, std::span<char* const> args) {
  common::ShutdownSignals signals;  // first: every later thread inherits the blocked mask
  Options o;
  o.agent_program = SiblingProgram(argv0, "teepnet-agent");
  common::FlagSet flags(
      "teepnet-device run --tam URL --data DIR --tam-key FILE --tc-signer FILE "
      "(--enroll-token T | --enroll-token-file F) [flags]",
      "Runs the TEEP Broker for one device and its TEEP Agent (teepnet-agent, started as a\n"
      "child process over a socketpair). On first start the device enrolls its Agent key with\n"
      "the M/OC using the enrollment token; then it polls the TAM (a policy check every\n"
      "--poll-interval-ms, exponential backoff with jitter after failures).");
  flags.String("tam", &o.tam, "URL",
               "the TAM URI, e.g. http://127.0.0.1:8080/tam or https://tam.example:8443/tam", true);
  flags.String("tam-ca", &o.tam_ca, "FILE",
               "for an https:// TAM: PEM CA certificate(s) that issued its certificate, or its "
               "own certificate (pinned); the certificate must name the URI's host");
  flags.String("data", &o.data, "DIR", "data directory (broker state; the Agent's in DIR/agent)",
               true);
  flags.String("platform", &o.platform, "NAME",
               "simulated TEE platform: sim-generic (no attestation), sim-trustzone, sim-sgx, "
               "sim-snp, sim-cca, sim-tdx, sim-csv, or a real attester: configfs-tsm, sev-guest, "
               "tdx-guest (default: as enrolled, else sim-generic)");
  flags.String("vendor-id", &o.vendor_id, "UUID",
               "the device's SUIT vendor identifier, passed to the Agent");
  flags.String("class-id", &o.class_id, "UUID",
               "the device's SUIT class identifier, passed to the Agent");
  flags.String("enroll-token", &o.enroll_token, "TOKEN", "enrollment token (first start only)");
  flags.String("enroll-token-file", &o.enroll_token_file, "FILE",
               "file holding the enrollment token (the M/OC's DIR/enroll-token)");
  flags.String("tam-key", &o.tam_key, "FILE",
               "PEM public key of the TAM, the Agent's trust anchor (M/OC's DIR/tam-key.pub.pem)",
               true);
  flags.String("tc-signer", &o.tc_signer, "FILE",
               "PEM public key of the Trusted Component signer the Agent trusts", true);
  flags.String("key-type", &o.key_type, "p256|ed25519",
               "the Agent's TEEP key type; must match the TAM's --key-type");
  flags.String("agent", &o.agent_program, "PATH", "the teepnet-agent program");
  flags.String("sim-vendors", &o.sim_vendors, "DIR",
               "simulated manufacturers shared by the devices of this installation (default: "
               "sim-vendors beside DIR); the M/OC reads DIR/public with --endorsements");
  flags.Bool("sim-debug", &o.sim_debug,
             "first start only: create the simulated platform with debug enabled");
  flags.String("container-state-dir", &o.container_state_dir, "DIR",
               "the Agent's confidential container state (default /run/teepnet/containers/"
               "<device id prefix>); every ancestor must be searchable by others");
  flags.String("container-runtime", &o.container_runtime, "runc|crun|auto",
               "the Agent's OCI runtime for confidential containers (default runc)");
  flags.String("vm-state-dir", &o.vm_state_dir, "DIR",
               "the Agent's confidential VM state (default /run/teepnet/vms/<device id prefix>)");
  flags.String("vm-kernel", &o.vm_kernel, "FILE",
               "the kernel the Agent's confidential VMs boot (default: the newest "
               "/boot/vmlinuz-*)");
  flags.String("instance-types", &o.instance_types, "LIST",
               "what the Agent offers to run (process, container, vm; e.g. process,container),\n"
               "claimed in its evidence with --slots; the M/OC takes the device's capacity from\n"
               "it when it appraises evidence");
  flags.Int("slots", &o.slots, "N", "instances at once, with --instance-types (default 4)", 1,
            65536);
  flags.Bool("once", &o.once,
             "run policy-check rounds until one completes without failure, then exit 0");
  flags.Int("poll-interval-ms", &o.poll_interval_ms, "MS", "policy check period", 10,
            INT64_C(86400000));
  flags.Int("wake-wait-ms", &o.wake_wait_ms, "MS",
            "between rounds, wait this long at a time at the M/OC for work\n"
            "(GET /device/v1/devices/{id}/wait); 0 = only poll",
            0, INT64_C(30000));
  flags.Int("backoff-initial-ms", &o.backoff_initial_ms, "MS", "first retry delay after a failure",
            1, INT64_C(3600000));
  flags.Int("backoff-max-ms", &o.backoff_max_ms, "MS", "retry delay cap", 1, INT64_C(86400000));
  flags.Int("deadline-ms", &o.deadline_ms, "MS",
            "with --once: give up (exit 1) after this; 0 = never", 0, INT64_C(86400000));
  auto positional = flags.Parse(args);
  if (!positional.ok()) {
    std::fprintf(stderr, "teepnet-device: %s\n\n%s", positional.error().message().c_str(),
                 flags.Help().c_str());
    return kExitUsage;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (o.platform.empty()) {
    // Later starts keep the platform the device enrolled with.
    auto enrolled = LoadEnrollment(o.data + "/device.json");
    o.platform = enrolled.ok() && *enrolled ? (*enrolled)->platform : "sim-generic";
  }
  if (o.sim_vendors.empty()) {
    std::filesystem::path data = std::filesystem::absolute(o.data).lexically_normal();
    if (!data.has_filename()) data = data.parent_path();  // "dir/" names dir
    o.sim_vendors = (data.parent_path() / "sim-vendors").string();
  }
  bool platform_ok = false;
  for (const char* p : kPlatforms) platform_ok = platform_ok || o.platform == p;
  std::string problem;
  if (!positional->empty()) problem = "unexpected argument " + positional->front();
  if (!platform_ok) problem = "unknown platform " + o.platform;
  if (o.key_type != "p256" && o.key_type != "ed25519") problem = "unknown key type " + o.key_type;
  if (o.backoff_initial_ms > o.backoff_max_ms) problem = "--backoff-initial-ms above the cap";
  if (o.tam.rfind("https://", 0) == 0 && o.tam_ca.empty()) {
    problem = "an https:// TAM needs --tam-ca";
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "teepnet-device: %s\n\n%s", problem.c_str(), flags.Help().c_str());
    return kExitUsage;
  }

  common::JsonLog log("teepnet-device");
  if (Status s = common::EnsureDirectory(o.data, 0700); !s.ok()) {
    log.Error("data-dir", {{"error", s.error().ToString()}});
    return kExitFailure;
  }
  if (!common::PathExists(o.data + "/device.json") && o.enroll_token.empty() &&
      o.enroll_token_file.empty()) {
    std::fprintf(stderr,
                 "teepnet-device: first start needs --enroll-token or "
                 "--enroll-token-file\n");
    return kExitUsage;
  }
  log.Info("starting", {{"tam", o.tam}, {"platform", o.platform}, {"once", o.once}});
  Device device(std::move(o), log, signals);
  return device.Run();
}

int Main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    char help[] = "--help";
    char* fake[] = {help};
    return Run(argv[0], std::span<char* const>(fake, 1));
  }
  if (argc < 2 || std::strcmp(argv[1], "run") != 0) {
    std::fprintf(stderr, "usage: teepnet-device run [flags]   (teepnet-device run --help)\n");
    return kExitUsage;
  }
  return Run(argv[0], std::span<char* const>(argv + 2, static_cast<size_t>(argc - 2)));
}

}  // namespace
}  // namespace teepnet::device

int main(int argc, char** argv) {
  try {
    return teepnet::device::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("teepnet-device: out of memory\n", stderr);
    return 1;
  }
}
