#include "teepnet/broker/broker_session.h"

#include <string>
#include <utility>

namespace teepnet::broker {

std::string_view SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::kAwaitingResponse: return "awaiting-response";
    case SessionState::kSucceeded: return "succeeded";
    case SessionState::kFailed: return "failed";
  }
  return "unknown";
}

BrokerSession::BrokerSession(TamContact contact, size_t max_round_trips)
    : max_round_trips_(max_round_trips) {
  post_.uri = std::move(contact.tam_uri);
  // Step 3: (b) a TAM URI alone -> empty body; (c) URI plus message -> that message.
  if (contact.message) post_.body = std::move(*contact.message);
}

void BrokerSession::Fail(AgentLink* agent, Error error) {
  // Step 5: "call the Agent's ProcessError" for HTTP and network failures.
  if (agent != nullptr) agent->ProcessError(post_.uri);
  state_ = SessionState::kFailed;
  failure_ = std::move(error);
  post_.body.clear();
}

Status BrokerSession::OnHttpResponse(int http_status, ByteView body, AgentLink& agent) {
  if (state_ != SessionState::kAwaitingResponse) {
    return Error(Errc::kNotAwaiting, "the session is " + std::string(SessionStateName(state_)));
  }
  // Any 2xx is success at the HTTP layer; redirects are not followed (otrp-over-http
  // §"Use of HTTP as a Transport": the client "MUST NOT" follow them automatically).
  if (http_status < 200 || http_status > 299) {
    Fail(&agent, Error(Errc::kHttpStatus, "TAM answered HTTP " + std::to_string(http_status)));
    return OkStatus();
  }
  // Step 4: "If the HTTP response body is empty, the TEEP/HTTP Client's task is complete".
  if (body.empty()) {
    state_ = SessionState::kSucceeded;
    post_.body.clear();
    return OkStatus();
  }
  auto reply = agent.ProcessTeepMessage(body);
  if (!reply.ok()) {
    // Step 5, local failure: delete the session and report failure (no ProcessError: the
    // transport worked).
    Fail(nullptr, Error(Errc::kAgentFailure, reply.error().ToString()));
    return OkStatus();
  }
  if (!reply->has_value()) {
    state_ = SessionState::kSucceeded;
    post_.body.clear();
    return OkStatus();
  }
  if (round_trips_ >= max_round_trips_) {
    Fail(nullptr, Error(Errc::kTooManyRoundTrips,
                        "more than " + std::to_string(max_round_trips_) + " round trips"));
    return OkStatus();
  }
  // Step 3(c) again: POST the Agent's message.
  post_.body = std::move(**reply);
  ++round_trips_;
  return OkStatus();
}

Status BrokerSession::OnTransportFailure(AgentLink& agent) {
  if (state_ != SessionState::kAwaitingResponse) {
    return Error(Errc::kNotAwaiting, "the session is " + std::string(SessionStateName(state_)));
  }
  Fail(&agent, Error(Errc::kTransportFailure, "no HTTP response from " + post_.uri));
  return OkStatus();
}

}  // namespace teepnet::broker
