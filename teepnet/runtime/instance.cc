#include "teepnet/runtime/instance.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"

namespace teepnet::runtime {

bool IsolationReport::Applied(std::string_view layer) const {
  for (const auto& a : applied) {
    if (a == layer) return true;
  }
  return false;
}

std::string IsolationReport::ToString() const {
  std::string out = "applied:";
  for (const auto& a : applied) out += " [" + a + "]";
  out += "; not applied:";
  for (const auto& n : not_applied) out += " [" + n.layer + ": " + n.reason + "]";
  return out;
}

Status ValidateSpec(const InstanceSpec& spec) {
  if (spec.name.empty() || spec.name.size() > kMaxInstanceName) {
    return Error(Errc::kBadSpec, "instance name must be 1..32 characters");
  }
  for (char c : spec.name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return Error(Errc::kBadSpec, "instance name: only [A-Za-z0-9._-]");
  }
  if (spec.name[0] == '.') return Error(Errc::kBadSpec, "instance name may not start with '.'");
  if (spec.executable.empty() && spec.executable_path.empty() && spec.image_path.empty()) {
    return Error(Errc::kBadSpec, "instance " + spec.name + ": no executable");
  }
  if (spec.log_path.empty())
    return Error(Errc::kBadSpec, "instance " + spec.name + ": no log path");
  return OkStatus();
}

Result<int> OpenLog(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error(Errc::kSystem, "open log " + path + ": " + std::strerror(errno));
  return fd;
}

}  // namespace teepnet::runtime
