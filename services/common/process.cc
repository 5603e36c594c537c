#include "services/common/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "services/common/errc.h"

namespace teepnet::common {

namespace {

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void ExecChild(const SpawnOptions& options, char* const* argv) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the parent may block SIGTERM/SIGINT
  if (options.new_process_group) setpgid(0, 0);
  if (!options.stdout_path.empty()) {
    int fd = open(options.stdout_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) dup2(fd, STDOUT_FILENO);
  }
  if (!options.stderr_path.empty()) {
    int fd = open(options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) dup2(fd, STDERR_FILENO);
  }
  for (int fd : options.keep_fds) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

Result<Subprocess> Subprocess::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return Error(Errc::kSpawnFailed, "empty argv");
  if (::access(options.argv[0].c_str(), X_OK) != 0) {
    return Error(Errc::kSpawnFailed, options.argv[0] + ": " + std::strerror(errno));
  }
  // Everything the child needs is built before fork: the child may not allocate.
  std::vector<char*> argv;
  argv.reserve(options.argv.size() + 1);
  for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return Error(Errc::kSpawnFailed, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(options, argv.data());
  return Subprocess(pid);
}

Subprocess::Subprocess(Subprocess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(std::exchange(other.status_, std::nullopt)) {}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !status_) Stop(0);
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !status_) Stop(0);
}

std::optional<int> Subprocess::Poll() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) status_ = DecodeWaitStatus(status);
  return status_;
}

Result<int> Subprocess::Wait(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (auto s = Poll()) return *s;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error(Errc::kTimeout, "pid " + std::to_string(pid_) + " still running");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0 && !Poll()) ::kill(pid_, signal);
}

int Subprocess::Stop(int grace_ms) {
  if (auto s = Poll()) return *s;
  if (grace_ms > 0) {
    Signal(SIGTERM);
    auto status = Wait(grace_ms);
    if (status.ok()) return *status;
  }
  Signal(SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = DecodeWaitStatus(status);
  return *status_;
}

}  // namespace teepnet::common
