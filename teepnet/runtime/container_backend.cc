#include "teepnet/runtime/container_backend.h"

#include <ctime>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/cgroup_sweep.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/launcher.h"
#include "teepnet/runtime/oci_build.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/process_instance.h"
#include "teepnet/runtime/tool.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The runtime config of an unpacked image is read back for the process fields only.
constexpr size_t kMaxImageConfigBytes = 1u << 20;
constexpr uint32_t kIdRange = 65536;
// A group younger than this may belong to a container another backend is starting right now.
constexpr int64_t kStaleCgroupAgeS = 60;

// Calls a container may not make (the deny list of spec/instance-runtimes.md §1, as the
// confidential process backend refuses them), each failing with EPERM.
const char* const kDeniedSyscalls[] = {
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_by_handle_at",
    "reboot",
    "swapon",
    "swapoff",
    "personality",
    "acct",
    "quotactl",
};

json SeccompProfile() {
  json syscalls = json::array();
  syscalls.push_back({{"names", json(std::vector<std::string>(std::begin(kDeniedSyscalls),
                                                              std::end(kDeniedSyscalls)))},
                      {"action", "SCMP_ACT_ERRNO"},
                      {"errnoRet", 1}});
  // Sockets: AF_UNIX, AF_INET and AF_INET6 only (families 1, 2, 10); netlink, packet, vsock
  // and the rest fail with EAFNOSUPPORT (97).
  syscalls.push_back({{"names", {"socket"}},
                      {"action", "SCMP_ACT_ERRNO"},
                      {"errnoRet", 97},
                      {"args", {{{"index", 0}, {"value", 11}, {"op", "SCMP_CMP_GE"}}}}});
  for (int family : {3, 4, 5, 6, 7, 8, 9}) {
    syscalls.push_back({{"names", {"socket"}},
                        {"action", "SCMP_ACT_ERRNO"},
                        {"errnoRet", 97},
                        {"args", {{{"index", 0}, {"value", family}, {"op", "SCMP_CMP_EQ"}}}}});
  }
  // No new user namespaces from inside (clone with CLONE_NEWUSER).
  syscalls.push_back({{"names", {"clone"}},
                      {"action", "SCMP_ACT_ERRNO"},
                      {"errnoRet", 1},
                      {"args",
                       {{{"index", 0},
                         {"value", 0x10000000},
                         {"valueTwo", 0x10000000},
                         {"op", "SCMP_CMP_MASKED_EQ"}}}}});
  // clone3 hides its flags in memory the filter cannot read: ENOSYS makes libc fall back.
  syscalls.push_back({{"names", {"clone3"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 38}});
  return {{"defaultAction", "SCMP_ACT_ALLOW"},
          {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
          {"syscalls", syscalls}};
}

struct ImageProcess {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// The process fields umoci derived from the image config (entrypoint, cmd, env, user).
Result<ImageProcess> ReadImageProcess(const std::string& config_path) {
  auto bytes = ReadFile(config_path, kMaxImageConfigBytes);
  if (!bytes.ok()) return std::move(bytes).TakeError();
  json config = json::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (config.is_discarded() || !config.is_object() || !config.contains("process") ||
      !config["process"].is_object()) {
    return Error(Errc::kBadSpec, "the unpacked image has no process configuration");
  }
  const json& p = config["process"];
  ImageProcess out;
  auto strings = [](const json& value, std::vector<std::string>& into) {
    if (!value.is_array()) return false;
    for (const json& v : value) {
      if (!v.is_string()) return false;
      into.push_back(v.get<std::string>());
    }
    return true;
  };
  if (!p.contains("args") || !strings(p["args"], out.args) || out.args.empty()) {
    return Error(Errc::kBadSpec, "the image names no entrypoint or command");
  }
  if (p.contains("env") && !strings(p["env"], out.env)) {
    return Error(Errc::kBadSpec, "the image's environment is not a list of strings");
  }
  if (p.contains("cwd") && p["cwd"].is_string()) out.cwd = p["cwd"].get<std::string>();
  if (p.contains("user") && p["user"].is_object()) {
    const json& u = p["user"];
    if (u.contains("uid") && u["uid"].is_number_unsigned()) out.uid = u["uid"].get<uint32_t>();
    if (u.contains("gid") && u["gid"].is_number_unsigned()) out.gid = u["gid"].get<uint32_t>();
  }
  return out;
}

json RuntimeConfig(const ContainerOptions& o, const ImageProcess& image, const InstanceSpec& spec,
                   uint32_t uid, uint32_t gid, json resources) {
  std::vector<std::string> args = image.args;
  args.insert(args.end(), spec.args.begin(), spec.args.end());
  // Nothing of the launcher's environment leaks; the image's own variables and the spec's do.
  std::vector<std::string> env = image.env;
  env.insert(env.end(), spec.env.begin(), spec.env.end());
  json rlimits = json::array();
  rlimits.push_back({{"type", "RLIMIT_CORE"}, {"hard", 0}, {"soft", 0}});
  const uint64_t nofile = spec.limits.open_files ? spec.limits.open_files : 256;
  rlimits.push_back({{"type", "RLIMIT_NOFILE"}, {"hard", nofile}, {"soft", nofile}});
  if (spec.limits.address_space_bytes) {
    rlimits.push_back({{"type", "RLIMIT_AS"},
                       {"hard", spec.limits.address_space_bytes},
                       {"soft", spec.limits.address_space_bytes}});
  }
  if (spec.limits.cpu_seconds) {
    rlimits.push_back({{"type", "RLIMIT_CPU"},
                       {"hard", spec.limits.cpu_seconds},
                       {"soft", spec.limits.cpu_seconds}});
  }
  if (spec.limits.file_bytes) {
    rlimits.push_back({{"type", "RLIMIT_FSIZE"},
                       {"hard", spec.limits.file_bytes},
                       {"soft", spec.limits.file_bytes}});
  }
  json namespaces = json::array();
  for (const char* type : {"pid", "network", "ipc", "uts", "mount", "user", "cgroup"}) {
    namespaces.push_back({{"type", type}});
  }
  const json id_map =
      json::array({{{"containerID", 0}, {"hostID", o.id_map_base}, {"size", kIdRange}}});
  json config = {
      {"ociVersion", "1.0.2"},
      {"process",
       {{"terminal", false},
        {"user", {{"uid", uid}, {"gid", gid}}},
        {"args", args},
        {"env", env},
        {"cwd", image.cwd.empty() ? "/" : image.cwd},
        {"capabilities",
         {{"bounding", json::array()},
          {"effective", json::array()},
          {"inheritable", json::array()},
          {"permitted", json::array()},
          {"ambient", json::array()}}},
        {"rlimits", rlimits},
        {"noNewPrivileges", true}}},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "ta"},
      {"mounts",
       {{{"destination", "/proc"},
         {"type", "proc"},
         {"source", "proc"},
         {"options", {"nosuid", "noexec", "nodev"}}},
        {{"destination", "/dev"},
         {"type", "tmpfs"},
         {"source", "tmpfs"},
         {"options", {"nosuid", "noexec", "strictatime", "mode=755", "size=64k"}}},
        {{"destination", "/tmp"},
         {"type", "tmpfs"},
         {"source", "tmpfs"},
         {"options",
          {"nosuid", "nodev", "noexec", "mode=1777",
           "size=" + std::to_string(o.tmp_tmpfs_bytes)}}}}},
      {"linux",
       {{"uidMappings", id_map},
        {"gidMappings", id_map},
        {"namespaces", namespaces},
        {"maskedPaths",
         {"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
          "/proc/sched_debug", "/proc/scsi", "/sys/firmware"}},
        {"readonlyPaths",
         {"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
          "/proc/sysrq-trigger"}},
        {"seccomp", SeccompProfile()}}},
  };
  if (!resources.empty()) config["linux"]["resources"] = std::move(resources);
  return config;
}

Status MakeDir(const std::string& path, fs::perms perms) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Error(Errc::kSystem, "create " + path + ": " + ec.message());
  fs::permissions(path, perms, ec);
  if (ec) return Error(Errc::kSystem, "chmod " + path + ": " + ec.message());
  return OkStatus();
}

// The bundle path is walked by the runtime's init after it entered the user namespace, as the
// mapped root: directories on the way must be searchable (not listable) by others.
constexpr fs::perms kSearchOnly =
    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec;

// The runtime process stands for the container (runc run exits with the container's status),
// but a signal to it reaches the container's pid 1 only if that process handles it (pid 1 of
// a pid namespace ignores default-action signals), so stopping goes through the runtime.
class ContainerInstance final : public Instance {
 public:
  ContainerInstance(std::unique_ptr<ProcessInstance> runtime_process, std::string runtime_path,
                    std::string runtime_root, std::string id)
      : process_(std::move(runtime_process)),
        runtime_path_(std::move(runtime_path)),
        runtime_root_(std::move(runtime_root)),
        id_(std::move(id)) {}

  std::string_view name() const override { return process_->name(); }
  pid_t pid() const override { return process_->pid(); }
  const Bytes& measurement() const override { return process_->measurement(); }
  const IsolationReport& isolation() const override { return process_->isolation(); }
  InstanceStatus GetStatus() override { return process_->GetStatus(); }
  Result<ExitInfo> Wait(int timeout_ms) override { return process_->Wait(timeout_ms); }

  ExitInfo Stop(int grace_ms) override {
    if (process_->GetStatus().running) {
      (void)RunTool({runtime_path_, "--root", runtime_root_, "kill", id_, "TERM"}, 10'000);
      auto exited = process_->Wait(grace_ms);
      if (exited.ok()) return *exited;
      (void)RunTool({runtime_path_, "--root", runtime_root_, "kill", id_, "KILL"}, 10'000);
      exited = process_->Wait(grace_ms);
      if (exited.ok()) return *exited;
    }
    return process_->Stop(0);
  }

 private:
  std::unique_ptr<ProcessInstance> process_;
  std::string runtime_path_;
  std::string runtime_root_;
  std::string id_;
};

}  // namespace

ContainerBackend::ContainerBackend(ContainerOptions options, ContainerProbe probe,
                                   std::string runtime_path, std::string umoci_path)
    : options_(std::move(options)),
      probe_(std::move(probe)),
      runtime_path_(std::move(runtime_path)),
      umoci_path_(std::move(umoci_path)),
      runtime_root_(options_.state_dir + "/runtime"),
      images_(std::make_shared<ContainerImageCache>(options_.state_dir + "/images", umoci_path_,
                                                    options_.id_map_base, kIdRange)) {}

Result<std::unique_ptr<ContainerBackend>> ContainerBackend::Create(ContainerOptions options) {
  if (options.state_dir.empty() || options.state_dir[0] != '/') {
    return Error(Errc::kBadSpec, "the container state directory must be an absolute path");
  }
  // The runtime's init resolves the bundle after entering the user namespace, as the mapped
  // root, which is "other" to every host directory on the way.
  for (fs::path p = fs::path(options.state_dir).parent_path(); !p.empty() && p != p.root_path();
       p = p.parent_path()) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec) continue;  // created below
    if ((st.permissions() & fs::perms::others_exec) == fs::perms::none) {
      return Error(Errc::kBadSpec, "container state directory " + options.state_dir +
                                       " is unreachable for the container's mapped ids: " +
                                       p.string() + " is not searchable by others (chmod o+x)");
    }
  }
  TEEPNET_RETURN_IF_ERROR(ValidateContainerLimits(options.limits));
  ContainerProbe probe = ProbeContainers(options.runtime);
  if (!probe.usable()) {
    return Error(Errc::kSetupFailed,
                 "confidential containers cannot run here: " + probe.ToString());
  }
  TEEPNET_RETURN_IF_ERROR(MakeDir(options.state_dir, kSearchOnly));
  TEEPNET_RETURN_IF_ERROR(MakeDir(options.state_dir + "/runtime", fs::perms::owner_all));
  std::string runtime_path = *FindTool(probe.runtime_name);
  std::string umoci_path = *FindTool("umoci");
  return std::unique_ptr<ContainerBackend>(new ContainerBackend(
      std::move(options), std::move(probe), std::move(runtime_path), std::move(umoci_path)));
}

Result<std::unique_ptr<Instance>> ContainerBackend::Start(const InstanceSpec& spec) {
  TEEPNET_RETURN_IF_ERROR(ValidateSpec(spec));
  uint8_t suffix[4];
  TEEPNET_RETURN_IF_ERROR(random_.Fill(suffix));
  const std::string id = spec.name + "-" + ToHex(suffix);
  const std::string dir = options_.state_dir + "/c-" + id;
  // Listed as live before anything exists on disk, so a concurrent CleanupStale leaves it be.
  {
    std::lock_guard<std::mutex> lock(live_->mu);
    live_->ids.insert(id);
  }
  auto remove_dir = [dir] {
    std::error_code ec;
    fs::remove_all(dir, ec);
  };
  std::function<void()> release_image;  // unpins a cached image (set once one is acquired)
  std::function<Result<std::unique_ptr<Instance>>(Error)> fail = [&](Error error) {
    remove_dir();
    if (release_image) release_image();
    std::lock_guard<std::mutex> lock(live_->mu);
    live_->ids.erase(id);
    return Result<std::unique_ptr<Instance>>(std::move(error));
  };
  if (Status s = MakeDir(dir, kSearchOnly); !s.ok()) return fail(s.error());

  // 1. The image: a layout directory or an oci-archive given by path (unpacked for this
  // instance), or payload bytes — an executable packed as /ta, or an oci-archive made by
  // `teepnet package image`, the same SUIT envelope form — unpacked once per payload and shared
  // read-only (container_image_cache.h).
  std::string layout = spec.image_path;
  std::string ref = spec.image_ref;
  std::string unpacked_bundle;  // umoci's bundle: the image's config.json and rootfs/
  std::string shared_rootfs;    // the cached root, when the image came from payload bytes
  const std::string bundle = dir + "/bundle";
  std::error_code ec;
  if (spec.image_path.empty()) {
    Bytes payload = spec.executable;
    if (payload.empty()) {
      auto read = ReadFile(spec.executable_path);
      if (!read.ok()) return fail(Error(Errc::kBadSpec, read.error().message()));
      payload = std::move(read).value();
    }
    auto cached = images_->Acquire(payload, IsOciArchive(payload));
    if (!cached.ok()) return fail(cached.error());
    // Pinned until the instance is released (or this start fails: `fail` unpins it).
    release_image = [images = images_, key = cached->key] { images->Release(key); };
    layout = cached->layout;
    ref = cached->ref;
    unpacked_bundle = cached->bundle;
    shared_rootfs = cached->bundle + "/rootfs";
    if (Status s = MakeDir(bundle, kSearchOnly); !s.ok()) return fail(s.error());
  } else {
    if (!fs::is_directory(layout)) {
      layout = dir + "/image";
      if (Status s = MakeDir(layout, fs::perms::owner_all); !s.ok()) return fail(s.error());
      if (Status s = ExtractOciArchive(spec.image_path, layout); !s.ok()) return fail(s.error());
    }
    unpacked_bundle = bundle;
  }
  auto image = ResolveOciImage(layout, ref);
  if (!image.ok()) return fail(image.error());

  // 2. The bundle: files owned by the instance's id range (a cached image was unpacked so).
  if (shared_rootfs.empty()) {
    const std::string map =
        "0:" + std::to_string(options_.id_map_base) + ":" + std::to_string(kIdRange);
    auto unpacked = RunToolOk({umoci_path_, "unpack", "--uid-map", map, "--gid-map", map, "--image",
                               layout + ":" + image->ref, bundle},
                              kOciToolTimeoutMs);
    if (!unpacked.ok()) return fail(unpacked.error());
    fs::permissions(bundle, kSearchOnly, ec);
    if (ec) return fail(Error(Errc::kSystem, "chmod " + bundle + ": " + ec.message()));
  }
  auto process = ReadImageProcess(unpacked_bundle + "/config.json");
  if (!process.ok()) return fail(process.error());

  // 3. Our runtime configuration, never the image's: a non-root user inside, whatever it asks.
  IsolationReport report;
  uint32_t uid = process->uid;
  uint32_t gid = process->gid;
  if (uid == 0 || uid >= kIdRange || gid >= kIdRange) {
    uid = options_.ta_uid;
    gid = options_.ta_gid;
  }
  json resources = ContainerResources(options_.limits, probe_.cgroups, report);
  json runtime_config = RuntimeConfig(options_, *process, spec, uid, gid, std::move(resources));
  if (!shared_rootfs.empty()) runtime_config["root"]["path"] = shared_rootfs;
  // The measurement covers the configuration as it is for every start of this image with these
  // limits; the cgroup path names this one start's container and is added after (under our own
  // parent, so groups a killed runtime leaves behind can be found and removed, cgroup_sweep.h).
  Bytes measured = image->manifest_digest;
  Append(measured, crypto::Sha256(AsBytes(runtime_config.dump(1))));
  Bytes measurement = crypto::Sha256(measured);
  runtime_config["linux"]["cgroupsPath"] = ContainerCgroupPath(id);
  const std::string config = runtime_config.dump(1);
  if (Status s = WriteFileAtomic(bundle + "/config.json", AsBytes(config), 0600); !s.ok()) {
    return fail(s.error());
  }

  // 4. The runtime, with the channel as descriptor 3 of the container's process.
  auto log = OpenLog(spec.log_path);
  if (!log.ok()) return fail(log.error());
  LaunchPlan plan;
  plan.exec_path = runtime_path_;
  plan.argv = {runtime_path_, "--root", runtime_root_, "run", "--bundle", bundle, id};
  if (spec.channel_fd >= 0) {
    plan.argv.insert(plan.argv.begin() + 4, {"--preserve-fds", "1"});
  }
  plan.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  plan.channel_fd = spec.channel_fd;
  plan.log_fd = *log;
  plan.die_with_parent = true;
  auto launched = Launch(plan);
  ::close(*log);
  if (!launched.ok()) return fail(launched.error());

  report.applied.insert(
      report.applied.begin(),
      {"user namespace", "pid namespace", "mount namespace", "net namespace", "ipc namespace",
       "uts namespace", "cgroup namespace", "read-only root", "non-root uid", "no capabilities",
       "no_new_privs", "seccomp deny-list", "rlimits", "masked /proc paths"});
  report.not_applied.push_back({"sealed memfd exec",
                                "a container runs its image's files; the measurement is the "
                                "manifest digest plus the runtime config instead"});
  if (!options_.limits.any()) {
    report.not_applied.push_back(
        {"cgroup limits", "none configured (ContainerOptions::limits; cgroup layout " +
                              probe_.cgroups.Describe() + ")"});
  }
  // Once the runtime process has been reaped, the container is deleted (forced: the runtime
  // may have been killed while its container still ran) and the bundle removed.
  std::function<void()> release = [runtime = runtime_path_, root = runtime_root_, id, remove_dir,
                                   live = live_, release_image, cgroups = probe_.cgroups] {
    (void)RunTool({runtime, "--root", root, "delete", "--force", id}, 30'000);
    // The runtime removes the groups it made; any it left (it was killed mid-way) go here.
    (void)RemoveContainerCgroups(cgroups, id);
    remove_dir();
    if (release_image) release_image();
    std::lock_guard<std::mutex> lock(live->mu);
    live->ids.erase(id);
  };
  auto runtime_process = std::make_unique<ProcessInstance>(spec.name, launched->pid,
                                                           launched->pidfd, std::move(measurement),
                                                           std::move(report), std::move(release));
  return std::unique_ptr<Instance>(
      new ContainerInstance(std::move(runtime_process), runtime_path_, runtime_root_, id));
}

Status ContainerBackend::CleanupStale() {
  std::set<std::string> live;
  {
    std::lock_guard<std::mutex> lock(live_->mu);
    live = live_->ids;
  }
  auto listed = RunToolOk({runtime_path_, "--root", runtime_root_, "list", "--quiet"}, 30'000);
  if (!listed.ok()) return std::move(listed).TakeError();
  size_t start = 0;
  while (start < listed->size()) {
    size_t end = listed->find('\n', start);
    if (end == std::string::npos) end = listed->size();
    const std::string id = listed->substr(start, end - start);
    if (!id.empty() && !live.contains(id)) {
      (void)RunTool({runtime_path_, "--root", runtime_root_, "delete", "--force", id}, 30'000);
    }
    start = end + 1;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.state_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("c-", 0) == 0 && !live.contains(name.substr(2))) {
      fs::remove_all(entry.path(), ec);
    }
  }
  // Groups of containers whose runtime died with an earlier Agent (any data directory's: the
  // parent is shared by every backend on the host; only empty groups older than a minute go).
  (void)SweepStaleContainerCgroups(probe_.cgroups, live, ::time(nullptr), kStaleCgroupAgeS);
  return OkStatus();
}

}  // namespace teepnet::runtime
