// Appraisals per second for genuine SGX v3 and TDX v4 quotes with verified chains and
// collateral cached, side by side with the bare cost of the two signature verifications every
// appraisal must still do (crypto/bench_baseline.h): the quote signature with the attestation
// key and the QE report signature with the PCK leaf key, ECDSA P-256/SHA-256, over the same
// bytes with the same keys. The appraisal target is >= 90% of that bound; the paired
// benchmarks (bench/support/paired.h) are the figures to read.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/support/paired.h"
#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/crypto/x509.h"

namespace {

using namespace teepnet;
using namespace teepnet::attest;
using crypto::baseline::BareVerifier;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "attest_dcap_bench: %s\n", what);
  std::abort();
}

std::string Vectors() {
  const char* env = std::getenv("TEEPNET_VECTORS");
  return env != nullptr ? env : TEEPNET_DEFAULT_VECTORS;
}

Bytes Load(const std::string& rel) {
  auto b = ReadFile(Vectors() + "/" + rel);
  if (!b.ok()) Die("cannot read a vector file (set TEEPNET_VECTORS)");
  return *b;
}

struct Fixture {
  Bytes quote;
  DcapEndorsements endorsements;
  int64_t at;
};

Fixture Sgx() {
  return {Load("attestation/sgx/dcapqvl-sgx_quote.bin"),
          *DcapEndorsements::FromCollateralJson(
              Load("attestation/sgx/dcapqvl-sgx_quote_collateral.json")),
          1751328000};
}

Fixture Tdx() {
  return {Load("attestation/tdx/dcapqvl-tdx_quote.bin"),
          *DcapEndorsements::FromCollateralJson(
              Load("attestation/tdx/dcapqvl-tdx_quote_collateral.json")),
          1751328000};
}

// The bound: both verifications on exactly the bytes and keys the appraisal uses, each key
// decoded once with its verify context built up front (the attestation key comes in the quote,
// the PCK key from the cached chain), signatures converted to DER in advance.
class BareVerifies {
 public:
  explicit BareVerifies(const Fixture& f) {
    auto q = ParseDcapQuote(f.quote);
    if (!q.ok()) Die("quote does not parse");
    auto ak = crypto::PublicKey::FromCoordinates(
        crypto::KeyType::kP256, q->attestation_key.first(32), q->attestation_key.last(32));
    auto pem = crypto::Certificate::ParsePemBundle(AsChars(q->cert_data));
    if (!ak.ok() || !pem.ok() || pem->empty()) Die("attestation key or PCK chain");
    auto pck = pem->front().public_key();
    if (!pck.ok()) Die("PCK key");
    quote_ = std::make_unique<BareVerifier>(*ak, crypto::HashAlgorithm::kSha256);
    qe_ = std::make_unique<BareVerifier>(*pck, crypto::HashAlgorithm::kSha256);
    signed_region_ = ToBytes(q->signed_region);
    quote_der_ = *crypto::EcdsaRawToDer(q->quote_signature);
    qe_report_ = ToBytes(q->qe_report.raw);
    qe_der_ = *crypto::EcdsaRawToDer(q->qe_report_signature);
    if (!Verify()) Die("bare verify rejects the quote");
  }
  bool Verify() {
    return quote_->VerifyDer(signed_region_, quote_der_) && qe_->VerifyDer(qe_report_, qe_der_);
  }

 private:
  std::unique_ptr<BareVerifier> quote_, qe_;
  Bytes signed_region_, quote_der_, qe_report_, qe_der_;
};

void BareVerify(benchmark::State& state, const Fixture& f) {
  BareVerifies bare(f);
  for (auto _ : state) {
    if (!bare.Verify()) Die("bare verify failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SgxBareTwoVerifies(benchmark::State& state) {
  BareVerify(state, Sgx());
}
void BM_TdxBareTwoVerifies(benchmark::State& state) {
  BareVerify(state, Tdx());
}

void BM_SgxAppraiseCached(benchmark::State& state) {
  Fixture f = Sgx();
  DcapVerificationCache cache;
  SgxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseSgx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) Die("SGX appraisal");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TdxAppraiseCached(benchmark::State& state) {
  Fixture f = Tdx();
  DcapVerificationCache cache;
  TdxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseTdx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) Die("TDX appraisal");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TdxAppraiseUncached(benchmark::State& state) {
  Fixture f = Tdx();
  TdxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseTdx(f.quote, f.endorsements, policy, f.at);
    if (!a.ok()) Die("TDX appraisal");
  }
  state.SetItemsProcessed(state.iterations());
}

template <typename Appraise>
void PairedWithBare(benchmark::State& state, const Fixture& f, Appraise appraise) {
  BareVerifies bare(f);
  appraise();  // chains and collateral are verified once, outside the timing
  teepnet::bench::Paired(state, appraise, [&bare] {
    if (!bare.Verify()) Die("bare verify failed");
  });
}

void BM_SgxAppraiseVsBareVerifiesPaired(benchmark::State& state) {
  Fixture f = Sgx();
  DcapVerificationCache cache;
  SgxPolicy policy;
  PairedWithBare(state, f, [&] {
    auto a = AppraiseSgx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) Die("SGX appraisal");
    benchmark::DoNotOptimize(a->trust);
  });
}

void BM_TdxAppraiseVsBareVerifiesPaired(benchmark::State& state) {
  Fixture f = Tdx();
  DcapVerificationCache cache;
  TdxPolicy policy;
  PairedWithBare(state, f, [&] {
    auto a = AppraiseTdx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) Die("TDX appraisal");
    benchmark::DoNotOptimize(a->trust);
  });
}

BENCHMARK(BM_SgxBareTwoVerifies)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxAppraiseCached)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxAppraiseVsBareVerifiesPaired)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxBareTwoVerifies)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxAppraiseCached)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxAppraiseVsBareVerifiesPaired)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxAppraiseUncached)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
