// BrokerCore: the TEEP Broker's scheduling without I/O. It turns triggers (a periodic policy
// check, an installer's RequestTA/UnrequestTA result) into BrokerSessions, runs them one at a
// time, and decides when the next policy check is due (Backoff).
//
//   broker::BrokerCore broker(agent_link, clock, random);
//   broker.StartPolicyCheck();                  // or broker.Enqueue(contact)
//   while (const broker::HttpPost* post = broker.CurrentPost()) {
//     auto reply = http.Post(*post);
//     reply.ok() ? broker.OnHttpResponse(reply->status, reply->body)
//                : broker.OnTransportFailure();
//   }
//   sleep_until(broker.next_policy_check_ms());  // monotonic clock
#ifndef TEEPNET_BROKER_BROKER_CORE_H_
#define TEEPNET_BROKER_BROKER_CORE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/broker/agent_link.h"
#include "teepnet/broker/backoff.h"
#include "teepnet/broker/broker_session.h"

namespace teepnet::broker {

struct BrokerConfig {
  BackoffConfig backoff;
  size_t max_round_trips = 32;  // per session
  size_t max_queued = 64;       // contacts waiting; further ones are dropped (and counted)
};

struct BrokerStats {
  size_t sessions_succeeded = 0;
  size_t sessions_failed = 0;
  size_t contacts_dropped = 0;  // queue full
  std::optional<Error> last_failure;
};

class BrokerCore {
 public:
  // All references must outlive the core.
  BrokerCore(AgentLink& agent, const Clock& clock, Random& random, BrokerConfig config = {});

  // §"Client" step 1: calls the Agent's RequestPolicyCheck until it returns nothing and
  // queues one session per TAM it names.
  void StartPolicyCheck();
  // An installer's trigger (RequestTA / UnrequestTA returned a TAM).
  void Enqueue(TamContact contact);

  // The POST to make now, or null when no session is active or queued. The pointer is valid
  // until the next call on the core.
  const HttpPost* CurrentPost();
  void OnHttpResponse(int http_status, ByteView body);
  void OnTransportFailure();

  // Monotonic milliseconds (Clock::MonotonicMillis) at which StartPolicyCheck should run
  // next: the regular interval after a round with no failure, a backoff delay after one.
  int64_t next_policy_check_ms() const { return next_check_ms_; }
  bool PolicyCheckDue() const { return clock_.MonotonicMillis() >= next_check_ms_; }
  bool idle() const { return !active_ && queue_.empty(); }
  const BrokerStats& stats() const { return stats_; }

 private:
  void Activate();
  void Finish();

  AgentLink& agent_;
  const Clock& clock_;
  BrokerConfig config_;
  Backoff backoff_;
  std::deque<TamContact> queue_;
  std::optional<BrokerSession> active_;
  bool round_failed_ = false;
  int64_t next_check_ms_ = 0;
  BrokerStats stats_;
};

}  // namespace teepnet::broker

#endif  // TEEPNET_BROKER_BROKER_CORE_H_
