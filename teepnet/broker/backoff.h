// When the Broker polls: a periodic policy check (otrp-over-http §"TEEP/HTTP Client": the
// check "MUST be periodic") and, after failures, exponential backoff with random jitter,
// capped, so that many devices that lost their TAM at once do not return in lockstep.
#ifndef TEEPNET_BROKER_BACKOFF_H_
#define TEEPNET_BROKER_BACKOFF_H_

#include <cstdint>

#include "teepnet/base/random.h"

namespace teepnet::broker {

struct BackoffConfig {
  int64_t policy_check_interval_ms = 60 * 60 * 1000;  // after a successful round
  int64_t initial_backoff_ms = 1000;                  // after the first failure
  int64_t max_backoff_ms = 15 * 60 * 1000;            // the cap
  uint32_t multiplier = 2;
  // The delay is drawn uniformly from [d * (1 - jitter), d]; 0 disables jitter. In [0, 1].
  double jitter = 0.5;
};

class Backoff {
 public:
  // `random` must outlive the Backoff.
  Backoff(BackoffConfig config, Random& random);

  // Records a failure and returns how long to wait before the next attempt:
  // min(initial * multiplier^(failures-1), max), jittered. If the Random source fails the
  // un-jittered delay is returned (the longer wait: the safe direction).
  int64_t OnFailure();
  // Records a success and returns the regular policy-check interval.
  int64_t OnSuccess();
  uint32_t consecutive_failures() const { return failures_; }
  const BackoffConfig& config() const { return config_; }

 private:
  BackoffConfig config_;
  Random& random_;
  uint32_t failures_ = 0;
};

}  // namespace teepnet::broker

#endif  // TEEPNET_BROKER_BACKOFF_H_
