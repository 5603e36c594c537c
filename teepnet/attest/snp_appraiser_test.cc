// Defect reports: each is derived from a simulated report, changed in one field and then
// validly re-signed with the platform's VCEK, so the appraiser's structural, binding and
// policy checks are exercised on their own rather than through a broken signature.
#include "teepnet/attest/snp_appraiser.h"

#include <gtest/gtest.h>

#include <functional>

#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

constexpr int64_t kNow = 1790000000;

SimSevSnpPlatform& Platform() {
  static SimSevSnpPlatform* p = [] {
    SimSevSnpOptions o;
    o.product = SnpProduct::kGenoa;
    o.not_before = kNow - 86400;
    return SimSevSnpPlatform::Create(o).value().release();
  }();
  return *p;
}

SnpPolicy Policy() {
  SnpPolicy p;
  p.measurements.push_back(*FromHex(Platform().measurement_hex()));
  p.vmpl = 0;
  return p;
}

struct Defect {
  const char* name;
  std::function<void(SnpReport&)> apply;
  int8_t TrustVector::*claim;
};

const Defect kDefects[] = {
    {"Version4", [](SnpReport& r) { r.version = 4; }, &TrustVector::instance_identity},
    {"SignatureAlgo2", [](SnpReport& r) { r.signature_algo = 2; }, &TrustVector::instance_identity},
    {"PolicyBit17Clear", [](SnpReport& r) { r.policy &= ~snp_policy_bits::kReservedOne; },
     &TrustVector::instance_identity},
    {"SignerInfoReservedBit", [](SnpReport& r) { r.signer_info |= 1u << 8; },
     &TrustVector::instance_identity},
    {"MitigationVectorBeforeV5", [](SnpReport& r) { r.current_mit_vector = 1; },
     &TrustVector::instance_identity},
    {"TcbReservedByte", [](SnpReport& r) { r.current_tcb |= 1ull << 24; },
     &TrustVector::instance_identity},
    {"UnknownCpuid", [](SnpReport& r) { r.cpuid_fam_id = 0x17; }, &TrustVector::hardware},
    {"CpuidOfAnotherProduct", [](SnpReport& r) { r.cpuid_mod_id = 0x01; }, &TrustVector::hardware},
    {"ChipIdOfAnotherChip", [](SnpReport& r) { r.chip_id[5] ^= 1; },
     &TrustVector::instance_identity},
    {"MaskedChipId", [](SnpReport& r) { r.chip_id.fill(0); }, &TrustVector::instance_identity},
    {"ReportedTcbNotTheVceks", [](SnpReport& r) { r.reported_tcb += 1ull << 56; },
     &TrustVector::instance_identity},
    {"MaskChipKey", [](SnpReport& r) { r.signer_info |= 2; }, &TrustVector::instance_identity},
    {"SigningKeyNone", [](SnpReport& r) { r.signer_info |= 7u << 2; },
     &TrustVector::instance_identity},
    {"SigningKeyVlek", [](SnpReport& r) { r.signer_info |= 1u << 2; },
     &TrustVector::instance_identity},
    {"Debug", [](SnpReport& r) { r.policy |= snp_policy_bits::kDebug; },
     &TrustVector::configuration},
    {"MigrationAgent", [](SnpReport& r) { r.policy |= snp_policy_bits::kMigrateMa; },
     &TrustVector::configuration},
    {"Vmpl2", [](SnpReport& r) { r.vmpl = 2; }, &TrustVector::configuration},
    {"OtherMeasurement", [](SnpReport& r) { r.measurement[0] ^= 1; }, &TrustVector::executables},
};

class SnpDefectTest : public ::testing::TestWithParam<Defect> {};

TEST_P(SnpDefectTest, ValidlySignedDefectIsContraindicated) {
  auto report = Platform().UnsignedReport({});
  TEEPNET_ASSERT_OK(report);
  GetParam().apply(*report);
  auto signed_report = Platform().SignReport(*report);
  TEEPNET_ASSERT_OK(signed_report);
  auto a = AppraiseSnp(*signed_report, Platform().endorsements(), Policy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(TierOf(a->trust.*GetParam().claim), Tier::kContraindicated)
      << ::testing::PrintToString(a->notes);
  EXPECT_FALSE(a->notes.empty());
}

INSTANTIATE_TEST_SUITE_P(Defects, SnpDefectTest, ::testing::ValuesIn(kDefects),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SnpAppraiserTest, UndefectedControlReportIsAffirming) {
  auto report = Platform().UnsignedReport({});
  TEEPNET_ASSERT_OK(report);
  auto signed_report = Platform().SignReport(*report);
  TEEPNET_ASSERT_OK(signed_report);
  auto a = AppraiseSnp(*signed_report, Platform().endorsements(), Policy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_TRUE(a->notes.empty());
}

TEST(SnpAppraiserTest, DebugIsAcceptedWhenPolicyAllowsIt) {
  auto report = Platform().UnsignedReport({});
  TEEPNET_ASSERT_OK(report);
  report->policy |= snp_policy_bits::kDebug;
  auto signed_report = Platform().SignReport(*report);
  SnpPolicy p = Policy();
  p.allow_debug = true;
  auto a = AppraiseSnp(*signed_report, Platform().endorsements(), p, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming);
  EXPECT_EQ(a->claims["debug"], "true");
}

TEST(SnpAppraiserTest, VcekOnlyPolicyRejectsAllowedSignerMismatch) {
  auto evidence = Platform().GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  SnpPolicy p = Policy();
  p.allow_vcek = false;
  auto a = AppraiseSnp(*evidence, Platform().endorsements(), p, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(SnpAppraiserTest, GuestSvnAndHostDataAreChecked) {
  auto evidence = Platform().GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  SnpPolicy p = Policy();
  p.min_guest_svn = 2;  // the simulated guest has SVN 1
  auto a = AppraiseSnp(*evidence, Platform().endorsements(), p, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.executables, ar4si::kContraindicatedExecutables);
  p = Policy();
  p.host_data = Bytes(32, 1);
  a = AppraiseSnp(*evidence, Platform().endorsements(), p, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(TierOf(a->trust.configuration), Tier::kContraindicated);
}

TEST(SnpVerifierTest, ReadsEachLeafsHwIdOnceAndComparesItWithEveryChipId) {
  SnpVerifier verifier;
  const SnpEndorsements e = Platform().endorsements();
  const Bytes chip = Platform().chip_id();
  Bytes other_chip = chip;
  other_chip[5] ^= 1;
  EXPECT_TRUE(verifier.LeafMatchesChip(*e.leaf, chip));
  EXPECT_EQ(verifier.cached_leaves(), 1u);
  // From the cache now: the same answers, no second entry.
  EXPECT_FALSE(verifier.LeafMatchesChip(*e.leaf, other_chip));
  EXPECT_TRUE(verifier.LeafMatchesChip(*e.leaf, chip));
  EXPECT_FALSE(verifier.LeafMatchesChip(*e.leaf, Bytes(64, 0)));
  EXPECT_EQ(verifier.cached_leaves(), 1u);
  // The ASK has no hwID: it names no chip, and that is remembered too.
  ASSERT_FALSE(e.intermediates.empty());
  EXPECT_FALSE(verifier.LeafMatchesChip(e.intermediates[0], chip));
  EXPECT_FALSE(verifier.LeafMatchesChip(e.intermediates[0], chip));
  EXPECT_EQ(verifier.cached_leaves(), 2u);
}

}  // namespace
}  // namespace teepnet::attest
