// The Instance both process backends return: a process watched through its pidfd. Internal to
// teepnet/runtime.
#ifndef TEEPNET_RUNTIME_PROCESS_INSTANCE_H_
#define TEEPNET_RUNTIME_PROCESS_INSTANCE_H_

#include <functional>
#include <optional>
#include <string>

#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

class ProcessInstance final : public Instance {
 public:
  // Takes ownership of `pidfd`. `on_release` runs once, after the process has been reaped
  // (the confidential backend removes the instance's state directory there).
  ProcessInstance(std::string name, pid_t pid, int pidfd, Bytes measurement,
                  IsolationReport isolation, std::function<void()> on_release);
  ~ProcessInstance() override;
  ProcessInstance(const ProcessInstance&) = delete;
  ProcessInstance& operator=(const ProcessInstance&) = delete;

  std::string_view name() const override { return name_; }
  pid_t pid() const override { return pid_; }
  const Bytes& measurement() const override { return measurement_; }
  const IsolationReport& isolation() const override { return isolation_; }
  InstanceStatus GetStatus() override;
  Result<ExitInfo> Wait(int timeout_ms) override;
  ExitInfo Stop(int grace_ms) override;

 private:
  void Signal(int signal);
  void Release();

  std::string name_;
  pid_t pid_;
  int pidfd_;
  Bytes measurement_;
  IsolationReport isolation_;
  std::function<void()> on_release_;
  std::optional<ExitInfo> exit_;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_PROCESS_INSTANCE_H_
