#include "teepnet/attest/snp_sim_platform.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;  // 2026-09

std::unique_ptr<SimSevSnpPlatform> Make(SnpProduct product, uint64_t guest_policy = 0x30000) {
  SimSevSnpOptions o;
  o.product = product;
  o.tcb = {product == SnpProduct::kTurin ? uint8_t{1} : uint8_t{0}, 7, 0, 14, 72};
  o.guest_policy = guest_policy;
  o.not_before = kNow - 86400;
  auto p = SimSevSnpPlatform::Create(o);
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

SnpPolicy PolicyFor(const SimSevSnpPlatform& p, ByteView report_data) {
  SnpPolicy policy;
  policy.measurements.push_back(*FromHex(p.measurement_hex()));
  policy.report_data = Bytes(64, 0);
  std::copy(report_data.begin(), report_data.end(), policy.report_data->begin());
  policy.vmpl = 0;
  policy.min_tcb = {0, 7, 0, 14, 72};
  return policy;
}

class SimSevSnpPlatformTest : public ::testing::TestWithParam<SnpProduct> {};

TEST_P(SimSevSnpPlatformTest, EvidenceAppraisesAffirmingAgainstTheSimulatedArk) {
  auto platform = Make(GetParam());
  const Bytes nonce(32, 0x5A);
  auto evidence = platform->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(evidence);
  EXPECT_EQ(evidence->size(), kSnpReportSize);
  auto a = AppraiseSnp(*evidence, platform->endorsements(), PolicyFor(*platform, nonce), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->claims["product"], SnpProductName(GetParam()));
  EXPECT_EQ(a->claims["version"], "3");
  EXPECT_EQ(a->claims["measurement"], platform->measurement_hex());
}

TEST_P(SimSevSnpPlatformTest, SerializedStateLoadsIntoTheSamePlatform) {
  auto platform = Make(GetParam());
  SecretBytes state = platform->Serialize();
  auto loaded = SimSevSnpPlatform::Load(state.view());
  TEEPNET_ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->chip_id(), platform->chip_id());
  EXPECT_EQ((*loaded)->measurement_hex(), platform->measurement_hex());
  EXPECT_EQ((*loaded)->ark().der(), platform->ark().der());
  auto evidence = (*loaded)->GetEvidence(Bytes{1, 2, 3});
  TEEPNET_ASSERT_OK(evidence);
  // Appraised against the endorsements of the original instance: same manufacturer chain.
  auto a =
      AppraiseSnp(*evidence, platform->endorsements(), PolicyFor(*platform, Bytes{1, 2, 3}), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
}

INSTANTIATE_TEST_SUITE_P(Products, SimSevSnpPlatformTest,
                         ::testing::Values(SnpProduct::kMilan, SnpProduct::kGenoa,
                                           SnpProduct::kTurin),
                         [](const auto& param_info) {
                           return std::string(SnpProductName(param_info.param));
                         });

TEST(SimSevSnpPlatformOnceTest, AnotherInstallationsEndorsementsAreContraindicated) {
  auto a = Make(SnpProduct::kGenoa);
  auto b = Make(SnpProduct::kGenoa);
  auto evidence = a->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  auto appraisal = AppraiseSnp(*evidence, b->endorsements(), PolicyFor(*a, {}), kNow);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_EQ(appraisal->Overall(), Tier::kContraindicated);
  // Own chip's VCEK, but another installation's ARK as the only trust anchor.
  SnpEndorsements mixed = a->endorsements();
  mixed.roots = {b->ark()};
  appraisal = AppraiseSnp(*evidence, mixed, PolicyFor(*a, {}), kNow);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_EQ(appraisal->Overall(), Tier::kContraindicated);
}

TEST(SimSevSnpPlatformOnceTest, DebugGuestIsContraindicatedUnderNoDebugPolicy) {
  auto platform = Make(SnpProduct::kMilan, 0x30000 | snp_policy_bits::kDebug);
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  auto a = AppraiseSnp(*evidence, platform->endorsements(), PolicyFor(*platform, {}), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(SimSevSnpPlatformOnceTest, FlippedSignedBytesAreContraindicated) {
  auto platform = Make(SnpProduct::kGenoa);
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  SnpVerifier verifier;
  const SnpPolicy policy = PolicyFor(*platform, {});
  for (size_t byte = 0; byte < kSnpSignedSize; byte += 5) {
    Bytes bad = *evidence;
    bad[byte] ^= 0x10;
    auto a = verifier.Appraise(bad, platform->endorsements(), policy, kNow);
    TEEPNET_ASSERT_OK(a);
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << byte;
  }
}

TEST(SimSevSnpPlatformOnceTest, ReportDataLongerThan64BytesIsRefused) {
  auto platform = Make(SnpProduct::kGenoa);
  EXPECT_FALSE(platform->GetEvidence(Bytes(65, 1)).ok());
}

TEST(SimSevSnpPlatformOnceTest, DamagedStateFailsToLoad) {
  auto platform = Make(SnpProduct::kTurin);
  SecretBytes state = platform->Serialize();
  Bytes bytes = ToBytes(state.view());
  EXPECT_TRUE(
      FailsWith(SimSevSnpPlatform::Load(ByteView(bytes).first(bytes.size() - 1)), Errc::kBadState));
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_TRUE(FailsWith(SimSevSnpPlatform::Load(longer), Errc::kBadState));
  Bytes bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_TRUE(FailsWith(SimSevSnpPlatform::Load(bad_magic), Errc::kBadState));
  // Swap in another installation's VCEK certificate: key and certificate no longer match.
  auto other = Make(SnpProduct::kTurin);
  const Bytes& mine = platform->vcek().der();
  const Bytes& theirs = other->vcek().der();
  if (mine.size() == theirs.size()) {
    Bytes swapped = bytes;
    std::copy(theirs.begin(), theirs.end(),
              swapped.end() - static_cast<std::ptrdiff_t>(mine.size()));
    EXPECT_TRUE(FailsWith(SimSevSnpPlatform::Load(swapped), Errc::kBadState));
  }
}

}  // namespace
}  // namespace teepnet::attest
