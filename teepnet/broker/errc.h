// Reasons a Broker session fails (draft-ietf-teep-otrp-over-http §"TEEP/HTTP Client
// Behavior", error handling).
#ifndef TEEPNET_BROKER_ERRC_H_
#define TEEPNET_BROKER_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::broker {

enum class Errc : uint16_t {
  kHttpStatus = 1,     // the TAM answered with a non-2xx status (redirects are not followed)
  kTransportFailure,   // the request never got an answer (connect, TLS, reset, ...)
  kAgentFailure,       // the Agent could not produce anything for a TAM message
  kTooManyRoundTrips,  // the session exceeded BrokerConfig::max_round_trips
  kNotAwaiting,        // a response was fed to a session that has no request outstanding
};

}  // namespace teepnet::broker

namespace teepnet {
template <>
struct ErrcTraits<broker::Errc> {
  static constexpr Domain kDomain = Domain::kBroker;
  static Code CodeOf(broker::Errc e) {
    switch (e) {
      case broker::Errc::kHttpStatus:
      case broker::Errc::kTransportFailure: return Code::kUnavailable;
      case broker::Errc::kAgentFailure: return Code::kInternal;
      case broker::Errc::kTooManyRoundTrips: return Code::kResourceExhausted;
      case broker::Errc::kNotAwaiting: return Code::kFailedPrecondition;
    }
    return Code::kInternal;
  }
  static std::string_view NameOf(broker::Errc e) {
    switch (e) {
      case broker::Errc::kHttpStatus: return "http-status";
      case broker::Errc::kTransportFailure: return "transport-failure";
      case broker::Errc::kAgentFailure: return "agent-failure";
      case broker::Errc::kTooManyRoundTrips: return "too-many-round-trips";
      case broker::Errc::kNotAwaiting: return "not-awaiting";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_BROKER_ERRC_H_
