// Appraisals per second for SEV-SNP reports and Hygon CSV reports from the simulated
// platforms, with verified endorsement chains cached (SnpVerifier / CsvVerifier), side by side
// with the bare OpenSSL verification of the same report signature over the same signed bytes
// (crypto/bench_baseline.h) — the bound an appraisal cannot beat. Target: appraisal throughput
// >= 90% of the bare-verify throughput.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/csv_sim_platform.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

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

struct CsvFixture {
  std::unique_ptr<SimCsvPlatform> platform;
  Bytes report;
  CsvEndorsements endorsements;
  CsvPolicy policy;
  // The bare baseline: the same SM2/SM3 verification of the same 180 bytes, under OpenSSL's
  // default distinguishing identifier (the Z computation costs the same for any identifier).
  std::optional<crypto::PrivateKey> bare_key;
  Bytes bare_der;
  Bytes signed_body;

  CsvFixture() {
    auto p = SimCsvPlatform::Create({});
    if (!p.ok()) Die("CSV platform");
    platform = std::move(p).value();
    report = *platform->GetEvidence(Bytes(64, 0x24));
    endorsements = platform->endorsements();
    policy.measurements.push_back(*FromHex(platform->measurement_hex()));
    policy.report_data = Bytes(64, 0x24);
    policy.require_endorsed_pek = true;
    signed_body = ToBytes(ByteView(report).subspan(20, kCsvSignedSize));
    bare_key = *crypto::PrivateKey::Generate(crypto::KeyType::kSm2);
    // OpenSSL 3.0 hashes no Z value at all when no identifier is set; try the empty and the
    // GM/T default identifiers and keep the one the bare verifier accepts.
    crypto::baseline::BareVerifier probe(bare_key->public_key(), crypto::HashAlgorithm::kSm3);
    for (std::string_view uid : {"", "1234567812345678"}) {
      bare_der = *crypto::EcdsaRawToDer(*crypto::SignSm2(*bare_key, AsBytes(uid), signed_body));
      if (probe.VerifyDer(signed_body, bare_der)) return;
    }
    Die("no identifier makes the bare SM2 verifier accept");
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
  crypto::baseline::BareVerifier verifier(f.bare_key->public_key(), crypto::HashAlgorithm::kSm3);
  for (auto _ : state) {
    if (!verifier.VerifyDer(f.signed_body, f.bare_der)) Die("bare SM2 verify failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CsvBareSm2Verify)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace teepnet::attest

BENCHMARK_MAIN();
