#include "services/agent/agent_service.h"

#include "services/agent/agent_protocol.h"
#include "services/common/errc.h"
#include "services/common/frame.h"
#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"

namespace teepnet::agentd {

AgentService::AgentService(agent::AgentCore& core, const common::JsonLog& log,
                           SealedDeliverer* deliverer)
    : core_(core), log_(log), deliverer_(deliverer) {
  cose::CoseKey key = cose::CoseKey::FromPublicKey(core_.public_key());
  key.set_kid(core_.kid());
  identity_ = key.Encode(/*include_private=*/false);
}

Bytes AgentService::Handle(ByteView request_frame) {
  auto request = DecodeRequest(request_frame);
  if (!request.ok()) {
    log_.Warn("bad-request", {{"error", request.error().ToString()}});
    return EncodeFailure(request.error().ToString());
  }
  switch (request->op) {
    case AgentOp::kGetIdentity: return EncodeOk(identity_);
    case AgentOp::kProcessTeepMessage: {
      agent::AgentResult result = core_.ProcessMessage(request->body);
      nlohmann::json fields = {{"outcome", agent::AgentOutcomeName(result.outcome)},
                               {"bytes_in", request->body.size()}};
      if (result.error) fields["error"] = result.error->ToString();
      log_.Info("teep-message", std::move(fields));
      if (result.outcome == agent::AgentOutcome::kFailed) {
        return EncodeFailure(result.error ? result.error->ToString() : "agent failed");
      }
      return EncodeOk(EncodeOptionalMessage(result.response));
    }
    case AgentOp::kRequestPolicyCheck: {
      std::optional<agent::TamContact> contact = core_.RequestPolicyCheck();
      if (!contact) return EncodeOk(EncodeContact(std::nullopt));
      return EncodeOk(EncodeContact(Contact{contact->tam_uri, contact->message}));
    }
    case AgentOp::kProcessError: {
      std::string uri(AsChars(request->body));
      log_.Warn("transport-error", {{"tam", uri}});
      core_.ProcessError(uri);
      return EncodeOk();
    }
    case AgentOp::kDeliverSealed: return HandleDeliver(request->body);
    case AgentOp::kRelayToTa: return HandleRelayToTa(request->body);
    case AgentOp::kFetchUa: return HandleFetchUa(request->body);
  }
  return EncodeFailure("unknown op");
}

Bytes AgentService::HandleDeliver(ByteView body) {
  auto request = DecodeDeliverSealed(body);
  if (!request.ok()) {
    log_.Warn("deliver-refused", {{"error", request.error().ToString()}});
    return EncodeFailure(request.error().ToString());
  }
  nlohmann::json fields = {{"request_id", request->request_id},
                           {"target", request->to_ta ? "ta" : "agent"},
                           {"instance", request->instance},
                           {"purpose", request->purpose},
                           {"bytes_in", request->sealed.size()}};
  if (deliverer_ == nullptr) {
    fields["error"] = "this Agent cannot run TAs (no instance backend)";
    log_.Warn("deliver-refused", std::move(fields));
    return EncodeFailure("this Agent cannot run TAs (no instance backend)");
  }
  auto delivered = deliverer_->Deliver(*request);
  if (!delivered.ok()) {
    fields["error"] = delivered.error().ToString();
    log_.Warn("deliver-failed", std::move(fields));
    return EncodeFailure(delivered.error().ToString());
  }
  fields["ua"] = delivered->ua.has_value();
  log_.Info("delivered", std::move(fields));
  return EncodeOk(EncodeDelivered(*delivered));
}

Bytes AgentService::HandleRelayToTa(ByteView body) {
  // The REE relays the UA's bytes: they are untrusted, and the TA treats them as public.
  auto message = DecodeUaMessage(body);
  if (!message.ok()) {
    log_.Warn("ua-relay-refused", {{"error", message.error().ToString()}});
    return EncodeFailure(message.error().ToString());
  }
  if (deliverer_ == nullptr) return EncodeFailure("this Agent runs no TAs (no instance backend)");
  auto answer = deliverer_->RelayToTa(*message);
  if (!answer.ok()) {
    log_.Warn("ua-relay-failed",
              {{"request_id", message->request_id}, {"error", answer.error().ToString()}});
    return EncodeFailure(answer.error().ToString());
  }
  return EncodeOk(EncodeTaAnswer(*answer));
}

Bytes AgentService::HandleFetchUa(ByteView body) {
  auto request = DecodeUaFetch(body);
  if (!request.ok()) {
    log_.Warn("ua-fetch-refused", {{"error", request.error().ToString()}});
    return EncodeFailure(request.error().ToString());
  }
  if (deliverer_ == nullptr) return EncodeFailure("this Agent runs no TAs (no instance backend)");
  auto ua = deliverer_->FetchUa(*request);
  if (!ua.ok()) {
    log_.Warn("ua-fetch-failed", {{"request_id", request->request_id},
                                  {"component", request->component},
                                  {"error", ua.error().ToString()}});
    return EncodeFailure(ua.error().ToString());
  }
  return EncodeOk(EncodeUaImage(*ua));
}

Status ServeChannel(int fd, AgentService& service) {
  for (;;) {
    auto frame = common::ReadFrame(fd);
    if (!frame.ok()) {
      if (frame.error().Is(common::Errc::kPeerClosed)) return OkStatus();
      return std::move(frame).TakeError();
    }
    TEEPNET_RETURN_IF_ERROR(common::WriteFrame(fd, service.Handle(*frame)));
  }
}

}  // namespace teepnet::agentd
