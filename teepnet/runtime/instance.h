// Instances: one interface for every way the device runs a workload, so the confidential
// container and VM backends (spec/instance-runtimes.md §2, §3) can follow the process ones.
//
//   InstanceBackend::Start(spec) -> Instance
//   Instance: GetStatus() / Wait(timeout) / Stop(grace) / destructor = kill + reap + clean up
//   InstanceBackend::CleanupStale(): what an earlier, crashed launcher left behind
//
// Every backend reports which isolation layers it applied and which it could not, with the
// reason (DESIGN §3: "Every backend probes what the machine allows and says plainly what it
// could not do"). The report and the measurement feed the simulated evidence.
#ifndef TEEPNET_RUNTIME_INSTANCE_H_
#define TEEPNET_RUNTIME_INSTANCE_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

// Resource limits (rlimits; 0 leaves the launcher's own limit). cgroup limits are not applied
// yet: the dev/CI machines have a hybrid v1/v2 layout (see Probe()).
struct ResourceLimits {
  uint64_t address_space_bytes = 0;  // RLIMIT_AS
  uint64_t open_files = 0;           // RLIMIT_NOFILE
  uint64_t processes = 0;            // RLIMIT_NPROC (per uid)
  uint64_t cpu_seconds = 0;          // RLIMIT_CPU
  uint64_t file_bytes = 0;           // RLIMIT_FSIZE
};

struct InstanceSpec {
  // Names the instance in logs, its state directory and its memfd: 1..32 of [A-Za-z0-9._-].
  std::string name;
  // The program: `executable` bytes, or else the file at `executable_path`. The confidential
  // backend copies either into a sealed memfd and runs that; ELF only (a "#!" script cannot
  // be run from a close-on-exec memfd).
  Bytes executable;
  std::string executable_path;
  // The container backend also takes an OCI image: a layout directory or an oci-archive file,
  // and the reference of the manifest to run (empty: the layout's only manifest). Without one
  // it packs `executable` (or the file) into a single-layer image itself.
  std::string image_path;
  std::string image_ref;
  std::vector<std::string> args;  // argv[1..]; argv[0] is `name`
  std::vector<std::string> env;   // "KEY=value"; nothing of the launcher's environment leaks
  // The instance's end of the channel (a socketpair). Borrowed: Start() duplicates it into
  // the instance as descriptor 3 (kChannelFd); the caller closes its copy afterwards.
  int channel_fd = -1;
  // stdout and stderr are appended here (created 0600; the device owns the file). Required.
  std::string log_path;
  ResourceLimits limits;
};

struct ExitInfo {
  bool signaled = false;
  int code = 0;                  // exit code when !signaled
  int signal = 0;                // terminating signal when signaled
  std::string ToString() const;  // "exit 0", "signal 9 (Killed)"
};

struct InstanceStatus {
  bool running = true;
  ExitInfo exit;  // valid when !running
};

struct NotApplied {
  std::string layer;   // "net namespace", "seccomp", ...
  std::string reason;  // why not
};

struct IsolationReport {
  std::vector<std::string> applied;
  std::vector<NotApplied> not_applied;
  bool Applied(std::string_view layer) const;
  std::string ToString() const;
};

class Instance {
 public:
  virtual ~Instance() = default;  // a running instance is killed, reaped and cleaned up

  virtual std::string_view name() const = 0;
  // The instance's process id as the launcher sees it.
  virtual pid_t pid() const = 0;
  // SHA-256 of the bytes that were executed, taken over the sealed memfd (the "launch
  // measurement"); empty when a REE program was run from its path.
  virtual const Bytes& measurement() const = 0;
  virtual const IsolationReport& isolation() const = 0;

  // Non-blocking; reaps the process once it has exited.
  virtual InstanceStatus GetStatus() = 0;
  // Waits up to `timeout_ms` (-1: forever) for the instance to exit (kTimeout otherwise).
  virtual Result<ExitInfo> Wait(int timeout_ms) = 0;
  // SIGTERM, up to `grace_ms` to exit, then SIGKILL; releases the instance's resources.
  virtual ExitInfo Stop(int grace_ms) = 0;
};

class InstanceBackend {
 public:
  virtual ~InstanceBackend() = default;
  virtual std::string_view kind() const = 0;
  virtual Result<std::unique_ptr<Instance>> Start(const InstanceSpec& spec) = 0;
  // Removes the state an earlier launcher left behind when it crashed (instances themselves
  // die with their launcher: they run with PR_SET_PDEATHSIG = SIGKILL). Note that the kernel
  // sends that signal when the launcher *thread* that called Start() exits, so call Start()
  // from a thread that lives as long as the instances.
  virtual Status CleanupStale() = 0;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_INSTANCE_H_
