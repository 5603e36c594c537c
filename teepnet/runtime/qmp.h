// A minimal QMP (QEMU Machine Protocol) client for the VM backend's lifecycle: connect to the
// monitor socket, leave capabilities negotiation ("qmp_capabilities"), run one command. QMP
// sends one JSON object per line; asynchronous events ({"event": ...}) are skipped. Everything
// qemu sends is treated as untrusted (bounded lines, parsed without exceptions), and every call
// has a deadline so a wedged qemu cannot hang the Agent.
#ifndef TEEPNET_RUNTIME_QMP_H_
#define TEEPNET_RUNTIME_QMP_H_

#include <string>

#include "teepnet/base/result.h"

namespace teepnet::runtime {

inline constexpr size_t kMaxQmpLineBytes = 64 * 1024;

class QmpClient {
 public:
  QmpClient() = default;
  ~QmpClient();
  QmpClient(const QmpClient&) = delete;
  QmpClient& operator=(const QmpClient&) = delete;

  // Connects to the unix socket at `path`, reads the greeting and negotiates capabilities.
  Status Connect(const std::string& path, int timeout_ms);
  // Runs `command` (e.g. "quit") without arguments; kSetupFailed with qemu's error.
  Status Execute(const std::string& command, int timeout_ms);

 private:
  Result<std::string> ReadLine(int64_t deadline_ms);
  Result<std::string> AwaitReturn(int64_t deadline_ms);
  Status Send(const std::string& line);
  int fd_ = -1;
  std::string pending_;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_QMP_H_
