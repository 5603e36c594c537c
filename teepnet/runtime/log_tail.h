// The end of an instance's log file: what a launcher quotes when an instance fails, so the error
// names the reason the TA or the guest printed last. The logs are the device's own files
// (instance.h), so quoting them reveals nothing the REE could not read already.
#ifndef TEEPNET_RUNTIME_LOG_TAIL_H_
#define TEEPNET_RUNTIME_LOG_TAIL_H_

#include <cstddef>
#include <string>

namespace teepnet::runtime {

// The last `max_bytes` of the file at `path` ("" when it cannot be read or is empty).
std::string ReadLogTail(const std::string& path, size_t max_bytes);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_LOG_TAIL_H_
