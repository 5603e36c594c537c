// The seccomp allow-list a confidential process runs under, compiled to classic BPF in the
// launcher (libseccomp) so the child only has to hand the finished program to the kernel
// between clone and exec, where it must not allocate.
//
// Policy: a system call that is not on the list fails with EPERM (the TA sees an ordinary
// error and can report it; nothing else in the instance produces EPERM for ptrace(TRACEME)
// or unshare, which makes refusals testable). Foreign-architecture calls kill the process.
// Arguments are checked where a call is only partly safe:
//   - clone: no CLONE_NEW* flags (threads and fork yes, new namespaces no);
//   - clone3: ENOSYS, so glibc falls back to clone, whose flags the filter can see;
//   - socket: AF_UNIX, AF_INET, AF_INET6 only (no netlink, packet, vsock, alg ...).
// Refused outright among others: ptrace, process_vm_readv/writev, mount family, pivot_root,
// chroot, unshare, setns, bpf, perf_event_open, keyctl family, kexec, module loading,
// userfaultfd, io_uring, open_by_handle_at, set*id, personality, reboot.
#ifndef TEEPNET_RUNTIME_SECCOMP_POLICY_H_
#define TEEPNET_RUNTIME_SECCOMP_POLICY_H_

#include <linux/filter.h>

#include <vector>

#include "teepnet/base/result.h"

namespace teepnet::runtime {

// The compiled allow-list for the running architecture.
Result<std::vector<sock_filter>> BuildTaSeccompProgram();

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_SECCOMP_POLICY_H_
