// One TEEP/HTTP client session (draft-ietf-teep-otrp-over-http-15 §"TEEP/HTTP Client
// Behavior"), as a state machine with no I/O: it says which POST to make, is fed the HTTP
// status and body, forwards bodies to the Agent and ends in success or failure.
//
//   BrokerSession s(contact);
//   while (s.state() == SessionState::kAwaitingResponse) {
//     const HttpPost& post = s.pending_post();
//     auto reply = http.Post(post.uri, post.body, post.content_type(), post.accept());
//     if (!reply.ok()) s.OnTransportFailure(agent);
//     else s.OnHttpResponse(reply->status, reply->body, agent);
//   }
#ifndef TEEPNET_BROKER_BROKER_SESSION_H_
#define TEEPNET_BROKER_BROKER_SESSION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/broker/agent_link.h"
#include "teepnet/broker/errc.h"

namespace teepnet::broker {

// The media type of a TEEP message (draft-ietf-teep-protocol IANA section).
inline constexpr std::string_view kTeepMediaType = "application/teep+cbor";

struct HttpPost {
  std::string uri;
  Bytes body;  // empty: the session-opening POST

  // §"Client" step 3: the opening POST has an empty body and *no* Content-Type; a POST with a
  // TEEP message has Content-Type application/teep+cbor. Every POST has Accept.
  std::string_view content_type() const {
    return body.empty() ? std::string_view() : kTeepMediaType;
  }
  std::string_view accept() const { return kTeepMediaType; }
};

enum class SessionState : uint8_t { kAwaitingResponse, kSucceeded, kFailed };
std::string_view SessionStateName(SessionState state);

class BrokerSession {
 public:
  // Step 3: the first POST is the contact's message, or an empty body. A session gives up
  // with kTooManyRoundTrips after `max_round_trips` POSTs (a TAM and Agent that keep
  // answering each other must not hold the Broker forever).
  explicit BrokerSession(TamContact contact, size_t max_round_trips = 32);

  SessionState state() const { return state_; }
  const std::string& tam_uri() const { return post_.uri; }
  // The POST to make; only meaningful in kAwaitingResponse.
  const HttpPost& pending_post() const { return post_; }
  // Step 4/5. 2xx with an empty body: success. 2xx with a body: handed to the Agent; nothing
  // back means success, a message is POSTed next. Any other status (redirects are not
  // followed): the Agent's ProcessError is called and the session fails (kHttpStatus).
  // An Agent failure fails the session (kAgentFailure). kNotAwaiting when the session is
  // already over (nothing changes).
  Status OnHttpResponse(int http_status, ByteView body, AgentLink& agent);
  // Step 5: network failure -> ProcessError, session failed (kTransportFailure).
  Status OnTransportFailure(AgentLink& agent);

  const std::optional<Error>& failure() const { return failure_; }
  size_t round_trips() const { return round_trips_; }

 private:
  void Fail(AgentLink* agent, Error error);

  HttpPost post_;
  SessionState state_ = SessionState::kAwaitingResponse;
  std::optional<Error> failure_;
  size_t round_trips_ = 1;
  size_t max_round_trips_;
};

}  // namespace teepnet::broker

#endif  // TEEPNET_BROKER_BROKER_SESSION_H_
