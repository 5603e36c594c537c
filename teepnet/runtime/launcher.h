// The one place that clones and execs instance processes (internal to teepnet/runtime; the
// backends describe what they want in a LaunchPlan).
//
// Between clone and exec the child may not allocate or take locks (the launcher can be
// multithreaded and the clone is fork-like), so everything the child needs is prepared here
// and the child runs raw system calls only. glibc's set*id wrappers are avoided on purpose:
// they signal every thread the parent had, which do not exist in the child.
//
// Order in the child (spec/instance-runtimes.md §1, "Recommended design"):
//   default signals -> wait for the id maps -> mount the tmpfs root and enter it (still with
//   the launcher's ids, which may search the state directory) -> become root of the user
//   namespace -> hostname -> fill the root (device and read-only binds, proc, /tmp) ->
//   pivot_root, detach the old root, root read-only -> rlimits -> clear groups, drop uid/gid
//   -> no_new_privs -> parent-death signal -> descriptors (0 = /dev/null, 1 and 2 = log,
//   3 = channel, everything else closed) -> seccomp -> exec.
// A failing step is reported to the parent over a close-on-exec pipe (step and errno), so
// Launch() either returns a process that has exec'd or says which step failed and why.
#ifndef TEEPNET_RUNTIME_LAUNCHER_H_
#define TEEPNET_RUNTIME_LAUNCHER_H_

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

struct LaunchPlan {
  int namespaces = 0;  // CLONE_NEW* flags
  // CLONE_NEWUSER: as root, ids 0..65535 inside map to id_map_base.. outside; otherwise only
  // id 0 inside maps to the launcher's own ids.
  uint32_t id_map_base = 100000;

  bool private_root = false;
  std::string root_dir;                   // an empty directory the tmpfs root is mounted on
  std::vector<std::string> device_binds;  // e.g. /dev/null, bound at the same path
  std::vector<std::string> ro_binds;      // e.g. /lib, /usr (dynamic TAs), read-only
  bool mount_proc = false;
  size_t root_tmpfs_bytes = 1u << 20;
  size_t tmp_tmpfs_bytes = 16u << 20;

  std::string hostname;  // with CLONE_NEWUTS
  bool drop_ids = false;
  uint32_t uid = 1000;
  uint32_t gid = 1000;
  bool no_new_privs = false;
  const std::vector<sock_filter>* seccomp = nullptr;
  ResourceLimits limits;
  bool no_core_dumps = false;
  bool die_with_parent = true;

  int exec_fd = -1;       // a memfd to execveat(AT_EMPTY_PATH); else exec_path
  std::string exec_path;  // used when exec_fd < 0
  std::vector<std::string> argv;
  std::vector<std::string> env;
  int channel_fd = -1;  // becomes kChannelFd; -1: none
  int log_fd = -1;      // becomes stdout and stderr (required)

  // Probe mode: run every step, then exit 0 instead of exec.
  bool dry_run = false;
};

struct Launched {
  pid_t pid = -1;
  int pidfd = -1;  // owned by the caller
};

Result<Launched> Launch(const LaunchPlan& plan);

// Reaps a process through its pidfd (blocking) and returns how it ended.
ExitInfo ReapPidfd(int pidfd);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_LAUNCHER_H_
