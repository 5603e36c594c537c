// Helpers shared by the process backends (internal to teepnet/runtime).
#ifndef TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_
#define TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_

#include <cstdint>
#include <ctime>
#include <string>

#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

inline constexpr size_t kMaxInstanceName = 32;

// Name, executable and log path present and well-formed.
Status ValidateSpec(const InstanceSpec& spec);
// Milliseconds on the monotonic clock, for deadlines.
inline int64_t MonotonicMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}
// Opens (creating 0600, appending, never through a symlink) the instance's log.
Result<int> OpenLog(const std::string& path);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_
