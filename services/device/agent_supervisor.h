// The Broker's view of the TEEP Agent process: starts `teepnet-agent` with one end of a
// socketpair, speaks agent_protocol.h over it, and restarts the Agent when it has died
// (RFC 9397 §6.2: the Broker "only emits transport errors, TEE unreachable" — a dead Agent is
// such an error for the call in flight, and a fresh Agent serves the next one).
//
// Implements broker::AgentLink, so BrokerCore drives it exactly like an in-process Agent.
// Not thread-safe: one Broker loop owns it.
#ifndef TEEPNET_SERVICES_DEVICE_AGENT_SUPERVISOR_H_
#define TEEPNET_SERVICES_DEVICE_AGENT_SUPERVISOR_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/agent/agent_protocol.h"
#include "services/common/json_log.h"
#include "services/common/process.h"
#include "teepnet/broker/agent_link.h"

namespace teepnet::device {

struct AgentProcessOptions {
  std::string program;            // path of teepnet-agent
  std::vector<std::string> args;  // its flags, without --channel-fd (added here)
  std::string stderr_path;        // "" inherits the Broker's stderr
};

class AgentSupervisor final : public broker::AgentLink {
 public:
  // `log` must outlive the supervisor. Nothing starts until the first call.
  AgentSupervisor(AgentProcessOptions options, const common::JsonLog& log);
  ~AgentSupervisor() override;

  // The Agent's public TEEP key (an encoded COSE_Key), for enrollment.
  Result<Bytes> Identity();

  // Agent op 5 (USE-CASES "Agent op 5"): hands the Agent a user's sealed bytes; the Agent (or
  // the TA instance it starts) opens them and answers with the signed receipt. A refusal by
  // the Agent is common::Errc::kRemoteRefused with its reason; a broken channel is any other
  // error (the Agent is restarted on the next call).
  Result<agentd::Delivered> Deliver(const agentd::DeliverSealed& request);
  // Agent op 6 (USE-CASES "Agent op 6"): one message of a UA this Broker runs, to the TA of the
  // UA's request; the TA's answer back. Errors as for Deliver.
  Result<Bytes> RelayToTa(const agentd::UaMessage& message);
  // Agent op 7 (USE-CASES "Agent op 7"): the bytes of an installed UA component, which the
  // Agent verified when the TAM installed it. Errors as for Deliver.
  Result<Bytes> FetchUa(const agentd::UaFetch& request);

  Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) override;
  std::optional<broker::TamContact> RequestPolicyCheck() override;
  void ProcessError(std::string_view tam_uri) override;

  // Starts the Agent unless it is running (also called lazily by every request).
  Status EnsureRunning();
  // Closes the channel and stops the Agent (SIGTERM, then SIGKILL).
  void Shutdown();
  size_t starts() const { return starts_; }
  // True (once) when a RequestPolicyCheck since the last call failed to reach the Agent:
  // AgentLink can only answer "nothing", so the loop asks here to tell "nothing to do" from
  // "could not ask".
  bool TakePolicyCheckFailure() { return std::exchange(policy_check_failed_, false); }
  std::optional<pid_t> pid() const;

 private:
  // One request/response exchange; on a broken channel the Agent is stopped so the next call
  // restarts it.
  Result<Bytes> Call(agentd::AgentOp op, ByteView body);

  AgentProcessOptions options_;
  const common::JsonLog& log_;
  std::optional<common::Subprocess> process_;
  int fd_ = -1;
  size_t starts_ = 0;
  bool policy_check_failed_ = false;
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_AGENT_SUPERVISOR_H_
