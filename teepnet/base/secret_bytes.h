// SecretBytes: key material and plaintext that must not outlive its use. The buffer is wiped
// (explicit_bzero, which the compiler may not elide) on destruction, on reassignment and on
// resize, and copying is explicit (Clone) so secrets do not multiply by accident.
// Reaching the bytes is greppable: secret.view() / secret.mutable_view().
#ifndef TEEPNET_BASE_SECRET_BYTES_H_
#define TEEPNET_BASE_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"

namespace teepnet {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size);
  explicit SecretBytes(ByteView bytes);
  ~SecretBytes();

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes Clone() const { return SecretBytes(view()); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ByteView view() const { return ByteView(data_, size_); }
  std::span<uint8_t> mutable_view() { return std::span<uint8_t>(data_, size_); }

  // Shrinks the visible size (the tail is wiped); never grows.
  void Truncate(size_t size);
  // Wipes and frees.
  void Clear();

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Overwrites memory so that the write is not optimised away.
void SecureWipe(void* data, size_t size);

}  // namespace teepnet

#endif  // TEEPNET_BASE_SECRET_BYTES_H_
