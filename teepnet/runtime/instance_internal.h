// Helpers shared by the process backends (internal to teepnet/runtime).
#ifndef TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_
#define TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_

#include <string>

#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

inline constexpr size_t kMaxInstanceName = 32;

// Name, executable and log path present and well-formed.
Status ValidateSpec(const InstanceSpec& spec);
// Opens (creating 0600, appending, never through a symlink) the instance's log.
Result<int> OpenLog(const std::string& path);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_INSTANCE_INTERNAL_H_
