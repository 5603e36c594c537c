#include "teepnet/runtime/launcher.h"

#include <linux/seccomp.h>
#include <sched.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/ta_wire.h"

namespace teepnet::runtime {
namespace {

// The child's failure report: which step, and errno.
enum class Step : int32_t {
  kWaitIdMap = 1,
  kBecomeNamespaceRoot,
  kHostname,
  kMountPrivate,
  kRootTmpfs,
  kMkdir,
  kBindDevice,
  kBindReadOnly,
  kRemountReadOnly,
  kMountProc,
  kMountTmp,
  kPivotRoot,
  kChdir,
  kDetachOldRoot,
  kRemoveOldRoot,
  kRootReadOnly,
  kRlimit,
  kSetgroups,
  kSetgid,
  kSetuid,
  kNoNewPrivs,
  kParentDeathSignal,
  kDescriptors,
  kSeccomp,
  kExec,
};

std::string_view StepName(int32_t step) {
  switch (static_cast<Step>(step)) {
    case Step::kWaitIdMap: return "wait for id maps";
    case Step::kBecomeNamespaceRoot: return "become root of the user namespace";
    case Step::kHostname: return "sethostname";
    case Step::kMountPrivate: return "make mounts private";
    case Step::kRootTmpfs: return "mount tmpfs root";
    case Step::kMkdir: return "mkdir in the new root";
    case Step::kBindDevice: return "bind device node";
    case Step::kBindReadOnly: return "bind read-only directory";
    case Step::kRemountReadOnly: return "remount bind read-only";
    case Step::kMountProc: return "mount proc";
    case Step::kMountTmp: return "mount /tmp";
    case Step::kPivotRoot: return "pivot_root";
    case Step::kChdir: return "chdir /";
    case Step::kDetachOldRoot: return "detach old root";
    case Step::kRemoveOldRoot: return "remove old root mount point";
    case Step::kRootReadOnly: return "remount root read-only";
    case Step::kRlimit: return "setrlimit";
    case Step::kSetgroups: return "setgroups";
    case Step::kSetgid: return "setresgid";
    case Step::kSetuid: return "setresuid";
    case Step::kNoNewPrivs: return "PR_SET_NO_NEW_PRIVS";
    case Step::kParentDeathSignal: return "PR_SET_PDEATHSIG";
    case Step::kDescriptors: return "arrange descriptors";
    case Step::kSeccomp: return "load seccomp filter";
    case Step::kExec: return "execveat";
  }
  return "unknown step";
}

// Descriptor slots in the child: 0-2 standard, 3 channel, then the executable and the error
// pipe (both close-on-exec, so the program starts with exactly 0-3).
constexpr int kExecSlot = kChannelFd + 1;
constexpr int kErrorSlot = kChannelFd + 2;
constexpr int kScratchFloor = 16;

struct BindTarget {
  std::string source;
  std::string target;
  unsigned long remount_flags = 0;
};

struct Rlimit {
  int resource;
  rlimit value;
};

// Everything the child reads, built before clone.
struct ChildData {
  const LaunchPlan* plan = nullptr;
  int sync_r = -1, sync_w = -1, err_w = -1, devnull = -1;
  pid_t parent = -1;
  bool wait_for_maps = false;
  bool clear_groups = false;
  std::string root_options, tmp_options, proc_dir, tmp_dir, old_root, old_root_inside;
  std::vector<std::string> mkdirs;
  std::vector<BindTarget> devices, ro_binds;
  std::vector<Rlimit> rlimits;
  std::vector<char*> argv, envp;
};

[[noreturn]] void Die(int err_fd, Step step) {
  int32_t msg[2] = {static_cast<int32_t>(step), errno};
  ssize_t ignored = ::write(err_fd, msg, sizeof msg);
  (void)ignored;
  ::_exit(127);
}

[[noreturn]] void ChildMain(const ChildData& d) {
  const LaunchPlan& p = *d.plan;
  int err = d.err_w;
  auto check = [&err](long rc, Step step) {
    if (rc < 0) Die(err, step);
  };
  ::close(d.sync_w);
  // Launchers often block signals (for signalfd) or ignore SIGPIPE; the instance starts clean.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) {
    if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (p.die_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // The launcher may have died before the signal was armed (outside a new pid namespace
    // getppid() tells; inside one the id-map handshake below fails instead).
    if (!(p.namespaces & CLONE_NEWPID) && ::getppid() != d.parent) ::_exit(127);
  }

  if (d.wait_for_maps) {
    char c = 0;
    ssize_t n;
    do n = ::read(d.sync_r, &c, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1) {
      if (n == 0) errno = ECANCELED;
      Die(err, Step::kWaitIdMap);
    }
  }
  ::close(d.sync_r);

  if (p.private_root) {
    // Mount the root and enter it while the child still has the launcher's ids: the path to
    // root_dir may lead through directories only the launcher may search. Everything after
    // this works relative to the new root.
    check(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), Step::kMountPrivate);
    // noexec: the TA runs from its memfd, so nothing in the root needs to be executable.
    check(::mount("tmpfs", p.root_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  d.root_options.c_str()),
          Step::kRootTmpfs);
    check(::chdir(p.root_dir.c_str()), Step::kRootTmpfs);
  }
  if (d.wait_for_maps) {
    // The child still has the launcher's ids, which are not mapped inside (as root the map
    // starts at id_map_base); take the namespace's root ids so files and mounts work.
    check(::syscall(SYS_setresgid, 0, 0, 0), Step::kBecomeNamespaceRoot);
    check(::syscall(SYS_setresuid, 0, 0, 0), Step::kBecomeNamespaceRoot);
  }
  if (!p.hostname.empty())
    check(::sethostname(p.hostname.data(), p.hostname.size()), Step::kHostname);

  if (p.private_root) {
    for (const auto& dir : d.mkdirs) {
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) Die(err, Step::kMkdir);
    }
    for (const auto& b : d.devices) {
      int fd = ::open(b.target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
      check(fd, Step::kBindDevice);
      ::close(fd);
      check(::mount(b.source.c_str(), b.target.c_str(), nullptr, MS_BIND, nullptr),
            Step::kBindDevice);
    }
    for (const auto& b : d.ro_binds) {
      check(::mount(b.source.c_str(), b.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
            Step::kBindReadOnly);
      check(::mount(nullptr, b.target.c_str(), nullptr, MS_REMOUNT | MS_BIND | b.remount_flags,
                    nullptr),
            Step::kRemountReadOnly);
    }
    // proc must be mounted while the host's proc is still visible: the kernel refuses a new
    // proc mount in a namespace without a fully visible one (spec/instance-runtimes.md §1).
    if (p.mount_proc) {
      check(::mount("proc", d.proc_dir.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
            Step::kMountProc);
    }
    check(::mount("tmpfs", d.tmp_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  d.tmp_options.c_str()),
          Step::kMountTmp);
    check(::syscall(SYS_pivot_root, ".", d.old_root.c_str()), Step::kPivotRoot);
    check(::chdir("/"), Step::kChdir);
    check(::umount2(d.old_root_inside.c_str(), MNT_DETACH), Step::kDetachOldRoot);
    check(::rmdir(d.old_root_inside.c_str()), Step::kRemoveOldRoot);
    check(::mount(nullptr, "/", nullptr,
                  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
          Step::kRootReadOnly);
  }

  for (const auto& r : d.rlimits)
    check(::setrlimit(static_cast<__rlimit_resource_t>(r.resource), &r.value), Step::kRlimit);
  if (d.clear_groups) check(::syscall(SYS_setgroups, 0, nullptr), Step::kSetgroups);
  if (p.drop_ids) {
    check(::syscall(SYS_setresgid, p.gid, p.gid, p.gid), Step::kSetgid);
    check(::syscall(SYS_setresuid, p.uid, p.uid, p.uid), Step::kSetuid);
  }
  if (p.no_new_privs) check(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), Step::kNoNewPrivs);
  // A credential change clears the parent-death signal; set it again.
  if (p.die_with_parent)
    check(::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), Step::kParentDeathSignal);

  // Descriptors: move the sources above the final slots first so no dup2 clobbers another.
  int chan = p.channel_fd >= 0 ? ::fcntl(p.channel_fd, F_DUPFD_CLOEXEC, kScratchFloor) : -1;
  int exe = p.exec_fd >= 0 ? ::fcntl(p.exec_fd, F_DUPFD_CLOEXEC, kScratchFloor) : -1;
  int log = ::fcntl(p.log_fd, F_DUPFD_CLOEXEC, kScratchFloor);
  int nul = ::fcntl(d.devnull, F_DUPFD_CLOEXEC, kScratchFloor);
  int errc = ::fcntl(err, F_DUPFD_CLOEXEC, kScratchFloor);
  if (log < 0 || nul < 0 || errc < 0 || (p.channel_fd >= 0 && chan < 0) ||
      (p.exec_fd >= 0 && exe < 0)) {
    Die(err, Step::kDescriptors);
  }
  check(::dup3(errc, kErrorSlot, O_CLOEXEC), Step::kDescriptors);
  err = kErrorSlot;
  check(::dup2(nul, 0), Step::kDescriptors);
  check(::dup2(log, 1), Step::kDescriptors);
  check(::dup2(log, 2), Step::kDescriptors);
  if (chan >= 0) {
    check(::dup2(chan, kChannelFd), Step::kDescriptors);
  } else {
    ::close(kChannelFd);
  }
  if (exe >= 0) {
    check(::dup3(exe, kExecSlot, O_CLOEXEC), Step::kDescriptors);
  } else {
    ::close(kExecSlot);
  }
  check(::syscall(SYS_close_range, kErrorSlot + 1, ~0u, 0), Step::kDescriptors);

  if (p.seccomp != nullptr) {
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(p.seccomp->size());
    prog.filter = const_cast<sock_filter*>(p.seccomp->data());
    check(::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0), Step::kSeccomp);
  }
  if (p.dry_run) ::_exit(0);
  if (p.exec_fd >= 0) {
    ::syscall(SYS_execveat, kExecSlot, "", d.argv.data(), d.envp.data(), AT_EMPTY_PATH);
  } else {
    ::execve(p.exec_path.c_str(), d.argv.data(), d.envp.data());
  }
  Die(err, Step::kExec);
}

Error SysError(const std::string& what) {
  return Error(Errc::kSystem, what + ": " + std::strerror(errno));
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

Status WriteProcFile(pid_t pid, const char* file, const std::string& text) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + file;
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) return SysError("open " + path);
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return SysError("write " + path);
  }
  return OkStatus();
}

// Mount flags that a bind in a user namespace must keep (the kernel locks them) plus ro.
unsigned long ReadOnlyRemountFlags(const std::string& source) {
  unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV;
  struct statvfs st {};
  if (::statvfs(source.c_str(), &st) == 0) {
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  }
  return flags;
}

// Adds every directory on the way to `path` (absolute), relative to the new root, to `out`.
void AddDirs(const std::string& path, bool last_is_dir, std::vector<std::string>* out) {
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next == path.size() && !last_is_dir) break;
    out->push_back(path.substr(1, next - 1));
    pos = next + 1;
  }
}

Result<std::vector<Rlimit>> BuildRlimits(const LaunchPlan& p) {
  std::vector<Rlimit> out;
  auto add = [&out](int resource, uint64_t value) -> Status {
    if (value == 0) return OkStatus();
    rlimit current{};
    if (::getrlimit(static_cast<__rlimit_resource_t>(resource), &current) != 0) {
      return SysError("getrlimit");
    }
    // Lowering is always allowed; raising above the hard limit needs CAP_SYS_RESOURCE, which
    // the dev machine lacks, so clamp to the current hard limit.
    rlim_t v = static_cast<rlim_t>(value);
    if (current.rlim_max != RLIM_INFINITY && v > current.rlim_max) v = current.rlim_max;
    out.push_back(Rlimit{resource, rlimit{v, v}});
    return OkStatus();
  };
  TEEPNET_RETURN_IF_ERROR(add(RLIMIT_AS, p.limits.address_space_bytes));
  TEEPNET_RETURN_IF_ERROR(add(RLIMIT_NOFILE, p.limits.open_files));
  TEEPNET_RETURN_IF_ERROR(add(RLIMIT_NPROC, p.limits.processes));
  TEEPNET_RETURN_IF_ERROR(add(RLIMIT_CPU, p.limits.cpu_seconds));
  TEEPNET_RETURN_IF_ERROR(add(RLIMIT_FSIZE, p.limits.file_bytes));
  if (p.no_core_dumps) out.push_back(Rlimit{RLIMIT_CORE, rlimit{0, 0}});
  return out;
}

}  // namespace

std::string ExitInfo::ToString() const {
  if (!signaled) return "exit " + std::to_string(code);
  return "signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
}

ExitInfo ReapPidfd(int pidfd) {
  siginfo_t info{};
  int rc;
  do rc = ::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info, WEXITED);
  while (rc < 0 && errno == EINTR);
  ExitInfo exit;
  if (rc < 0) {
    exit.signaled = true;  // already reaped elsewhere; nothing better to report
    exit.signal = SIGKILL;
    return exit;
  }
  exit.signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
  (exit.signaled ? exit.signal : exit.code) = info.si_status;
  return exit;
}

Result<Launched> Launch(const LaunchPlan& plan) {
  if (plan.log_fd < 0) return Error(Errc::kBadSpec, "launch: no log descriptor");
  if (plan.exec_fd < 0 && plan.exec_path.empty() && !plan.dry_run) {
    return Error(Errc::kBadSpec, "launch: nothing to execute");
  }
  if (plan.private_root && !(plan.namespaces & CLONE_NEWNS)) {
    return Error(Errc::kBadSpec, "launch: a private root needs a mount namespace");
  }
  const bool userns = (plan.namespaces & CLONE_NEWUSER) != 0;
  const bool privileged = ::geteuid() == 0;
  if (plan.drop_ids && userns && !privileged) {
    return Error(Errc::kBadSpec, "launch: dropping ids needs a 65536-id map, which needs root");
  }

  ChildData d;
  d.plan = &plan;
  d.parent = ::getpid();
  d.wait_for_maps = userns;
  // Supplementary groups: clear them when we may (root writes the gid map, so setgroups stays
  // allowed); an unprivileged map requires setgroups=deny instead.
  d.clear_groups = privileged && (!userns || plan.drop_ids);
  if (plan.private_root) {
    // uid/gid are read in the child's user namespace: its root owns the new root.
    d.root_options = "size=" + std::to_string(plan.root_tmpfs_bytes) + ",mode=0755" +
                     (userns ? ",uid=0,gid=0" : "");
    d.tmp_options = "size=" + std::to_string(plan.tmp_tmpfs_bytes) + ",mode=1777";
    // Relative to the new root (the child's working directory by then).
    d.proc_dir = "proc";
    d.tmp_dir = "tmp";
    d.old_root = ".oldroot";
    d.old_root_inside = "/.oldroot";
    d.mkdirs = {"dev", d.proc_dir, d.tmp_dir, d.old_root};
    for (const auto& dev : plan.device_binds) {
      AddDirs(dev, false, &d.mkdirs);
      d.devices.push_back(BindTarget{dev, dev.substr(1), 0});
    }
    for (const auto& dir : plan.ro_binds) {
      AddDirs(dir, true, &d.mkdirs);
      d.ro_binds.push_back(BindTarget{dir, dir.substr(1), ReadOnlyRemountFlags(dir)});
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(d.rlimits, BuildRlimits(plan));
  for (const auto& a : plan.argv) d.argv.push_back(const_cast<char*>(a.c_str()));
  d.argv.push_back(nullptr);
  for (const auto& e : plan.env) d.envp.push_back(const_cast<char*>(e.c_str()));
  d.envp.push_back(nullptr);

  Fd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (devnull.get() < 0) return SysError("open /dev/null");
  d.devnull = devnull.get();
  int sync[2], errp[2];
  // A socket rather than a pipe, so releasing a child that already died is an error value
  // (MSG_NOSIGNAL) and not a SIGPIPE in the launcher.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) != 0)
    return SysError("socketpair");
  Fd sync_r(sync[0]), sync_w(sync[1]);
  if (::pipe2(errp, O_CLOEXEC) != 0) return SysError("pipe2");
  Fd err_r(errp[0]), err_w(errp[1]);
  d.sync_r = sync_r.get();
  d.sync_w = sync_w.get();
  d.err_w = err_w.get();

  int pidfd = -1;
  unsigned long flags = static_cast<unsigned long>(plan.namespaces) | CLONE_PIDFD | SIGCHLD;
  long rc = ::syscall(SYS_clone, flags, nullptr, &pidfd, nullptr, 0);
  if (rc < 0) return SysError("clone");
  if (rc == 0) ChildMain(d);  // never returns

  Launched out;
  out.pid = static_cast<pid_t>(rc);
  Fd owned_pidfd(pidfd);
  sync_r.Reset();
  err_w.Reset();
  auto fail = [&](Error e) -> Result<Launched> {
    sync_w.Reset();  // the child sees EOF and exits
    ReapPidfd(owned_pidfd.get());
    return e;
  };
  if (userns) {
    const std::string uid_map = privileged ? "0 " + std::to_string(plan.id_map_base) + " 65536\n"
                                           : "0 " + std::to_string(::geteuid()) + " 1\n";
    const std::string gid_map = privileged ? "0 " + std::to_string(plan.id_map_base) + " 65536\n"
                                           : "0 " + std::to_string(::getegid()) + " 1\n";
    if (auto s = WriteProcFile(out.pid, "uid_map", uid_map); !s.ok())
      return fail(std::move(s).TakeError());
    if (!privileged) {
      if (auto s = WriteProcFile(out.pid, "setgroups", "deny"); !s.ok())
        return fail(std::move(s).TakeError());
    }
    if (auto s = WriteProcFile(out.pid, "gid_map", gid_map); !s.ok())
      return fail(std::move(s).TakeError());
  }
  if (userns) {
    char go = 1;
    if (::send(sync_w.get(), &go, 1, MSG_NOSIGNAL) != 1) return fail(SysError("release child"));
  }
  sync_w.Reset();

  int32_t report[2] = {0, 0};
  ssize_t n;
  do n = ::read(err_r.get(), report, sizeof report);
  while (n < 0 && errno == EINTR);
  if (n == sizeof report) {
    ReapPidfd(owned_pidfd.get());
    return Error(Errc::kSetupFailed, "instance setup failed at \"" +
                                         std::string(StepName(report[0])) +
                                         "\": " + std::strerror(report[1]));
  }
  if (n != 0) return fail(Error(Errc::kSystem, "instance setup: unreadable report"));
  out.pidfd = owned_pidfd.Release();
  return out;
}

}  // namespace teepnet::runtime
