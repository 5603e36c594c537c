// The container cgroup sweep over stand-in hierarchies (plain directories): a group of a
// container the backend no longer knows is removed once it is old enough; live, young and busy
// groups stay, and nothing outside the "teepnet" parent is touched.
#include "teepnet/runtime/cgroup_sweep.h"

#include <gtest/gtest.h>
#include <sys/time.h>

#include <filesystem>
#include <fstream>

#include "teepnet/runtime/instance_test_util.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr int64_t kNow = 1'800'000'000;

class CgroupSweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (const char* h : {"pids", "unified"}) {
      layout_.hierarchies.push_back(dir_.path() + "/" + h);
      fs::create_directories(dir_.path() + "/" + h + "/teepnet");
    }
  }
  // A group `name` in every hierarchy, last changed `age_s` seconds before kNow.
  void Group(const std::string& name, int64_t age_s, const std::string& parent = "teepnet") {
    for (const std::string& h : layout_.hierarchies) {
      const std::string path = h + "/" + parent + "/" + name;
      fs::create_directories(path);
      const timeval times[2] = {{kNow - age_s, 0}, {kNow - age_s, 0}};
      ASSERT_EQ(::utimes(path.c_str(), times), 0);
    }
  }
  bool Exists(const std::string& relative) const {
    for (const std::string& h : layout_.hierarchies) {
      if (!fs::exists(h + "/" + relative)) return false;
    }
    return true;
  }

  TempDir dir_;
  CgroupLayout layout_;
};

TEST_F(CgroupSweepTest, PutsEveryContainerUnderTheTeepnetParent) {
  EXPECT_EQ(ContainerCgroupPath("ta-1-00b97dc7"), "/teepnet/ta-1-00b97dc7");
}

TEST_F(CgroupSweepTest, RemovesOnlyOldGroupsOfContainersItNoLongerKnows) {
  Group("ta-1-dead", 3600);
  Group("ta-2-live", 3600);
  Group("ta-3-young", 5);
  Group("ta-4-busy", 3600);
  // A group that still holds something cannot be removed (the kernel's EBUSY for a group with
  // a process is ENOTEMPTY for a plain directory with a file).
  for (const std::string& h : layout_.hierarchies) {
    std::ofstream(h + "/teepnet/ta-4-busy/cgroup.procs") << "4242\n";
  }
  Group("ta-5-elsewhere", 3600, "other");

  EXPECT_EQ(SweepStaleContainerCgroups(layout_, {"ta-2-live"}, kNow, 60), 2u);
  EXPECT_FALSE(Exists("teepnet/ta-1-dead"));
  EXPECT_TRUE(Exists("teepnet/ta-2-live"));
  EXPECT_TRUE(Exists("teepnet/ta-3-young"));
  EXPECT_TRUE(Exists("teepnet/ta-4-busy"));
  EXPECT_TRUE(Exists("other/ta-5-elsewhere"));
  // Nothing left to do a second time.
  EXPECT_EQ(SweepStaleContainerCgroups(layout_, {"ta-2-live"}, kNow, 60), 0u);
}

TEST_F(CgroupSweepTest, NeverFollowsASymlinkUnderTheParent) {
  fs::create_directories(dir_.path() + "/target/keep");
  const timeval times[2] = {{kNow - 3600, 0}, {kNow - 3600, 0}};
  ASSERT_EQ(::utimes((dir_.path() + "/target/keep").c_str(), times), 0);
  fs::create_directory_symlink(dir_.path() + "/target/keep",
                               layout_.hierarchies[0] + "/teepnet/link");
  EXPECT_EQ(SweepStaleContainerCgroups(layout_, {}, kNow, 60), 0u);
  EXPECT_TRUE(fs::exists(dir_.path() + "/target/keep"));
}

TEST_F(CgroupSweepTest, RemovesOneContainersGroupsInEveryHierarchyByItsIdOnly) {
  Group("ta-1-done", 0);
  Group("ta-2-other", 0);
  EXPECT_EQ(RemoveContainerCgroups(layout_, "ta-1-done"), 2u);
  EXPECT_FALSE(Exists("teepnet/ta-1-done"));
  EXPECT_TRUE(Exists("teepnet/ta-2-other"));
  EXPECT_EQ(RemoveContainerCgroups(layout_, "ta-1-done"), 0u);  // already gone
  for (std::string_view bad : {"", ".", "..", "../teepnet", "a/b"}) {
    EXPECT_EQ(RemoveContainerCgroups(layout_, bad), 0u) << bad;
  }
  EXPECT_TRUE(Exists("teepnet"));
}

}  // namespace
}  // namespace teepnet::runtime
