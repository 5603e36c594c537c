// Evidence appraised per second by the on-premises verifier workload (workloads/
// onprem_verifier), side by side with the same evidence appraised by calling the attest
// appraisers directly (AppraisePsa, SnpVerifier::Appraise with the router's own endorsements
// handed in: no CBOR, no Verifier facade, no endorsement lookup). The ratio is what the
// workload path costs over the bare appraisals.
//
//   BM_WorkloadCompute/<fleet>      what the TA computes per delivery: decode both inputs,
//                                   build the Verifier from the vendor's material, appraise the
//                                   batch, encode both outputs
//   BM_WorkloadAppraiseBatch/<fleet> the appraisal loop alone, Verifier already built (what the
//                                   TA's headline, appraisal_nanos, measures)
//   BM_DirectAppraisers/sound       the baseline over the sound fleet
// Fleets of 128 routers (96 Arm PSA, 32 x86 SEV-SNP): "sound" has no defects, "mixed" one in
// four (tampered firmware, stale nonce, unendorsed device). Items are pieces of evidence.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_policy.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_policy.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"
#include "teepnet/workloads/onprem_verifier/appraise.h"
#include "teepnet/workloads/onprem_verifier/fleet.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

constexpr int64_t kNow = 1790000000;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "workload_onprem_verifier_bench: %s\n", what);
  std::abort();
}

struct Fixture {
  Fleet fleet;
  Bytes vendor_bytes;
  Bytes isp_bytes;
  std::optional<attest::Verifier> verifier;

  explicit Fixture(size_t defect_every) {
    FleetOptions o;
    o.seed = 3;
    o.arm_routers = 96;
    o.x86_routers = 32;
    o.defect_every = defect_every;
    auto f = MakeFleet(o, kNow);
    if (!f.ok()) Die("fleet");
    fleet = *std::move(f);
    vendor_bytes = *EncodeVendorInput(fleet.vendor);
    isp_bytes = *EncodeIspInput(fleet.isp);
    auto v = MakeVerifier(fleet.vendor);
    if (!v.ok()) Die("verifier");
    verifier.emplace(*std::move(v));
  }
};

Fixture& Sound() {
  static Fixture* f = new Fixture(0);
  return *f;
}

Fixture& Mixed() {
  static Fixture* f = new Fixture(4);
  return *f;
}

Fixture& FleetFor(const benchmark::State& state) {
  return state.range(0) == 0 ? Sound() : Mixed();
}

void BM_WorkloadCompute(benchmark::State& state) {
  Fixture& f = FleetFor(state);
  for (auto _ : state) {
    auto out = Compute(f.vendor_bytes, f.isp_bytes, kNow);
    if (!out.ok()) Die("compute");
    benchmark::DoNotOptimize(out->isp.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.fleet.plan.size()));
}
BENCHMARK(BM_WorkloadCompute)->Arg(0)->Arg(1)->ArgName("mixed")->Unit(benchmark::kMillisecond);

void BM_WorkloadAppraiseBatch(benchmark::State& state) {
  Fixture& f = FleetFor(state);
  for (auto _ : state) {
    Appraised a = AppraiseBatch(*f.verifier, f.fleet.isp, kNow);
    for (size_t i = 0; i < a.isp.results.size(); ++i) {
      if (a.isp.results[i].status != ExpectedStatus(f.fleet.plan[i])) Die("wrong verdict");
    }
    benchmark::DoNotOptimize(a.isp.results.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.fleet.plan.size()));
}
BENCHMARK(BM_WorkloadAppraiseBatch)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("mixed")
    ->Unit(benchmark::kMillisecond);

// The baseline: each router's evidence straight into its architecture's appraiser, with the
// endorsements and policy already in hand (PSA: the vendor's anchors and references; SNP: the
// router's own VCEK, the ASK and the ARK).
struct Direct {
  attest::PsaEndorsements psa;
  attest::PsaPolicy psa_policy;
  std::vector<attest::SnpEndorsements> snp;  // per x86 router, in batch order
  attest::SnpPolicy snp_policy;
  attest::SnpVerifier snp_verifier;

  explicit Direct(const Fleet& fleet) {
    for (const PsaAnchor& a : fleet.vendor.psa_anchors) {
      psa.AddTrustAnchor(attest::PsaTrustAnchor{a.implementation_id, a.instance_id,
                                                *crypto::PublicKey::FromSpkiDer(a.key_spki)});
    }
    for (const PsaReference& r : fleet.vendor.psa_references) {
      psa.AddSwReference(attest::PsaSwReference{r.implementation_id, r.type, r.version, r.signer_id,
                                                r.measurement});
    }
    // The vendor's own policies (the SNP one names the golden launch measurement).
    psa_policy = *attest::PsaPolicy::FromJson(fleet.vendor.policies.at("psa"));
    auto json = nlohmann::json::parse(fleet.vendor.policies.at("snp"));
    json.erase("policy-id");
    snp_policy = *attest::SnpPolicy::FromJson(json.dump());
    for (const Bytes& leaf : fleet.vendor.snp_leaves) {
      attest::SnpEndorsements e;
      e.leaf = *crypto::Certificate::FromDer(leaf);
      e.intermediates = {*crypto::Certificate::FromDer(fleet.vendor.snp_intermediates.at(0))};
      e.roots = {*crypto::Certificate::FromDer(fleet.vendor.snp_roots.at(0))};
      snp.push_back(std::move(e));
    }
  }
};

void BM_DirectAppraisers(benchmark::State& state) {
  Fixture& f = Sound();
  Direct d(f.fleet);
  for (auto _ : state) {
    size_t x86 = 0;
    for (size_t i = 0; i < f.fleet.isp.routers.size(); ++i) {
      const RouterEvidence& r = f.fleet.isp.routers[i];
      Result<attest::Appraisal> a = Error(Code::kInternal, "unset");
      if (f.fleet.plan[i].kind == RouterKind::kArmPsa) {
        d.psa_policy.nonce = r.nonce;  // 32 bytes: already a PSA nonce size
        a = attest::AppraisePsa(r.evidence, d.psa, d.psa_policy, kNow);
      } else {
        Bytes report_data = r.nonce;
        report_data.resize(64, 0);
        d.snp_policy.report_data = std::move(report_data);
        a = d.snp_verifier.Appraise(r.evidence, d.snp.at(x86++), d.snp_policy, kNow);
      }
      if (!a.ok() || a->Overall() != attest::Tier::kAffirming) Die("direct appraisal");
      benchmark::DoNotOptimize(a->trust);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.fleet.plan.size()));
}
BENCHMARK(BM_DirectAppraisers)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace teepnet::workloads::onprem_verifier

BENCHMARK_MAIN();
