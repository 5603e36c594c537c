// Counts the signatures and verifications this process makes, so the TEEP exchange benches
// can report how many of each one exchange costs (counted, not assumed) and compute the
// crypto bound from it.
//
// How: crypto_counter.cc defines EVP_DigestSign, EVP_DigestVerify and EVP_PKEY_verify (the
// ECDSA path verifies a digest) itself, counts the call
// and forwards to libcrypto's definition (dlsym(RTLD_NEXT)). teepnet/crypto is a static
// library linked into the bench program, so its calls bind to these definitions; OpenSSL's
// internal calls do not. Every teepnet signature and verification (ECDSA, EdDSA, RSA, SM2)
// goes through these calls (teepnet/crypto/signature.cc). Benchmark programs
// only: crypto_counter.cc must be listed in the program's own SRCS (an object in a static
// library would only be linked if something else pulled it in).
#ifndef BENCH_TEEP_EXCHANGE_CRYPTO_COUNTER_H_
#define BENCH_TEEP_EXCHANGE_CRYPTO_COUNTER_H_

#include <cstdint>

namespace teepnet::bench {

struct CryptoCounts {
  uint64_t signs = 0;
  uint64_t verifies = 0;

  CryptoCounts operator-(const CryptoCounts& o) const {
    return {signs - o.signs, verifies - o.verifies};
  }
  CryptoCounts& operator+=(const CryptoCounts& o) {
    signs += o.signs;
    verifies += o.verifies;
    return *this;
  }
};

// Process-wide totals so far (all threads).
CryptoCounts CountedCrypto();
// False when the program was linked without crypto_counter.cc's definitions taking effect
// (then the counts stay zero and a bench must not report them).
bool CryptoCounterActive();

}  // namespace teepnet::bench

#endif  // BENCH_TEEP_EXCHANGE_CRYPTO_COUNTER_H_
