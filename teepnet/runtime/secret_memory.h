// SecretMemory: a buffer for a TA's secrets (its PD, its HPKE private key) that, where the
// kernel allows, lives in memfd_secret(2) memory. Such pages are removed from the kernel's
// direct map, so even root on the REE side cannot read them through /proc/<pid>/mem (measured
// on the dev machine: EIO, spec/instance-runtimes.md §1). That is the closest Linux comes to
// "the REE cannot read TA memory" without TEE hardware.
//
// Where memfd_secret is unavailable (kernel without CONFIG_SECRETMEM, secretmem.enable=0,
// seccomp), the buffer falls back to anonymous memory that is excluded from core dumps
// (MADV_DONTDUMP) and locked in RAM when RLIMIT_MEMLOCK allows, and says why in
// fallback_reason(). Either way the bytes are wiped before the memory is released.
#ifndef TEEPNET_RUNTIME_SECRET_MEMORY_H_
#define TEEPNET_RUNTIME_SECRET_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

class SecretMemory {
 public:
  SecretMemory() = default;
  // Maps `size` bytes (zeroed). Fails only when no memory at all can be mapped.
  static Result<SecretMemory> Allocate(size_t size);
  // Allocate(bytes.size()) and copy `bytes` in.
  static Result<SecretMemory> CopyOf(ByteView bytes);
  ~SecretMemory();

  SecretMemory(SecretMemory&& other) noexcept;
  SecretMemory& operator=(SecretMemory&& other) noexcept;
  SecretMemory(const SecretMemory&) = delete;
  SecretMemory& operator=(const SecretMemory&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ByteView view() const { return ByteView(data_, size_); }
  std::span<uint8_t> mutable_view() { return std::span<uint8_t>(data_, size_); }

  // True when the bytes live in memfd_secret memory.
  bool is_secretmem() const { return secretmem_; }
  // Why memfd_secret was not used ("" when it was).
  const std::string& fallback_reason() const { return fallback_reason_; }

 private:
  void Release();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
  bool secretmem_ = false;
  std::string fallback_reason_;
};

// memfd_secret(2) is syscall 447 on every architecture that has it; glibc 2.36 has no wrapper.
inline constexpr long kSysMemfdSecret = 447;

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_SECRET_MEMORY_H_
