// Appraisals per second for SEV-SNP reports and Hygon CSV reports from the simulated
// platforms, with verified endorsement chains cached (SnpVerifier / CsvVerifier), side by side
// with the bare OpenSSL verification of the same report signature over the same signed bytes
// (crypto/bench_baseline.h) — the bound an appraisal cannot beat: one ECDSA P-384/SHA-384
// verify with the VCEK for SNP, one SM2/SM3 verify with the PEK under the PEK's identifier for
// CSV (the chains above them are cached). Target: appraisal throughput >= 90% of the
// bare-verify throughput; the paired benchmarks (bench/support/paired.h) are the figures to read.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "bench/support/paired.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/csv_sim_platform.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

using bench::Paired;

constexpr int64_t kNow = 1790000000;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "attest_snp_bench: %s\n", what);
  std::abort();
}

struct SnpFixture {
  std::unique_ptr<SimSevSnpPlatform> platform;
  Bytes report;
  SnpEndorsements endorsements;
  SnpPolicy policy;
  Bytes der_signature;

  SnpFixture() {
    SimSevSnpOptions o;
    o.not_before = kNow - 86400;
    auto p = SimSevSnpPlatform::Create(o);
    if (!p.ok()) Die("SNP platform");
    platform = std::move(p).value();
    report = *platform->GetEvidence(Bytes(64, 0x42));
    endorsements = platform->endorsements();
    policy.measurements.push_back(*FromHex(platform->measurement_hex()));
    policy.report_data = Bytes(64, 0x42);
    policy.vmpl = 0;
    auto decoded = DecodeSnpReport(report);
    Bytes raw;
    for (const auto* part : {&decoded->sig_r, &decoded->sig_s}) {
      for (size_t i = 48; i-- > 0;) raw.push_back((*part)[i]);
    }
    der_signature = *crypto::EcdsaRawToDer(raw);
  }
};

SnpFixture& Snp() {
  static SnpFixture* f = new SnpFixture;
  return *f;
}

void BM_SnpAppraiseCachedChain(benchmark::State& state) {
  SnpFixture& f = Snp();
  SnpVerifier verifier;
  for (auto _ : state) {
    auto a = verifier.Appraise(f.report, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("SNP appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SnpAppraiseCachedChain)->Unit(benchmark::kMicrosecond);

void BM_SnpBareEcdsaP384Verify(benchmark::State& state) {
  SnpFixture& f = Snp();
  crypto::baseline::BareVerifier verifier(*f.platform->vcek().public_key(),
                                          crypto::HashAlgorithm::kSha384);
  const ByteView signed_region = ByteView(f.report).first(kSnpSignedSize);
  for (auto _ : state) {
    if (!verifier.VerifyDer(signed_region, f.der_signature)) Die("bare ECDSA verify failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SnpBareEcdsaP384Verify)->Unit(benchmark::kMicrosecond);

void BM_SnpAppraiseVsBareVerifyPaired(benchmark::State& state) {
  SnpFixture& f = Snp();
  SnpVerifier verifier;
  crypto::baseline::BareVerifier bare(*f.platform->vcek().public_key(),
                                      crypto::HashAlgorithm::kSha384);
  const ByteView signed_region = ByteView(f.report).first(kSnpSignedSize);
  auto appraise = [&] {
    auto a = verifier.Appraise(f.report, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("SNP appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  };
  appraise();  // the chain is verified once, outside the timing
  Paired(state, appraise, [&] {
    if (!bare.VerifyDer(signed_region, f.der_signature)) Die("bare ECDSA verify failed");
  });
}
BENCHMARK(BM_SnpAppraiseVsBareVerifyPaired)->Unit(benchmark::kMicrosecond);

struct CsvFixture {
  std::unique_ptr<SimCsvPlatform> platform;
  Bytes report;
  CsvEndorsements endorsements;
  CsvPolicy policy;
  // The bare baseline: the report's own signature over its 180 signed bytes, with the PEK
  // the report carries and the PEK's user_id as SM2 identifier, as the appraisal checks it.
  std::optional<crypto::PublicKey> pek;
  std::string pek_uid;
  Bytes signed_body;
  Bytes der_signature;

  CsvFixture() {
    auto p = SimCsvPlatform::Create({});
    if (!p.ok()) Die("CSV platform");
    platform = std::move(p).value();
    report = *platform->GetEvidence(Bytes(64, 0x24));
    endorsements = platform->endorsements();
    policy.measurements.push_back(*FromHex(platform->measurement_hex()));
    policy.report_data = Bytes(64, 0x24);
    policy.require_endorsed_pek = true;
    auto decoded = DecodeCsvReport(report);
    if (!decoded.ok()) Die("CSV report does not decode");
    pek = CsvParseKey(decoded->pek.key_fields);
    if (!pek) Die("CSV PEK key does not parse");
    pek_uid = decoded->pek.user_id;
    signed_body = decoded->signed_body;
    der_signature = *crypto::EcdsaRawToDer(decoded->signature.raw);
    crypto::baseline::BareVerifier probe(*pek, AsBytes(pek_uid));
    if (!probe.VerifyDer(signed_body, der_signature)) Die("bare SM2 verifier rejects the report");
  }
};

CsvFixture& Csv() {
  static CsvFixture* f = new CsvFixture;
  return *f;
}

void BM_CsvAppraiseCachedChain(benchmark::State& state) {
  CsvFixture& f = Csv();
  CsvVerifier verifier;
  for (auto _ : state) {
    auto a = verifier.Appraise(f.report, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("CSV appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CsvAppraiseCachedChain)->Unit(benchmark::kMicrosecond);

void BM_CsvBareSm2Verify(benchmark::State& state) {
  CsvFixture& f = Csv();
  crypto::baseline::BareVerifier verifier(*f.pek, AsBytes(f.pek_uid));
  for (auto _ : state) {
    if (!verifier.VerifyDer(f.signed_body, f.der_signature)) Die("bare SM2 verify failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CsvBareSm2Verify)->Unit(benchmark::kMicrosecond);

void BM_CsvAppraiseVsBareVerifyPaired(benchmark::State& state) {
  CsvFixture& f = Csv();
  CsvVerifier verifier;
  crypto::baseline::BareVerifier bare(*f.pek, AsBytes(f.pek_uid));
  auto appraise = [&] {
    auto a = verifier.Appraise(f.report, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("CSV appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  };
  appraise();  // the chain is verified once, outside the timing
  Paired(state, appraise, [&] {
    if (!bare.VerifyDer(f.signed_body, f.der_signature)) Die("bare SM2 verify failed");
  });
}
BENCHMARK(BM_CsvAppraiseVsBareVerifyPaired)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace teepnet::attest

BENCHMARK_MAIN();
