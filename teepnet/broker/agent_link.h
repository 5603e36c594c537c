// What the Broker needs from the TEEP Agent (RFC 9397 §6.2.1 conceptual APIs). The Agent runs
// in another process (the TEE boundary, DESIGN §1), so the Broker sees it through this
// interface: the services layer implements it over a socket, tests over an in-process
// AgentCore.
#ifndef TEEPNET_BROKER_AGENT_LINK_H_
#define TEEPNET_BROKER_AGENT_LINK_H_

#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::broker {

// A TAM to contact, as RequestTA / UnrequestTA / RequestPolicyCheck return it.
struct TamContact {
  std::string tam_uri;
  std::optional<Bytes> message;  // POST this instead of an empty body (§"Client" step 3(c))

  friend bool operator==(const TamContact&, const TamContact&) = default;
};

class AgentLink {
 public:
  virtual ~AgentLink() = default;
  // ProcessTeepMessage: the Agent's reply to POST next, or nothing (session done). An error
  // means the Agent could not be reached or produced nothing at all.
  virtual Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) = 0;
  // One TAM per call until nothing is left.
  virtual std::optional<TamContact> RequestPolicyCheck() = 0;
  // The transport to `tam_uri` failed.
  virtual void ProcessError(std::string_view tam_uri) = 0;
};

}  // namespace teepnet::broker

#endif  // TEEPNET_BROKER_AGENT_LINK_H_
