#include "teepnet/runtime/seccomp_policy.h"

#include <seccomp.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

// What a static or dynamic C/C++ program needs to start, allocate, use threads, files under
// its private root, its channel socket, memfd_secret and clocks.
constexpr const char* kAllowed[] = {
    // descriptors and files
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "preadv",
    "pwritev",
    "preadv2",
    "pwritev2",
    "lseek",
    "close",
    "close_range",
    "fstat",
    "newfstatat",
    "statx",
    "stat",
    "lstat",
    "fstatfs",
    "statfs",
    "access",
    "faccessat",
    "faccessat2",
    "open",
    "openat",
    "readlink",
    "readlinkat",
    "getdents64",
    "getcwd",
    "chdir",
    "fchdir",
    "fcntl",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "ioctl",
    "flock",
    "fsync",
    "fdatasync",
    "ftruncate",
    "mkdir",
    "mkdirat",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "rmdir",
    "umask",
    // memory
    "mmap",
    "munmap",
    "mprotect",
    "mremap",
    "madvise",
    "brk",
    "mlock",
    "mlock2",
    "munlock",
    "msync",
    "mincore",
    "memfd_create",
    "memfd_secret",
    // signals, threads, processes (inside the instance's own pid namespace)
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigsuspend",
    "sigaltstack",
    "kill",
    "tgkill",
    "tkill",
    "exit",
    "exit_group",
    "wait4",
    "waitid",
    "futex",
    "set_robust_list",
    "get_robust_list",
    "rseq",
    "set_tid_address",
    "arch_prctl",
    "sched_yield",
    "sched_getaffinity",
    "getrandom",
    "fork",
    "vfork",
    "execve",
    "execveat",
    "restart_syscall",
    "prctl",
    "prlimit64",
    "getrlimit",
    "setrlimit",
    "getrusage",
    // time
    "nanosleep",
    "clock_nanosleep",
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "time",
    // identity (read only)
    "getpid",
    "getppid",
    "gettid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getgroups",
    "getresuid",
    "getresgid",
    "getpgrp",
    "getpgid",
    "getsid",
    "uname",
    "sysinfo",
    // waiting
    "poll",
    "ppoll",
    "select",
    "pselect6",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "eventfd2",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    // sockets (socket itself is filtered by family below)
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "shutdown",
    "getsockname",
    "getpeername",
    "getsockopt",
    "setsockopt",
};

constexpr uint64_t kNamespaceFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
                                     CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME;

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

Error Fail(const std::string& what, int rc) {
  return Error(Errc::kSystem, "seccomp " + what + ": " + std::strerror(-rc));
}

}  // namespace

Result<std::vector<sock_filter>> BuildTaSeccompProgram() {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_ERRNO(EPERM)));
  if (!ctx) return Error(Errc::kSystem, "seccomp_init failed");
  int rc = 0;
  for (const char* name : kAllowed) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a call on this architecture
    if ((rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0)) != 0) return Fail(name, rc);
  }
  rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                        SCMP_A0(SCMP_CMP_MASKED_EQ, kNamespaceFlags, 0));
  if (rc != 0) return Fail("clone rule", rc);
  rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc != 0) return Fail("clone3 rule", rc);
  for (int family : {AF_UNIX, AF_INET, AF_INET6}) {
    rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
                          SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family)));
    if (rc != 0) return Fail("socket rule", rc);
  }
  // libseccomp 2.5 exports BPF only to a descriptor; a memfd keeps it off the filesystem.
  int fd = ::memfd_create("seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0) return Error(Errc::kSystem, std::string("memfd_create: ") + std::strerror(errno));
  rc = seccomp_export_bpf(ctx.get(), fd);
  if (rc != 0) {
    ::close(fd);
    return Fail("export", rc);
  }
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    ::close(fd);
    return Error(Errc::kSystem, "seccomp export: unexpected program size");
  }
  std::vector<sock_filter> program(static_cast<size_t>(size) / sizeof(sock_filter));
  ssize_t n = ::pread(fd, program.data(), static_cast<size_t>(size), 0);
  ::close(fd);
  if (n != size) return Error(Errc::kSystem, "seccomp export: short read");
  return program;
}

}  // namespace teepnet::runtime
