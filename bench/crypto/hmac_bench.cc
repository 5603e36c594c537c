// HMAC-SHA-256 over a QueryRequest token's tag input (51 bytes: label, token body): the
// one-shot Hmac(), which keys a fresh context per call, next to an HmacKey keyed once
// (crypto/hmac_key.h), as the TAM's token code uses it. Part of crypto_bench.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/hmac_key.h"

namespace teepnet::crypto {
namespace {

const Bytes& Key() {
  static const Bytes key(32, 0x42);
  return key;
}

const Bytes& TagInput() {
  static const Bytes input(51, 0x17);
  return input;
}

void BM_HmacSha256_OneShot(benchmark::State& state) {
  for (auto _ : state) {
    auto mac = Hmac(HashAlgorithm::kSha256, Key(), TagInput());
    if (!mac.ok()) std::abort();
    benchmark::DoNotOptimize(mac->data());
  }
}

void BM_HmacSha256_HmacKey(benchmark::State& state) {
  // One key shared by every benchmark thread, as the TAM's threads share its token key.
  static const HmacKey* key = [] {
    auto made = HmacKey::Create(HashAlgorithm::kSha256, Key());
    if (!made.ok()) std::abort();
    return new HmacKey(std::move(made).value());
  }();
  for (auto _ : state) {
    auto mac = key->Compute(TagInput());
    if (!mac.ok()) std::abort();
    benchmark::DoNotOptimize(mac->data());
  }
}

BENCHMARK(BM_HmacSha256_OneShot)->ThreadRange(1, 2);
BENCHMARK(BM_HmacSha256_HmacKey)->ThreadRange(1, 2);

}  // namespace
}  // namespace teepnet::crypto
