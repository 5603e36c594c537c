#include "tests/e2e/harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace teepnet::e2e {

std::string MocProgram() {
  return TEEPNET_MOC_BIN;
}
std::string DeviceProgram() {
  return TEEPNET_DEVICE_BIN;
}
std::string AgentProgram() {
  return TEEPNET_AGENT_BIN;
}
std::string CliProgram() {
  return TEEPNET_CLI_BIN;
}

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "teepnet-e2e-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) std::abort();
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool WaitFor(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Program Program::Start(std::vector<std::string> argv, std::string log_path) {
  common::SpawnOptions options;
  options.argv = std::move(argv);
  options.stderr_path = log_path;
  options.stdout_path = log_path;
  auto process = common::Subprocess::Spawn(options);
  if (!process.ok()) std::abort();
  return Program(std::move(process).value(), std::move(log_path));
}

Program::~Program() {
  if (process_.pid() > 0) process_.Stop(2000);
}

bool Program::running() {
  return !process_.Poll().has_value();
}

std::optional<int> Program::Wait(int timeout_ms) {
  auto status = process_.Wait(timeout_ms);
  if (!status.ok()) return std::nullopt;
  return *status;
}

int Program::Stop(int grace_ms) {
  return process_.Stop(grace_ms);
}

int Program::Kill() {
  process_.Signal(SIGKILL);
  return process_.Stop(0);
}

std::string Program::Log() const {
  return ReadText(log_path_);
}

CommandResult RunCommand(std::vector<std::string> argv, const std::string& scratch_dir,
                         int timeout_ms) {
  static std::atomic<int> counter{0};
  const std::string stem = scratch_dir + "/cmd-" + std::to_string(counter++);
  common::SpawnOptions options;
  options.argv = std::move(argv);
  options.stdout_path = stem + ".out";
  options.stderr_path = stem + ".err";
  CommandResult result;
  auto process = common::Subprocess::Spawn(options);
  if (!process.ok()) return result;
  auto status = process->Wait(timeout_ms);
  result.exit_status = status.ok() ? *status : (process->Stop(0), -1);
  result.out = ReadText(options.stdout_path);
  result.err = ReadText(options.stderr_path);
  return result;
}

}  // namespace teepnet::e2e
