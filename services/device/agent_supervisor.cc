#include "services/device/agent_supervisor.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "services/common/errc.h"
#include "services/common/frame.h"

namespace teepnet::device {

namespace {
constexpr int kStopGraceMs = 3000;
}  // namespace

AgentSupervisor::AgentSupervisor(AgentProcessOptions options, const common::JsonLog& log)
    : options_(std::move(options)), log_(log) {}

AgentSupervisor::~AgentSupervisor() {
  Shutdown();
}

std::optional<pid_t> AgentSupervisor::pid() const {
  if (!process_) return std::nullopt;
  return process_->pid();
}

void AgentSupervisor::Shutdown() {
  if (fd_ >= 0) {
    ::close(fd_);  // the Agent sees end-of-file and exits on its own
    fd_ = -1;
  }
  if (process_) {
    process_->Stop(kStopGraceMs);
    process_.reset();
  }
}

Status AgentSupervisor::EnsureRunning() {
  if (process_ && !process_->Poll()) return OkStatus();
  if (process_) {
    log_.Warn("agent-exited", {{"status", *process_->Poll()}});
    Shutdown();
  }
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Error(common::Errc::kIo, std::string("socketpair: ") + std::strerror(errno));
  }
  common::SpawnOptions spawn;
  spawn.argv.push_back(options_.program);
  spawn.argv.insert(spawn.argv.end(), options_.args.begin(), options_.args.end());
  spawn.argv.push_back("--channel-fd");
  spawn.argv.push_back(std::to_string(fds[1]));
  spawn.stderr_path = options_.stderr_path;
  spawn.keep_fds = {fds[1]};
  auto child = common::Subprocess::Spawn(spawn);
  ::close(fds[1]);  // the child has its copy
  if (!child.ok()) {
    ::close(fds[0]);
    return std::move(child).TakeError();
  }
  process_.emplace(std::move(child).value());
  fd_ = fds[0];
  ++starts_;
  log_.Info("agent-started", {{"pid", process_->pid()}, {"starts", starts_}});
  return OkStatus();
}

Result<Bytes> AgentSupervisor::Call(agentd::AgentOp op, ByteView body) {
  TEEPNET_RETURN_IF_ERROR(EnsureRunning());
  Status sent = common::WriteFrame(fd_, agentd::EncodeRequest(op, body));
  Result<Bytes> frame = sent.ok() ? common::ReadFrame(fd_) : Result<Bytes>(sent.error());
  if (!frame.ok()) {
    // The channel is unusable (the Agent died or wrote garbage): drop this Agent; the next
    // call starts a new one.
    log_.Warn("agent-channel-broken", {{"error", frame.error().ToString()}});
    Shutdown();
    return std::move(frame).TakeError();
  }
  TEEPNET_ASSIGN_OR_RETURN(ByteView ok_body, agentd::DecodeResponse(*frame));
  return ToBytes(ok_body);
}

Result<Bytes> AgentSupervisor::Identity() {
  return Call(agentd::AgentOp::kGetIdentity, {});
}

Result<agentd::Delivered> AgentSupervisor::Deliver(const agentd::DeliverSealed& request) {
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes body, Call(agentd::AgentOp::kDeliverSealed, agentd::EncodeDeliverSealed(request)));
  return agentd::DecodeDelivered(body);
}

Result<Bytes> AgentSupervisor::RelayToTa(const agentd::UaMessage& message) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes body,
                           Call(agentd::AgentOp::kRelayToTa, agentd::EncodeUaMessage(message)));
  return agentd::DecodeTaAnswer(body);
}

Result<Bytes> AgentSupervisor::FetchUa(const agentd::UaFetch& request) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes body,
                           Call(agentd::AgentOp::kFetchUa, agentd::EncodeUaFetch(request)));
  return agentd::DecodeUaImage(body);
}

Result<std::optional<Bytes>> AgentSupervisor::ProcessTeepMessage(ByteView message) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes body, Call(agentd::AgentOp::kProcessTeepMessage, message));
  return agentd::DecodeOptionalMessage(body);
}

std::optional<broker::TamContact> AgentSupervisor::RequestPolicyCheck() {
  auto body = Call(agentd::AgentOp::kRequestPolicyCheck, {});
  if (!body.ok()) {
    policy_check_failed_ = true;
    log_.Warn("policy-check-failed", {{"error", body.error().ToString()}});
    return std::nullopt;
  }
  auto contact = agentd::DecodeContact(*body);
  if (!contact.ok()) {
    policy_check_failed_ = true;
    log_.Warn("policy-check-failed", {{"error", contact.error().ToString()}});
    return std::nullopt;
  }
  if (!*contact) return std::nullopt;
  return broker::TamContact{(*contact)->tam_uri, (*contact)->message};
}

void AgentSupervisor::ProcessError(std::string_view tam_uri) {
  auto r = Call(agentd::AgentOp::kProcessError, AsBytes(tam_uri));
  if (!r.ok()) log_.Warn("process-error-failed", {{"error", r.error().ToString()}});
}

}  // namespace teepnet::device
