// Real launches of the test TA (test_ta.cc) in the confidential process backend. Each test
// checks one isolation claim from inside the TA, and skips with the probe's reason when this
// machine cannot apply that layer.
#include "teepnet/runtime/confidential_backend.h"

#include <gtest/gtest.h>

#include <netinet/in.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using teepnet::testing::FailsWith;
using testing::Ask;
using testing::Channel;
using testing::TempDir;

size_t Entries(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

class ConfidentialBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(state_.path().empty());
    ASSERT_FALSE(logs_.path().empty());
    ConfidentialProcessOptions options;
    options.state_dir = state_.path() + "/instances";
    // A dynamic test TA (sanitizer builds) needs its loader and libraries.
    if (!TEEPNET_TEST_TA_STATIC) options.read_only_binds = {"/lib", "/lib64", "/usr"};
    auto backend = ConfidentialProcessBackend::Create(options);
    TEEPNET_ASSERT_OK(backend);
    backend_ = std::move(*backend);
    if (!backend_->probe().memfd_exec.available) {
      GTEST_SKIP() << "memfd exec: " << backend_->probe().memfd_exec.reason;
    }
  }

  // Starts the test TA; the channel's instance end is closed once the TA holds it.
  std::unique_ptr<Instance> StartTa(Channel& channel) {
    InstanceSpec spec;
    spec.name = "test-ta";
    spec.executable_path = TEEPNET_TEST_TA;
    spec.env = {"ASAN_OPTIONS=detect_leaks=0"};
    spec.channel_fd = channel.instance();
    spec.log_path = log_path();
    spec.limits.open_files = 64;
    auto instance = backend_->Start(spec);
    channel.CloseInstanceEnd();
    EXPECT_TRUE(teepnet::testing::IsOk(instance));
    if (!instance.ok()) return nullptr;
    return std::move(*instance);
  }

  void SkipUnlessApplied(const Instance& instance, std::string_view layer) {
    for (const auto& n : instance.isolation().not_applied) {
      if (n.layer == layer) GTEST_SKIP() << layer << ": " << n.reason;
    }
  }

  std::string log_path() const { return logs_.path() + "/ta.log"; }
  std::string instances_dir() const { return state_.path() + "/instances"; }

  TempDir state_, logs_;
  std::unique_ptr<ConfidentialProcessBackend> backend_;
};

TEST_F(ConfidentialBackendTest, TaSeesAnEmptyReadOnlyRootWithAWritableTmp) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerPrivateRoot);
  EXPECT_EQ(Ask(channel.host(), "open /etc/passwd"), "errno:" + std::to_string(ENOENT));
  EXPECT_EQ(Ask(channel.host(), "open " TEEPNET_TEST_TA), "errno:" + std::to_string(ENOENT));
  EXPECT_EQ(Ask(channel.host(), "write /new-file"), "errno:" + std::to_string(EROFS));
  EXPECT_EQ(Ask(channel.host(), "write /tmp/scratch"), "ok");
  EXPECT_EQ(Ask(channel.host(), "open /dev/urandom"), "ok");
}

TEST_F(ConfidentialBackendTest, TaIsPidOneOfAFreshPidNamespace) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerPidNs);
  EXPECT_EQ(Ask(channel.host(), "pid"), "1");
  EXPECT_NE(ta->pid(), 1);
}

TEST_F(ConfidentialBackendTest, TaHasOnlyLoopbackAndCannotReachAHostListener) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerNetNs);
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  // The listener is reachable from the host, so a failure inside the TA is the namespace.
  int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_EQ(::connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(probe);

  std::string answer = Ask(channel.host(), "connect " + port);
  ::close(listener);
  EXPECT_EQ(answer.rfind("errno:", 0), 0u) << answer;
  if (ta->isolation().Applied(kLayerPrivateRoot)) {
    std::string netdev = Ask(channel.host(), "netdev");
    EXPECT_NE(netdev.find("lo:"), std::string::npos) << netdev;
    EXPECT_EQ(netdev.find("eth"), std::string::npos) << netdev;
    // Exactly one interface: two header lines, then "lo".
    EXPECT_EQ(std::count(netdev.begin(), netdev.end(), '\n'), 3) << netdev;
  }
}

TEST_F(ConfidentialBackendTest, SeccompRefusesForbiddenCallsWithEperm) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerSeccomp);
  const std::string eperm = "errno:" + std::to_string(EPERM);
  // Without the filter PTRACE_TRACEME succeeds and a nested user namespace may be created.
  EXPECT_EQ(Ask(channel.host(), "ptrace"), eperm);
  EXPECT_EQ(Ask(channel.host(), "unshare"), eperm);
  EXPECT_EQ(Ask(channel.host(), "mount"), eperm);
  EXPECT_EQ(Ask(channel.host(), "netlink"), eperm);
  if (ta->isolation().Applied(kLayerPrivateRoot)) {
    std::string status = Ask(channel.host(), "status");
    EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << status;
    EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << status;
  }
}

TEST_F(ConfidentialBackendTest, TaRunsAsANonRootUidWithoutCapabilities) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerNonRootUid);
  EXPECT_EQ(Ask(channel.host(), "uid"), "1000");
  EXPECT_EQ(Ask(channel.host(), "hostname"), "test-ta");
  if (ta->isolation().Applied(kLayerPrivateRoot)) {
    std::string status = Ask(channel.host(), "status");
    EXPECT_NE(status.find("CapEff:\t0000000000000000"), std::string::npos) << status;
  }
}

TEST_F(ConfidentialBackendTest, MeasurementIsTheSha256OfTheTaFile) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  auto file = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(file);
  EXPECT_EQ(ta->measurement(), crypto::Sha256(*file));
  // The TA runs from the sealed memfd, not from its file.
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(ta->pid()) + "/exe", ec);
  EXPECT_EQ(exe.string().rfind("/memfd:test-ta", 0), 0u) << exe;
}

TEST_F(ConfidentialBackendTest, SecretsLiveInMemfdSecretWhenTheMachineAllowsIt) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerMemfdSecret);
  EXPECT_EQ(Ask(channel.host(), "secret"), "secretmem");
}

TEST_F(ConfidentialBackendTest, PdReachesTheTaInBothForms) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  // The PD arrives before the TA asks for it: the TA API queues it.
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kPd, EncodePlaintextPd(AsBytes("pd-1"))));
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kFromUa, AsBytes("pd")));
  auto response = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(response);
  EXPECT_EQ(response->type, FrameType::kResponse);
  EXPECT_EQ(AsChars(response->payload), "plain:pd-1");
  auto to_ua = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(to_ua);
  EXPECT_EQ(AsChars(to_ua->payload), "pd-ok");

  DeliveryContext context;
  context.request_id = "r1";
  TEEPNET_ASSERT_OK(
      WriteFrame(channel.host(), FrameType::kPd,
                 EncodeSealedPd(AsBytes("sealed-bytes"), AsBytes("sk"), AsBytes("pk"), context)));
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kFromUa, AsBytes("pd")));
  response = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(response);
  EXPECT_EQ(AsChars(response->payload), "sealed:sk/pk/r1/sealed-bytes");
}

TEST_F(ConfidentialBackendTest, AnExitCodeIsReportedAndTheStateIsRemoved) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Entries(instances_dir()), ta->isolation().Applied(kLayerPrivateRoot) ? 1u : 0u);
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kFromUa, AsBytes("exit 7")));
  auto exit = ta->Wait(-1);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_FALSE(exit->signaled);
  EXPECT_EQ(exit->code, 7);
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

TEST_F(ConfidentialBackendTest, KillingTheTaIsNoticedAndItsResourcesAreReleased) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_TRUE(ta->GetStatus().running);
  EXPECT_TRUE(FailsWith(ta->Wait(0), Errc::kTimeout));
  const pid_t pid = ta->pid();
  ASSERT_EQ(::kill(pid, SIGKILL), 0);  // from outside, as a crash or the OOM killer would
  auto exit = ta->Wait(-1);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_TRUE(exit->signaled);
  EXPECT_EQ(exit->signal, SIGKILL);
  InstanceStatus status = ta->GetStatus();
  EXPECT_FALSE(status.running);
  EXPECT_EQ(status.exit.signal, SIGKILL);
  // Reaped (no zombie), the root mount point removed, the channel closed.
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_EQ(Entries(instances_dir()), 0u);
  EXPECT_TRUE(FailsWith(ReadFrame(channel.host()), Errc::kPeerClosed));
}

TEST_F(ConfidentialBackendTest, StopKillsATaThatIgnoresSigterm) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  SkipUnlessApplied(*ta, kLayerPidNs);
  // As pid 1 without a SIGTERM handler, the TA does not see SIGTERM; Stop escalates.
  ExitInfo exit = ta->Stop(50);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_FALSE(ta->GetStatus().running);
}

TEST_F(ConfidentialBackendTest, DestroyingARunningInstanceKillsAndReapsIt) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  const pid_t pid = ta->pid();
  ta.reset();
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

TEST_F(ConfidentialBackendTest, OutputGoesToTheDeviceOwnedLog) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(Ask(channel.host(), "say written-by-the-ta"), "ok");
  ta.reset();
  auto log = ReadFile(log_path());
  TEEPNET_ASSERT_OK(log);
  EXPECT_NE(AsChars(*log).find("written-by-the-ta"), std::string_view::npos);
  struct stat st {};
  ASSERT_EQ(::stat(log_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ConfidentialBackendTest, AScriptImageFailsAtExecAndLeavesNothingBehind) {
  Channel channel;
  InstanceSpec spec;
  spec.name = "not-elf";
  spec.executable = ToBytes(AsBytes("#!/bin/sh\necho hi\n"));
  spec.channel_fd = channel.instance();
  spec.log_path = log_path();
  // A script cannot run from a close-on-exec memfd (its interpreter cannot reopen it): the
  // launch fails at exec, says so, and leaves nothing behind.
  auto instance = backend_->Start(spec);
  EXPECT_TRUE(FailsWith(instance, Errc::kSetupFailed));
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

TEST_F(ConfidentialBackendTest, ReportsEveryLayerAsAppliedOrNotWithAReason) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  const IsolationReport& report = ta->isolation();
  std::printf("%s\n", report.ToString().c_str());
  for (std::string_view layer :
       {kLayerUserNs, kLayerPidNs, kLayerMountNs, kLayerNetNs, kLayerIpcNs, kLayerUtsNs,
        kLayerCgroupNs, kLayerPrivateRoot, kLayerNonRootUid, kLayerNoNewPrivs, kLayerSeccomp,
        kLayerRlimits, kLayerSealedExec, kLayerMemfdSecret, kLayerCgroupLimits}) {
    bool not_applied = false;
    for (const auto& n : report.not_applied) {
      if (n.layer == layer) {
        not_applied = true;
        EXPECT_FALSE(n.reason.empty()) << layer;
      }
    }
    EXPECT_NE(report.Applied(layer), not_applied) << layer;
  }
  EXPECT_EQ(report.Applied(kLayerSeccomp), backend_->probe().seccomp_filter.available);
  EXPECT_EQ(report.Applied(kLayerNetNs), backend_->probe().net_namespace.available);
}

TEST_F(ConfidentialBackendTest, CleanupStaleRemovesLeftoversButNotLiveInstances) {
  Channel channel;
  auto ta = StartTa(channel);
  ASSERT_NE(ta, nullptr);
  const size_t live = Entries(instances_dir());
  ASSERT_EQ(::mkdir((instances_dir() + "/crashed.abc123").c_str(), 0700), 0);
  TEEPNET_ASSERT_OK(backend_->CleanupStale());
  EXPECT_EQ(Entries(instances_dir()), live);
  EXPECT_EQ(Ask(channel.host(), "pid").empty(), false);
}

// A dynamic program needs its loader and libraries in the private root: without the
// read-only binds the exec fails (no interpreter), with them it runs.
TEST(ConfidentialBackend, ADynamicProgramNeedsItsLibraryDirectoriesBound) {
  const char* program = "/bin/true";
  if (::access(program, X_OK) != 0) GTEST_SKIP() << "no " << program;
  TempDir dir;
  for (bool bind : {false, true}) {
    ConfidentialProcessOptions options;
    options.state_dir = dir.path() + "/instances";
    if (bind) options.read_only_binds = {"/lib", "/lib64", "/usr"};
    auto backend = ConfidentialProcessBackend::Create(options);
    TEEPNET_ASSERT_OK(backend);
    if (!(*backend)->probe().private_root.available) {
      GTEST_SKIP() << "private root: " << (*backend)->probe().private_root.reason;
    }
    InstanceSpec spec;
    spec.name = "dynamic";
    spec.executable_path = program;
    spec.log_path = dir.path() + "/log";
    auto instance = (*backend)->Start(spec);
    if (!bind) {
      EXPECT_TRUE(FailsWith(instance, Errc::kSetupFailed));
      continue;
    }
    TEEPNET_ASSERT_OK(instance);
    auto exit = (*instance)->Wait(-1);
    TEEPNET_ASSERT_OK(exit);
    EXPECT_EQ(exit->ToString(), "exit 0");
  }
}

TEST(ConfidentialBackend, RefusesASpecWithoutNameExecutableOrLog) {
  TempDir state;
  ConfidentialProcessOptions options;
  options.state_dir = state.path() + "/i";
  auto backend = ConfidentialProcessBackend::Create(options);
  TEEPNET_ASSERT_OK(backend);
  InstanceSpec spec;
  spec.executable_path = TEEPNET_TEST_TA;
  spec.log_path = state.path() + "/log";
  EXPECT_TRUE(FailsWith((*backend)->Start(spec), Errc::kBadSpec));
  spec.name = "../escape";
  EXPECT_TRUE(FailsWith((*backend)->Start(spec), Errc::kBadSpec));
  spec.name = "ok";
  spec.log_path.clear();
  EXPECT_TRUE(FailsWith((*backend)->Start(spec), Errc::kBadSpec));
}

}  // namespace
}  // namespace teepnet::runtime
