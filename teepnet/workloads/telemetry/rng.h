// A small seeded generator (xoshiro256**, seeded through SplitMix64) for the flow generator and
// the trainer. Not for secrets: it exists so that a seed reproduces the same telemetry and the
// same model on every platform, which <random>'s distributions do not promise.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_RNG_H_
#define TEEPNET_WORKLOADS_TELEMETRY_RNG_H_

#include <cstddef>
#include <cstdint>

namespace teepnet::workloads::telemetry {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) word = SplitMix(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform in [0, n) for n > 0 (modulo; the bias is below n / 2^64, negligible for the n here).
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform integer in [lo, hi].
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Uniform() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  uint64_t s_[4];
};

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_RNG_H_
