#include "teepnet/broker/broker_core.h"

#include <utility>

namespace teepnet::broker {

BrokerCore::BrokerCore(AgentLink& agent, const Clock& clock, Random& random, BrokerConfig config)
    : agent_(agent),
      clock_(clock),
      config_(config),
      backoff_(config.backoff, random),
      next_check_ms_(clock.MonotonicMillis()) {}

void BrokerCore::StartPolicyCheck() {
  // otrp-over-http §"TEEP/HTTP Client": call RequestPolicyCheck repeatedly until the Agent
  // returns nothing; it hands out one TAM per call. The loop is bounded by the queue size so a
  // misbehaving Agent cannot keep the Broker here.
  for (size_t i = 0; i <= config_.max_queued; ++i) {
    std::optional<TamContact> contact = agent_.RequestPolicyCheck();
    if (!contact) break;
    Enqueue(std::move(*contact));
  }
  // Until this round ends, the next check is one interval away (a failure shortens it).
  next_check_ms_ = clock_.MonotonicMillis() + config_.backoff.policy_check_interval_ms;
}

void BrokerCore::Enqueue(TamContact contact) {
  if (queue_.size() >= config_.max_queued) {
    ++stats_.contacts_dropped;
    return;
  }
  queue_.push_back(std::move(contact));
}

void BrokerCore::Activate() {
  if (active_ || queue_.empty()) return;
  active_.emplace(std::move(queue_.front()), config_.max_round_trips);
  queue_.pop_front();
}

const HttpPost* BrokerCore::CurrentPost() {
  Activate();
  if (!active_) return nullptr;
  return &active_->pending_post();
}

void BrokerCore::OnHttpResponse(int http_status, ByteView body) {
  if (!active_) return;
  (void)active_->OnHttpResponse(http_status, body, agent_);
  Finish();
}

void BrokerCore::OnTransportFailure() {
  if (!active_) return;
  (void)active_->OnTransportFailure(agent_);
  Finish();
}

void BrokerCore::Finish() {
  if (active_->state() == SessionState::kAwaitingResponse) return;
  if (active_->state() == SessionState::kSucceeded) {
    ++stats_.sessions_succeeded;
  } else {
    ++stats_.sessions_failed;
    stats_.last_failure = active_->failure();
    round_failed_ = true;
  }
  active_.reset();
  if (!queue_.empty()) return;
  // The round is over: the next policy check after the regular interval, or - when any
  // session failed - after a growing, jittered backoff.
  const int64_t delay = round_failed_ ? backoff_.OnFailure() : backoff_.OnSuccess();
  next_check_ms_ = clock_.MonotonicMillis() + delay;
  round_failed_ = false;
}

}  // namespace teepnet::broker
