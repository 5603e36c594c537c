// Real confidential VMs: qemu (TCG) boots the host's Debian kernel with the initramfs the
// backend builds around hello_ta (examples/), and the test plays the Agent over the channel and
// the platform that answers the guest's evidence request (runtime/vm_guest_key.h).
// Skipped with the probe's reason where qemu, a kernel, static busybox or the static guest agent
// is missing, or where hello_ta is not a static executable (sanitizer builds).
#include "teepnet/runtime/vm_backend.h"

#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/runtime/vm_guest_key.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using testing::Ask;
using testing::Channel;
using testing::TempDir;

// A TCG boot takes ~5 s on an idle dev machine; two busy cores may make it several times that.
constexpr int kBootTimeoutMs = 60'000;
constexpr int kExitTimeoutMs = 60'000;

size_t InstanceDirs(const std::string& state_dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(state_dir, ec)) {
    if (e.path().filename().string().rfind("v-", 0) == 0) ++n;
  }
  return n;
}

// What the test's stand-in platform returns as a guest's evidence: a marker, the report data and
// the launch measurement it was asked to sign, so the test sees exactly what the guest asked.
constexpr std::string_view kFakeEvidence = "fake evidence:";

Bytes FakeEvidence(ByteView report_data, ByteView launch_measurement) {
  Bytes out = ToBytes(kFakeEvidence);
  Append(out, report_data);
  Append(out, launch_measurement);
  return out;
}

class VmBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.state_dir = dir_.path() + "/vms";
    options_.guest_agent_path = TEEPNET_GUEST_AGENT;
    options_.boot_timeout_ms = kBootTimeoutMs;
    options_.guest_evidence = [](ByteView report_data, ByteView launch) -> Result<Bytes> {
      return FakeEvidence(report_data, launch);
    };
    const VmProbe probe = ProbeVms(options_);
    if (!probe.usable()) GTEST_SKIP() << "VMs cannot run here: " << probe.ToString();
    auto ta = ReadFile(HELLO_TA);
    ASSERT_TRUE(ta.ok());
    if (!IsStaticElf(*ta)) GTEST_SKIP() << HELLO_TA << " is not static (sanitizer build?)";
    ta_ = *std::move(ta);
    auto backend = VmBackend::Create(options_);
    TEEPNET_ASSERT_OK(backend);
    backend_ = *std::move(backend);
    RecordProperty("kernel", backend_->kernel_description());
  }

  Result<std::unique_ptr<Instance>> StartHelloTa(Channel& channel) {
    InstanceSpec spec;
    spec.name = "hello-vm";
    spec.executable = ta_;
    spec.channel_fd = channel.instance();
    spec.log_path = dir_.path() + "/hello-vm.log";
    const int64_t started = MonotonicMs();
    auto instance = backend_->Start(spec);
    channel.CloseInstanceEnd();
    RecordProperty("start_to_ready_ms", std::to_string(MonotonicMs() - started));
    return instance;
  }

  // The guest's first frame: its key, with the (fake) platform's evidence for it, which must
  // bind that key and name the VM's launch measurement.
  crypto::PublicKey AwaitGuestKey(int host, const Instance& vm) {
    auto frame = ReadFrame(host);
    EXPECT_TRUE(frame.ok()) << Log();
    if (!frame.ok()) return crypto::PrivateKey::Generate(crypto::KeyType::kX25519)->public_key();
    EXPECT_EQ(frame->type, FrameType::kGuestKey);
    auto key = DecodeGuestKey(frame->payload);
    EXPECT_TRUE(key.ok());
    EXPECT_EQ(key->evidence, FakeEvidence(GuestReportData(key->public_key), vm.measurement()));
    return *crypto::PublicKey::FromRaw(crypto::KeyType::kX25519, key->public_key);
  }

  std::string Log() {
    auto log = ReadFile(dir_.path() + "/hello-vm.log");
    return log.ok() ? std::string(log->begin(), log->end()) : "";
  }

  TempDir dir_;
  VmOptions options_;
  Bytes ta_;
  std::unique_ptr<VmBackend> backend_;
};

TEST_F(VmBackendTest, BootsHelloTaAndDeliversAPlaintextPdOverTheSerialLink) {
  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto vm = StartHelloTa(channel);
  TEEPNET_ASSERT_OK(vm);
  EXPECT_TRUE((*vm)->GetStatus().running);
  EXPECT_EQ((*vm)->measurement(), backend_->ExpectedMeasurement(ta_, {}));
  EXPECT_TRUE((*vm)->isolation().Applied("separate guest kernel"));
  EXPECT_EQ(InstanceDirs(options_.state_dir), 1u);

  const crypto::PublicKey guest = AwaitGuestKey(channel.host(), **vm);
  const std::string pd = "personalization for the VM";
  const int64_t sent = MonotonicMs();
  auto sealed = SealPdForGuest(guest, EncodePlaintextPd(AsBytes(pd)), crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kPd, *sealed));
  auto response = ReadFrame(channel.host());
  RecordProperty("pd_delivery_ms", std::to_string(MonotonicMs() - sent));
  TEEPNET_ASSERT_OK(response) << Log();
  EXPECT_EQ(response->type, FrameType::kResponse);
  EXPECT_EQ(response->payload, crypto::Sha256(AsBytes(pd)));
  // UA traffic passes the link too.
  EXPECT_EQ(Ask(channel.host(), "hi"), "pd-sha256=" + ToHex(crypto::Sha256(AsBytes(pd))));

  // The Agent closes its end: the guest closes the TA's, the TA exits 0, the guest powers off.
  ::shutdown(channel.host(), SHUT_RDWR);
  auto exit = (*vm)->Wait(kExitTimeoutMs);
  TEEPNET_ASSERT_OK(exit) << Log();
  EXPECT_EQ(exit->ToString(), "exit 0");
  EXPECT_EQ(InstanceDirs(options_.state_dir), 0u);
  EXPECT_NE(Log().find("PD received"), std::string::npos);
}

TEST_F(VmBackendTest, TheTaInTheVmOpensASealedPdAndSignsItsReceipt) {
  auto hpke = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  auto proof = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  TEEPNET_ASSERT_OK(hpke);
  TEEPNET_ASSERT_OK(proof);
  DeliveryContext context;
  context.request_id = "req-vm";
  context.device_id = Bytes(32, 0xd1);
  context.instance = "tc-81";
  context.purpose = "pd";
  context.measurement = crypto::Sha256(ta_);
  const std::string pd = "sealed personalization for the VM";
  auto sealed = channel::Seal(
      hpke->public_key(), AsBytes(pd),
      channel::Binding{context.request_id, context.device_id, context.instance, context.purpose},
      static_cast<int64_t>(std::time(nullptr)), crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);

  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto vm = StartHelloTa(channel);
  TEEPNET_ASSERT_OK(vm);
  const crypto::PublicKey guest = AwaitGuestKey(channel.host(), **vm);
  // The instance's keys go into the guest only sealed to the guest's attested key.
  auto form3 = SealPdForGuest(
      guest,
      EncodeSealedPd(*sealed, hpke->RawPrivate().view(), proof->RawPrivate().view(), context),
      crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(form3);
  TEEPNET_ASSERT_OK(WriteFrame(channel.host(), FrameType::kPd, *form3));
  auto response = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(response) << Log();
  ASSERT_EQ(response->type, FrameType::kResponse);
  auto receipt = channel::VerifyReceipt(response->payload, proof->public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(receipt->request_id, context.request_id);
  EXPECT_EQ(receipt->pd_digest, crypto::Sha256(AsBytes(pd)));
  EXPECT_EQ(receipt->measurement, context.measurement);

  // Stopped from the host (QMP quit) while the TA still waits for UA messages.
  const ExitInfo exit = (*vm)->Stop(5'000);
  EXPECT_FALSE((*vm)->GetStatus().running);
  EXPECT_FALSE(exit.signaled && exit.signal == 0);
  EXPECT_EQ(InstanceDirs(options_.state_dir), 0u);
}

TEST_F(VmBackendTest, NoticesAKilledQemuAndRemovesItsState) {
  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto vm = StartHelloTa(channel);
  TEEPNET_ASSERT_OK(vm);
  ASSERT_EQ(::kill((*vm)->pid(), SIGKILL), 0);
  auto exit = (*vm)->Wait(kExitTimeoutMs);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_TRUE(exit->signaled);
  EXPECT_EQ(exit->signal, SIGKILL);
  EXPECT_FALSE((*vm)->GetStatus().running);
  EXPECT_EQ(InstanceDirs(options_.state_dir), 0u);
  // The Agent's end of the channel sees the VM go (after the guest's key, if it came first).
  auto frame = ReadFrame(channel.host());
  if (frame.ok() && frame->type == FrameType::kGuestKey) frame = ReadFrame(channel.host());
  EXPECT_TRUE(teepnet::testing::FailsWith(frame, Errc::kPeerClosed));
}

TEST_F(VmBackendTest, TheGuestRefusesAPdThatIsNotSealedToItsKey) {
  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto vm = StartHelloTa(channel);
  TEEPNET_ASSERT_OK(vm);
  AwaitGuestKey(channel.host(), **vm);
  // A host that hands the TA a plaintext PD of its own (form 1): the guest agent refuses it and
  // powers the VM off before the TA sees a byte.
  TEEPNET_ASSERT_OK(
      WriteFrame(channel.host(), FrameType::kPd, EncodePlaintextPd(AsBytes("host's own PD"))));
  EXPECT_TRUE(teepnet::testing::FailsWith(ReadFrame(channel.host()), Errc::kPeerClosed));
  auto exit = (*vm)->Wait(kExitTimeoutMs);
  TEEPNET_ASSERT_OK(exit) << Log();
  EXPECT_NE(Log().find("PD refused"), std::string::npos) << Log();
  EXPECT_EQ(Log().find("PD received"), std::string::npos) << Log();
}

TEST_F(VmBackendTest, WithoutAPlatformTheGuestAnnouncesItsKeyWithTheReasonAndNoEvidence) {
  options_.state_dir = dir_.path() + "/vms-no-platform";
  options_.guest_evidence = nullptr;
  auto backend = VmBackend::Create(options_);
  TEEPNET_ASSERT_OK(backend);
  backend_ = *std::move(backend);
  Channel channel;
  ASSERT_TRUE(channel.ok());
  auto vm = StartHelloTa(channel);
  TEEPNET_ASSERT_OK(vm);
  auto frame = ReadFrame(channel.host());
  TEEPNET_ASSERT_OK(frame) << Log();
  ASSERT_EQ(frame->type, FrameType::kGuestKey);
  auto key = DecodeGuestKey(frame->payload);
  TEEPNET_ASSERT_OK(key);
  EXPECT_TRUE(key->evidence.empty());
  EXPECT_NE(key->reason.find("no platform"), std::string::npos) << key->reason;
  (*vm)->Stop(5'000);
}

TEST_F(VmBackendTest, TheMeasurementCoversTheInitrdAndTheCommandLine) {
  const Bytes base = backend_->ExpectedMeasurement(ta_, {});
  EXPECT_EQ(base, backend_->ExpectedMeasurement(ta_, {}));
  Bytes other_ta = ta_;
  other_ta.back() ^= 1;
  EXPECT_NE(base, backend_->ExpectedMeasurement(other_ta, {}));
  EXPECT_NE(base, backend_->ExpectedMeasurement(ta_, {{"--verbose"}, {}}));
  VmOptions debug = options_;
  debug.state_dir = dir_.path() + "/vms-debug";
  debug.extra_cmdline = "loglevel=7";
  auto debug_backend = VmBackend::Create(debug);
  TEEPNET_ASSERT_OK(debug_backend);
  EXPECT_NE((*debug_backend)->Cmdline(), backend_->Cmdline());
  EXPECT_NE(base, (*debug_backend)->ExpectedMeasurement(ta_, {}));
  EXPECT_EQ((*debug_backend)->kernel_sha256(), backend_->kernel_sha256());
}

TEST_F(VmBackendTest, CleanupStaleRemovesLeftDirectoriesButSparesUnrelatedProcesses) {
  const std::string stale = options_.state_dir + "/v-old-00000000";
  std::filesystem::create_directories(stale);
  // A pid file naming a process that is not that instance's qemu (this test): never killed.
  TEEPNET_ASSERT_OK(
      WriteFileAtomic(stale + "/qemu.pid", AsBytes(std::to_string(::getpid())), 0600));
  TEEPNET_ASSERT_OK(backend_->CleanupStale());
  EXPECT_FALSE(std::filesystem::exists(stale));
  // The kernel the backend boots stays.
  EXPECT_TRUE(std::filesystem::exists(options_.state_dir + "/vmlinux") ||
              std::filesystem::exists(options_.state_dir + "/vmlinuz"));
}

TEST(VmProbe, SaysWhatIsMissingInWords) {
  VmOptions options;
  options.qemu = "qemu-system-none";
  options.kernel_path = "/nonexistent/vmlinuz";
  options.busybox_path = "/nonexistent/busybox";
  options.guest_agent_path = "/nonexistent/agent";
  const VmProbe probe = ProbeVms(options);
  EXPECT_FALSE(probe.usable());
  EXPECT_FALSE(probe.kvm.available);
  const std::string text = probe.ToString();
  EXPECT_NE(text.find("qemu: no (qemu-system-none is not installed"), std::string::npos);
  EXPECT_NE(text.find("kernel: no (/nonexistent/vmlinuz is not readable)"), std::string::npos);
  EXPECT_NE(text.find("busybox: no"), std::string::npos);
  EXPECT_NE(text.find("kvm: no (not tried"), std::string::npos);
  options.state_dir = "/tmp/unused";
  EXPECT_TRUE(teepnet::testing::FailsWith(VmBackend::Create(options), Errc::kSetupFailed));
}

}  // namespace
}  // namespace teepnet::runtime
