#include "teepnet/runtime/tool.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"

namespace teepnet::runtime {
namespace {

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::optional<std::string> FindTool(const std::string& name) {
  for (const char* dir :
       {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    std::string path = std::string(dir) + "/" + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return std::nullopt;
}

Result<ToolResult> RunTool(const std::vector<std::string>& argv, int timeout_ms,
                           const std::vector<std::string>& env) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') {
    return Error(Errc::kBadSpec, "a tool is run by its absolute path");
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Error(Errc::kSystem, std::string("pipe2: ") + std::strerror(errno));
  }
  // Everything the child needs is built before fork: between fork and exec only
  // async-signal-safe calls are made.
  std::vector<char*> args = CStrings(argv);
  std::vector<std::string> full_env = env;
  full_env.push_back("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
  std::vector<char*> envp = CStrings(full_env);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Error(Errc::kSystem, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(pipe_fds[1], 1) < 0 ||
        ::dup2(pipe_fds[1], 2) < 0) {
      ::_exit(127);
    }
    ::close_range(3, ~0U, 0);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ToolResult result;
  const int64_t deadline = MonotonicMs() + timeout_ms;
  bool timed_out = false;
  char buffer[4096];
  for (;;) {
    const int64_t left = deadline - MonotonicMs();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const size_t room = kMaxToolOutputBytes - std::min(kMaxToolOutputBytes, result.output.size());
    result.output.append(buffer, std::min(room, static_cast<size_t>(n)));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Error(Errc::kTimeout,
                 argv[0] + " did not finish within " + std::to_string(timeout_ms) + " ms");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Result<std::string> RunToolOk(const std::vector<std::string>& argv, int timeout_ms,
                              const std::vector<std::string>& env) {
  TEEPNET_ASSIGN_OR_RETURN(ToolResult result, RunTool(argv, timeout_ms, env));
  if (result.exit_code != 0) {
    std::string command;
    for (size_t i = 0; i < argv.size() && i < 3; ++i) command += (i ? " " : "") + argv[i];
    std::string output = result.output;
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    return Error(Errc::kSetupFailed,
                 command + " failed (exit " + std::to_string(result.exit_code) + "): " + output);
  }
  return std::move(result.output);
}

Status RunToolChecked(const std::vector<std::string>& argv, int timeout_ms,
                      const std::vector<std::string>& env) {
  auto output = RunToolOk(argv, timeout_ms, env);
  if (!output.ok()) return std::move(output).TakeError();
  return OkStatus();
}

}  // namespace teepnet::runtime
