#include "teepnet/runtime/process_instance.h"

#include <cerrno>
#include <csignal>
#include <ctime>

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/launcher.h"

namespace teepnet::runtime {
ProcessInstance::ProcessInstance(std::string name, pid_t pid, int pidfd, Bytes measurement,
                                 IsolationReport isolation, std::function<void()> on_release)
    : name_(std::move(name)),
      pid_(pid),
      pidfd_(pidfd),
      measurement_(std::move(measurement)),
      isolation_(std::move(isolation)),
      on_release_(std::move(on_release)) {}

ProcessInstance::~ProcessInstance() {
  if (!exit_) {
    Signal(SIGKILL);
    exit_ = ReapPidfd(pidfd_);
  }
  Release();
}

InstanceStatus ProcessInstance::GetStatus() {
  if (!exit_) {
    // The pidfd polls readable once the process has exited; only then is it reaped, so a
    // running instance is never waited on by accident.
    pollfd pfd{pidfd_, POLLIN, 0};
    if (::poll(&pfd, 1, 0) == 1) {
      exit_ = ReapPidfd(pidfd_);
      Release();
    }
  }
  InstanceStatus status;
  status.running = !exit_;
  if (exit_) status.exit = *exit_;
  return status;
}

Result<ExitInfo> ProcessInstance::Wait(int timeout_ms) {
  const int64_t deadline = timeout_ms < 0 ? -1 : MonotonicMs() + timeout_ms;
  while (!exit_) {
    int wait_ms = -1;
    if (deadline >= 0) {
      int64_t left = deadline - MonotonicMs();
      if (left < 0) left = 0;
      wait_ms = static_cast<int>(left);
    }
    pollfd pfd{pidfd_, POLLIN, 0};
    int rc = ::poll(&pfd, 1, wait_ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 1) {
      GetStatus();
      break;
    }
    if (rc == 0) {
      return Error(Errc::kTimeout, "instance " + name_ + " still running");
    }
    return Error(Errc::kSystem, "poll on pidfd failed");
  }
  return *exit_;
}

ExitInfo ProcessInstance::Stop(int grace_ms) {
  if (!exit_) {
    // pid 1 of a pid namespace only receives SIGTERM if it installed a handler; a TA that did
    // not is killed after the grace period.
    Signal(SIGTERM);
    if (!Wait(grace_ms).ok()) {
      Signal(SIGKILL);
      (void)Wait(-1);
    }
  }
  return *exit_;
}

void ProcessInstance::Signal(int signal) {
  // Through the pidfd, so a recycled pid can never be hit.
  if (pidfd_ >= 0) ::syscall(SYS_pidfd_send_signal, pidfd_, signal, nullptr, 0);
}

void ProcessInstance::Release() {
  if (pidfd_ >= 0) {
    ::close(pidfd_);
    pidfd_ = -1;
  }
  if (on_release_) {
    auto f = std::move(on_release_);
    on_release_ = nullptr;
    f();
  }
}

}  // namespace teepnet::runtime
