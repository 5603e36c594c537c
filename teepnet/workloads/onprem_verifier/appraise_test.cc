#include "teepnet/workloads/onprem_verifier/appraise.h"

#include <gtest/gtest.h>

#include <set>

#include "teepnet/attest/errc.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/onprem_verifier/errc.h"
#include "teepnet/workloads/onprem_verifier/fleet.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

// One fleet for the whole suite: the simulated AMD root costs two RSA key generations.
const Fleet& SharedFleet() {
  static const Fleet* fleet = [] {
    FleetOptions o;
    o.seed = 7;
    o.arm_routers = 9;
    o.x86_routers = 6;
    o.defect_every = 3;
    auto f = MakeFleet(o, kNow);
    if (!f.ok()) {
      ADD_FAILURE() << f.error().ToString();
      return new Fleet;
    }
    return new Fleet(*std::move(f));
  }();
  return *fleet;
}

IspOutput RunThroughCompute(const VendorInput& vendor, const IspInput& isp,
                            VendorOutput* count = nullptr) {
  auto out = Compute(*EncodeVendorInput(vendor), *EncodeIspInput(isp), kNow);
  if (!out.ok()) {
    ADD_FAILURE() << out.error().ToString();
    return {};
  }
  auto decoded = DecodeIspOutput(out->isp);
  EXPECT_TRUE(decoded.ok());
  if (count != nullptr) *count = *DecodeVendorOutput(out->vendor);
  return decoded.ok() ? *decoded : IspOutput{};
}

TEST(OnpremVerifierFleet, HasEveryDefectOnBothRouterLines) {
  const Fleet& f = SharedFleet();
  ASSERT_EQ(f.plan.size(), 15u);
  ASSERT_EQ(f.isp.routers.size(), 15u);
  std::set<std::pair<RouterKind, Defect>> seen;
  for (const RouterPlan& p : f.plan) seen.insert({p.kind, p.defect});
  EXPECT_EQ(seen.size(), 8u);  // every defect, and sound routers, on both lines
}

TEST(OnpremVerifierFleet, FollowsTheSeed) {
  FleetOptions o;
  o.seed = 11;
  o.arm_routers = 6;
  o.x86_routers = 0;
  auto a = MakeFleet(o, kNow);
  auto b = MakeFleet(o, kNow);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  for (size_t i = 0; i < a->plan.size(); ++i) {
    EXPECT_EQ(a->plan[i].name, b->plan[i].name);
    EXPECT_EQ(a->plan[i].defect, b->plan[i].defect);
    EXPECT_EQ(a->isp.routers[i].nonce, b->isp.routers[i].nonce);
  }
  EXPECT_EQ(a->vendor.psa_anchors, b->vendor.psa_anchors);
  o.seed = 12;
  auto c = MakeFleet(o, kNow);
  TEEPNET_ASSERT_OK(c);
  EXPECT_NE(a->isp.routers[0].nonce, c->isp.routers[0].nonce);
}

TEST(OnpremVerifierFleet, RefusesAnEmptyOrOversizedFleet) {
  FleetOptions o;
  o.arm_routers = 0;
  o.x86_routers = 0;
  EXPECT_TRUE(FailsWith(MakeFleet(o, kNow), Errc::kTooLarge));
  o.arm_routers = kMaxRouters + 1;
  EXPECT_TRUE(FailsWith(MakeFleet(o, kNow), Errc::kTooLarge));
}

// The ground truth: the generator knows which routers it broke and how.
TEST(OnpremVerifierAppraise, GivesExactlyTheDefectiveRoutersContraindicatedVerdicts) {
  const Fleet& f = SharedFleet();
  VendorOutput count;
  IspOutput out = RunThroughCompute(f.vendor, f.isp, &count);
  ASSERT_EQ(out.results.size(), f.plan.size());
  EXPECT_EQ(count.appraised, f.plan.size());
  for (size_t i = 0; i < f.plan.size(); ++i) {
    const RouterPlan& plan = f.plan[i];
    const RouterResult& res = out.results[i];
    SCOPED_TRACE(plan.name + " " + std::string(DefectName(plan.defect)));
    EXPECT_EQ(res.name, plan.name);
    EXPECT_EQ(res.status, ExpectedStatus(plan));
    EXPECT_EQ(res.format, plan.kind == RouterKind::kArmPsa ? "psa" : "snp");
    EXPECT_EQ(res.evidence_digest, crypto::Sha256(f.isp.routers[i].evidence));
    const attest::TrustVector tv = TrustVectorOf(res.trust);
    switch (plan.defect) {
      case Defect::kNone: EXPECT_TRUE(res.notes.empty()); break;
      case Defect::kTamperedFirmware:
        EXPECT_EQ(tv.executables, attest::ar4si::kContraindicatedExecutables);
        EXPECT_EQ(attest::TierOf(tv.instance_identity), attest::Tier::kAffirming);
        break;
      case Defect::kStaleNonce:
        EXPECT_EQ(tv.instance_identity, attest::ar4si::kContraindicated);
        EXPECT_EQ(attest::TierOf(tv.executables), attest::Tier::kAffirming);
        break;
      case Defect::kUnendorsedKey:
        EXPECT_EQ(tv.instance_identity, plan.kind == RouterKind::kArmPsa
                                            ? attest::ar4si::kUnrecognizedInstance
                                            : attest::ar4si::kCryptoValidationFailed);
        break;
    }
    if (plan.defect != Defect::kNone) {
      EXPECT_FALSE(res.notes.empty());
    }
  }
  EXPECT_EQ(out.policy_refs.size(), 2u);
  EXPECT_EQ(out.policy_refs.at("psa").rfind("acme/edge-os-4.2/psa@sha256:", 0), 0u);
  EXPECT_GT(out.appraisal_nanos, 0u);
}

TEST(OnpremVerifierAppraise, AgreesWithTheVerifierCalledDirectly) {
  const Fleet& f = SharedFleet();
  IspOutput out = RunThroughCompute(f.vendor, f.isp);
  auto verifier = MakeVerifier(f.vendor);
  TEEPNET_ASSERT_OK(verifier);
  ASSERT_EQ(out.results.size(), f.isp.routers.size());
  for (size_t i = 0; i < f.isp.routers.size(); ++i) {
    const RouterEvidence& r = f.isp.routers[i];
    auto v = verifier->Verify(r.evidence, std::nullopt, ByteView(r.nonce), kNow);
    TEEPNET_ASSERT_OK(v);
    EXPECT_EQ(out.results[i].trust, ClaimsOf(v->appraisal.trust)) << r.name;
  }
}

TEST(OnpremVerifierAppraise, ReportsUnparseableEvidenceAsContraindicatedWithoutFailingTheBatch) {
  const Fleet& f = SharedFleet();
  IspInput isp;
  isp.routers.push_back(f.isp.routers[0]);
  isp.routers.push_back(RouterEvidence{"garbage", Bytes(32, 1), Bytes{0xd2, 0x84, 0x40}});
  IspOutput out = RunThroughCompute(f.vendor, isp);
  ASSERT_EQ(out.results.size(), 2u);
  EXPECT_EQ(out.results[0].status, ExpectedStatus(f.plan[0]));
  EXPECT_EQ(out.results[1].status, RouterStatus::kContraindicated);
  EXPECT_EQ(out.results[1].trust[0], attest::ar4si::kCryptoValidationFailed);
  EXPECT_EQ(out.results[1].format, "");
  ASSERT_EQ(out.results[1].notes.size(), 1u);
}

TEST(OnpremVerifierAppraise, CallsEvidenceWithoutVendorEndorsementsUnrecognized) {
  const Fleet& f = SharedFleet();
  VendorInput arm_only = f.vendor;
  arm_only.snp_roots.clear();
  arm_only.snp_intermediates.clear();
  arm_only.snp_leaves.clear();
  IspOutput out = RunThroughCompute(arm_only, f.isp);
  ASSERT_EQ(out.results.size(), f.plan.size());
  for (size_t i = 0; i < f.plan.size(); ++i) {
    if (f.plan[i].kind != RouterKind::kX86Snp) continue;
    EXPECT_EQ(out.results[i].status, RouterStatus::kContraindicated);
    EXPECT_EQ(out.results[i].trust[0], attest::ar4si::kUnrecognizedInstance);
    EXPECT_EQ(out.results[i].format, "snp");
  }
}

TEST(OnpremVerifierAppraise, KeepsAtMostTheNoteLimitPerRouter) {
  const Fleet& f = SharedFleet();
  VendorInput strict = f.vendor;
  strict.psa_references.clear();  // every component of every Arm router is now unknown
  IspOutput out = RunThroughCompute(strict, f.isp);
  for (size_t i = 0; i < f.plan.size(); ++i) {
    EXPECT_LE(out.results[i].notes.size(), kMaxNotes);
    for (const std::string& n : out.results[i].notes) EXPECT_LE(n.size(), kMaxNoteBytes);
    if (f.plan[i].kind == RouterKind::kArmPsa && f.plan[i].defect != Defect::kUnendorsedKey) {
      EXPECT_EQ(out.results[i].status, RouterStatus::kContraindicated);
    }
  }
}

TEST(OnpremVerifierAppraise, RefusesVendorMaterialTheVerifierCannotUse) {
  const Fleet& f = SharedFleet();
  VendorInput v = f.vendor;
  v.policies["tpm"] = "{}";
  EXPECT_TRUE(FailsWith(MakeVerifier(v), Errc::kBadVendorMaterial));
  v = f.vendor;
  v.policies["snp"] = "{\"no-such-rule\": true}";
  EXPECT_TRUE(FailsWith(MakeVerifier(v), Errc::kBadVendorMaterial));
  v = f.vendor;
  v.snp_roots[0][10] ^= 0xff;
  v.snp_roots[0].resize(40);
  EXPECT_TRUE(FailsWith(MakeVerifier(v), Errc::kBadVendorMaterial));
  v = f.vendor;
  v.psa_anchors[0].key_spki = Bytes(20, 1);
  EXPECT_TRUE(FailsWith(MakeVerifier(v), Errc::kBadVendorMaterial));
  v = f.vendor;
  v.corims.push_back(Bytes{0xd9, 0x01, 0xf5, 0xa0});
  EXPECT_TRUE(FailsWith(MakeVerifier(v), Errc::kBadVendorMaterial));
}

TEST(OnpremVerifierAppraise, RefusesInputsThatAreNotThisWorkloadsMessages) {
  const Fleet& f = SharedFleet();
  Bytes vendor = *EncodeVendorInput(f.vendor);
  Bytes isp = *EncodeIspInput(f.isp);
  EXPECT_TRUE(FailsWith(Compute(isp, vendor, kNow), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(Compute(vendor, Bytes{0xa0}, kNow), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::workloads::onprem_verifier
