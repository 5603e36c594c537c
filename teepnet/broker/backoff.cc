#include "teepnet/broker/backoff.h"

#include <algorithm>
#include <array>

namespace teepnet::broker {

Backoff::Backoff(BackoffConfig config, Random& random) : config_(config), random_(random) {}

int64_t Backoff::OnFailure() {
  ++failures_;
  // min(initial * multiplier^(failures-1), max), computed without overflow: stop multiplying
  // once the cap is reached.
  int64_t delay = std::max<int64_t>(config_.initial_backoff_ms, 0);
  for (uint32_t i = 1; i < failures_ && delay < config_.max_backoff_ms; ++i) {
    delay = delay > config_.max_backoff_ms / std::max<uint32_t>(config_.multiplier, 1)
                ? config_.max_backoff_ms
                : delay * std::max<uint32_t>(config_.multiplier, 1);
  }
  delay = std::min(delay, config_.max_backoff_ms);
  const double jitter = std::clamp(config_.jitter, 0.0, 1.0);
  if (jitter == 0.0 || delay == 0) return delay;
  std::array<uint8_t, 4> bytes{};
  if (!random_.Fill(bytes).ok()) return delay;
  const uint32_t draw = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                        (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
  // Uniform in [d * (1 - jitter), d].
  const double fraction = static_cast<double>(draw) / 4294967295.0;
  const int64_t span = static_cast<int64_t>(static_cast<double>(delay) * jitter);
  return delay - static_cast<int64_t>(static_cast<double>(span) * fraction);
}

int64_t Backoff::OnSuccess() {
  failures_ = 0;
  return config_.policy_check_interval_ms;
}

}  // namespace teepnet::broker
