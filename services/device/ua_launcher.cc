#include "services/device/ua_launcher.h"

#include "services/common/data_dir.h"
#include "teepnet/base/hex.h"

namespace teepnet::device {

namespace {
constexpr int kStopGraceMs = 3000;
}  // namespace

ReeUaLauncher::~ReeUaLauncher() {
  StopAll(kStopGraceMs);
}

Status ReeUaLauncher::Start(std::string_view request_id, ByteView ua) {
  runtime::InstanceSpec spec;
  spec.name = "ua-" + std::string(request_id);
  if (running_.contains(spec.name)) return OkStatus();  // a receipt posted again, same UA
  TEEPNET_RETURN_IF_ERROR(common::EnsureDirectory(dir_, 0700));
  spec.executable = ToBytes(ua);
  // The name is checked by the backend (letters, digits, '.', '_', '-'; no leading '.') before
  // the log is opened, so it cannot reach outside `dir_`.
  spec.log_path = dir_ + "/" + spec.name + ".log";
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Instance> instance, backend_.Start(spec));
  log_.Info("ua-started", {{"request_id", std::string(request_id)},
                           {"pid", instance->pid()},
                           {"measurement", ToHex(instance->measurement())},
                           {"log", spec.log_path}});
  running_.emplace(spec.name, std::move(instance));
  return OkStatus();
}

void ReeUaLauncher::Reap() {
  for (auto it = running_.begin(); it != running_.end();) {
    const runtime::InstanceStatus status = it->second->GetStatus();
    if (status.running) {
      ++it;
      continue;
    }
    log_.Info("ua-exited", {{"name", it->first}, {"exit", status.exit.ToString()}});
    it = running_.erase(it);
  }
}

void ReeUaLauncher::StopAll(int grace_ms) {
  for (auto& [name, instance] : running_) {
    const runtime::ExitInfo exit = instance->Stop(grace_ms);
    log_.Info("ua-stopped", {{"name", name}, {"exit", exit.ToString()}});
  }
  running_.clear();
}

}  // namespace teepnet::device
