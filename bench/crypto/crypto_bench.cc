// Per-operation cost of the crypto/ wrappers next to the same operation straight on EVP
// (crypto/bench_baseline.h), so the report can give "teepnet / bare OpenSSL" ratios measured
// side by side in one run. Pairs are named BM_<Op>_Teepnet and BM_<Op>_Bare.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/ecdh.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::crypto {
namespace {

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * 1024;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "crypto_bench: %s\n", what);
  std::abort();
}

PrivateKey NewKey(KeyType type) {
  auto key = PrivateKey::Generate(type);
  if (!key.ok()) Die("key generation failed");
  return std::move(key).value();
}

// A message the size of a typical COSE Sig_structure.
const Bytes& Message() {
  static const Bytes msg(256, 0x61);
  return msg;
}

// ---- Signatures ------------------------------------------------------------------------

void BM_Es256Sign_Teepnet(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kP256);
  for (auto _ : state) {
    auto sig = Sign(key, SignatureAlgorithm::kEcdsaSha256, Message());
    if (!sig.ok()) Die("ES256 sign failed");
    benchmark::DoNotOptimize(sig->data());
  }
}

void BM_Es256Sign_Bare(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kP256);
  baseline::BareSigner signer(key, HashAlgorithm::kSha256);
  for (auto _ : state) {
    Bytes sig;
    if (!signer.Sign(Message(), sig)) Die("bare ES256 sign failed");
    benchmark::DoNotOptimize(sig.data());
  }
}

void BM_Es256Verify_Teepnet(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kP256);
  const PublicKey pub = key.public_key();
  auto sig = Sign(key, SignatureAlgorithm::kEcdsaSha256, Message());
  if (!sig.ok()) Die("ES256 sign failed");
  for (auto _ : state) {
    Status st = Verify(pub, SignatureAlgorithm::kEcdsaSha256, Message(), *sig);
    if (!st.ok()) Die("ES256 verify failed");
  }
}

// The bare verifier takes the DER the signer produced; the r||s -> DER conversion teepnet
// does per call is part of what the ratio measures.
void BM_Es256Verify_Bare(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kP256);
  baseline::BareSigner signer(key, HashAlgorithm::kSha256);
  Bytes der;
  if (!signer.Sign(Message(), der)) Die("bare ES256 sign failed");
  baseline::BareVerifier verifier(key.public_key(), HashAlgorithm::kSha256);
  for (auto _ : state) {
    if (!verifier.VerifyDer(Message(), der)) Die("bare ES256 verify failed");
  }
}

void BM_Ed25519Sign_Teepnet(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kEd25519);
  for (auto _ : state) {
    auto sig = Sign(key, SignatureAlgorithm::kEd25519, Message());
    if (!sig.ok()) Die("Ed25519 sign failed");
    benchmark::DoNotOptimize(sig->data());
  }
}

void BM_Ed25519Sign_Bare(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kEd25519);
  baseline::BareSigner signer(key, HashAlgorithm::kSha256);
  for (auto _ : state) {
    Bytes sig;
    if (!signer.Sign(Message(), sig)) Die("bare Ed25519 sign failed");
    benchmark::DoNotOptimize(sig.data());
  }
}

void BM_Ed25519Verify_Teepnet(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kEd25519);
  const PublicKey pub = key.public_key();
  auto sig = Sign(key, SignatureAlgorithm::kEd25519, Message());
  if (!sig.ok()) Die("Ed25519 sign failed");
  for (auto _ : state) {
    Status st = Verify(pub, SignatureAlgorithm::kEd25519, Message(), *sig);
    if (!st.ok()) Die("Ed25519 verify failed");
  }
}

void BM_Ed25519Verify_Bare(benchmark::State& state) {
  const PrivateKey key = NewKey(KeyType::kEd25519);
  auto sig = Sign(key, SignatureAlgorithm::kEd25519, Message());
  if (!sig.ok()) Die("Ed25519 sign failed");
  baseline::BareVerifier verifier(key.public_key(), HashAlgorithm::kSha256);
  for (auto _ : state) {
    if (!verifier.VerifyEd25519(Message(), *sig)) Die("bare Ed25519 verify failed");
  }
}

// ---- Key agreement ---------------------------------------------------------------------

// The peer key is imported from its raw encoding once, as HPKE's Decap does with `enc`, so
// the import-time validation is outside the loop and only the derive is timed.
PublicKey PeerFor(KeyType type) {
  const PrivateKey peer = NewKey(type);
  auto pub = PublicKey::FromRaw(type, peer.public_key().RawPublic());
  if (!pub.ok()) Die("peer import failed");
  return std::move(pub).value();
}

void BM_Ecdh_Teepnet(benchmark::State& state, KeyType type) {
  const PrivateKey mine = NewKey(type);
  const PublicKey theirs = PeerFor(type);
  for (auto _ : state) {
    auto shared = Ecdh(mine, theirs);
    if (!shared.ok()) Die("ECDH failed");
    benchmark::DoNotOptimize(shared->view().data());
  }
}

void BM_Ecdh_Bare(benchmark::State& state, KeyType type) {
  const PrivateKey mine = NewKey(type);
  const PublicKey theirs = PeerFor(type);
  for (auto _ : state) {
    Bytes shared;
    if (!baseline::BareDerive(mine, theirs, shared)) Die("bare ECDH failed");
    benchmark::DoNotOptimize(shared.data());
  }
}

// Importing a peer's raw public key: HPKE does this once per Decap, so its validation cost
// lands on every open.
void BM_PublicKeyFromRaw_Teepnet(benchmark::State& state, KeyType type) {
  const Bytes raw = NewKey(type).public_key().RawPublic();
  for (auto _ : state) {
    auto pub = PublicKey::FromRaw(type, raw);
    if (!pub.ok()) Die("public key import failed");
    benchmark::DoNotOptimize(&pub.value());
  }
}

// ---- HKDF ------------------------------------------------------------------------------

// One extract and one 32-byte expand, the shape of each HPKE LabeledExtract/LabeledExpand
// pair.
void BM_HkdfSha256_Teepnet(benchmark::State& state) {
  const Bytes salt(32, 0x01), ikm(32, 0x02), info(40, 0x03);
  for (auto _ : state) {
    auto prk = HkdfExtract(HashAlgorithm::kSha256, salt, ikm);
    if (!prk.ok()) Die("HKDF extract failed");
    auto okm = HkdfExpand(HashAlgorithm::kSha256, prk->view(), info, 32);
    if (!okm.ok()) Die("HKDF expand failed");
    benchmark::DoNotOptimize(okm->view().data());
  }
}

void BM_HkdfSha256_Bare(benchmark::State& state) {
  const Bytes salt(32, 0x01), ikm(32, 0x02), info(40, 0x03);
  for (auto _ : state) {
    Bytes okm(32);
    if (!baseline::BareHkdf(HashAlgorithm::kSha256, salt, ikm, info, okm)) {
      Die("bare HKDF failed");
    }
    benchmark::DoNotOptimize(okm.data());
  }
}

// ---- AEAD ------------------------------------------------------------------------------

void BM_Aes128GcmSeal_Teepnet(benchmark::State& state) {
  const Bytes key(16, 7), nonce(12, 9), aad(16, 1);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  for (auto _ : state) {
    auto sealed = AeadSeal(AeadAlgorithm::kAes128Gcm, key, nonce, aad, plaintext);
    if (!sealed.ok()) Die("AES-GCM seal failed");
    benchmark::DoNotOptimize(sealed->data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

// A fresh output buffer per message, as AeadSeal returns a new one.
void BM_Aes128GcmSeal_Bare(benchmark::State& state) {
  const Bytes key(16, 7), nonce(12, 9), aad(16, 1);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  for (auto _ : state) {
    Bytes out;
    if (!baseline::BareAesGcmSeal(key, nonce, aad, plaintext, out)) Die("bare seal failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Aes128GcmOpen_Teepnet(benchmark::State& state) {
  const Bytes key(16, 7), nonce(12, 9), aad(16, 1);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  auto sealed = AeadSeal(AeadAlgorithm::kAes128Gcm, key, nonce, aad, plaintext);
  if (!sealed.ok()) Die("AES-GCM seal failed");
  for (auto _ : state) {
    auto opened = AeadOpen(AeadAlgorithm::kAes128Gcm, key, nonce, aad, *sealed);
    if (!opened.ok()) Die("AES-GCM open failed");
    benchmark::DoNotOptimize(opened->view().data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Aes128GcmOpen_Bare(benchmark::State& state) {
  const Bytes key(16, 7), nonce(12, 9), aad(16, 1);
  const Bytes plaintext(static_cast<size_t>(state.range(0)), 0xa5);
  auto sealed = AeadSeal(AeadAlgorithm::kAes128Gcm, key, nonce, aad, plaintext);
  if (!sealed.ok()) Die("AES-GCM seal failed");
  baseline::BareAead aead(AeadAlgorithm::kAes128Gcm);
  for (auto _ : state) {
    Bytes out;
    if (!aead.Open(key, nonce, aad, *sealed, out)) Die("bare open failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_Es256Sign_Teepnet);
BENCHMARK(BM_Es256Sign_Bare);
BENCHMARK(BM_Es256Verify_Teepnet);
BENCHMARK(BM_Es256Verify_Bare);
BENCHMARK(BM_Ed25519Sign_Teepnet);
BENCHMARK(BM_Ed25519Sign_Bare);
BENCHMARK(BM_Ed25519Verify_Teepnet);
BENCHMARK(BM_Ed25519Verify_Bare);
BENCHMARK_CAPTURE(BM_Ecdh_Teepnet, X25519, KeyType::kX25519);
BENCHMARK_CAPTURE(BM_Ecdh_Bare, X25519, KeyType::kX25519);
BENCHMARK_CAPTURE(BM_Ecdh_Teepnet, P256, KeyType::kP256);
BENCHMARK_CAPTURE(BM_Ecdh_Bare, P256, KeyType::kP256);
BENCHMARK_CAPTURE(BM_PublicKeyFromRaw_Teepnet, X25519, KeyType::kX25519);
BENCHMARK_CAPTURE(BM_PublicKeyFromRaw_Teepnet, P256, KeyType::kP256);
BENCHMARK(BM_HkdfSha256_Teepnet);
BENCHMARK(BM_HkdfSha256_Bare);
BENCHMARK(BM_Aes128GcmSeal_Teepnet)->Arg(kKiB)->Arg(kMiB);
BENCHMARK(BM_Aes128GcmSeal_Bare)->Arg(kKiB)->Arg(kMiB);
BENCHMARK(BM_Aes128GcmOpen_Teepnet)->Arg(kKiB)->Arg(kMiB);
BENCHMARK(BM_Aes128GcmOpen_Bare)->Arg(kKiB)->Arg(kMiB);

}  // namespace
}  // namespace teepnet::crypto

BENCHMARK_MAIN();
