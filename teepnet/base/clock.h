// Time comes in through an interface so protocol cores stay free of I/O and tests can move
// time by hand (token expiry, certificate validity, EAR freshness).
#ifndef TEEPNET_BASE_CLOCK_H_
#define TEEPNET_BASE_CLOCK_H_

#include <cstdint>

namespace teepnet {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch (UTC).
  virtual int64_t NowUnixSeconds() const = 0;
  // Monotonic milliseconds, for timeouts and backoff; unrelated to wall time.
  virtual int64_t MonotonicMillis() const = 0;
};

// The real clock (CLOCK_REALTIME / CLOCK_MONOTONIC).
class SystemClock final : public Clock {
 public:
  int64_t NowUnixSeconds() const override;
  int64_t MonotonicMillis() const override;
};

// A clock that moves only when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_seconds) : now_(unix_seconds) {}
  int64_t NowUnixSeconds() const override { return now_; }
  int64_t MonotonicMillis() const override { return mono_ms_; }
  void Advance(int64_t seconds) {
    now_ += seconds;
    mono_ms_ += seconds * 1000;
  }
  void Set(int64_t unix_seconds) { now_ = unix_seconds; }

 private:
  int64_t now_;
  int64_t mono_ms_ = 0;
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_CLOCK_H_
