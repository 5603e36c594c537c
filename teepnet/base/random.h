// Randomness comes in through an interface. Production code uses crypto::SystemRandom
// (OpenSSL's CSPRNG, in crypto/); tests use ReplayRandom to replay the fixed "random" streams
// that test vectors specify (IVs, ephemeral keys) so outputs are byte-reproducible.
#ifndef TEEPNET_BASE_RANDOM_H_
#define TEEPNET_BASE_RANDOM_H_

#include <cstdint>
#include <span>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Fails only if the source is exhausted or broken; callers
  // must not continue with partially filled buffers.
  virtual Status Fill(std::span<uint8_t> out) = 0;
};

// Hands out a fixed byte stream, in order; fails once it runs dry. Test-only by intent.
class ReplayRandom final : public Random {
 public:
  explicit ReplayRandom(Bytes stream) : stream_(std::move(stream)) {}
  Status Fill(std::span<uint8_t> out) override;
  size_t remaining() const { return stream_.size() - pos_; }

 private:
  Bytes stream_;
  size_t pos_ = 0;
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_RANDOM_H_
