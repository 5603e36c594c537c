// Whole-file helpers for tools and tests (bounded: a file over `max_size` is refused).
#ifndef TEEPNET_BASE_FILE_H_
#define TEEPNET_BASE_FILE_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet {

inline constexpr size_t kDefaultMaxFileSize = 256u << 20;  // 256 MiB

Result<Bytes> ReadFile(const std::string& path, size_t max_size = kDefaultMaxFileSize);
// Reads standard input to its end.
Result<Bytes> ReadStdin(size_t max_size = kDefaultMaxFileSize);
// Writes via a temporary file and rename, so readers never see a half-written file.
Status WriteFileAtomic(const std::string& path, ByteView data, unsigned mode = 0644);

}  // namespace teepnet

#endif  // TEEPNET_BASE_FILE_H_
