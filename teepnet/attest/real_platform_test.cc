#include "teepnet/attest/real_platform.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "teepnet/attest/configfs_tsm_fake_kernel.h"
#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::attest::testing::TempDir;
using teepnet::testing::FailsWith;

RealPlatformOptions Under(const TempDir& dir) {
  RealPlatformOptions o;
  o.configfs_tsm_root = dir.path() + "/tsm/report";
  o.sev_guest_device = dir.path() + "/sev-guest";
  o.tdx_guest_device = dir.path() + "/tdx_guest";
  o.tdx_measurements_dir = dir.path() + "/measurements";
  return o;
}

TEST(ProbeRealPlatforms, NamesEveryBackendAndSaysWhyItIsMissing) {
  TempDir dir;
  auto probes = ProbeRealPlatforms(Under(dir));
  ASSERT_EQ(probes.size(), 3u);
  for (size_t i = 0; i < probes.size(); ++i) {
    EXPECT_EQ(probes[i].name, kRealPlatformNames[i]);
    EXPECT_FALSE(probes[i].available);
    EXPECT_NE(probes[i].detail.find(dir.path()), std::string::npos) << probes[i].detail;
  }
}

TEST(ProbeRealPlatforms, FindsAConfigfsTsmRootAndRefusesRegularFilesAsDevices) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/tsm/report");
  dir.WriteFile("sev-guest", Bytes{});
  auto probes = ProbeRealPlatforms(Under(dir));
  ASSERT_EQ(probes.size(), 3u);
  EXPECT_TRUE(probes[0].available) << probes[0].detail;
  EXPECT_FALSE(probes[1].available);
  EXPECT_NE(probes[1].detail.find("not a character device"), std::string::npos);
  EXPECT_FALSE(probes[2].available);
}

TEST(OpenRealPlatform, RefusesAnUnknownName) {
  EXPECT_TRUE(
      FailsWith(OpenRealPlatform("simulated", RealPlatformOptions{}), Errc::kRealBadArgument));
}

TEST(OpenRealPlatform, ReportsAbsentBackendsAsNotPresent) {
  TempDir dir;
  for (std::string_view name : kRealPlatformNames) {
    EXPECT_TRUE(FailsWith(OpenRealPlatform(name, Under(dir)), Errc::kRealNotPresent)) << name;
  }
}

}  // namespace
}  // namespace teepnet::attest
