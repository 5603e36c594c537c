#include "teepnet/runtime/qmp.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "teepnet/base/fd_io.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"

namespace teepnet::runtime {

QmpClient::~QmpClient() {
  if (fd_ >= 0) ::close(fd_);
}

Status QmpClient::Connect(const std::string& path, int timeout_ms) {
  const int64_t deadline = MonotonicMs() + timeout_ms;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Error(Errc::kBadSpec, "QMP socket path too long: " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Error(Errc::kSystem, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return Error(Errc::kSystem, "connect " + path + ": " + std::strerror(errno));
  }
  TEEPNET_ASSIGN_OR_RETURN(std::string greeting, ReadLine(deadline));
  nlohmann::json g = nlohmann::json::parse(greeting, nullptr, false);
  if (g.is_discarded() || !g.is_object() || !g.contains("QMP")) {
    return Error(Errc::kSetupFailed, "QMP: no greeting");
  }
  TEEPNET_RETURN_IF_ERROR(Send(R"({"execute":"qmp_capabilities"})"));
  auto answer = AwaitReturn(deadline);
  if (!answer.ok()) return std::move(answer).TakeError();
  return OkStatus();
}

Status QmpClient::Execute(const std::string& command, int timeout_ms) {
  if (fd_ < 0) return Error(Errc::kNotRunning, "QMP: not connected");
  const int64_t deadline = MonotonicMs() + timeout_ms;
  TEEPNET_RETURN_IF_ERROR(Send(nlohmann::json({{"execute", command}}).dump()));
  auto answer = AwaitReturn(deadline);
  // "quit" may close the socket before its answer arrives: that is success too.
  if (!answer.ok() && command == "quit" && answer.error().Is(Errc::kPeerClosed)) return OkStatus();
  if (!answer.ok()) return std::move(answer).TakeError();
  return OkStatus();
}

Status QmpClient::Send(const std::string& line) {
  const std::string framed = line + "\r\n";
  const FdTransfer t = WriteAllToFd(fd_, AsBytes(framed));
  if (t.outcome != FdOutcome::kOk) return Error(Errc::kPeerClosed, "QMP: write failed");
  return OkStatus();
}

Result<std::string> QmpClient::AwaitReturn(int64_t deadline_ms) {
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(std::string line, ReadLine(deadline_ms));
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Error(Errc::kSetupFailed, "QMP: unparsable answer");
    }
    if (j.contains("event")) continue;
    if (j.contains("return")) return line;
    if (j.contains("error")) {
      std::string desc = "QMP error";
      const nlohmann::json& e = j["error"];
      if (e.is_object() && e.contains("desc") && e["desc"].is_string()) {
        desc = e["desc"].get<std::string>();
      }
      return Error(Errc::kSetupFailed, "QMP: " + desc);
    }
    return Error(Errc::kSetupFailed, "QMP: unexpected answer");
  }
}

Result<std::string> QmpClient::ReadLine(int64_t deadline_ms) {
  for (;;) {
    const size_t end = pending_.find('\n');
    if (end != std::string::npos) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return line;
    }
    if (pending_.size() > kMaxQmpLineBytes) return Error(Errc::kBadFrame, "QMP: line too long");
    const int64_t left = deadline_ms - MonotonicMs();
    if (left <= 0) return Error(Errc::kTimeout, "QMP: no answer in time");
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error(Errc::kPeerClosed, "QMP: qemu closed the monitor");
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace teepnet::runtime
