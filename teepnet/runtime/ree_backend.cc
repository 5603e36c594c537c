#include "teepnet/runtime/ree_backend.h"

#include <optional>

#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/launcher.h"
#include "teepnet/runtime/process_instance.h"
#include "teepnet/runtime/sealed_executable.h"

namespace teepnet::runtime {

Result<std::unique_ptr<Instance>> ReeProcessBackend::Start(const InstanceSpec& spec) {
  TEEPNET_RETURN_IF_ERROR(ValidateSpec(spec));
  std::optional<SealedExecutable> exe;
  LaunchPlan plan;
  if (!spec.executable.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(exe, SealedExecutable::FromBytes(spec.name, spec.executable));
    plan.exec_fd = exe->fd();
  } else {
    if (::access(spec.executable_path.c_str(), X_OK) != 0) {
      return Error(Errc::kBadSpec, "ua " + spec.executable_path + " is not executable");
    }
    plan.exec_path = spec.executable_path;
  }
  plan.argv.push_back(spec.name);
  plan.argv.insert(plan.argv.end(), spec.args.begin(), spec.args.end());
  plan.env = spec.env;
  plan.channel_fd = spec.channel_fd;
  plan.limits = spec.limits;
  plan.die_with_parent = true;
  TEEPNET_ASSIGN_OR_RETURN(int log, OpenLog(spec.log_path));
  plan.log_fd = log;
  auto launched = Launch(plan);
  ::close(log);
  if (!launched.ok()) return std::move(launched).TakeError();

  IsolationReport report;
  report.applied = {"clean environment", "descriptors 0-3 only", "rlimits", "dies with launcher"};
  return std::unique_ptr<Instance>(new ProcessInstance(spec.name, launched->pid, launched->pidfd,
                                                       exe ? exe->measurement() : Bytes{},
                                                       std::move(report), nullptr));
}

}  // namespace teepnet::runtime
