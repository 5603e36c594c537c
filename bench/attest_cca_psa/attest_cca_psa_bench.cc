// Appraisals per second for PSA and CCA tokens from the simulated platforms (endorsements are
// raw keys held in memory: there is no chain to cache in these formats), side by side with
// the bare OpenSSL verification of the same signatures over the same Sig_structure bytes
// (crypto/bench_baseline.h): one ES256 verify for PSA, two ES384 verifies for CCA (platform +
// realm). Target: appraisal throughput >= 90% of the bare-verify throughput; for PSA the
// paired benchmark (both timed in alternation inside one loop) is the figure to read. Also EAR
// issuance and Relying Party acceptance (JWT and CWT, ES256).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "bench/support/paired.h"
#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/cca_sim_platform.h"
#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/cose/structures.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/eat/ear_token.h"

namespace teepnet::attest {
namespace {

using bench::Paired;

constexpr int64_t kNow = 1790000000;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "attest_cca_psa_bench: %s\n", what);
  std::abort();
}

struct SignedPart {
  Bytes to_be_signed;
  Bytes der_signature;
};

SignedPart PartOf(const cose::Sign1Message& m) {
  return SignedPart{cose::SigStructure1(m.headers().protected_bytes, {}, *m.payload()),
                    *crypto::EcdsaRawToDer(m.signature())};
}

struct PsaFixture {
  std::optional<SimPsaPlatform> platform;
  Bytes token;
  PsaEndorsements endorsements;
  PsaPolicy policy;
  SignedPart part;
  PsaFixture() {
    auto p = SimPsaPlatform::Create();
    if (!p.ok()) Die("PSA platform");
    platform.emplace(*std::move(p));
    token = *platform->GetEvidence(Bytes(32, 0x42));
    endorsements = platform->Endorsements();
    policy.nonce = Bytes(32, 0x42);
    auto parsed = ParsePsaToken(token);
    if (!parsed.ok()) Die("PSA parse");
    part = PartOf(parsed->sign1);
  }
};

PsaFixture& Psa() {
  static PsaFixture* f = new PsaFixture;
  return *f;
}

struct CcaFixture {
  std::optional<SimCcaPlatform> platform;
  Bytes token;
  CcaEndorsements endorsements;
  CcaPolicy policy;
  SignedPart platform_part;
  SignedPart realm_part;
  crypto::PublicKey rak;
  CcaFixture() : rak(crypto::PrivateKey::Generate(crypto::KeyType::kP384)->public_key()) {
    auto p = SimCcaPlatform::Create();
    if (!p.ok()) Die("CCA platform");
    platform.emplace(*std::move(p));
    token = *platform->GetEvidence(Bytes(64, 0x42));
    endorsements = platform->Endorsements();
    policy.challenge = Bytes(64, 0x42);
    auto parsed = ParseCcaToken(token);
    if (!parsed.ok()) Die("CCA parse");
    platform_part = PartOf(parsed->platform);
    realm_part = PartOf(parsed->realm);
    rak = *RealmPublicKey(parsed->realm_claims);
  }
};

CcaFixture& Cca() {
  static CcaFixture* f = new CcaFixture;
  return *f;
}

void BM_PsaAppraise(benchmark::State& state) {
  PsaFixture& f = Psa();
  for (auto _ : state) {
    auto a = AppraisePsa(f.token, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("PSA appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_PsaAppraise)->Unit(benchmark::kMicrosecond);

void BM_PsaBareEs256Verify(benchmark::State& state) {
  PsaFixture& f = Psa();
  crypto::baseline::BareVerifier v(f.platform->iak_public(), crypto::HashAlgorithm::kSha256);
  for (auto _ : state) {
    if (!v.VerifyDer(f.part.to_be_signed, f.part.der_signature)) Die("bare ES256 verify failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_PsaBareEs256Verify)->Unit(benchmark::kMicrosecond);

void BM_PsaAppraiseVsBareVerifyPaired(benchmark::State& state) {
  PsaFixture& f = Psa();
  crypto::baseline::BareVerifier v(f.platform->iak_public(), crypto::HashAlgorithm::kSha256);
  Paired(
      state,
      [&f] {
        auto a = AppraisePsa(f.token, f.endorsements, f.policy, kNow);
        if (!a.ok() || a->Overall() != Tier::kAffirming) Die("PSA appraisal not affirming");
        benchmark::DoNotOptimize(a->trust);
      },
      [&f, &v] {
        if (!v.VerifyDer(f.part.to_be_signed, f.part.der_signature)) Die("bare verify failed");
      });
}
BENCHMARK(BM_PsaAppraiseVsBareVerifyPaired)->Unit(benchmark::kMicrosecond);

void BM_CcaAppraise(benchmark::State& state) {
  CcaFixture& f = Cca();
  for (auto _ : state) {
    auto a = AppraiseCca(f.token, f.endorsements, f.policy, kNow);
    if (!a.ok() || a->Overall() != Tier::kAffirming) Die("CCA appraisal not affirming");
    benchmark::DoNotOptimize(a->trust);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CcaAppraise)->Unit(benchmark::kMicrosecond);

// The bound: the two ES384 verifications an appraisal cannot avoid.
void BM_CcaBareTwoEs384Verifies(benchmark::State& state) {
  CcaFixture& f = Cca();
  crypto::baseline::BareVerifier pv(f.platform->cpak_public(), crypto::HashAlgorithm::kSha384);
  crypto::baseline::BareVerifier rv(f.rak, crypto::HashAlgorithm::kSha384);
  for (auto _ : state) {
    if (!pv.VerifyDer(f.platform_part.to_be_signed, f.platform_part.der_signature) ||
        !rv.VerifyDer(f.realm_part.to_be_signed, f.realm_part.der_signature)) {
      Die("bare ES384 verify failed");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CcaBareTwoEs384Verifies)->Unit(benchmark::kMicrosecond);

void BM_CcaAppraiseVsBareVerifiesPaired(benchmark::State& state) {
  CcaFixture& f = Cca();
  crypto::baseline::BareVerifier pv(f.platform->cpak_public(), crypto::HashAlgorithm::kSha384);
  crypto::baseline::BareVerifier rv(f.rak, crypto::HashAlgorithm::kSha384);
  Paired(
      state,
      [&f] {
        auto a = AppraiseCca(f.token, f.endorsements, f.policy, kNow);
        if (!a.ok() || a->Overall() != Tier::kAffirming) Die("CCA appraisal not affirming");
        benchmark::DoNotOptimize(a->trust);
      },
      [&f, &pv, &rv] {
        if (!pv.VerifyDer(f.platform_part.to_be_signed, f.platform_part.der_signature) ||
            !rv.VerifyDer(f.realm_part.to_be_signed, f.realm_part.der_signature)) {
          Die("bare ES384 verify failed");
        }
      });
}
BENCHMARK(BM_CcaAppraiseVsBareVerifiesPaired)->Unit(benchmark::kMicrosecond);

eat::Ear SampleEar() {
  eat::Ear e;
  e.iat = kNow;
  e.verifier_developer = "teepnet";
  e.verifier_build = "bench";
  e.nonce = Bytes(16, 1);
  eat::EarAppraisal a;
  a.status = Tier::kAffirming;
  a.trust.instance_identity = 2;
  a.evidence_digest = Bytes(32, 3);
  e.submods["CCA"] = a;
  return e;
}

void BM_EarJwtIssueAndAccept(benchmark::State& state) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  eat::Ear ear = SampleEar();
  eat::RelyingPartyPolicy policy;
  policy.now = kNow;
  policy.nonce = Bytes(16, 1);
  for (auto _ : state) {
    auto jwt = eat::IssueEarJwt(ear, *key);
    if (!jwt.ok() || !eat::AcceptEarJwt(*jwt, key->public_key(), policy).ok()) Die("EAR JWT");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EarJwtIssueAndAccept)->Unit(benchmark::kMicrosecond);

void BM_EarCwtIssueAndAccept(benchmark::State& state) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  eat::Ear ear = SampleEar();
  eat::RelyingPartyPolicy policy;
  policy.now = kNow;
  policy.nonce = Bytes(16, 1);
  for (auto _ : state) {
    auto cwt = eat::IssueEarCwt(ear, *key);
    if (!cwt.ok() || !eat::AcceptEarCwt(*cwt, key->public_key(), policy).ok()) Die("EAR CWT");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EarCwtIssueAndAccept)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace teepnet::attest

BENCHMARK_MAIN();
