// The Broker's relay of a Network User's sealed bytes (USE-CASES "Device channel API", "Agent
// op 5"): after every TEEP session and on its poll interval the device reads its inbox at the
// M/OC, hands each new item to the Agent (op 5), and posts the receipt the Agent or TA signed.
// Case 1's bundle also carries the UA, which the Agent returns for the REE; in cases 2 and 3 the
// TAM installed the UA through TEEP (the Agent verified its signed envelope) and the inbox item
// names its component, which the Broker asks the Agent for (op 7) once the PD is delivered and
// the TA runs. Either way it is started as a supervised REE process with a channel to its TA
// (ua_launcher.h), once per request.
//
// The Broker is not trusted with anything here: it sees ciphertext going in and a signed
// receipt coming out. What it does decide is when to try again:
//   - an item the Agent refused (bad seal, replay, stale, a TA that failed) is not handed over
//     again: its digest is remembered as handled, and the M/OC times the request out;
//   - an Agent that could not be reached (it died; the supervisor restarts it) is retried on
//     the next round;
//   - a receipt the M/OC could not be reached for is kept and posted again on the next round,
//     never re-derived (the Agent's replay guard would refuse the same bytes twice);
//   - a receipt the M/OC refused (4xx) is logged and dropped.
// Handled digests are forgotten once their item left the inbox, so the memory stays bounded.
#ifndef TEEPNET_SERVICES_DEVICE_INBOX_RELAY_H_
#define TEEPNET_SERVICES_DEVICE_INBOX_RELAY_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "services/agent/agent_protocol.h"
#include "services/common/json_log.h"
#include "services/device/relay_client.h"

namespace teepnet::device {

// Agent ops 5 and 7 (AgentSupervisor::Deliver, FetchUa). common::Errc::kRemoteRefused when the
// Agent refused.
class DeliveryAgent {
 public:
  virtual ~DeliveryAgent() = default;
  virtual Result<agentd::Delivered> Deliver(const agentd::DeliverSealed& request) = 0;
  virtual Result<Bytes> FetchUa(const agentd::UaFetch& request) = 0;
};

// Starts a request's UA in the REE (ua_launcher.h): case 1's from its bundle, cases 2 and 3's
// from the Agent's component store.
class UaLauncher {
 public:
  virtual ~UaLauncher() = default;
  virtual Status Start(std::string_view request_id, ByteView ua) = 0;
};

struct RelayRoundStats {
  bool inbox_read = false;
  size_t delivered = 0;        // the Agent answered with a receipt
  size_t receipts_posted = 0;  // the M/OC took a receipt
  size_t refused = 0;          // the Agent, or the M/OC, refused an item for good
  size_t retry_later = 0;      // the Agent or the M/OC could not be reached
  size_t uas_started = 0;
};

class InboxRelay {
 public:
  // All references must outlive the relay; `ua` may be null (then a returned UA is logged and
  // not run).
  InboxRelay(RelayEndpoint& endpoint, DeliveryAgent& agent, UaLauncher* ua,
             const common::JsonLog& log)
      : endpoint_(endpoint), agent_(agent), ua_(ua), log_(log) {}

  // One poll: read the inbox, deliver what is new, post receipts (also those kept from an
  // earlier round). Failures are logged and counted, never thrown.
  RelayRoundStats RunOnce();

  size_t remembered() const { return handled_.size() + unposted_.size(); }

 private:
  struct Unposted {
    std::string request_id;
    Bytes receipt;
  };
  void Handle(const InboxEntry& entry, RelayRoundStats& stats);
  void Post(const std::string& key, Unposted receipt, RelayRoundStats& stats);

  RelayEndpoint& endpoint_;
  DeliveryAgent& agent_;
  UaLauncher* ua_;
  const common::JsonLog& log_;
  std::set<std::string> handled_;             // hex digests: receipted or refused
  std::map<std::string, Unposted> unposted_;  // hex digest -> receipt the M/OC has not taken
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_INBOX_RELAY_H_
