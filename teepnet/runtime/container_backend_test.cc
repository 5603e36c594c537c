// Real containers: the test TA (test_ta.cc) packed into an OCI image with umoci and run by
// runc through the confidential container backend. Each test checks one claim from inside the
// container; the suite skips, saying why, where the machine has no runc, umoci or user
// namespaces (ProbeContainers).
#include "teepnet/runtime/container_backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using testing::Ask;
using testing::Channel;
using testing::TempDir;

class ContainerBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(state_.path().empty());
    // The bundle path must be searchable by the container's mapped ids (mkdtemp makes 0700).
    std::filesystem::permissions(
        state_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
    const ContainerProbe probe = ProbeContainers();
    if (!probe.usable()) GTEST_SKIP() << "containers cannot run here: " << probe.ToString();
    ContainerOptions options;
    options.state_dir = state_.path() + "/containers";
    auto backend = ContainerBackend::Create(options);
    TEEPNET_ASSERT_OK(backend);
    backend_ = std::move(*backend);
    log_ = state_.path() + "/ta.log";
  }

  void TearDown() override {
    if (!HasFailure() || log_.empty()) return;
    auto log = ReadFile(log_);
    if (log.ok()) std::cerr << "container log:\n" << std::string(AsChars(*log)) << "\n";
  }

  std::unique_ptr<Instance> Start(Channel& channel, InstanceSpec spec) {
    spec.name = "test-ta";
    spec.channel_fd = channel.instance();
    spec.log_path = log_;
    auto instance = backend_->Start(spec);
    EXPECT_TRUE(teepnet::testing::IsOk(instance));
    channel.CloseInstanceEnd();
    return instance.ok() ? std::move(*instance) : nullptr;
  }

  std::unique_ptr<Instance> StartTestTa(Channel& channel) {
    InstanceSpec spec;
    spec.executable_path = TEEPNET_TEST_TA;
    return Start(channel, spec);
  }

  size_t Containers() {
    auto listed =
        RunToolOk({*FindTool("runc"), "--root", backend_->runtime_root(), "list", "-q"}, 10'000);
    if (!listed.ok()) return 999;
    return static_cast<size_t>(std::count(listed->begin(), listed->end(), '\n'));
  }

  TempDir state_;
  std::string log_;
  std::unique_ptr<ContainerBackend> backend_;
};

TEST_F(ContainerBackendTest, RunsTheTaAsANonRootPid1InItsOwnNamespaces) {
  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto ta = StartTestTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
  EXPECT_EQ(Ask(channel.host(), "uid"), "1000");
  EXPECT_EQ(Ask(channel.host(), "hostname"), "ta");
  const std::string netdev = Ask(channel.host(), "netdev");
  EXPECT_NE(netdev.find("lo:"), std::string::npos);
  EXPECT_EQ(netdev.find("eth"), std::string::npos) << netdev;
  EXPECT_TRUE(ta->isolation().Applied("user namespace"));
}

TEST_F(ContainerBackendTest, RefusesPtraceMountAndWritesToTheRoot) {
  Channel channel;
  auto ta = StartTestTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "ptrace"), "errno:1");
  EXPECT_EQ(Ask(channel.host(), "mount"), "errno:1");
  EXPECT_EQ(Ask(channel.host(), "unshare"), "errno:1");
  EXPECT_EQ(Ask(channel.host(), "write /ta-was-here"), "errno:30");  // EROFS
  EXPECT_EQ(Ask(channel.host(), "write /tmp/scratch"), "ok");
  EXPECT_EQ(Ask(channel.host(), "netlink"), "errno:97");
  const std::string status = Ask(channel.host(), "status");
  EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos);
  EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos);
  EXPECT_NE(status.find("CapEff:\t0000000000000000"), std::string::npos);
}

TEST_F(ContainerBackendTest, DeliversThePdOverTheAgentChannel) {
  Channel channel;
  auto ta = StartTestTa(channel);
  ASSERT_NE(ta, nullptr);
  ASSERT_TRUE(WriteFrame(channel.host(), FrameType::kFromUa, AsBytes("pd")).ok());
  ASSERT_TRUE(
      WriteFrame(channel.host(), FrameType::kPd, EncodePlaintextPd(AsBytes("secret-1"))).ok());
  auto response = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(response);
  EXPECT_EQ(response->type, FrameType::kResponse);
  EXPECT_EQ(std::string(AsChars(response->payload)), "plain:secret-1");
}

TEST_F(ContainerBackendTest, MeasuresManifestAndConfigAndTheSameImageMeasuresTheSame) {
  // One image, started twice: the same manifest and the same generated config.
  const std::string layout = state_.path() + "/image";
  auto exe = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(exe);
  TEEPNET_ASSERT_OK(BuildOciImage(layout, "ta", *exe, state_.path() + "/build"));
  InstanceSpec spec;
  spec.image_path = layout;
  spec.image_ref = "ta";
  Channel a, b;
  auto first = Start(a, spec);
  auto second = Start(b, spec);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->measurement().size(), 32u);
  EXPECT_EQ(first->measurement(), second->measurement());
  // A different image (the same TA with one more byte) measures differently.
  Bytes other = *exe;
  other.push_back(0);
  Channel c;
  InstanceSpec changed;
  changed.executable = other;
  auto third = Start(c, changed);
  ASSERT_NE(third, nullptr);
  EXPECT_NE(third->measurement(), first->measurement());
}

TEST_F(ContainerBackendTest, StartsOfOnePayloadShareOneUnpackedReadOnlyImage) {
  auto exe = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(exe);
  InstanceSpec spec;
  spec.executable = *exe;
  Channel a, b;
  auto first = Start(a, spec);
  auto second = Start(b, spec);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  // One cached image for both, named by the payload's SHA-256, and the same measurement.
  const std::string images = state_.path() + "/containers/images";
  const std::string entry = images + "/" + ToHex(crypto::Sha256(*exe));
  EXPECT_TRUE(std::filesystem::exists(entry + "/ready"));
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(images)) {
    entries += e.path().filename().string()[0] == '.' ? 0 : 1;
  }
  EXPECT_EQ(entries, 1u);
  EXPECT_EQ(first->measurement(), second->measurement());
  // Both run from it, and neither can write to it (the root is read-only).
  EXPECT_EQ(Ask(a.host(), "write /ta-was-here"), "errno:30");  // EROFS
  EXPECT_FALSE(std::filesystem::exists(entry + "/bundle/rootfs/ta-was-here"));
  EXPECT_EQ(Ask(b.host(), "pid"), "1");
  // Stopping them leaves the image for the next start.
  first->Stop(2'000);
  second->Stop(2'000);
  EXPECT_TRUE(std::filesystem::exists(entry + "/ready"));
}

TEST_F(ContainerBackendTest, TheImageCacheEvictsTheLeastRecentlyUsedUnpinnedImage) {
  auto exe = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(exe);
  Bytes other = *exe;
  other.push_back(0);
  ContainerImageCache cache(state_.path() + "/cache", *FindTool("umoci"), 200000, 65536,
                            /*max_images=*/1);
  auto a = cache.Acquire(*exe, false);
  TEEPNET_ASSERT_OK(a);
  // A pinned image is never removed, even beyond the limit.
  auto b = cache.Acquire(other, false);
  TEEPNET_ASSERT_OK(b);
  EXPECT_TRUE(std::filesystem::exists(a->bundle + "/rootfs/ta"));
  EXPECT_TRUE(std::filesystem::exists(b->bundle + "/rootfs/ta"));
  // Released, the older one goes when the next image is acquired.
  cache.Release(a->key);
  cache.Release(b->key);
  auto again = cache.Acquire(other, false);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(again->bundle, b->bundle);
  EXPECT_FALSE(std::filesystem::exists(a->bundle));
  EXPECT_TRUE(std::filesystem::exists(b->bundle + "/rootfs/ta"));
}

TEST_F(ContainerBackendTest, RunsAnOciArchive) {
  const std::string layout = state_.path() + "/image";
  auto exe = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(exe);
  TEEPNET_ASSERT_OK(BuildOciImage(layout, "ta", *exe, state_.path() + "/build"));
  const std::string archive = state_.path() + "/ta.oci.tar";
  TEEPNET_ASSERT_OK(PackOciArchive(layout, archive));
  InstanceSpec spec;
  spec.image_path = archive;
  Channel channel;
  auto ta = Start(channel, spec);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
}

TEST_F(ContainerBackendTest, NoticesAnExitAndCleansUpAfterIt) {
  Channel channel;
  auto ta = StartTestTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
  EXPECT_EQ(Containers(), 1u);
  ASSERT_TRUE(WriteFrame(channel.host(), FrameType::kFromUa, AsBytes("exit 7")).ok());
  auto exit = ta->Wait(20'000);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_FALSE(exit->signaled);
  EXPECT_EQ(exit->code, 7);
  EXPECT_EQ(Containers(), 0u);
  size_t left = 0;
  for (const auto& e : std::filesystem::directory_iterator(state_.path() + "/containers")) {
    if (e.path().filename().string().rfind("c-", 0) == 0) ++left;
  }
  EXPECT_EQ(left, 0u);
}

TEST_F(ContainerBackendTest, StopEndsTheContainerAndRemovesIt) {
  Channel channel;
  auto ta = StartTestTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
  ta->Stop(500);
  EXPECT_FALSE(ta->GetStatus().running);
  EXPECT_EQ(Containers(), 0u);
}

TEST_F(ContainerBackendTest, CleanupStaleRemovesWhatACrashedLauncherLeftButNotLiveOnes) {
  Channel live_channel;
  auto live = StartTestTa(live_channel);
  ASSERT_NE(live, nullptr);
  EXPECT_EQ(Ask(live_channel.host(), "pid"), "1");
  // A bundle directory of a launcher that crashed.
  std::filesystem::create_directories(state_.path() + "/containers/c-old-deadbeef/bundle");
  TEEPNET_ASSERT_OK(backend_->CleanupStale());
  EXPECT_FALSE(std::filesystem::exists(state_.path() + "/containers/c-old-deadbeef"));
  EXPECT_EQ(Ask(live_channel.host(), "pid"), "1");
  EXPECT_EQ(Containers(), 1u);
}

TEST(ContainerBackend, RefusesAStateDirectoryTheMappedIdsCannotReach) {
  TempDir dir;  // 0700
  ContainerOptions options;
  options.state_dir = dir.path() + "/containers";
  auto backend = ContainerBackend::Create(options);
  ASSERT_FALSE(backend.ok());
  EXPECT_NE(backend.error().message().find("not searchable"), std::string::npos);
}

TEST(OciImage, RefusesAManifestBlobThatDoesNotHashToItsDigest) {
  TempDir dir;
  const std::string layout = dir.path() + "/image";
  std::filesystem::create_directories(layout + "/blobs/sha256");
  const std::string manifest =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";
  const std::string digest = ToHex(crypto::Sha256(AsBytes(manifest)));
  ASSERT_TRUE(
      WriteFileAtomic(layout + "/oci-layout", AsBytes(R"({"imageLayoutVersion":"1.0.0"})")).ok());
  ASSERT_TRUE(WriteFileAtomic(layout + "/index.json",
                              AsBytes(R"({"schemaVersion":2,"manifests":[{"mediaType":)"
                                      R"("application/vnd.oci.image.manifest.v1+json","digest":)"
                                      R"("sha256:)" +
                                      digest +
                                      R"(","size":1,"annotations":)"
                                      R"({"org.opencontainers.image.ref.name":"ta"}}]})"))
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(layout + "/blobs/sha256/" + digest, AsBytes(manifest)).ok());
  auto good = ResolveOciImage(layout, "ta");
  TEEPNET_ASSERT_OK(good);
  EXPECT_EQ(ToHex(good->manifest_digest), digest);
  EXPECT_FALSE(ResolveOciImage(layout, "other").ok());
  ASSERT_TRUE(WriteFileAtomic(layout + "/blobs/sha256/" + digest, AsBytes(manifest + " ")).ok());
  EXPECT_FALSE(ResolveOciImage(layout, "ta").ok());
  EXPECT_FALSE(ResolveOciImage(dir.path(), "ta").ok());  // not a layout
}

}  // namespace
}  // namespace teepnet::runtime
