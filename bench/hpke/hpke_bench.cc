// HPKE single-shot seal and open (RFC 9180 §6) next to a bare AES-128-GCM seal of the same
// size, so the report shows what the KEM, key schedule and API layers cost on top of the
// AEAD. Target: HPKE seal of 1 MiB within 1.2x of bare AES-GCM.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/random.h"
#include "teepnet/hpke/dhkem.h"
#include "teepnet/hpke/single_shot.h"

namespace teepnet::hpke {
namespace {

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * 1024;

const Suite kX25519Aes128{KemId::kX25519HkdfSha256, KdfId::kHkdfSha256, AeadId::kAes128Gcm};
const Suite kP256Aes128{KemId::kP256HkdfSha256, KdfId::kHkdfSha256, AeadId::kAes128Gcm};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "hpke_bench: %s\n", what);
  std::abort();
}

KeyPair RecipientFor(const Suite& suite) {
  auto kem = Dhkem::Create(suite.kem);
  if (!kem.ok()) Die("no KEM");
  auto pair = kem->GenerateKeyPair(crypto::SystemRandom::Get());
  if (!pair.ok()) Die("key generation failed");
  return std::move(pair).value();
}

void BM_HpkeSealBase(benchmark::State& state, Suite suite) {
  const KeyPair recipient = RecipientFor(suite);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  const Bytes aad(16, 1);
  for (auto _ : state) {
    auto sealed =
        SealBase(suite, recipient.public_key, {}, aad, plaintext, crypto::SystemRandom::Get());
    if (!sealed.ok()) Die("seal failed");
    benchmark::DoNotOptimize(sealed->ciphertext.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_HpkeOpenBase(benchmark::State& state, Suite suite) {
  const KeyPair recipient = RecipientFor(suite);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  const Bytes aad(16, 1);
  auto sealed =
      SealBase(suite, recipient.public_key, {}, aad, plaintext, crypto::SystemRandom::Get());
  if (!sealed.ok()) Die("seal failed");
  for (auto _ : state) {
    auto opened = OpenBase(suite, sealed->enc, recipient.private_key, {}, aad, sealed->ciphertext);
    if (!opened.ok()) Die("open failed");
    benchmark::DoNotOptimize(opened->view().data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

// The floor: AES-128-GCM straight on EVP (crypto/bench_baseline.h) over the same bytes, with
// a fresh output buffer per message as HPKE's single-shot seal allocates its ciphertext.
void BM_BareAesGcmSeal(benchmark::State& state) {
  const Bytes key(16, 7);
  const Bytes nonce(12, 9);
  const Bytes aad(16, 1);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  for (auto _ : state) {
    Bytes out;
    if (!crypto::baseline::BareAesGcmSeal(key, nonce, aad, plaintext, out)) {
      Die("bare seal failed");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_BareAesGcmSeal)->Arg(kKiB)->Arg(kMiB);
BENCHMARK_CAPTURE(BM_HpkeSealBase, X25519_Aes128Gcm, kX25519Aes128)->Arg(kKiB)->Arg(kMiB);
BENCHMARK_CAPTURE(BM_HpkeOpenBase, X25519_Aes128Gcm, kX25519Aes128)->Arg(kKiB)->Arg(kMiB);
BENCHMARK_CAPTURE(BM_HpkeSealBase, P256_Aes128Gcm, kP256Aes128)->Arg(kKiB)->Arg(kMiB);
BENCHMARK_CAPTURE(BM_HpkeOpenBase, P256_Aes128Gcm, kP256Aes128)->Arg(kKiB)->Arg(kMiB);

}  // namespace
}  // namespace teepnet::hpke

BENCHMARK_MAIN();
