// The confidential process backend: runs a TA as isolated as Linux allows without TEE
// hardware (DESIGN §3, spec/instance-runtimes.md §1):
//   - the TA image is copied into a memfd and sealed (WRITE|SHRINK|GROW|SEAL); the SHA-256
//     of the sealed bytes is the launch measurement that goes into the evidence;
//   - clone into fresh user, pid, mount, net, ipc, uts and cgroup namespaces;
//   - a private root: an empty tmpfs (read-only, noexec) with /dev/{null,zero,urandom}, its
//     own /proc and a small writable /tmp, entered with pivot_root, the host root detached.
//     A static TA needs nothing else. A dynamic TA needs its loader and libraries: list their
//     directories in read_only_binds (e.g. /lib, /lib64, /usr) and they are bound read-only
//     (the measurement then does not cover those host files — prefer static TAs);
//   - rlimits, no core dumps, a non-root uid inside the user namespace, no_new_privs, the
//     seccomp allow-list (seccomp_policy.h), death with the launcher;
//   - execveat of the sealed memfd; the TA's stdout/stderr go to the device-owned log.
// Each layer the probe finds unavailable is skipped and listed in not_applied with the reason
// (or refused outright with require_all).
//
// What this does not give (say it plainly in evidence): root on the REE side can still
// ptrace, read non-secret memory of, or enter the TA. Only memfd_secret memory (used by the TA
// API for secrets) is out of root's reach.
#ifndef TEEPNET_RUNTIME_CONFIDENTIAL_BACKEND_H_
#define TEEPNET_RUNTIME_CONFIDENTIAL_BACKEND_H_

#include <linux/filter.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "teepnet/runtime/instance.h"
#include "teepnet/runtime/probe.h"

namespace teepnet::runtime {

// Layer names used in IsolationReport.
inline constexpr std::string_view kLayerUserNs = "user namespace";
inline constexpr std::string_view kLayerPidNs = "pid namespace";
inline constexpr std::string_view kLayerMountNs = "mount namespace";
inline constexpr std::string_view kLayerNetNs = "net namespace";
inline constexpr std::string_view kLayerIpcNs = "ipc namespace";
inline constexpr std::string_view kLayerUtsNs = "uts namespace";
inline constexpr std::string_view kLayerCgroupNs = "cgroup namespace";
inline constexpr std::string_view kLayerPrivateRoot = "private root";
inline constexpr std::string_view kLayerNonRootUid = "non-root uid";
inline constexpr std::string_view kLayerNoNewPrivs = "no_new_privs";
inline constexpr std::string_view kLayerSeccomp = "seccomp allow-list";
inline constexpr std::string_view kLayerRlimits = "rlimits";
inline constexpr std::string_view kLayerSealedExec = "sealed memfd exec";
inline constexpr std::string_view kLayerMemfdSecret = "memfd_secret";
inline constexpr std::string_view kLayerCgroupLimits = "cgroup limits";

struct ConfidentialProcessOptions {
  // Per-instance root mount points are created (0700) and removed here; the host only ever
  // sees empty directories, the tmpfs lives in the instance's mount namespace.
  std::string state_dir;
  std::vector<std::string> read_only_binds;  // for dynamic TAs; empty for static ones
  // Refuse to start when a namespace, the private root, the uid drop, no_new_privs or seccomp
  // cannot be applied, instead of starting with less isolation.
  bool require_all = false;
  uint32_t id_map_base = 100000;  // ids 0..65535 in the TA's user namespace map here
  uint32_t ta_uid = 1000;
  uint32_t ta_gid = 1000;
  size_t root_tmpfs_bytes = 1u << 20;
  size_t tmp_tmpfs_bytes = 16u << 20;
  bool mount_proc = true;
};

class ConfidentialProcessBackend final : public InstanceBackend {
 public:
  // Probes the machine, compiles the seccomp filter and creates state_dir.
  static Result<std::unique_ptr<ConfidentialProcessBackend>> Create(
      ConfidentialProcessOptions options);

  std::string_view kind() const override { return "confidential-process"; }
  Result<std::unique_ptr<Instance>> Start(const InstanceSpec& spec) override;
  // Removes instance directories under state_dir that no live instance of this backend uses.
  Status CleanupStale() override;

  const ProbeReport& probe() const { return probe_; }

 private:
  ConfidentialProcessBackend(ConfidentialProcessOptions options, ProbeReport probe,
                             std::vector<sock_filter> seccomp)
      : options_(std::move(options)), probe_(std::move(probe)), seccomp_(std::move(seccomp)) {}

  ConfidentialProcessOptions options_;
  ProbeReport probe_;
  std::vector<sock_filter> seccomp_;  // empty when seccomp is unavailable
  // Instance directories in use; shared with the instances' release callbacks.
  struct LiveDirs {
    std::mutex mu;
    std::set<std::string> dirs;
  };
  std::shared_ptr<LiveDirs> live_ = std::make_shared<LiveDirs>();
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CONFIDENTIAL_BACKEND_H_
