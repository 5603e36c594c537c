#include "teepnet/runtime/probe.h"

#include <sched.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "teepnet/runtime/launcher.h"
#include "teepnet/runtime/sealed_executable.h"
#include "teepnet/runtime/seccomp_policy.h"
#include "teepnet/runtime/secret_memory.h"

namespace teepnet::runtime {

std::string Capability::Line(const char* what) const {
  return std::string(what) + ": " + (available ? "yes" : "no") +
         (reason.empty() ? "" : " (" + reason + ")");
}

namespace {

Capability Yes(std::string detail = {}) {
  return Capability{true, std::move(detail)};
}
Capability No(std::string reason) {
  return Capability{false, std::move(reason)};
}
Capability NoErrno(const std::string& what) {
  return No(what + ": " + std::strerror(errno));
}

// Launches `plan` (dry run unless it has something to exec) and expects exit 0.
Capability TryLaunch(LaunchPlan plan) {
  int log = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (log < 0) return NoErrno("open /dev/null");
  plan.log_fd = log;
  if (plan.exec_fd < 0) plan.dry_run = true;
  auto launched = Launch(plan);
  ::close(log);
  if (!launched.ok()) return No(launched.error().message());
  ExitInfo exit = ReapPidfd(launched->pidfd);
  ::close(launched->pidfd);
  if (exit.signaled || exit.code != 0) return No("probe child ended with " + exit.ToString());
  return Yes();
}

// Runs `body` in a forked child: exit 0 means yes, below 200 an errno, else a misbehaviour.
template <typename F>
Capability InChild(F body, const char* what) {
  pid_t pid = ::fork();
  if (pid < 0) return NoErrno("fork");
  if (pid == 0) ::_exit(body());
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Yes();
  if (WIFEXITED(status) && WEXITSTATUS(status) < 200) {
    return No(std::string(what) + ": " + std::strerror(WEXITSTATUS(status)));
  }
  return No(std::string(what) + ": did not behave as expected (status " + std::to_string(status) +
            ")");
}

Capability ProbeMemfdSeal() {
  auto exe = SealedExecutable::FromBytes("probe", AsBytes("not a program"));
  if (!exe.ok()) return No(exe.error().message());
  if (::write(exe->fd(), "x", 1) >= 0) return No("a sealed memfd accepted a write");
  if (errno != EPERM) return NoErrno("write to sealed memfd failed oddly");
  void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, exe->fd(), 0);
  if (p != MAP_FAILED) {
    ::munmap(p, 4096);
    return No("a sealed memfd accepted a writable shared mapping");
  }
  return Yes();
}

Capability ProbeMemfdSecret() {
  auto m = SecretMemory::Allocate(64);
  if (!m.ok()) return No(m.error().message());
  if (!m->is_secretmem()) return No(m->fallback_reason());
  m->mutable_view()[0] = 1;  // touching the page is what fails when secretmem is disabled
  return Yes();
}

Capability ProbeMemfdExec() {
  // Any ELF that exits 0 without arguments will do; coreutils' true is on every Debian.
  const char* program = "/bin/true";
  if (::access(program, R_OK) != 0) return NoErrno(std::string("no test program ") + program);
  auto exe = SealedExecutable::FromFile("probe-true", program);
  if (!exe.ok()) return No(exe.error().message());
  LaunchPlan plan;
  plan.exec_fd = exe->fd();
  plan.argv = {"true"};
  return TryLaunch(plan);
}

Capability ProbeSeccomp() {
  auto program = BuildTaSeccompProgram();
  if (!program.ok()) return No(program.error().message());
  const std::vector<sock_filter>& filter = *program;
  return InChild(
      [&filter]() -> int {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
        sock_fprog prog{static_cast<unsigned short>(filter.size()),
                        const_cast<sock_filter*>(filter.data())};
        if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) return errno;
        // Without the filter PTRACE_TRACEME succeeds; with it, EPERM.
        if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0) return 201;
        return errno == EPERM ? 0 : 202;
      },
      "load the TA seccomp filter");
}

Capability ProbeNoNewPrivs() {
  return InChild(
      []() -> int {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
        return ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 201;
      },
      "PR_SET_NO_NEW_PRIVS");
}

Capability ProbePrivateRoot(bool userns) {
  char dir[] = "/tmp/teepnet-probe-root.XXXXXX";
  if (::mkdtemp(dir) == nullptr) return NoErrno("mkdtemp");
  LaunchPlan plan;
  plan.namespaces = CLONE_NEWNS | CLONE_NEWPID | (userns ? CLONE_NEWUSER : 0);
  plan.private_root = true;
  plan.root_dir = dir;
  plan.device_binds = {"/dev/null", "/dev/zero", "/dev/urandom"};
  plan.mount_proc = true;
  plan.drop_ids = userns && ::geteuid() == 0;
  Capability c = TryLaunch(plan);
  ::rmdir(dir);
  return c;
}

// Pure cgroup v2 at /sys/fs/cgroup with memory and pids enabled and our group writable.
Capability ProbeCgroupV2() {
  std::ifstream mounts("/proc/self/mounts");
  std::string line, v2_at;
  bool v1 = false;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string dev, at, type;
    fields >> dev >> at >> type;
    if (type == "cgroup2") v2_at = at;
    if (type == "cgroup") v1 = true;
  }
  if (v2_at.empty()) return No("no cgroup2 mount");
  std::ifstream controllers_file(v2_at + "/cgroup.controllers");
  std::string controllers;
  std::getline(controllers_file, controllers);
  if (v1) {
    return No("hybrid hierarchy: cgroup2 at " + v2_at + " has controllers [" + controllers +
              "], the others are on cgroup v1");
  }
  if (controllers.find("memory") == std::string::npos ||
      controllers.find("pids") == std::string::npos) {
    return No("cgroup2 at " + v2_at + " lacks memory/pids: [" + controllers + "]");
  }
  std::ifstream self("/proc/self/cgroup");
  std::string entry;
  std::getline(self, entry);  // "0::/path"
  std::string group = v2_at + (entry.size() > 3 ? entry.substr(3) : "");
  if (::access(group.c_str(), W_OK) != 0)
    return NoErrno("our cgroup " + group + " is not writable");
  return Yes(group);
}

void Line(std::string& out, const char* name, const Capability& c) {
  out += name;
  out += c.available ? ": yes" : ": no";
  if (!c.reason.empty()) out += " (" + c.reason + ")";
  out += "\n";
}

}  // namespace

ProbeReport Probe() {
  ProbeReport r;
  {
    LaunchPlan plan;
    plan.namespaces = CLONE_NEWUSER;
    r.user_namespace = TryLaunch(plan);
  }
  const bool userns = r.user_namespace.available;
  const int base = userns ? CLONE_NEWUSER : 0;
  std::pair<Capability*, int> namespaces[] = {
      {&r.pid_namespace, CLONE_NEWPID}, {&r.mount_namespace, CLONE_NEWNS},
      {&r.net_namespace, CLONE_NEWNET}, {&r.ipc_namespace, CLONE_NEWIPC},
      {&r.uts_namespace, CLONE_NEWUTS}, {&r.cgroup_namespace, CLONE_NEWCGROUP}};
  for (auto& [cap, flag] : namespaces) {
    LaunchPlan plan;
    plan.namespaces = base | flag;
    *cap = TryLaunch(plan);
  }
  r.id_range_map = !userns            ? No("no user namespace")
                   : ::geteuid() != 0 ? No("not root: only the launcher's own id can be mapped")
                                      : Yes();
  r.pidfd = TryLaunch(LaunchPlan{});
  r.no_new_privs = ProbeNoNewPrivs();
  r.seccomp_filter = ProbeSeccomp();
  r.memfd_seal = ProbeMemfdSeal();
  r.memfd_exec = ProbeMemfdExec();
  r.memfd_secret = ProbeMemfdSecret();
  if (!r.mount_namespace.available) {
    r.private_root = No("no mount namespace");
  } else {
    r.private_root = ProbePrivateRoot(userns);
  }
  r.cgroup_v2_delegation = ProbeCgroupV2();
  return r;
}

std::string ProbeReport::ToString() const {
  std::string out;
  Line(out, "user namespace", user_namespace);
  Line(out, "pid namespace", pid_namespace);
  Line(out, "mount namespace", mount_namespace);
  Line(out, "net namespace", net_namespace);
  Line(out, "ipc namespace", ipc_namespace);
  Line(out, "uts namespace", uts_namespace);
  Line(out, "cgroup namespace", cgroup_namespace);
  Line(out, "id range map", id_range_map);
  Line(out, "pidfd", pidfd);
  Line(out, "no_new_privs", no_new_privs);
  Line(out, "seccomp filter", seccomp_filter);
  Line(out, "memfd seals", memfd_seal);
  Line(out, "memfd exec", memfd_exec);
  Line(out, "memfd_secret", memfd_secret);
  Line(out, "private root", private_root);
  Line(out, "cgroup v2 delegation", cgroup_v2_delegation);
  return out;
}

}  // namespace teepnet::runtime
