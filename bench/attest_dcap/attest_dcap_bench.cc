// Appraisals per second for genuine SGX v3 and TDX v4 quotes with verified chains cached,
// side by side with the bare cost of the signature verifications every appraisal must still
// do (quote signature + QE report signature, ECDSA P-256, with the key decode for the
// attestation key). The appraisal target is >= 90% of that bound.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/crypto/x509.h"

namespace {

using namespace teepnet;
using namespace teepnet::attest;

std::string Vectors() {
  const char* env = std::getenv("TEEPNET_VECTORS");
  return env != nullptr ? env : TEEPNET_DEFAULT_VECTORS;
}

Bytes Load(const std::string& rel) {
  auto b = ReadFile(Vectors() + "/" + rel);
  if (!b.ok()) std::abort();
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

void BareVerify(benchmark::State& state, const Fixture& f) {
  auto q = ParseDcapQuote(f.quote);
  auto pem = crypto::Certificate::ParsePemBundle(AsChars(q->cert_data));
  auto pck_key = pem->front().public_key();
  for (auto _ : state) {
    auto key = crypto::PublicKey::FromCoordinates(
        crypto::KeyType::kP256, q->attestation_key.first(32), q->attestation_key.last(32));
    bool ok = crypto::Verify(*key, crypto::SignatureAlgorithm::kEcdsaSha256, q->signed_region,
                             q->quote_signature)
                  .ok() &&
              crypto::Verify(*pck_key, crypto::SignatureAlgorithm::kEcdsaSha256, q->qe_report.raw,
                             q->qe_report_signature)
                  .ok();
    if (!ok) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SgxBareSignatureVerify(benchmark::State& state) {
  BareVerify(state, Sgx());
}
void BM_TdxBareSignatureVerify(benchmark::State& state) {
  BareVerify(state, Tdx());
}

void BM_SgxAppraiseCached(benchmark::State& state) {
  Fixture f = Sgx();
  DcapVerificationCache cache;
  SgxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseSgx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TdxAppraiseCached(benchmark::State& state) {
  Fixture f = Tdx();
  DcapVerificationCache cache;
  TdxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseTdx(f.quote, f.endorsements, policy, f.at, &cache);
    if (!a.ok() || a->Overall() == Tier::kContraindicated) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TdxAppraiseUncached(benchmark::State& state) {
  Fixture f = Tdx();
  TdxPolicy policy;
  for (auto _ : state) {
    auto a = AppraiseTdx(f.quote, f.endorsements, policy, f.at);
    if (!a.ok()) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SgxBareSignatureVerify);
BENCHMARK(BM_SgxAppraiseCached);
BENCHMARK(BM_TdxBareSignatureVerify);
BENCHMARK(BM_TdxAppraiseCached);
BENCHMARK(BM_TdxAppraiseUncached);

}  // namespace

BENCHMARK_MAIN();
