// A small harness for end-to-end tests that run the real programs on 127.0.0.1: temporary
// directories, free ports, child processes with their stderr captured to a file (printed when
// a test fails), polling waits, and running a command to completion.
#ifndef TEEPNET_TESTS_E2E_HARNESS_H_
#define TEEPNET_TESTS_E2E_HARNESS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "services/common/process.h"
#include "teepnet/base/bytes.h"

namespace teepnet::e2e {

// Paths of the programs under test, from the build (compile definitions).
std::string MocProgram();
std::string DeviceProgram();
std::string AgentProgram();
std::string CliProgram();

// A fresh directory under $TMPDIR, deleted on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
uint16_t FreePort();

// Polls `done` every 20 ms until it returns true or `timeout_ms` passes.
bool WaitFor(const std::function<bool()>& done, int timeout_ms);

// A running program whose stderr goes to `log_path`.
class Program {
 public:
  static Program Start(std::vector<std::string> argv, std::string log_path);
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;
  ~Program();

  bool running();
  std::optional<int> exit_status() { return process_.Poll(); }
  // Waits for exit; nullopt on timeout.
  std::optional<int> Wait(int timeout_ms);
  // SIGTERM with a grace period, then SIGKILL; returns the exit status.
  int Stop(int grace_ms = 5000);
  // SIGKILL at once (a crash: nothing is flushed or closed gracefully); returns the status.
  int Kill();
  std::string Log() const;
  const std::string& log_path() const { return log_path_; }

 private:
  Program(common::Subprocess process, std::string log_path)
      : process_(std::move(process)), log_path_(std::move(log_path)) {}
  common::Subprocess process_;
  std::string log_path_;
};

struct CommandResult {
  int exit_status = -1;  // -1: did not finish in time (killed)
  std::string out;       // stdout
  std::string err;       // stderr
};
// Runs a command to completion (at most `timeout_ms`).
CommandResult RunCommand(std::vector<std::string> argv, const std::string& scratch_dir,
                         int timeout_ms = 60000);

std::string ReadText(const std::string& path);

}  // namespace teepnet::e2e

#endif  // TEEPNET_TESTS_E2E_HARNESS_H_
