// COSE_Sign1 sign and verify (ES256 and Ed25519) on 64-byte and 4 KiB payloads, side by side
// with bare OpenSSL (crypto/bench_baseline.h) signing / verifying the identical Sig_structure
// bytes. Our verify includes decoding the message, the header checks, building the
// Sig_structure and the raw->DER conversion. Target: Sign1 verify <= 1.05x bare verify.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/cose/sign1.h"
#include "teepnet/cose/structures.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::cose {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "cose_bench: %s\n", what);
  std::abort();
}

struct Fixture {
  crypto::PrivateKey key;
  Algorithm alg;
  Bytes payload;
  Bytes message;
  Bytes sig_structure;
  Bytes bare_signature;  // DER for ECDSA, raw for Ed25519

  Fixture(crypto::KeyType type, Algorithm a, size_t size)
      : key(*crypto::PrivateKey::Generate(type)), alg(a), payload(size, 0xa5) {
    Sign1Options o;
    o.alg = alg;
    auto m = CreateSign1(key, payload, o);
    if (!m.ok()) Die("sign failed");
    message = std::move(m).value();
    auto decoded = Sign1Message::Decode(message);
    if (!decoded.ok()) Die("decode failed");
    sig_structure = SigStructure1(decoded->headers().protected_bytes, {}, payload);
    Bytes raw = ToBytes(decoded->signature());
    bare_signature = type == crypto::KeyType::kEd25519 ? raw : *crypto::EcdsaRawToDer(raw);
  }
};

crypto::HashAlgorithm Sha256() {
  return crypto::HashAlgorithm::kSha256;
}

void BM_Sign1Verify(benchmark::State& state, crypto::KeyType type, Algorithm alg) {
  Fixture f(type, alg, static_cast<size_t>(state.range(0)));
  const crypto::PublicKey pub = f.key.public_key();
  for (auto _ : state) {
    auto m = Sign1Message::Decode(f.message);
    auto payload = m->Verify(pub);
    if (!payload.ok()) Die("verify failed");
    benchmark::DoNotOptimize(payload->data());
  }
}

void BM_BareVerify(benchmark::State& state, crypto::KeyType type) {
  Fixture f(type, type == crypto::KeyType::kEd25519 ? Algorithm::kEd25519 : Algorithm::kES256,
            static_cast<size_t>(state.range(0)));
  crypto::baseline::BareVerifier v(f.key.public_key(), Sha256());
  const bool ed = type == crypto::KeyType::kEd25519;
  for (auto _ : state) {
    bool ok = ed ? v.VerifyEd25519(f.sig_structure, f.bare_signature)
                 : v.VerifyDer(f.sig_structure, f.bare_signature);
    if (!ok) Die("bare verify failed");
  }
}

void BM_Sign1Sign(benchmark::State& state, crypto::KeyType type, Algorithm alg) {
  Fixture f(type, alg, static_cast<size_t>(state.range(0)));
  Sign1Options o;
  o.alg = alg;
  for (auto _ : state) {
    auto m = CreateSign1(f.key, f.payload, o);
    if (!m.ok()) Die("sign failed");
    benchmark::DoNotOptimize(m->data());
  }
}

void BM_BareSign(benchmark::State& state, crypto::KeyType type) {
  Fixture f(type, type == crypto::KeyType::kEd25519 ? Algorithm::kEd25519 : Algorithm::kES256,
            static_cast<size_t>(state.range(0)));
  crypto::baseline::BareSigner s(f.key, Sha256());
  Bytes out;
  for (auto _ : state) {
    if (!s.Sign(f.sig_structure, out)) Die("bare sign failed");
    benchmark::DoNotOptimize(out.data());
  }
}

BENCHMARK_CAPTURE(BM_Sign1Verify, ES256, crypto::KeyType::kP256, Algorithm::kES256)
    ->Arg(64)
    ->Arg(4096);
BENCHMARK_CAPTURE(BM_BareVerify, ES256, crypto::KeyType::kP256)->Arg(64)->Arg(4096);
BENCHMARK_CAPTURE(BM_Sign1Verify, Ed25519, crypto::KeyType::kEd25519, Algorithm::kEd25519)
    ->Arg(64)
    ->Arg(4096);
BENCHMARK_CAPTURE(BM_BareVerify, Ed25519, crypto::KeyType::kEd25519)->Arg(64)->Arg(4096);
BENCHMARK_CAPTURE(BM_Sign1Sign, ES256, crypto::KeyType::kP256, Algorithm::kES256)
    ->Arg(64)
    ->Arg(4096);
BENCHMARK_CAPTURE(BM_BareSign, ES256, crypto::KeyType::kP256)->Arg(64)->Arg(4096);
BENCHMARK_CAPTURE(BM_Sign1Sign, Ed25519, crypto::KeyType::kEd25519, Algorithm::kEd25519)
    ->Arg(64)
    ->Arg(4096);
BENCHMARK_CAPTURE(BM_BareSign, Ed25519, crypto::KeyType::kEd25519)->Arg(64)->Arg(4096);

}  // namespace
}  // namespace teepnet::cose

BENCHMARK_MAIN();
