// The Agent's side of the channel: decodes each request frame, calls AgentCore, encodes the
// response. Requests come from the Broker, which is outside the TEE, so a malformed request
// gets a failure response (and is logged), never a crash or a half-done operation.
#ifndef TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_
#define TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_

#include "services/common/json_log.h"
#include "teepnet/agent/agent_core.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::agentd {

class AgentService {
 public:
  // `core` and `log` must outlive the service.
  AgentService(agent::AgentCore& core, const common::JsonLog& log);

  // One request frame in, one response frame out.
  Bytes Handle(ByteView request_frame);

 private:
  agent::AgentCore& core_;
  const common::JsonLog& log_;
  Bytes identity_;  // the public COSE_Key, encoded once
};

// Serves requests on `fd` until the Broker closes the channel (OK) or it breaks (the error).
Status ServeChannel(int fd, AgentService& service);

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_
