// The REE deployer (seed §5.1 item 5: "TEEP Agent deploys TA and personalization data in TEE,
// then deploy UA in REE"; §5.2 item 3 and §5.3: the TAM deploys the UA to the REE): a request's
// UA — from case 1's bundle, or in cases 2 and 3 the component the Agent installed from the
// TAM's verified envelope — runs as a supervised REE process (runtime/ree_backend.h), one per
// request, its output appended to DIR/ua-<request>.log. They die with the Broker; exits are
// logged by Reap().
//
// Each UA gets a channel to its TA: one end of a socketpair as descriptor 3 (runtime::kChannelFd,
// frames of runtime/ta_wire.h). Pump() reads the kFromUa frames the UAs wrote, hands each to the
// Agent for the TA of the UA's own request (op 6, TaRelay) and writes the answer back as a kToUa
// frame. The request id comes from the launcher's own record of which request it started the
// UA for, never from the UA, so a UA reaches only its request's TA. The UA is untrusted: a
// frame of another type, one above agentd::kMaxUaMessageBytes, half a frame left for longer
// than kUaChannelIoTimeoutMs, or a message the Agent refuses closes that UA's channel (the UA
// sees it closed); the UA itself keeps running until it exits.
#ifndef TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_
#define TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "services/common/json_log.h"
#include "services/device/inbox_relay.h"
#include "teepnet/runtime/ree_backend.h"

namespace teepnet::device {

// How long the Broker waits for the rest of a frame a UA started, or for a UA to take its answer.
inline constexpr int kUaChannelIoTimeoutMs = 1'000;
// Frames relayed per UA in one Pump(), so one chatty UA cannot hold the Broker's loop.
inline constexpr size_t kMaxUaFramesPerPump = 8;

// Agent op 6 (AgentSupervisor::RelayToTa): the TA's answer to one message of the UA of
// `request_id`.
class TaRelay {
 public:
  virtual ~TaRelay() = default;
  virtual Result<Bytes> RelayToTa(std::string_view request_id, ByteView message) = 0;
};

class ReeUaLauncher final : public UaLauncher {
 public:
  // `dir` (created 0700 on first use) holds the UAs' logs; `log` and `relay` must outlive the
  // launcher. Without a relay, a UA's first message closes its channel.
  ReeUaLauncher(std::string dir, const common::JsonLog& log, TaRelay* relay = nullptr)
      : dir_(std::move(dir)), log_(log), relay_(relay) {}
  ~ReeUaLauncher() override;

  // Starts the UA with its channel unless one for this request already runs. The instance is
  // named "ua-<request id>" (runtime::InstanceSpec's name rules; kBadSpec otherwise).
  Status Start(std::string_view request_id, ByteView ua) override;
  // Relays what the UAs wrote since the last call (see the file comment); returns the number
  // of messages answered. Never blocks on a UA for longer than kUaChannelIoTimeoutMs.
  size_t Pump();
  // Logs and forgets the UAs that exited since the last call.
  void Reap();
  // SIGTERM, then SIGKILL after `grace_ms`, for every UA still running.
  void StopAll(int grace_ms);
  size_t running() const { return running_.size(); }

 private:
  struct Ua {
    std::string request_id;
    std::unique_ptr<runtime::Instance> instance;
    int fd = -1;  // the Broker's end of the UA's channel; -1 once closed
  };
  // Relays one frame of `ua` if one is waiting; false when there was none or the channel closed.
  bool RelayOne(Ua& ua);
  void CloseChannel(Ua& ua, std::string_view why);

  std::string dir_;
  const common::JsonLog& log_;
  TaRelay* relay_;
  runtime::ReeProcessBackend backend_;
  std::map<std::string, Ua> running_;  // by instance name
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_
