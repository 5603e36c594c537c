// The cgroup layout parser over the mount tables of the three kinds of host (the hybrid dev
// machine of spec/instance-runtimes.md §0, pure v2, pure v1), and the linux.resources the
// container backend derives from it: a limit goes into the config only where its controller is
// mounted, and otherwise into the report with the reason.
#include "teepnet/runtime/cgroup_layout.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "teepnet/runtime/container_resources.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using testing::TempDir;

// Mount tables whose mount points are real (writable) directories under `root`.
std::string HybridMounts(const std::string& root) {
  return "tmpfs " + root + " tmpfs rw 0 0\n" + "cgroup " + root +
         "/cpu cgroup rw,relatime,cpu 0 0\n" + "cgroup " + root +
         "/memory cgroup rw,relatime,memory 0 0\n" + "cgroup " + root +
         "/pids cgroup rw,relatime,pids 0 0\n" + "cgroup " + root +
         "/systemd cgroup rw,relatime,name=systemd 0 0\n" + "cgroup2 " + root +
         "/unified cgroup2 rw,relatime 0 0\n";
}

class CgroupLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (const char* d : {"cpu", "memory", "pids", "systemd", "unified"}) {
      std::filesystem::create_directory(dir_.path() + "/" + d);
    }
  }
  TempDir dir_;
};

TEST_F(CgroupLayoutTest, ReadsTheHybridDevMachineAsV1ControllersPlusAHugetlbOnlyCgroup2) {
  const CgroupLayout layout = ParseCgroupLayout(
      HybridMounts(dir_.path()), [](const std::string&) { return std::string("hugetlb"); });
  EXPECT_EQ(layout.version, CgroupVersion::kHybrid);
  EXPECT_STREQ(layout.VersionName(), "hybrid");
  EXPECT_EQ(layout.v2_mount, dir_.path() + "/unified");
  ASSERT_TRUE(layout.v1_mounts.contains("memory"));
  EXPECT_EQ(layout.v1_mounts.at("memory"), dir_.path() + "/memory");
  EXPECT_FALSE(layout.v1_mounts.contains("name=systemd"));
  // Where a runtime creates groups: every cgroup mount, the named systemd one included, but not
  // the tmpfs they sit on.
  EXPECT_EQ(layout.hierarchies,
            (std::vector<std::string>{dir_.path() + "/cpu", dir_.path() + "/memory",
                                      dir_.path() + "/pids", dir_.path() + "/systemd",
                                      dir_.path() + "/unified"}));
  const Capability pids = layout.Controller("pids");
  EXPECT_TRUE(pids.available) << pids.reason;
  EXPECT_EQ(pids.reason, "v1 at " + dir_.path() + "/pids");
  EXPECT_NE(layout.Describe().find("cgroup2 at " + dir_.path() + "/unified with [hugetlb]"),
            std::string::npos)
      << layout.Describe();
}

TEST_F(CgroupLayoutTest, FindsControllersOfAPureV2HostInItsControllersFile) {
  const std::string mounts = "cgroup2 " + dir_.path() + "/unified cgroup2 rw 0 0\n";
  const CgroupLayout layout = ParseCgroupLayout(mounts, [](const std::string&) {
    return std::string("cpuset cpu io memory hugetlb pids rdma");
  });
  EXPECT_EQ(layout.version, CgroupVersion::kV2);
  EXPECT_TRUE(layout.Controller("memory").available);
  EXPECT_EQ(layout.Controller("cpu").reason, "v2 at " + dir_.path() + "/unified");
}

TEST_F(CgroupLayoutTest, SaysWhichControllerIsMissingAndWhy) {
  const std::string mounts = "cgroup " + dir_.path() + "/memory cgroup rw,memory 0 0\n";
  const CgroupLayout layout =
      ParseCgroupLayout(mounts, [](const std::string&) { return std::string(); });
  EXPECT_EQ(layout.version, CgroupVersion::kV1);
  const Capability pids = layout.Controller("pids");
  EXPECT_FALSE(pids.available);
  EXPECT_NE(pids.reason.find("no pids controller is mounted"), std::string::npos) << pids.reason;
  const CgroupLayout none = ParseCgroupLayout("proc /proc proc rw 0 0\n",
                                              [](const std::string&) { return std::string(); });
  EXPECT_EQ(none.version, CgroupVersion::kNone);
  EXPECT_FALSE(none.Controller("memory").available);
}

TEST_F(CgroupLayoutTest, WritesOnlyTheLimitsTheLayoutCanApplyAndReportsTheRest) {
  const std::string mounts = "cgroup " + dir_.path() + "/memory cgroup rw,memory 0 0\n";
  const CgroupLayout layout =
      ParseCgroupLayout(mounts, [](const std::string&) { return std::string(); });
  ContainerLimits limits;
  limits.memory_bytes = 64u << 20;
  limits.pids = 32;
  IsolationReport report;
  const nlohmann::json resources = ContainerResources(limits, layout, report);
  ASSERT_TRUE(resources.contains("memory"));
  EXPECT_EQ(resources["memory"]["limit"], 64u << 20);
  EXPECT_FALSE(resources.contains("pids"));
  EXPECT_FALSE(resources.contains("cpu"));  // not asked for: neither written nor reported
  EXPECT_TRUE(report.Applied("cgroup memory limit"));
  ASSERT_EQ(report.not_applied.size(), 1u);
  EXPECT_EQ(report.not_applied[0].layer, "cgroup pids limit");
  EXPECT_NE(report.not_applied[0].reason.find("no pids controller"), std::string::npos);
}

TEST_F(CgroupLayoutTest, WritesTheCpuQuotaAndPeriodTogether) {
  const CgroupLayout layout = ParseCgroupLayout(
      HybridMounts(dir_.path()), [](const std::string&) { return std::string("hugetlb"); });
  ContainerLimits limits;
  limits.cpu_quota_us = 50'000;
  limits.cpu_period_us = 100'000;
  IsolationReport report;
  const nlohmann::json resources = ContainerResources(limits, layout, report);
  EXPECT_EQ(resources["cpu"]["quota"], 50'000u);
  EXPECT_EQ(resources["cpu"]["period"], 100'000u);
  EXPECT_TRUE(report.Applied("cgroup cpu limit"));
  EXPECT_TRUE(report.not_applied.empty());
}

TEST(ContainerLimits, RefusesAMemoryLimitTooSmallToStartAndABadCpuPeriod) {
  EXPECT_TRUE(ValidateContainerLimits({}).ok());
  ContainerLimits tiny;
  tiny.memory_bytes = 4096;
  EXPECT_FALSE(ValidateContainerLimits(tiny).ok());
  ContainerLimits period;
  period.cpu_quota_us = 10'000;
  period.cpu_period_us = 10;
  EXPECT_FALSE(ValidateContainerLimits(period).ok());
  period.cpu_period_us = 100'000;
  EXPECT_TRUE(ValidateContainerLimits(period).ok());
}

}  // namespace
}  // namespace teepnet::runtime
