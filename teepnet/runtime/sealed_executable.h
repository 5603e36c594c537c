// A program image copied into a memfd and sealed, so that neither the launcher, the REE nor
// the TA can change the bytes between measurement and execution; the measurement is the
// SHA-256 of the sealed contents, read back from the memfd after sealing.
#ifndef TEEPNET_RUNTIME_SEALED_EXECUTABLE_H_
#define TEEPNET_RUNTIME_SEALED_EXECUTABLE_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

// Largest image we copy into memory: TAs are small programs.
inline constexpr size_t kMaxExecutableBytes = 256u << 20;

class SealedExecutable {
 public:
  // `name` becomes the memfd name ("/memfd:<name> (deleted)" on the host).
  static Result<SealedExecutable> FromBytes(const std::string& name, ByteView image);
  static Result<SealedExecutable> FromFile(const std::string& name, const std::string& path);

  SealedExecutable(SealedExecutable&& other) noexcept;
  SealedExecutable& operator=(SealedExecutable&& other) noexcept;
  SealedExecutable(const SealedExecutable&) = delete;
  SealedExecutable& operator=(const SealedExecutable&) = delete;
  ~SealedExecutable();

  // The sealed memfd (close-on-exec; owned).
  int fd() const { return fd_; }
  size_t size() const { return size_; }
  // SHA-256 over the sealed bytes.
  const Bytes& measurement() const { return measurement_; }

 private:
  SealedExecutable() = default;
  int fd_ = -1;
  size_t size_ = 0;
  Bytes measurement_;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_SEALED_EXECUTABLE_H_
