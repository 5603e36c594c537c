#include "teepnet/attest/configfs_tsm_platform.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/cca_sim_platform.h"
#include "teepnet/attest/configfs_tsm_fake_kernel.h"
#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_sim_platform.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/sev_guest_certs.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::attest::testing::FakeTsmKernel;
using teepnet::attest::testing::TempDir;
using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

class ConfigfsTsmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SimSevSnpOptions o;
    o.not_before = kNow - 86400;
    auto p = SimSevSnpPlatform::Create(o);
    ASSERT_TRUE(p.ok());
    snp_ = std::move(p).value().release();
  }
  static void TearDownTestSuite() {
    delete snp_;
    snp_ = nullptr;
  }

  void SetUp() override {
    root_ = dir_.path() + "/tsm/report";
    std::filesystem::create_directories(root_);
    kernel_ = std::make_shared<FakeTsmKernel>(snp_, "sev_guest");
    kernel_->auxblob = [] {
      return EncodeSnpCertTable({{SnpCertKind::kVcek, snp_->vcek().der()},
                                 {SnpCertKind::kAsk, snp_->ask().der()},
                                 {SnpCertKind::kArk, snp_->ark().der()}});
    };
  }

  ConfigfsTsmOptions Options() const {
    ConfigfsTsmOptions o;
    o.root = root_;
    o.fs = kernel_;
    return o;
  }

  SnpPolicy PolicyFor(ByteView report_data) const {
    SnpPolicy policy;
    policy.measurements.push_back(*FromHex(snp_->measurement_hex()));
    policy.report_data = Bytes(64, 0);
    std::copy(report_data.begin(), report_data.end(), policy.report_data->begin());
    policy.vmpl = 0;
    policy.min_tcb = {0, 7, 0, 14, 72};
    return policy;
  }

  static SimSevSnpPlatform* snp_;
  TempDir dir_;
  std::string root_;
  std::shared_ptr<FakeTsmKernel> kernel_;
};

SimSevSnpPlatform* ConfigfsTsmTest::snp_ = nullptr;

TEST_F(ConfigfsTsmTest, SevGuestReportAndAuxblobCertificatesAppraiseAffirming) {
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_EQ((*platform)->provider(), "sev_guest");
  EXPECT_EQ((*platform)->format(), EvidenceFormat::kSevSnpReport);
  EXPECT_EQ((*platform)->architecture(), Architecture::kSevSnp);
  EXPECT_EQ((*platform)->measurement_hex(), snp_->measurement_hex());

  const Bytes nonce(32, 0x5a);
  auto evidence = (*platform)->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(evidence);
  Bytes padded = nonce;
  padded.resize(64, 0);
  EXPECT_EQ(kernel_->last_inblob, padded);

  // The chain comes from auxblob; the trust anchor is the one the caller pins.
  auto endorsements = SnpEndorsementsFromCertTable((*platform)->last_auxblob(), {snp_->ark()});
  TEEPNET_ASSERT_OK(endorsements);
  auto a = AppraiseSnp(*evidence, *endorsements, PolicyFor(nonce), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->report_data, padded);

  // Every report entry was removed again.
  EXPECT_EQ(kernel_->entries_created, 2);
  EXPECT_EQ(kernel_->entries_removed, 2);
  EXPECT_EQ(dir_.CountEntries("tsm/report"), 0u);
}

TEST_F(ConfigfsTsmTest, WritesPrivlevelAndCountsItInTheGeneration) {
  kernel_->privlevel_floor = 1;
  ConfigfsTsmOptions o = Options();
  o.privlevel = 2;
  auto platform = ConfigfsTsmPlatform::Open(std::move(o));
  TEEPNET_ASSERT_OK(platform);
  auto report = (*platform)->GetReport(Bytes{1});
  TEEPNET_ASSERT_OK(report);
  EXPECT_EQ(kernel_->last_privlevel, "2");
  EXPECT_EQ(report->generation, 2u);  // privlevel + inblob
}

TEST_F(ConfigfsTsmTest, RefusesAPrivlevelBelowTheFloor) {
  kernel_->privlevel_floor = 2;
  ConfigfsTsmOptions o = Options();
  o.privlevel = 1;
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(std::move(o)), Errc::kRealBadArgument));
  EXPECT_EQ(kernel_->entries_created, kernel_->entries_removed);
}

TEST_F(ConfigfsTsmTest, RefusesAPrivlevelAboveThree) {
  ConfigfsTsmOptions o = Options();
  o.privlevel = 4;
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(std::move(o)), Errc::kRealBadArgument));
}

TEST_F(ConfigfsTsmTest, RetriesWithAFreshEntryWhenAnotherWriterMovedTheGeneration) {
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  kernel_->entries_created = kernel_->entries_removed = 0;
  kernel_->concurrent_writes = 1;
  auto report = (*platform)->GetReport(Bytes{7});
  TEEPNET_ASSERT_OK(report);
  EXPECT_EQ(kernel_->entries_created, 2);
  EXPECT_EQ(kernel_->entries_removed, 2);
  EXPECT_EQ(report->generation, 1u);
}

TEST_F(ConfigfsTsmTest, RefusesWhenTheGenerationMovesOnEveryAttempt) {
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  kernel_->concurrent_writes = 1000;
  EXPECT_TRUE(FailsWith((*platform)->GetEvidence(Bytes{7}), Errc::kTsmConcurrentWriter));
  EXPECT_EQ(kernel_->entries_created, kernel_->entries_removed);
  EXPECT_EQ(dir_.CountEntries("tsm/report"), 0u);
}

TEST_F(ConfigfsTsmTest, RefusesAnOutblobOverTheKernelLimit) {
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  kernel_->outblob_extra_bytes = kTsmOutblobMax;
  EXPECT_TRUE(FailsWith((*platform)->GetEvidence(Bytes{7}), Errc::kRealBlobTooLarge));
  EXPECT_EQ(dir_.CountEntries("tsm/report"), 0u);
}

TEST_F(ConfigfsTsmTest, RefusesAnEntryWithoutProvider) {
  kernel_->omit_provider = true;
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(Options()), Errc::kTsmMissingProvider));
  EXPECT_EQ(dir_.CountEntries("tsm/report"), 0u);
}

TEST_F(ConfigfsTsmTest, RefusesAnUnknownProvider) {
  kernel_ = std::make_shared<FakeTsmKernel>(snp_, "sgx_guest");
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(Options()), Errc::kTsmUnknownProvider));
}

TEST_F(ConfigfsTsmTest, RefusesAProviderOtherThanTheRequiredOne) {
  ConfigfsTsmOptions o = Options();
  o.required_provider = "tdx_guest";
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(std::move(o)), Errc::kTsmUnknownProvider));
}

TEST_F(ConfigfsTsmTest, RefusesReportDataOver64Bytes) {
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_TRUE(FailsWith((*platform)->GetEvidence(Bytes(65, 1)), Errc::kRealBadArgument));
}

TEST_F(ConfigfsTsmTest, AMissingRootIsNotPresent) {
  ConfigfsTsmOptions o = Options();
  o.root = dir_.path() + "/no/such/dir";
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(std::move(o)), Errc::kRealNotPresent));
  o = ConfigfsTsmOptions{};
  o.root = dir_.path() + "/no/such/dir";  // the POSIX implementation too
  EXPECT_TRUE(FailsWith(ConfigfsTsmPlatform::Open(std::move(o)), Errc::kRealNotPresent));
}

TEST_F(ConfigfsTsmTest, TdxGuestQuoteAppraisesAffirming) {
  auto intel = SimIntelManufacturer::Create(kNow - 86400);
  TEEPNET_ASSERT_OK(intel);
  SimTdIdentity id;
  id.mrtd.fill(0x7d);
  auto td = SimTdxPlatform::Create(*intel, id);
  TEEPNET_ASSERT_OK(td);
  kernel_ = std::make_shared<FakeTsmKernel>(&*td, "tdx_guest");
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_EQ((*platform)->format(), EvidenceFormat::kTdxQuote);
  EXPECT_EQ((*platform)->architecture(), Architecture::kTdx);
  EXPECT_EQ((*platform)->measurement_hex(), td->measurement_hex());
  EXPECT_TRUE((*platform)->last_auxblob().empty());

  auto quote = (*platform)->GetEvidence(Bytes(64, 0x21));
  TEEPNET_ASSERT_OK(quote);
  auto e = intel->Endorsements(true, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  TdxPolicy policy;
  policy.mrtd.push_back(id.mrtd);
  std::array<uint8_t, 64> expected{};
  expected.fill(0x21);
  policy.common.report_data = expected;
  auto a = AppraiseTdx(*quote, *e, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
}

TEST_F(ConfigfsTsmTest, ArmCcaGuestTokenAppraisesAffirming) {
  auto cca = SimCcaPlatform::Create();
  TEEPNET_ASSERT_OK(cca);
  kernel_ = std::make_shared<FakeTsmKernel>(&*cca, "arm_cca_guest");
  auto platform = ConfigfsTsmPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_EQ((*platform)->format(), EvidenceFormat::kCcaToken);
  EXPECT_EQ((*platform)->measurement_hex(), cca->measurement_hex());
  const Bytes challenge(64, 0x44);
  auto token = (*platform)->GetEvidence(challenge);
  TEEPNET_ASSERT_OK(token);
  CcaPolicy policy;
  policy.challenge = challenge;
  auto a = AppraiseCca(*token, cca->Endorsements(), policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
}

}  // namespace
}  // namespace teepnet::attest
