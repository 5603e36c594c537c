// The confidential container features beyond the basic backend (container_backend_test.cc),
// each on the real runtime: an image built from a directory and delivered as a package payload
// (an oci-archive in spec.executable) runs and is measured over its files; cgroup limits land
// in the container's own cgroup; "auto" picks a runtime that really runs a container here, and
// the crun probe states why crun does not. Skips say what the machine lacks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "teepnet/base/file.h"
#include "teepnet/runtime/cgroup_sweep.h"
#include "teepnet/runtime/container_backend.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_build.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using testing::Ask;
using testing::Channel;
using testing::TempDir;

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

class ContainerFeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(state_.path().empty());
    fs::permissions(state_.path(), fs::perms::owner_all | fs::perms::others_exec);
    log_ = state_.path() + "/ta.log";
  }

  void TearDown() override {
    if (!HasFailure()) return;
    auto log = ReadFile(log_);
    if (log.ok()) std::cerr << "container log:\n" << std::string(AsChars(*log)) << "\n";
  }

  // Creates the backend, or skips with the probe's reason.
  bool MakeBackend(ContainerOptions options) {
    options.state_dir = state_.path() + "/containers";
    const ContainerProbe probe = ProbeContainers(options.runtime);
    if (!probe.usable()) {
      skip_ = "containers cannot run here: " + probe.ToString();
      return false;
    }
    auto backend = ContainerBackend::Create(options);
    EXPECT_TRUE(teepnet::testing::IsOk(backend));
    if (!backend.ok()) return false;
    backend_ = std::move(*backend);
    return true;
  }

  std::unique_ptr<Instance> Start(Channel& channel, InstanceSpec spec) {
    spec.name = "feature-ta";
    spec.channel_fd = channel.instance();
    spec.log_path = log_;
    auto instance = backend_->Start(spec);
    EXPECT_TRUE(teepnet::testing::IsOk(instance));
    channel.CloseInstanceEnd();
    return instance.ok() ? std::move(*instance) : nullptr;
  }

  // An oci-archive built from a directory holding the test TA as /bin/ta and a data file.
  Bytes ImageArchive(const std::string& name, const std::string& greeting) {
    const std::string src = state_.path() + "/src-" + name;
    fs::create_directories(src + "/bin");
    fs::create_directories(src + "/etc");
    fs::copy_file(TEEPNET_TEST_TA, src + "/bin/ta");
    fs::permissions(src + "/bin/ta", fs::perms::owner_all);
    std::ofstream(src + "/etc/greeting") << greeting;
    OciBuildSpec spec;
    spec.source_dir = src;
    spec.entrypoint = "/bin/ta";
    const std::string layout = state_.path() + "/layout-" + name;
    Status built = BuildOciImageFromDir(spec, layout, state_.path() + "/work");
    EXPECT_TRUE(built.ok()) << built.error().ToString();
    const std::string archive = state_.path() + "/" + name + ".tar";
    EXPECT_TRUE(PackOciArchive(layout, archive).ok());
    auto bytes = ReadFile(archive);
    return bytes.ok() ? *std::move(bytes) : Bytes();
  }

  TempDir state_;
  std::string log_;
  std::string skip_;
  std::unique_ptr<ContainerBackend> backend_;
};

TEST_F(ContainerFeaturesTest, RunsAnImageBuiltFromADirectoryAndMeasuresItsFiles) {
  if (!MakeBackend({})) GTEST_SKIP() << skip_;
  const Bytes image = ImageArchive("a", "hello\n");
  ASSERT_TRUE(IsOciArchive(image));
  // As the Agent hands over a package payload: the bytes, not a path.
  InstanceSpec spec;
  spec.executable = image;
  Channel a;
  auto first = Start(a, spec);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(Ask(a.host(), "pid"), "1");
  EXPECT_EQ(Ask(a.host(), "uid"), "1000");
  EXPECT_EQ(Ask(a.host(), "open /etc/greeting"), "ok");
  EXPECT_EQ(Ask(a.host(), "write /etc/greeting"), "errno:30");  // read-only root
  const Bytes measured = first->measurement();
  first->Stop(1'000);

  Channel b;
  auto again = Start(b, spec);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->measurement(), measured);
  again->Stop(1'000);

  // One byte of one data file differs: another manifest, another measurement.
  InstanceSpec changed;
  changed.executable = ImageArchive("b", "hellO\n");
  Channel c;
  auto third = Start(c, changed);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(Ask(c.host(), "open /etc/greeting"), "ok");
  EXPECT_NE(third->measurement(), measured);
}

TEST_F(ContainerFeaturesTest, PutsPidsAndMemoryLimitsIntoTheContainersOwnCgroup) {
  ContainerOptions options;
  options.limits.pids = 32;
  options.limits.memory_bytes = 64u << 20;
  if (!MakeBackend(options)) GTEST_SKIP() << skip_;
  InstanceSpec spec;
  spec.executable_path = TEEPNET_TEST_TA;
  Channel channel;
  auto ta = Start(channel, spec);
  ASSERT_NE(ta, nullptr);
  ASSERT_EQ(Ask(channel.host(), "pid"), "1");
  // The container's init as the host sees it, and the groups runc put it in.
  auto listed = RunToolOk({*FindTool(backend_->runtime_name()), "--root", backend_->runtime_root(),
                           "list", "--format", "json"},
                          10'000);
  TEEPNET_ASSERT_OK(listed);
  const nlohmann::json containers = nlohmann::json::parse(*listed, nullptr, false);
  ASSERT_TRUE(containers.is_array() && containers.size() == 1) << *listed;
  const int pid = containers[0]["pid"].get<int>();
  std::ifstream cgroup_file("/proc/" + std::to_string(pid) + "/cgroup");
  std::map<std::string, std::string> groups;  // controller ("" for v2) -> path
  for (std::string line; std::getline(cgroup_file, line);) {
    const size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    for (size_t at = 0; at <= controllers.size();) {
      size_t comma = controllers.find(',', at);
      if (comma == std::string::npos) comma = controllers.size();
      groups[controllers.substr(at, comma - at)] = line.substr(b + 1);
      at = comma + 1;
    }
  }
  // Under the backend's own parent, where a sweep finds what a killed runtime leaves.
  for (const auto& [controller, path] : groups) {
    if (controller == "pids" || controller == "memory") {
      EXPECT_EQ(path.rfind(ContainerCgroupPath(""), 0), 0u) << controller << " " << path;
    }
  }
  const CgroupLayout& layout = backend_->probe().cgroups;
  auto file = [&](const std::string& controller, const char* v1, const char* v2) {
    if (layout.v1_mounts.contains(controller)) {
      return layout.v1_mounts.at(controller) + groups[controller] + "/" + v1;
    }
    return layout.v2_mount + groups[""] + "/" + v2;
  };
  std::string skipped;
  if (ta->isolation().Applied("cgroup pids limit")) {
    EXPECT_EQ(ReadLine(file("pids", "pids.max", "pids.max")), "32");
  } else {
    skipped += ta->isolation().ToString();
  }
  if (ta->isolation().Applied("cgroup memory limit")) {
    EXPECT_EQ(ReadLine(file("memory", "memory.limit_in_bytes", "memory.max")),
              std::to_string(64u << 20));
  } else {
    skipped += ta->isolation().ToString();
  }
  if (!skipped.empty()) GTEST_SKIP() << "a limit could not be applied here: " << skipped;
}

TEST_F(ContainerFeaturesTest, AutoPicksARuntimeThatRunsAContainerHere) {
  ContainerOptions options;
  options.runtime = kAutoRuntime;
  if (!MakeBackend(options)) GTEST_SKIP() << skip_;
  const ContainerProbe& probe = backend_->probe();
  EXPECT_TRUE(probe.runtime_name == "runc" || probe.runtime_name == "crun") << probe.ToString();
  EXPECT_EQ(probe.choice.rfind("auto: " + probe.runtime_name, 0), 0u) << probe.choice;
  EXPECT_NE(probe.ToString().find("runtime choice: auto: "), std::string::npos);
  std::cout << "[ probe    ] " << probe.choice << "\n";
  InstanceSpec spec;
  spec.executable_path = TEEPNET_TEST_TA;
  Channel channel;
  auto ta = Start(channel, spec);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
}

TEST(ContainerRuntimeProbe, StatesWhyCrunCannotRunAContainerOrThatItRanOne) {
  const Capability crun = ProbeRuntime("crun");
  std::cout << "[ probe    ] " << crun.Line("crun") << "\n";
  if (crun.available) {
    EXPECT_EQ(crun.reason.rfind("crun version", 0), 0u) << crun.reason;
    return;
  }
  // Either not installed, or crun's own last error line.
  EXPECT_EQ(crun.reason.rfind("crun ", 0), 0u) << crun.reason;
  if (FindTool("crun")) {
    EXPECT_NE(crun.reason.find("crun cannot run a container here: "), std::string::npos)
        << crun.reason;
    EXPECT_GT(crun.reason.size(), std::string("crun cannot run a container here: ").size() + 5);
  }
  // "auto" then falls back to runc, and says why.
  const ContainerProbe probe = ProbeContainers(kAutoRuntime);
  EXPECT_EQ(probe.runtime_name, "runc");
  EXPECT_NE(probe.choice.find(crun.reason), std::string::npos) << probe.choice;
}

}  // namespace
}  // namespace teepnet::runtime
