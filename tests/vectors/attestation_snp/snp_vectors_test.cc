// Genuine SEV-SNP samples (shared/vectors/attestation/sev-snp/README.md): each report is
// appraised with the VCEK and ASK/ARK chain the README pairs it with, at a time inside every
// certificate's validity, then mutated into the negative cases issue 4 lists.
#include <gtest/gtest.h>

#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

constexpr int64_t k2025 = 1748736000;  // 2025-06-01: every VCEK, ASK and ARK here is valid
constexpr int64_t k2031 = 1924992000;  // 2031-01-01: every Milan VCEK here has expired
constexpr char kDir[] = "attestation/sev-snp/";

struct Sample {
  const char* name;
  const char* report;
  const char* vcek;
  const char* measurement;
  bool debug;
};

const Sample kSamples[] = {
    {"trustee", "trustee-test-report.bin", "trustee-test-vcek.der",
     "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d"
     "38c",
     false},
    {"gosevguest", "gosevguest-attestation.bin", "gosevguest-vcek.der",
     "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872"
     "b01",
     true},
    {"virtee", "virtee-report_milan.hex", "virtee-vcek_milan.der",
     "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd818"
     "41f",
     false},
};

Bytes Report(const Sample& s) {
  Bytes raw = ReadVectorFile(std::string(kDir) + s.report);
  if (std::string(s.report).ends_with(".hex")) return *FromHex(AsChars(raw));
  return raw;
}

SnpEndorsements Endorse(const std::string& vcek, const std::string& chain) {
  Bytes leaf = ReadVectorFile(kDir + vcek);
  Bytes pem = ReadVectorFile(kDir + chain);
  auto e = SnpEndorsements::FromLeafAndChain(leaf, AsChars(pem));
  EXPECT_TRUE(e.ok());
  return std::move(e).value();
}

SnpEndorsements Endorse(const Sample& s) {
  return Endorse(s.vcek, "gosevguest-ask_ark_milan.pem");
}

SnpPolicy ReferencePolicy(const Sample& s) {
  SnpPolicy p;
  p.allow_debug = s.debug;
  p.vmpl = 0;
  p.measurements.push_back(*FromHex(s.measurement));
  return p;
}

class SnpGenuineTest : public ::testing::TestWithParam<Sample> {};

TEST_P(SnpGenuineTest, AppraisesAffirmingWithItsEndorsements) {
  const Sample& s = GetParam();
  auto a = AppraiseSnp(Report(s), Endorse(s), ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->claims["product"], "Milan");
  EXPECT_EQ(a->claims["measurement"], s.measurement);
  EXPECT_EQ(a->claims["signing_key"], "vcek");
  EXPECT_EQ(a->trust.executables, ar4si::kAffirming);
  EXPECT_EQ(a->trust.hardware, ar4si::kHardwareGenuine);
  EXPECT_EQ(a->report_data.size(), 64u);
}

TEST_P(SnpGenuineTest, FlippingAnyBitOfTheSignedRegionIsContraindicated) {
  const Sample& s = GetParam();
  const Bytes good = Report(s);
  const SnpEndorsements e = Endorse(s);
  const SnpPolicy p = ReferencePolicy(s);
  SnpVerifier verifier;
  for (size_t bit = 0; bit < kSnpSignedSize * 8; ++bit) {
    Bytes bad = good;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = verifier.Appraise(bad, e, p, k2025);
    TEEPNET_ASSERT_OK(a);
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "bit " << bit;
  }
  EXPECT_EQ(verifier.cached_chains(), 1u);
}

TEST_P(SnpGenuineTest, FlippingAnySignatureBitIsContraindicated) {
  const Sample& s = GetParam();
  const Bytes good = Report(s);
  const SnpEndorsements e = Endorse(s);
  SnpVerifier verifier;
  for (size_t bit = kSnpSignedSize * 8; bit < kSnpReportSize * 8; bit += 3) {
    Bytes bad = good;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = verifier.Appraise(bad, e, ReferencePolicy(s), k2025);
    TEEPNET_ASSERT_OK(a);
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "bit " << bit;
  }
}

TEST_P(SnpGenuineTest, AnotherChipsVcekIsContraindicated) {
  const Sample& s = GetParam();
  for (const Sample& other : kSamples) {
    if (&other == &s || std::string(other.vcek) == s.vcek) continue;
    auto a = AppraiseSnp(Report(s), Endorse(other), ReferencePolicy(s), k2025);
    TEEPNET_ASSERT_OK(a);
    EXPECT_EQ(a->Overall(), Tier::kContraindicated) << other.name;
    EXPECT_EQ(TierOf(a->trust.instance_identity), Tier::kContraindicated);
  }
}

TEST_P(SnpGenuineTest, ExpiredEndorsementsAreContraindicated) {
  const Sample& s = GetParam();
  auto a = AppraiseSnp(Report(s), Endorse(s), ReferencePolicy(s), k2031);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.hardware, ar4si::kHardwareContraindicated);
}

TEST_P(SnpGenuineTest, AnotherProductsArkIsContraindicated) {
  const Sample& s = GetParam();
  auto a = AppraiseSnp(Report(s), Endorse(s.vcek, "gosevguest-ask_ark_genoa.pem"),
                       ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_P(SnpGenuineTest, UnknownMeasurementIsContraindicatedExecutables) {
  const Sample& s = GetParam();
  SnpPolicy p = ReferencePolicy(s);
  p.measurements = {Bytes(48, 0x42)};
  auto a = AppraiseSnp(Report(s), Endorse(s), p, k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.executables, ar4si::kContraindicatedExecutables);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming);
}

TEST_P(SnpGenuineTest, ReportDataBindingIsCheckedWhenGiven) {
  const Sample& s = GetParam();
  const Bytes report = Report(s);
  SnpPolicy p = ReferencePolicy(s);
  p.report_data = Bytes(report.begin() + 0x50, report.begin() + 0x90);
  auto good = AppraiseSnp(report, Endorse(s), p, k2025);
  TEEPNET_ASSERT_OK(good);
  EXPECT_EQ(good->Overall(), Tier::kAffirming);
  (*p.report_data)[63] ^= 1;
  auto bad = AppraiseSnp(report, Endorse(s), p, k2025);
  TEEPNET_ASSERT_OK(bad);
  EXPECT_EQ(bad->Overall(), Tier::kContraindicated);
}

TEST_P(SnpGenuineTest, TcbBelowPolicyMinimumIsContraindicatedHardware) {
  const Sample& s = GetParam();
  SnpPolicy p = ReferencePolicy(s);
  p.min_tcb.microcode = 255;
  auto a = AppraiseSnp(Report(s), Endorse(s), p, k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.hardware, ar4si::kHardwareContraindicated);
}

TEST_P(SnpGenuineTest, VlekSignerBitsWithAVcekAreContraindicated) {
  const Sample& s = GetParam();
  Bytes report = Report(s);
  report[0x48] |= 1 << 2;  // SIGNING_KEY = VLEK
  auto a = AppraiseSnp(report, Endorse(s), ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_P(SnpGenuineTest, MissingEndorsementIsContraindicated) {
  const Sample& s = GetParam();
  auto a = AppraiseSnp(Report(s), SnpEndorsements{}, ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_P(SnpGenuineTest, AppendedOrTruncatedBytesFailToParse) {
  const Sample& s = GetParam();
  Bytes report = Report(s);
  report.push_back(0);
  EXPECT_TRUE(FailsWith(AppraiseSnp(report, Endorse(s), ReferencePolicy(s), k2025),
                        Errc::kSnpBadReportSize));
  report.resize(kSnpReportSize - 1);
  EXPECT_TRUE(FailsWith(AppraiseSnp(report, Endorse(s), ReferencePolicy(s), k2025),
                        Errc::kSnpBadReportSize));
}

INSTANTIATE_TEST_SUITE_P(SevSnp, SnpGenuineTest, ::testing::ValuesIn(kSamples),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SnpDebugPolicyTest, DebugEnabledGuestUnderNoDebugPolicyIsContraindicated) {
  const Sample& s = kSamples[1];  // gosevguest: GUEST_POLICY 0xB0000, DEBUG=1
  SnpPolicy p = ReferencePolicy(s);
  p.allow_debug = false;
  auto a = AppraiseSnp(Report(s), Endorse(s), p, k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->claims["debug"], "true");
}

TEST(SnpGenuineClaimsTest, TrusteeReportClaimsMatchTheReadme) {
  const Sample& s = kSamples[0];
  auto a = AppraiseSnp(Report(s), Endorse(s), ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->claims["tcb"], "bl=3 tee=0 snp=8 ucode=115");
  EXPECT_EQ(a->claims["policy"], "0x3001f");
  EXPECT_EQ(a->claims["guest_svn"], "4");
  EXPECT_EQ(a->claims["firmware"], "1.52.4");
  EXPECT_EQ(a->claims["version"], "2");
}

TEST(SnpVcekInfoTest, TurinVcekCarriesFmcAndAnEightByteHwId) {
  auto cert =
      crypto::Certificate::FromDer(ReadVectorFile(std::string(kDir) + "virtee-vcek_turin.der"));
  TEEPNET_ASSERT_OK(cert);
  auto info = ReadSnpVcekInfo(*cert);
  TEEPNET_ASSERT_OK(info);
  EXPECT_EQ(info->product_name, "Turin");
  ASSERT_TRUE(info->hw_id.has_value());
  EXPECT_EQ(info->hw_id->size(), 8u);
  EXPECT_TRUE(info->fmc.has_value());
}

TEST(SnpVcekInfoTest, MilanVcekSplsEqualTheReadme) {
  auto cert =
      crypto::Certificate::FromDer(ReadVectorFile(std::string(kDir) + "trustee-test-vcek.der"));
  TEEPNET_ASSERT_OK(cert);
  auto info = ReadSnpVcekInfo(*cert);
  TEEPNET_ASSERT_OK(info);
  EXPECT_EQ(info->product_name, "Milan-B0");
  EXPECT_EQ(info->bl, 3);
  EXPECT_EQ(info->tee, 0);
  EXPECT_EQ(info->snp, 8);
  EXPECT_EQ(info->ucode, 0x73);
  EXPECT_EQ(info->hw_id->size(), 64u);
  EXPECT_TRUE(info->MatchesTcb({0, 3, 0, 8, 115}, SnpProduct::kMilan));
  EXPECT_FALSE(info->MatchesTcb({0, 3, 0, 8, 116}, SnpProduct::kMilan));
}

TEST(SnpVerifierTest, CachedChainIsNotReusedOutsideItsValidity) {
  const Sample& s = kSamples[0];
  SnpVerifier verifier;
  auto first = verifier.Appraise(Report(s), Endorse(s), ReferencePolicy(s), k2025);
  TEEPNET_ASSERT_OK(first);
  EXPECT_EQ(first->Overall(), Tier::kAffirming);
  auto later = verifier.Appraise(Report(s), Endorse(s), ReferencePolicy(s), k2031);
  TEEPNET_ASSERT_OK(later);
  EXPECT_EQ(later->Overall(), Tier::kContraindicated);
}

}  // namespace
}  // namespace teepnet::attest
