#include "services/device/ua_launcher.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "services/common/data_dir.h"
#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/ta_wire.h"

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
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Error(runtime::Errc::kSystem, "socketpair for the UA channel failed");
  }
  // The Broker's end: a UA that stops mid-frame, or stops reading, holds the loop this long.
  timeval tv{};
  tv.tv_sec = kUaChannelIoTimeoutMs / 1000;
  tv.tv_usec = (kUaChannelIoTimeoutMs % 1000) * 1000;
  ::setsockopt(fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fds[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  spec.channel_fd = fds[1];
  auto instance = backend_.Start(spec);
  ::close(fds[1]);
  if (!instance.ok()) {
    ::close(fds[0]);
    return std::move(instance).TakeError();
  }
  log_.Info("ua-started", {{"request_id", std::string(request_id)},
                           {"pid", (*instance)->pid()},
                           {"measurement", ToHex((*instance)->measurement())},
                           {"log", spec.log_path}});
  running_.emplace(spec.name, Ua{std::string(request_id), *std::move(instance), fds[0]});
  return OkStatus();
}

size_t ReeUaLauncher::Pump() {
  size_t relayed = 0;
  for (auto& [name, ua] : running_) {
    for (size_t n = 0; n < kMaxUaFramesPerPump && RelayOne(ua); ++n) ++relayed;
  }
  return relayed;
}

bool ReeUaLauncher::RelayOne(Ua& ua) {
  if (ua.fd < 0) return false;
  pollfd p{ua.fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  auto frame = runtime::ReadFrame(ua.fd, agentd::kMaxUaMessageBytes);
  if (!frame.ok()) {
    // A UA that closed its end between frames is done talking; anything else is a fault.
    CloseChannel(ua, frame.error().Is(runtime::Errc::kPeerClosed) ? "" : frame.error().ToString());
    return false;
  }
  if (frame->type != runtime::FrameType::kFromUa) {
    CloseChannel(ua, "the UA sent a frame that is not for its TA");
    return false;
  }
  Result<Bytes> answer =
      relay_ == nullptr ? Result<Bytes>(Error(common::Errc::kBadConfig, "no Agent to relay to"))
                        : relay_->RelayToTa(ua.request_id, frame->payload);
  if (!answer.ok()) {
    CloseChannel(ua, answer.error().ToString());
    return false;
  }
  if (Status s = runtime::WriteFrame(ua.fd, runtime::FrameType::kToUa, *answer); !s.ok()) {
    CloseChannel(ua, s.error().ToString());
    return false;
  }
  return true;
}

void ReeUaLauncher::CloseChannel(Ua& ua, std::string_view why) {
  if (ua.fd < 0) return;
  ::close(ua.fd);
  ua.fd = -1;
  if (!why.empty()) {
    log_.Warn("ua-channel-closed", {{"request_id", ua.request_id}, {"error", std::string(why)}});
  }
}

void ReeUaLauncher::Reap() {
  for (auto it = running_.begin(); it != running_.end();) {
    const runtime::InstanceStatus status = it->second.instance->GetStatus();
    if (status.running) {
      ++it;
      continue;
    }
    log_.Info("ua-exited", {{"name", it->first}, {"exit", status.exit.ToString()}});
    CloseChannel(it->second, "");
    it = running_.erase(it);
  }
}

void ReeUaLauncher::StopAll(int grace_ms) {
  for (auto& [name, ua] : running_) {
    CloseChannel(ua, "");
    const runtime::ExitInfo exit = ua.instance->Stop(grace_ms);
    log_.Info("ua-stopped", {{"name", name}, {"exit", exit.ToString()}});
  }
  running_.clear();
}

}  // namespace teepnet::device
