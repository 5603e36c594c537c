// What this machine lets a launcher apply to an instance, each item tried for real (in short-
// lived child processes, leaving nothing behind) rather than guessed from kernel versions:
// containers often refuse user namespaces, kernels may lack memfd_secret, and the dev machine
// has a hybrid cgroup layout (spec/instance-runtimes.md §0).
#ifndef TEEPNET_RUNTIME_PROBE_H_
#define TEEPNET_RUNTIME_PROBE_H_

#include <string>

namespace teepnet::runtime {

struct Capability {
  bool available = false;
  std::string reason;  // why not, when !available (may carry a detail when available)

  // "what: yes" / "what: no (reason)": one line of a probe's ToString().
  std::string Line(const char* what) const;
};

struct ProbeReport {
  // Namespaces are tried together with a user namespace when one is available (that is how
  // the confidential backend creates them), else alone.
  Capability user_namespace, pid_namespace, mount_namespace, net_namespace, ipc_namespace,
      uts_namespace, cgroup_namespace;
  Capability id_range_map;  // root can map 65536 ids, so the TA can drop to a non-zero uid
  Capability pidfd;         // clone(CLONE_PIDFD)
  Capability no_new_privs;
  Capability seccomp_filter;  // the TA allow-list loads and refuses ptrace with EPERM
  Capability memfd_seal;      // memfd_create + F_SEAL_WRITE|SHRINK|GROW|SEAL, write refused
  Capability memfd_exec;      // execveat(AT_EMPTY_PATH) of a sealed memfd
  Capability memfd_secret;
  Capability private_root;  // tmpfs root, device binds, proc, pivot_root, id drop (dry run)
  Capability cgroup_v2_delegation;

  // One line per item: "user namespace: yes" / "memfd_secret: no (ENOSYS ...)".
  std::string ToString() const;
};

// Runs every probe (a few milliseconds; forks short-lived children).
ProbeReport Probe();

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_PROBE_H_
