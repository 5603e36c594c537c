// The CSPRNG (OpenSSL RAND_bytes) behind the base Random interface.
#ifndef TEEPNET_CRYPTO_RANDOM_H_
#define TEEPNET_CRYPTO_RANDOM_H_

#include "teepnet/base/random.h"

namespace teepnet::crypto {

class SystemRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override;
  // One process-wide instance (stateless; safe from any thread).
  static SystemRandom& Get();
};

// Convenience: n fresh random bytes.
Result<Bytes> RandomBytes(size_t n);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_RANDOM_H_
