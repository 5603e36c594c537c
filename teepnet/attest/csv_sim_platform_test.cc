#include "teepnet/attest/csv_sim_platform.h"

#include <gtest/gtest.h>

#include "teepnet/attest/csv_appraiser.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

std::unique_ptr<SimCsvPlatform> Make(uint32_t guest_policy = 0x45) {
  SimCsvOptions o;
  o.guest_policy = guest_policy;
  auto p = SimCsvPlatform::Create(o);
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

CsvPolicy PolicyFor(const SimCsvPlatform& p, ByteView nonce) {
  CsvPolicy policy;
  policy.measurements.push_back(*FromHex(p.measurement_hex()));
  policy.report_data = Bytes(64, 0);
  std::copy(nonce.begin(), nonce.end(), policy.report_data->begin());
  policy.require_endorsed_pek = true;
  return policy;
}

TEST(SimCsvPlatformTest, EvidenceAppraisesAffirmingAgainstTheSimulatedHrk) {
  auto platform = Make();
  const Bytes nonce(64, 0x7E);
  auto evidence = platform->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(evidence);
  auto a = AppraiseCsv(*evidence, platform->endorsements(), PolicyFor(*platform, nonce), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->claims["endorsement"], "hrk-hsk-cek-pek");
  EXPECT_EQ(a->claims["chip_serial"], platform->chip_serial());
  EXPECT_EQ(a->claims["debug"], "false");
  EXPECT_EQ(a->claims["measurement"], platform->measurement_hex());
}

TEST(SimCsvPlatformTest, EveryReportUsesAFreshAnonce) {
  auto platform = Make();
  auto a = platform->GetEvidence({});
  auto b = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(DecodeCsvReport(*a)->measure, DecodeCsvReport(*b)->measure);
}

TEST(SimCsvPlatformTest, SerializedStateLoadsIntoTheSamePlatform) {
  auto platform = Make();
  SecretBytes state = platform->Serialize();
  auto loaded = SimCsvPlatform::Load(state.view());
  TEEPNET_ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->chip_serial(), platform->chip_serial());
  auto evidence = (*loaded)->GetEvidence(Bytes{9});
  TEEPNET_ASSERT_OK(evidence);
  auto a = AppraiseCsv(*evidence, platform->endorsements(), PolicyFor(*platform, Bytes{9}), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
}

TEST(SimCsvPlatformTest, DamagedStateFailsToLoad) {
  auto platform = Make();
  SecretBytes state = platform->Serialize();
  Bytes bytes = ToBytes(state.view());
  EXPECT_TRUE(
      FailsWith(SimCsvPlatform::Load(ByteView(bytes).first(bytes.size() - 3)), Errc::kBadState));
  Bytes bad = bytes;
  bad[0] ^= 1;
  EXPECT_TRUE(FailsWith(SimCsvPlatform::Load(bad), Errc::kBadState));
  // The last 2084 bytes are the PEK certificate: another installation's does not fit the key.
  auto other = Make();
  Bytes other_state = ToBytes(other->Serialize().view());
  Bytes swapped = bytes;
  std::copy(other_state.end() - kCsvCertSize, other_state.end(), swapped.end() - kCsvCertSize);
  EXPECT_TRUE(FailsWith(SimCsvPlatform::Load(swapped), Errc::kBadState));
}

TEST(SimCsvPlatformTest, AnotherChipsCekIsContraindicated) {
  auto a = Make();
  auto b = Make();
  auto evidence = a->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  CsvEndorsements mixed = a->endorsements();
  mixed.cek = b->endorsements().cek;
  auto appraisal = AppraiseCsv(*evidence, mixed, PolicyFor(*a, {}), kNow);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_EQ(appraisal->Overall(), Tier::kContraindicated);
  appraisal = AppraiseCsv(*evidence, b->endorsements(), PolicyFor(*a, {}), kNow);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_EQ(appraisal->Overall(), Tier::kContraindicated);
}

TEST(SimCsvPlatformTest, DebugGuestIsContraindicatedUnderNoDebugPolicy) {
  auto platform = Make(0x44);  // NODBG clear
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  auto a = AppraiseCsv(*evidence, platform->endorsements(), PolicyFor(*platform, {}), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->claims["debug"], "true");
  CsvPolicy lenient = PolicyFor(*platform, {});
  lenient.allow_debug = true;
  a = AppraiseCsv(*evidence, platform->endorsements(), lenient, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming);
}

TEST(SimCsvPlatformTest, FlippingAnyBitOfTheSignedBytesIsContraindicated) {
  auto platform = Make();
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  CsvVerifier verifier;
  const CsvPolicy policy = PolicyFor(*platform, {});
  for (size_t bit = 0; bit < (kCsvMaskedSize + 4 + 144) * 8; ++bit) {
    Bytes bad = *evidence;
    bad[20 + bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = verifier.Appraise(bad, platform->endorsements(), policy, kNow);
    TEEPNET_ASSERT_OK(a);
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "bit " << bit;
  }
}

// The PEK's signed body and its CEK signature slot; the second (owner) slot is outside what
// the CEK signs and carries no weight in appraisal.
TEST(SimCsvPlatformTest, FlippingPekCertificateBytesIsContraindicated) {
  auto platform = Make();
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  CsvVerifier verifier;
  for (size_t i = 0; i < kCsvCertSignedSize + 8 + 144; i += 3) {
    Bytes bad = *evidence;
    bad[20 + kCsvPekOffset + i] ^= 0x01;
    auto a = verifier.Appraise(bad, platform->endorsements(), PolicyFor(*platform, {}), kNow);
    TEEPNET_ASSERT_OK(a);
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "pek byte " << i;
  }
}

TEST(SimCsvPlatformTest, MissingHskCekGivesAHardwareWarningUnlessRequired) {
  auto platform = Make();
  auto evidence = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  CsvEndorsements hrk_only{platform->endorsements().hrk, {}, {}};
  CsvPolicy policy = PolicyFor(*platform, {});
  policy.require_endorsed_pek = false;
  auto a = AppraiseCsv(*evidence, hrk_only, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kWarning);
  EXPECT_EQ(a->claims["endorsement"], "pek-only");
  policy.require_endorsed_pek = true;
  a = AppraiseCsv(*evidence, hrk_only, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

}  // namespace
}  // namespace teepnet::attest
