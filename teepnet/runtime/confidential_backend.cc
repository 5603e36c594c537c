#include "teepnet/runtime/confidential_backend.h"

#include <sched.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/launcher.h"
#include "teepnet/runtime/process_instance.h"
#include "teepnet/runtime/sealed_executable.h"
#include "teepnet/runtime/seccomp_policy.h"

namespace teepnet::runtime {
namespace {

void Apply(IsolationReport& report, std::string_view layer, const Capability& cap) {
  if (cap.available) {
    report.applied.emplace_back(layer);
  } else {
    report.not_applied.push_back(NotApplied{std::string(layer), cap.reason});
  }
}

}  // namespace

Result<std::unique_ptr<ConfidentialProcessBackend>> ConfidentialProcessBackend::Create(
    ConfidentialProcessOptions options) {
  if (options.state_dir.empty()) return Error(Errc::kBadSpec, "confidential backend: no state_dir");
  if (::mkdir(options.state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(Errc::kSystem,
                 "mkdir " + options.state_dir + ": " + std::string(std::strerror(errno)));
  }
  for (const auto& dir : options.read_only_binds) {
    if (dir.empty() || dir[0] != '/' || dir.find("..") != std::string::npos) {
      return Error(Errc::kBadSpec, "read_only_binds: need absolute paths without '..': " + dir);
    }
  }
  ProbeReport probe = Probe();
  std::vector<sock_filter> seccomp;
  if (probe.seccomp_filter.available) {
    TEEPNET_ASSIGN_OR_RETURN(seccomp, BuildTaSeccompProgram());
  }
  return std::unique_ptr<ConfidentialProcessBackend>(
      new ConfidentialProcessBackend(std::move(options), std::move(probe), std::move(seccomp)));
}

Result<std::unique_ptr<Instance>> ConfidentialProcessBackend::Start(const InstanceSpec& spec) {
  TEEPNET_RETURN_IF_ERROR(ValidateSpec(spec));
  if (!probe_.memfd_exec.available) {
    return Error(Errc::kIsolationRefused,
                 "cannot run a TA from a sealed memfd: " + probe_.memfd_exec.reason);
  }
  IsolationReport report;
  LaunchPlan plan;
  const std::pair<std::string_view, std::pair<const Capability*, int>> namespaces[] = {
      {kLayerUserNs, {&probe_.user_namespace, CLONE_NEWUSER}},
      {kLayerPidNs, {&probe_.pid_namespace, CLONE_NEWPID}},
      {kLayerMountNs, {&probe_.mount_namespace, CLONE_NEWNS}},
      {kLayerNetNs, {&probe_.net_namespace, CLONE_NEWNET}},
      {kLayerIpcNs, {&probe_.ipc_namespace, CLONE_NEWIPC}},
      {kLayerUtsNs, {&probe_.uts_namespace, CLONE_NEWUTS}},
      {kLayerCgroupNs, {&probe_.cgroup_namespace, CLONE_NEWCGROUP}},
  };
  for (const auto& [layer, what] : namespaces) {
    Apply(report, layer, *what.first);
    if (what.first->available) plan.namespaces |= what.second;
  }
  if (plan.namespaces & CLONE_NEWUTS) plan.hostname = spec.name;
  plan.id_map_base = options_.id_map_base;

  Apply(report, kLayerPrivateRoot, probe_.private_root);
  std::string root_dir;
  if (probe_.private_root.available) {
    root_dir = options_.state_dir + "/" + spec.name + ".XXXXXX";
    if (::mkdtemp(root_dir.data()) == nullptr) {
      return Error(Errc::kSystem, "mkdtemp in " + options_.state_dir + ": " + std::strerror(errno));
    }
    plan.private_root = true;
    plan.root_dir = root_dir;
    plan.device_binds = {"/dev/null", "/dev/zero", "/dev/urandom"};
    plan.ro_binds = options_.read_only_binds;
    plan.mount_proc = options_.mount_proc;
    plan.root_tmpfs_bytes = options_.root_tmpfs_bytes;
    plan.tmp_tmpfs_bytes = options_.tmp_tmpfs_bytes;
  }
  // The release callback removes the mount point again, whatever happens below.
  std::shared_ptr<LiveDirs> live = live_;
  auto release = [live, root_dir]() {
    if (root_dir.empty()) return;
    ::rmdir(root_dir.c_str());
    std::lock_guard<std::mutex> lock(live->mu);
    live->dirs.erase(root_dir);
  };
  if (!root_dir.empty()) {
    std::lock_guard<std::mutex> lock(live_->mu);
    live_->dirs.insert(root_dir);
  }
  struct Guard {
    std::function<void()> f;
    ~Guard() {
      if (f) f();
    }
  } guard{release};

  plan.drop_ids = probe_.user_namespace.available && probe_.id_range_map.available;
  Apply(report, kLayerNonRootUid,
        plan.drop_ids ? Capability{true, {}}
                      : Capability{false, probe_.user_namespace.available
                                              ? probe_.id_range_map.reason
                                              : "no user namespace: the TA would run as the "
                                                "launcher's uid, so it keeps it"});
  plan.uid = options_.ta_uid;
  plan.gid = options_.ta_gid;
  plan.no_new_privs = probe_.no_new_privs.available;
  Apply(report, kLayerNoNewPrivs, probe_.no_new_privs);
  if (!seccomp_.empty()) plan.seccomp = &seccomp_;
  Apply(report, kLayerSeccomp, probe_.seccomp_filter);
  plan.limits = spec.limits;
  plan.no_core_dumps = true;
  report.applied.emplace_back(kLayerRlimits);
  report.applied.emplace_back(kLayerSealedExec);
  Apply(report, kLayerMemfdSecret, probe_.memfd_secret);
  report.not_applied.push_back(NotApplied{
      std::string(kLayerCgroupLimits),
      "not implemented by this backend (rlimits bound the TA); machine: " +
          (probe_.cgroup_v2_delegation.available ? std::string("cgroup v2 delegation available")
                                                 : probe_.cgroup_v2_delegation.reason)});

  if (options_.require_all) {
    for (const auto& n : report.not_applied) {
      if (n.layer == kLayerMemfdSecret || n.layer == kLayerCgroupLimits) continue;
      return Error(Errc::kIsolationRefused, "cannot apply " + n.layer + ": " + n.reason);
    }
  }

  std::optional<SealedExecutable> exe;
  if (!spec.executable.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(exe, SealedExecutable::FromBytes(spec.name, spec.executable));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(exe, SealedExecutable::FromFile(spec.name, spec.executable_path));
  }
  plan.exec_fd = exe->fd();
  plan.argv.push_back(spec.name);
  plan.argv.insert(plan.argv.end(), spec.args.begin(), spec.args.end());
  plan.env = spec.env;
  plan.channel_fd = spec.channel_fd;
  TEEPNET_ASSIGN_OR_RETURN(int log, OpenLog(spec.log_path));
  plan.log_fd = log;
  auto launched = Launch(plan);
  ::close(log);
  if (!launched.ok()) return std::move(launched).TakeError();
  guard.f = nullptr;  // the instance owns the clean-up now
  return std::unique_ptr<Instance>(new ProcessInstance(spec.name, launched->pid, launched->pidfd,
                                                       exe->measurement(), std::move(report),
                                                       std::move(release)));
}

Status ConfidentialProcessBackend::CleanupStale() {
  std::error_code ec;
  std::filesystem::directory_iterator it(options_.state_dir, ec);
  if (ec) return Error(Errc::kSystem, "list " + options_.state_dir + ": " + ec.message());
  std::lock_guard<std::mutex> lock(live_->mu);
  for (const auto& entry : it) {
    const std::string path = entry.path().string();
    if (!entry.is_directory(ec) || live_->dirs.count(path) != 0) continue;
    // Only ever empty mount points on the host side; rmdir refuses anything else.
    if (::rmdir(path.c_str()) != 0) {
      return Error(Errc::kSystem, "remove stale " + path + ": " + std::strerror(errno));
    }
  }
  return OkStatus();
}

}  // namespace teepnet::runtime
