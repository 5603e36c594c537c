#include "teepnet/evidence/sim_installation.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/clock.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::evidence {
namespace {

class SimInstallationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sim-install-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  SimPlatformOptions Options(const std::string& platform, const std::string& device,
                             bool debug = false) const {
    return {platform, root_ + "/" + device, root_ + "/vendors", debug, now_};
  }

  attest::Tier Appraise(attest::Platform& platform) {
    const Bytes report_data(64, 0x5a);
    auto evidence = platform.GetEvidence(report_data);
    EXPECT_TRUE(evidence.ok());
    auto config = attest::VerifierConfig::FromDirectory(root_ + "/vendors/public");
    EXPECT_TRUE(config.ok()) << config.error().ToString();
    if (!evidence.ok() || !config.ok()) return attest::Tier::kNone;
    attest::Verifier verifier(*std::move(config));
    auto verdict = verifier.Verify(*evidence, std::nullopt, ByteView(report_data), now_);
    EXPECT_TRUE(verdict.ok()) << verdict.error().ToString();
    if (!verdict.ok()) return attest::Tier::kNone;
    for (const std::string& note : verdict->appraisal.notes) ADD_FAILURE() << "note: " << note;
    return verdict->appraisal.Overall();
  }

  std::string root_;
  int64_t now_ = SystemClock().NowUnixSeconds();
};

TEST_F(SimInstallationTest, EveryPlatformAppraisesAgainstThePublishedEndorsements) {
  for (const char* name :
       {"sim-trustzone", "sim-sgx", "sim-snp", "sim-cca", "sim-tdx", "sim-csv"}) {
    SCOPED_TRACE(name);
    auto platform = OpenSimPlatform(Options(name, std::string("dev-") + name));
    TEEPNET_ASSERT_OK(platform);
    EXPECT_EQ(Appraise(**platform), attest::Tier::kAffirming);
  }
}

TEST_F(SimInstallationTest, ReopeningLoadsTheSameGuestAndKeepsSecretsPrivate) {
  auto first = OpenSimPlatform(Options("sim-snp", "dev"));
  TEEPNET_ASSERT_OK(first);
  auto again = OpenSimPlatform(Options("sim-snp", "dev"));
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ((*first)->measurement_hex(), (*again)->measurement_hex());
  struct stat st;
  ASSERT_EQ(::stat((root_ + "/vendors/private/snp-host.state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing under public/ is a private state file.
  for (const auto& e : std::filesystem::recursive_directory_iterator(root_ + "/vendors/public")) {
    EXPECT_NE(e.path().extension(), ".state") << e.path();
  }
}

TEST_F(SimInstallationTest, TwoGuestsOfOneHostShareTheManufacturerButNotTheMeasurement) {
  auto a = OpenSimPlatform(Options("sim-sgx", "a"));
  auto b = OpenSimPlatform(Options("sim-sgx", "b"));
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_NE((*a)->measurement_hex(), (*b)->measurement_hex());
  EXPECT_EQ(Appraise(**a), attest::Tier::kAffirming);
  EXPECT_EQ(Appraise(**b), attest::Tier::kAffirming);
}

TEST_F(SimInstallationTest, DebugGuestIsContraindicatedByTheDefaultPolicy) {
  for (const char* name : {"sim-sgx", "sim-snp", "sim-trustzone"}) {
    SCOPED_TRACE(name);
    auto platform = OpenSimPlatform(Options(name, std::string("debug-") + name, true));
    TEEPNET_ASSERT_OK(platform);
    const Bytes report_data(64, 0x5a);
    auto evidence = (*platform)->GetEvidence(report_data);
    TEEPNET_ASSERT_OK(evidence);
    auto config = attest::VerifierConfig::FromDirectory(root_ + "/vendors/public");
    TEEPNET_ASSERT_OK(config);
    attest::Verifier verifier(*std::move(config));
    auto verdict = verifier.Verify(*evidence, std::nullopt, ByteView(report_data), now_);
    TEEPNET_ASSERT_OK(verdict);
    EXPECT_EQ(verdict->appraisal.Overall(), attest::Tier::kContraindicated);
  }
}

TEST_F(SimInstallationTest, UnknownPlatformNamesAreRefused) {
  EXPECT_FALSE(IsSimPlatform("sim-generic"));
  EXPECT_TRUE(IsSimPlatform("sim-sev-snp"));
  EXPECT_FALSE(OpenSimPlatform(Options("sim-generic", "dev")).ok());
}

}  // namespace
}  // namespace teepnet::evidence
