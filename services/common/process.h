// Child processes: spawn a program with its output sent to files and one inherited channel
// descriptor, watch it, stop it (SIGTERM, then SIGKILL after a grace period). Used by
// teepnet-device to run teepnet-agent, and by the end-to-end tests to run every program.
#ifndef TEEPNET_SERVICES_COMMON_PROCESS_H_
#define TEEPNET_SERVICES_COMMON_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/result.h"

namespace teepnet::common {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program's path (no PATH search)
  std::string stdout_path;        // "" keeps the parent's; otherwise appended to
  std::string stderr_path;        // "" keeps the parent's; otherwise appended to
  std::vector<int> keep_fds;      // descriptors the child inherits under the same numbers
  bool new_process_group = false;
};

class Subprocess {
 public:
  static Result<Subprocess> Spawn(const SpawnOptions& options);

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // A child still running is killed (SIGKILL) and reaped: nothing outlives its owner.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  // The exit status when the child has exited (reaping it), else nullopt. Exit statuses are
  // the exit code, or 128 + signal number for a child killed by a signal (shell style).
  std::optional<int> Poll();
  // Waits up to `timeout_ms` for the child to exit (kTimeout).
  Result<int> Wait(int timeout_ms);
  // Sends `signal` unless the child has already been reaped.
  void Signal(int signal);
  // SIGTERM, up to `grace_ms` to exit, then SIGKILL. Returns the exit status.
  int Stop(int grace_ms);

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_PROCESS_H_
