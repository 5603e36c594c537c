// The Agent's side of the channel: decodes each request frame, calls AgentCore, encodes the
// response. Requests come from the Broker, which is outside the TEE, so a malformed request
// gets a failure response (and is logged), never a crash or a half-done operation.
#ifndef TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_
#define TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_

#include "services/agent/agent_protocol.h"
#include "services/common/json_log.h"
#include "teepnet/agent/agent_core.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::agentd {

// Op 5 (kDeliverSealed): opens or passes on a Network User's sealed bytes and returns the
// receipt; op 6 (kRelayToTa): one UA message to the TA of its request, the answer back; op 7
// (kFetchUa): an installed UA component for the REE deployer. Implemented by Delivery
// (delivery.h), which runs TAs in instances; an interface so the service does not depend on
// the instance runtime.
class SealedDeliverer {
 public:
  virtual ~SealedDeliverer() = default;
  virtual Result<Delivered> Deliver(const DeliverSealed& request) = 0;
  virtual Result<Bytes> RelayToTa(const UaMessage& message) = 0;
  virtual Result<Bytes> FetchUa(const UaFetch& request) = 0;
};

class AgentService {
 public:
  // `core`, `log` and `deliverer` must outlive the service. Without a deliverer, ops 5-7 are
  // refused (this Agent cannot run TAs).
  AgentService(agent::AgentCore& core, const common::JsonLog& log,
               SealedDeliverer* deliverer = nullptr);

  // One request frame in, one response frame out.
  Bytes Handle(ByteView request_frame);

 private:
  Bytes HandleDeliver(ByteView body);
  Bytes HandleRelayToTa(ByteView body);
  Bytes HandleFetchUa(ByteView body);

  agent::AgentCore& core_;
  const common::JsonLog& log_;
  SealedDeliverer* deliverer_;
  Bytes identity_;  // the public COSE_Key, encoded once
};

// Serves requests on `fd` until the Broker closes the channel (OK) or it breaks (the error).
Status ServeChannel(int fd, AgentService& service);

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_AGENT_SERVICE_H_
