// Runs a helper program of the host (runc, umoci, tar) the way the container backend needs:
// no shell, an explicit argv, a clean environment, output captured up to a limit, and a
// deadline after which the program is killed. The container runtimes are driven through their
// command lines (spec/instance-runtimes.md §2, "drive the runtime through its CLI").
#ifndef TEEPNET_RUNTIME_TOOL_H_
#define TEEPNET_RUNTIME_TOOL_H_

#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/result.h"

namespace teepnet::runtime {

// Captured output beyond this is dropped (the tools print a line or two; a flood is not kept).
inline constexpr size_t kMaxToolOutputBytes = 64 * 1024;

struct ToolResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr, interleaved, truncated at kMaxToolOutputBytes
};

// The absolute path of `name` in /usr/sbin:/usr/bin:/sbin:/bin, or nullopt.
std::optional<std::string> FindTool(const std::string& name);

// Runs argv[0] (an absolute path) with argv and `env`; kTimeout after `timeout_ms` (the program
// is killed and reaped), kSystem when it cannot be started. A non-zero exit is not an error
// here: the caller reads exit_code.
Result<ToolResult> RunTool(const std::vector<std::string>& argv, int timeout_ms,
                           const std::vector<std::string>& env = {});

// RunTool, and kSetupFailed naming the tool and its output when it exits non-zero.
Result<std::string> RunToolOk(const std::vector<std::string>& argv, int timeout_ms,
                              const std::vector<std::string>& env = {});

// RunToolOk when only success matters.
Status RunToolChecked(const std::vector<std::string>& argv, int timeout_ms,
                      const std::vector<std::string>& env = {});

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_TOOL_H_
