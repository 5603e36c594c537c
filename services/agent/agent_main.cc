// teepnet-agent: the TEEP Agent as a process of its own (the TEE boundary, DESIGN §1).
// teepnet-device starts it with one end of a socketpair and talks agent_protocol.h over it;
// it is not meant to be run by hand. Its keys and component store live in its own data
// directory (0700), which the Broker never reads.
#include <cstdio>
#include <filesystem>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "services/agent/agent_service.h"
#include "services/agent/delivery.h"
#include "services/agent/file_instance_keyring.h"
#include "services/agent/file_tc_store.h"
#include "services/common/data_dir.h"
#include "services/common/errc.h"
#include "services/common/flags.h"
#include "services/common/json_log.h"
#include "teepnet/agent/agent_core.h"
#include "teepnet/attest/locked_platform.h"
#include "teepnet/attest/real_platform.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/evidence/agent_evidence.h"
#include "teepnet/evidence/guest_appraiser.h"
#include "teepnet/evidence/sim_installation.h"
#include "teepnet/runtime/confidential_backend.h"
#include "teepnet/runtime/container_backend.h"
#include "teepnet/runtime/vm_backend.h"

namespace teepnet::agentd {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Options {
  std::string data;
  int64_t channel_fd = -1;
  std::string tam_uri;
  std::string tam_key;
  std::string tc_signer;
  std::string key_type = "p256";
  std::string platform = "sim-generic";
  std::string vendor_id;
  std::string class_id;
  std::string sim_vendors;
  bool sim_debug = false;
  std::string container_state_dir;
  std::string container_runtime = "runc";
  int64_t container_memory = 0;
  int64_t container_pids = 0;
  int64_t container_cpu_percent = 0;
  std::string vm_state_dir;
  std::string vm_kernel;
  std::string vm_guest_agent;
  bool vm_try_kvm = false;
  std::string instance_types;  // "process,container": what the evidence claims it can start
  int64_t slots = 4;
};

// Where a container's bundle lives by default: outside the 0700 data directory, whose
// ancestors the container's mapped ids could not search (runtime/container_backend.h), and
// per device, so that Agents sharing a machine keep apart.
constexpr const char* kDefaultContainerRoot = "/run/teepnet/containers";
constexpr size_t kContainerDirIdHexDigits = 16;
// Confidential VMs' instance directories (initramfs, QMP socket), per device like containers'.
constexpr const char* kDefaultVmRoot = "/run/teepnet/vms";

// Creates the missing ancestors of `dir` searchable by others (0711), so the container's
// mapped ids can reach its bundle whatever the umask; existing ones are left as they are.
Status MakeSearchableAncestors(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = fs::path(dir).parent_path(); !p.empty() && p != p.root_path();
       p = p.parent_path()) {
    if (fs::exists(p, ec)) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    fs::create_directory(*it, ec);
    if (!ec) {
      fs::permissions(*it, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec,
                      ec);
    }
    if (ec) return Error(Code::kUnavailable, "create " + it->string() + ": " + ec.message());
  }
  return OkStatus();
}

// A UUID as 32 hex digits, dashes allowed (RFC 9562 text form).
Result<Bytes> ParseUuid(std::string text) {
  std::erase(text, '-');
  TEEPNET_ASSIGN_OR_RETURN(Bytes uuid, FromHex(text));
  if (uuid.size() != 16) return Error(Code::kInvalidArgument, "a UUID has 16 bytes");
  return uuid;
}

bool IsRealPlatform(std::string_view name) {
  for (std::string_view real : attest::kRealPlatformNames) {
    if (name == real) return true;
  }
  return false;
}

Result<crypto::PublicKey> ReadPublicKey(const std::string& path) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes pem, ReadFile(path, 64 * 1024));
  return crypto::PublicKey::FromPem(AsChars(pem));
}

int Run(std::span<char* const> args) {
  Options o;
  common::FlagSet flags(
      "teepnet-agent --data DIR --channel-fd N --tam-uri URI --tam-key FILE --tc-signer FILE",
      "The TEEP Agent. teepnet-device starts it over a socketpair; it is not run by hand.");
  flags.String("data", &o.data, "DIR", "the Agent's private directory (keys, components)", true);
  flags.Int("channel-fd", &o.channel_fd, "N", "inherited socket to the Broker", 0, 1 << 20);
  flags.String("tam-uri", &o.tam_uri, "URI", "the TAM this Agent trusts", true);
  flags.String("tam-key", &o.tam_key, "FILE", "PEM public key of that TAM (trust anchor)", true);
  flags.String("tc-signer", &o.tc_signer, "FILE",
               "PEM public key of the Trusted Component signer (SUIT trust anchor)", true);
  flags.String("key-type", &o.key_type, "p256|ed25519",
               "the Agent's TEEP key: P-256 (ESP256 suite) or Ed25519");
  flags.String("platform", &o.platform, "NAME",
               "the TEE platform: sim-generic (no attestation), sim-trustzone, sim-sgx, sim-snp, "
               "sim-cca, sim-tdx, sim-csv, or a real attester: configfs-tsm, sev-guest, "
               "tdx-guest");
  flags.String("sim-vendors", &o.sim_vendors, "DIR",
               "the installation's simulated manufacturers (required for sim-* but sim-generic)");
  flags.Bool("sim-debug", &o.sim_debug,
             "first start only: the simulated platform runs with debug enabled");
  flags.String("vendor-id", &o.vendor_id, "UUID",
               "this device's vendor identifier (SUIT condition-vendor-identifier)");
  flags.String("class-id", &o.class_id, "UUID",
               "this device's class identifier (SUIT condition-class-identifier)");
  flags.String("container-state-dir", &o.container_state_dir, "DIR",
               "confidential containers' bundles and runtime state; every ancestor must be "
               "searchable by others (default /run/teepnet/containers/<first 16 hex digits of "
               "the device id>)");
  flags.String("container-runtime", &o.container_runtime, "runc|crun|auto",
               "the OCI runtime of confidential containers; auto: crun when a probe container "
               "runs with it, else runc (default runc)");
  flags.Int("container-memory", &o.container_memory, "BYTES",
            "memory limit of every confidential container (0: none)", 0, INT64_C(1) << 50);
  flags.Int("container-pids", &o.container_pids, "N",
            "process limit of every confidential container (0: none)", 0, 1 << 22);
  flags.Int("container-cpu-percent", &o.container_cpu_percent, "P",
            "CPU limit of every confidential container in percent of one CPU (0: none)", 0,
            100 * 1024);
  flags.String("vm-state-dir", &o.vm_state_dir, "DIR",
               "confidential VMs' instance directories (default /run/teepnet/vms/<first 16 hex "
               "digits of the device id>)");
  flags.String("vm-kernel", &o.vm_kernel, "FILE",
               "the kernel confidential VMs boot (default: the newest /boot/vmlinuz-*)");
  flags.String("vm-guest-agent", &o.vm_guest_agent, "FILE",
               "the static guest agent, /init of every VM (default: teepnet-guest-agent next to "
               "this program)");
  flags.Bool("vm-try-kvm", &o.vm_try_kvm,
             "boot VMs under KVM if a bounded probe boot under it succeeds (default: TCG)");
  flags.String("instance-types", &o.instance_types, "LIST",
               "what this Agent offers to run, e.g. process,container (process, container, vm):\n"
               "claimed with --slots in its evidence (teepnet_capacity), from which the M/OC\n"
               "takes the device's capacity; without it the evidence claims none");
  flags.Int("slots", &o.slots, "N", "how many instances at once, with --instance-types", 1,
            evidence::kMaxCapacitySlots);
  common::JsonLog log("teepnet-agent");
  auto positional = flags.Parse(args);
  if (!positional.ok()) {
    std::fprintf(stderr, "%s\n\n%s", positional.error().message().c_str(), flags.Help().c_str());
    return kExitUsage;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (!positional->empty() || o.channel_fd < 0 ||
      (o.key_type != "p256" && o.key_type != "ed25519") ||
      (o.platform != "sim-generic" && !IsRealPlatform(o.platform) &&
       (!evidence::IsSimPlatform(o.platform) || o.sim_vendors.empty()))) {
    std::fprintf(stderr, "bad arguments\n\n%s", flags.Help().c_str());
    return kExitUsage;
  }
  // USE-CASES "Device capacity": the claim is checked here so a typo stops the Agent at start,
  // not at the M/OC.
  std::optional<evidence::CapacityClaim> capacity;
  if (!o.instance_types.empty()) {
    evidence::CapacityClaim claim;
    std::string_view list = o.instance_types;
    while (!list.empty()) {
      const size_t comma = list.find(',');
      claim.instance_types.emplace_back(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    claim.slots = static_cast<uint32_t>(o.slots);
    if (Status valid = evidence::CheckCapacityClaim(claim); !valid.ok()) {
      std::fprintf(stderr, "bad --instance-types/--slots: %s\n\n%s",
                   valid.error().message().c_str(), flags.Help().c_str());
      return kExitUsage;
    }
    capacity = std::move(claim);
  }
  runtime::ContainerLimits container_limits;
  container_limits.memory_bytes = static_cast<uint64_t>(o.container_memory);
  container_limits.pids = static_cast<uint64_t>(o.container_pids);
  container_limits.cpu_quota_us =
      static_cast<uint64_t>(o.container_cpu_percent) * container_limits.cpu_period_us / 100;
  if (Status valid = runtime::ValidateContainerLimits(container_limits);
      !valid.ok() || (o.container_runtime != "runc" && o.container_runtime != "crun" &&
                      o.container_runtime != "auto")) {
    std::fprintf(
        stderr, "bad container options: %s\n\n%s",
        valid.ok() ? "--container-runtime is runc, crun or auto" : valid.error().message().c_str(),
        flags.Help().c_str());
    return kExitUsage;
  }

  auto fail = [&](std::string_view what, const Error& e) {
    log.Error(what, {{"error", e.ToString()}});
    return kExitFailure;
  };
  if (Status s = common::EnsureDirectory(o.data, 0700); !s.ok()) return fail("data-dir", s.error());
  const bool ed25519 = o.key_type == "ed25519";
  auto key = common::LoadOrCreateKey(o.data + "/agent-key.pem",
                                     ed25519 ? crypto::KeyType::kEd25519 : crypto::KeyType::kP256);
  if (!key.ok()) return fail("agent-key", key.error());
  auto tam_key = ReadPublicKey(o.tam_key);
  if (!tam_key.ok()) return fail("tam-key", tam_key.error());
  auto signer = ReadPublicKey(o.tc_signer);
  if (!signer.ok()) return fail("tc-signer", signer.error());
  auto store = FileTcStore::Open(o.data + "/tc-store");
  if (!store.ok()) return fail("tc-store", store.error());

  agent::AgentConfig config;
  config.signing_key = teep::SigningKey{
      *key, teep::CipherSuite::Sign1(ed25519 ? teep::kAlgEd25519 : teep::kAlgESP256), std::nullopt};
  config.tams.push_back(agent::TrustedTam{o.tam_uri, {teep::PeerKey{*tam_key, std::nullopt}}});
  config.tc_signers.signing_keys.push_back(*signer);
  // draft-ietf-suit-manifest-37 §8.4.10.1: manifests may be bound to a vendor and device
  // class; without these flags such manifests fail their conditions here.
  if (!o.vendor_id.empty()) {
    auto vendor = ParseUuid(o.vendor_id);
    if (!vendor.ok()) return fail("vendor-id", vendor.error());
    config.device.vendor_id = *vendor;
  }
  if (!o.class_id.empty()) {
    auto class_id = ParseUuid(o.class_id);
    if (!class_id.ok()) return fail("class-id", class_id.error());
    config.device.class_ids.push_back(*class_id);
  }
  SystemClock clock;
  // Attestation (DESIGN §5): the platform and the HPKE key live here, on the TEE side; the
  // Broker only relays the Evidence this Agent builds.
  std::unique_ptr<attest::Platform> platform;
  std::optional<crypto::PrivateKey> hpke_key;
  std::unique_ptr<FileInstanceKeyring> instances;
  std::unique_ptr<evidence::PlatformEvidenceProvider> evidence_provider;
  if (o.platform != "sim-generic") {
    // teepnet/hpke: DHKEM(X25519, HKDF-SHA256); the key persists so an EAR naming it stays
    // useful to Network Users across restarts.
    auto hpke = common::LoadOrCreateKey(o.data + "/hpke-key.pem", crypto::KeyType::kX25519);
    if (!hpke.ok()) return fail("hpke-key", hpke.error());
    hpke_key = *std::move(hpke);
    auto opened = IsRealPlatform(o.platform)
                      ? attest::OpenRealPlatform(o.platform, attest::RealPlatformOptions{})
                      : evidence::OpenSimPlatform({o.platform, o.data + "/platform", o.sim_vendors,
                                                   o.sim_debug, clock.NowUnixSeconds()});
    if (!opened.ok()) return fail("platform", opened.error());
    // Serialised: confidential VMs' relay threads ask it for guest evidence too.
    platform = std::make_unique<attest::LockedPlatform>(*std::move(opened));
    // USE-CASES "TA instances": each installed TC's HPKE and proof keys, generated here inside
    // the TEE, kept 0600 beside the Agent's own keys and listed in its evidence.
    auto keyring = FileInstanceKeyring::Open(o.data + "/instances");
    if (!keyring.ok()) return fail("instances", keyring.error());
    instances = *std::move(keyring);
    // oemid: RFC 9711 §4.2.3.1 allows 16 random bytes; a fixed value names teepnet as the OEM.
    Bytes oemid = crypto::Sha256(AsBytes("teepnet OEM"));
    oemid.resize(16);
    evidence_provider = std::make_unique<evidence::PlatformEvidenceProvider>(
        *platform, **store, *key, std::vector<crypto::PublicKey>{hpke_key->public_key()},
        evidence::AgentIdentity{oemid, ToBytes(std::string_view(o.platform)), "teepnet 1"},
        instances.get());
    if (capacity) evidence_provider->SetCapacity(*capacity);
  } else if (capacity) {
    // sim-generic has no evidence to carry the claim: the operator registers its capacity.
    log.Warn("capacity-unclaimed", {{"reason", "no platform evidence on sim-generic"}});
  }
  auto core = agent::AgentCore::Create(std::move(config), **store, /*fetcher=*/nullptr, clock,
                                       crypto::SystemRandom::Get(), evidence_provider.get());
  if (!core.ok()) return fail("agent-core", core.error());
  // Op 5 (USE-CASES "Agent op 5"): delivered TAs run in confidential process instances, their
  // per-instance mount points under the data directory and their output in ta-logs/. Without
  // a backend the Agent still serves TEEP and refuses deliveries with the reason.
  std::unique_ptr<runtime::ConfidentialProcessBackend> backend;
  std::unique_ptr<Delivery> delivery;
  {
    runtime::ConfidentialProcessOptions instance_options;
    instance_options.state_dir = o.data + "/ta-instances";
    auto created = runtime::ConfidentialProcessBackend::Create(instance_options);
    Status ready = created.ok() ? (*created)->CleanupStale() : Status(created.error());
    if (ready.ok()) ready = common::EnsureDirectory(o.data + "/ta-logs", 0700);
    if (ready.ok()) {
      backend = *std::move(created);
      DeliveryOptions delivery_options;
      delivery_options.log_dir = o.data + "/ta-logs";
      delivery_options.log = &log;
      std::string container_dir = o.container_state_dir;
      std::string vm_dir = o.vm_state_dir;
      auto thumbprint = cose::CoseKey::FromPublicKey(key->public_key()).Thumbprint();
      if (thumbprint.ok()) {
        const std::string device_dir = ToHex(*thumbprint).substr(0, kContainerDirIdHexDigits);
        if (container_dir.empty()) {
          container_dir = std::string(kDefaultContainerRoot) + "/" + device_dir;
        }
        if (vm_dir.empty()) vm_dir = std::string(kDefaultVmRoot) + "/" + device_dir;
      }
      // Requests for a confidential container (op 5 instance_type): the backend is made on
      // the first one, and whatever an earlier Agent left in its state directory is removed.
      delivery_options.make_container_backend =
          [container_dir, &log, &o,
           container_limits]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
        if (container_dir.empty()) {
          return Error(common::Errc::kBadConfig, "no container state directory");
        }
        TEEPNET_RETURN_IF_ERROR(MakeSearchableAncestors(container_dir));
        runtime::ContainerOptions container_options;
        container_options.state_dir = container_dir;
        container_options.runtime = o.container_runtime;
        container_options.limits = container_limits;
        TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<runtime::ContainerBackend> containers,
                                 runtime::ContainerBackend::Create(container_options));
        TEEPNET_RETURN_IF_ERROR(containers->CleanupStale());
        log.Info("container-backend",
                 {{"state_dir", container_dir}, {"probe", containers->probe().ToString()}});
        return std::unique_ptr<runtime::InstanceBackend>(std::move(containers));
      };
      // Requests for a confidential VM: likewise, on the first one (probing qemu, the kernel,
      // busybox and the guest agent; KVM only when asked for and a probe boot works).
      // A VM guest is its own TEE (runtime/vm_guest_key.h): this device's platform signs the
      // guest's evidence (the host's secure processor, simulated), and this Agent appraises it
      // against the installation's public endorsements before releasing anything into it.
      attest::Platform* guest_platform = platform.get();
      if (platform != nullptr && evidence::IsSimPlatform(o.platform)) {
        auto appraiser = evidence::GuestAppraiser::FromDirectory(o.sim_vendors + "/public");
        if (appraiser.ok()) {
          delivery_options.appraise_guest =
              [shared = std::shared_ptr<evidence::GuestAppraiser>(*std::move(appraiser)), &clock](
                  ByteView evidence, ByteView report_data, ByteView launch) {
                return shared->Appraise(evidence, report_data, launch, clock.NowUnixSeconds());
              };
        } else {
          log.Warn("no-guest-appraiser", {{"error", appraiser.error().ToString()}});
        }
      }
      delivery_options.make_vm_backend =
          [vm_dir, &o, &log,
           guest_platform]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
        if (vm_dir.empty()) return Error(common::Errc::kBadConfig, "no VM state directory");
        runtime::VmOptions vm_options;
        vm_options.state_dir = vm_dir;
        if (guest_platform != nullptr) {
          vm_options.guest_evidence = [guest_platform](ByteView report_data, ByteView launch) {
            return guest_platform->GetGuestEvidence(report_data, launch);
          };
        }
        vm_options.kernel_path = o.vm_kernel;
        vm_options.guest_agent_path = o.vm_guest_agent;
        vm_options.try_kvm = o.vm_try_kvm;
        TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<runtime::VmBackend> vms,
                                 runtime::VmBackend::Create(vm_options));
        TEEPNET_RETURN_IF_ERROR(vms->CleanupStale());
        log.Info("vm-backend", {{"state_dir", vm_dir},
                                {"kernel", vms->kernel_description()},
                                {"kernel_sha256", ToHex(vms->kernel_sha256())},
                                {"cmdline", vms->Cmdline()},
                                {"probe", vms->probe().ToString()}});
        return std::unique_ptr<runtime::InstanceBackend>(std::move(vms));
      };
      auto made = Delivery::Create(*key, hpke_key ? &*hpke_key : nullptr, *backend, instances.get(),
                                   **store, clock, delivery_options);
      if (made.ok()) {
        delivery = *std::move(made);
      } else {
        ready = made.error();
      }
    }
    if (!ready.ok()) log.Warn("no-instance-backend", {{"error", ready.error().ToString()}});
  }
  AgentService service(**core, log, delivery.get());
  log.Info("started", {{"platform", o.platform},
                       {"measurement", platform ? platform->measurement_hex() : ""},
                       {"components", (*store)->CurrentDirectory()},
                       {"manifests", (*store)->ListManifests().size()}});
  Status served = ServeChannel(static_cast<int>(o.channel_fd), service);
  if (!served.ok()) return fail("channel", served.error());
  log.Info("stopped", {{"reason", "broker closed the channel"}});
  return kExitOk;
}

}  // namespace
}  // namespace teepnet::agentd

int main(int argc, char** argv) {
  try {
    return teepnet::agentd::Run(std::span<char* const>(argv + 1, static_cast<size_t>(argc - 1)));
  } catch (const std::bad_alloc&) {
    std::fputs("teepnet-agent: out of memory\n", stderr);
    return 1;
  }
}
