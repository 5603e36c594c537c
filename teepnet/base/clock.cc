#include "teepnet/base/clock.h"

#include <time.h>

namespace teepnet {

int64_t SystemClock::NowUnixSeconds() const {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec);
}

int64_t SystemClock::MonotonicMillis() const {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace teepnet
