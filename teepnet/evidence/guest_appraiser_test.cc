// Confidential VM guests of every simulated architecture Figure 2 runs VMs on: the platform
// signs evidence naming the guest's launch digest, and the Agent's appraisal accepts exactly
// that launch and that key binding.
#include "teepnet/evidence/guest_appraiser.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/clock.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/evidence/sim_installation.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::evidence {
namespace {

class GuestAppraiserTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "guest-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  Result<std::unique_ptr<attest::Platform>> Open(const std::string& platform) {
    return OpenSimPlatform({platform, root_ + "/device", root_ + "/vendors", false, now_});
  }

  std::string root_;
  const int64_t now_ = SystemClock().NowUnixSeconds();
  const Bytes launch_ = crypto::Sha256(AsBytes("kernel | initramfs | cmdline | config"));
  const Bytes report_data_ = crypto::Digest(crypto::HashAlgorithm::kSha512, AsBytes("guest key"));
};

TEST_P(GuestAppraiserTest, TheGuestsEvidenceNamesItsLaunchAndItsKeyAndNothingElsePasses) {
  auto platform = Open(GetParam());
  TEEPNET_ASSERT_OK(platform);
  auto evidence = (*platform)->GetGuestEvidence(report_data_, launch_);
  TEEPNET_ASSERT_OK(evidence);
  auto appraiser = GuestAppraiser::FromDirectory(root_ + "/vendors/public");
  TEEPNET_ASSERT_OK(appraiser);
  TEEPNET_EXPECT_OK((*appraiser)->Appraise(*evidence, report_data_, launch_, now_));
  // Another launch, another key binding, a flipped bit: refused.
  const Bytes other_launch = crypto::Sha256(AsBytes("another image"));
  EXPECT_FALSE((*appraiser)->Appraise(*evidence, report_data_, other_launch, now_).ok());
  const Bytes other_data = crypto::Digest(crypto::HashAlgorithm::kSha512, AsBytes("other key"));
  EXPECT_FALSE((*appraiser)->Appraise(*evidence, other_data, launch_, now_).ok());
  // (Byte 100 lies in the signed part of every format: report body, quote body, CSV data
  // buffer, CCA token.)
  Bytes flipped = *evidence;
  flipped[100] ^= 0x01;
  EXPECT_FALSE((*appraiser)->Appraise(flipped, report_data_, launch_, now_).ok());
  // The device's own evidence is not a guest's: its measurement is the device's.
  auto own = (*platform)->GetEvidence(report_data_);
  TEEPNET_ASSERT_OK(own);
  EXPECT_FALSE((*appraiser)->Appraise(*own, report_data_, launch_, now_).ok());
}

INSTANTIATE_TEST_SUITE_P(VmArchitectures, GuestAppraiserTest,
                         ::testing::Values("sim-snp", "sim-tdx", "sim-cca", "sim-csv"));

TEST(GuestEvidence, ArchitecturesWithoutConfidentialVmsSaySo) {
  std::string pattern = (std::filesystem::temp_directory_path() / "guest-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::string root = pattern;
  const int64_t now = SystemClock().NowUnixSeconds();
  for (const char* name : {"sim-sgx", "sim-trustzone"}) {
    auto platform = OpenSimPlatform({name, root + "/" + name, root + "/vendors", false, now});
    TEEPNET_ASSERT_OK(platform);
    EXPECT_TRUE(teepnet::testing::FailsWith(
        (*platform)->GetGuestEvidence(Bytes(64, 1), Bytes(32, 2)), attest::Errc::kNoGuests))
        << name;
  }
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace teepnet::evidence
