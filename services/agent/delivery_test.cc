// Agent op 5 end to end in one process: Delivery starts the real examples/hello_ta in the
// confidential process backend, for both targets, and the receipts it returns are checked the
// way the M/OC and the Network User check them.
#include "services/agent/delivery.h"

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "services/agent/file_instance_keyring.h"
#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/bundle.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/evidence/guest_appraiser.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/evidence/sim_installation.h"
#include "teepnet/runtime/confidential_backend.h"
#include "teepnet/runtime/container_backend.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/vm_backend.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::agentd {
namespace {

using ::teepnet::testing::FailsWith;

size_t Entries(const std::string& dir) {
  std::error_code ec;
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime::ConfidentialProcessOptions options;
    options.state_dir = dir_.path() + "/instances";
    // hello_ta is static in optimised builds; sanitizer builds link it dynamically, and a
    // dynamic TA needs the host's loader and libraries (read-only) in its private root.
    options.read_only_binds = {"/lib", "/lib64", "/usr"};
    auto backend = runtime::ConfidentialProcessBackend::Create(options);
    TEEPNET_ASSERT_OK(backend);
    backend_ = *std::move(backend);
    if (!backend_->probe().memfd_exec.available) {
      GTEST_SKIP() << backend_->probe().memfd_exec.reason;
    }
    auto image = ReadFile(HELLO_TA);
    TEEPNET_ASSERT_OK(image);
    image_ = *std::move(image);
    // The TA is installed as a component; the keyring gives it an instance identity.
    suit::StoreTransaction install;
    install.writes[component_] = image_;
    TEEPNET_ASSERT_OK(store_.Commit(install));
    auto keyring = FileInstanceKeyring::Open(dir_.path() + "/instances-keys");
    TEEPNET_ASSERT_OK(keyring);
    keyring_ = *std::move(keyring);
    auto identity = keyring_->Ensure(component_, image_);
    TEEPNET_ASSERT_OK(identity);
    identity_ = *identity;
    std::filesystem::create_directory(dir_.path() + "/logs");
  }

  std::unique_ptr<Delivery> MakeDelivery(DeliveryOptions options = {}) {
    options.log_dir = dir_.path() + "/logs";
    options.instance_env = {"ASAN_OPTIONS=detect_leaks=0"};
    auto delivery =
        Delivery::Create(teep_key_, &hpke_key_, *backend_, keyring_.get(), store_, clock_, options);
    EXPECT_TRUE(delivery.ok());
    return delivery.ok() ? *std::move(delivery) : nullptr;
  }

  Bytes DeviceId() const {
    auto kid = channel::RecipientKid(teep_key_.public_key());
    return kid.ok() ? *kid : Bytes();
  }

  // What a Network User sends for case 1: the bundle sealed to the Agent's HPKE key.
  DeliverSealed ToAgent(const std::string& request_id, ByteView bundle,
                        const std::string& purpose = "bundle") {
    DeliverSealed d;
    d.request_id = request_id;
    d.purpose = purpose;
    auto sealed = channel::Seal(hpke_key_.public_key(), bundle,
                                channel::Binding{request_id, DeviceId(), "", purpose},
                                clock_.NowUnixSeconds(), crypto::SystemRandom::Get());
    EXPECT_TRUE(sealed.ok());
    if (sealed.ok()) d.sealed = *sealed;
    return d;
  }

  // What a Network User sends for cases 2 and 3: the PD sealed to the instance's HPKE key.
  // Delivers a case-4 bundle to the Agent and a case-3 PD to the TA instance, both run as
  // `type`, and checks each receipt: the Agent's key over the bundle's PD and TA bytes, the
  // instance's proof key over the PD and the attested measurement.
  void DeliverToBothTargets(Delivery& delivery, InstanceType type, const std::string& where,
                            const std::string& id_prefix) {
    const Bytes pd = ToBytes("case-4 personalization in " + where);
    DeliverSealed to_agent = ToAgent(id_prefix + "1", channel::EncodeBundle(image_, pd));
    to_agent.instance_type = type;
    auto delivered = delivery.Deliver(to_agent);
    TEEPNET_ASSERT_OK(delivered);
    auto receipt = channel::VerifyReceipt(delivered->receipt, teep_key_.public_key());
    TEEPNET_ASSERT_OK(receipt);
    EXPECT_EQ(receipt->pd_digest, crypto::Sha256(pd));
    EXPECT_EQ(receipt->measurement, crypto::Sha256(image_));

    const Bytes ta_pd = ToBytes("case-3 personalization in " + where);
    DeliverSealed to_ta = ToTa(id_prefix + "2", ta_pd);
    to_ta.instance_type = type;
    auto to_instance = delivery.Deliver(to_ta);
    TEEPNET_ASSERT_OK(to_instance);
    auto ta_receipt = channel::VerifyReceipt(to_instance->receipt, identity_->proof.public_key());
    TEEPNET_ASSERT_OK(ta_receipt);
    EXPECT_EQ(ta_receipt->pd_digest, crypto::Sha256(ta_pd));
    EXPECT_EQ(ta_receipt->measurement, identity_->measurement);
  }

  DeliverSealed ToTa(const std::string& request_id, ByteView pd) {
    DeliverSealed d;
    d.request_id = request_id;
    d.to_ta = true;
    d.instance = identity_->name;
    d.purpose = "pd";
    auto sealed = channel::Seal(identity_->hpke.public_key(), pd,
                                channel::Binding{request_id, DeviceId(), d.instance, d.purpose},
                                clock_.NowUnixSeconds(), crypto::SystemRandom::Get());
    EXPECT_TRUE(sealed.ok());
    if (sealed.ok()) d.sealed = *sealed;
    return d;
  }

  std::string instances_dir() const { return dir_.path() + "/instances"; }

  runtime::testing::TempDir dir_;
  std::unique_ptr<runtime::ConfidentialProcessBackend> backend_;
  Bytes image_;
  const suit::ComponentId component_ = suit::MakeComponentId({"hello-ta"});
  agent::InMemoryTcStore store_;
  std::unique_ptr<FileInstanceKeyring> keyring_;
  const evidence::InstanceIdentity* identity_ = nullptr;
  // The TA checks freshness against the real clock, so the Agent's clock starts there too.
  FakeClock clock_{static_cast<int64_t>(std::time(nullptr))};
  crypto::PrivateKey teep_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey hpke_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
};

TEST_F(DeliveryTest, TheAgentOpensABundleRunsItsTaAndSignsTheReceipt) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  const Bytes pd = ToBytes(std::string_view("case-1 personalization"));
  const Bytes ua = {0x7f, 'E', 'L', 'F', 'u', 'a'};
  auto delivered =
      delivery->Deliver(ToAgent("req-1", channel::EncodeBundle(image_, pd, ByteView(ua))));
  TEEPNET_ASSERT_OK(delivered);
  ASSERT_TRUE(delivered->ua.has_value());
  EXPECT_EQ(*delivered->ua, ua);

  auto receipt = channel::VerifyReceipt(delivered->receipt, teep_key_.public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(receipt->request_id, "req-1");
  EXPECT_EQ(receipt->instance, "");
  EXPECT_EQ(receipt->pd_digest, crypto::Sha256(pd));
  EXPECT_EQ(receipt->measurement, crypto::Sha256(image_));
  // The TA keeps running as the workload.
  EXPECT_EQ(delivery->running(), 1u);
}

TEST_F(DeliveryTest, TheTaOpensItsSealedPdAndSignsTheReceiptWithItsProofKey) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  const Bytes pd = ToBytes(std::string_view("case-2 personalization"));
  auto delivered = delivery->Deliver(ToTa("req-2", pd));
  TEEPNET_ASSERT_OK(delivered);
  EXPECT_FALSE(delivered->ua.has_value());

  // Only the instance's proof key verifies it: the Agent's TEEP key did not sign it.
  EXPECT_FALSE(channel::VerifyReceipt(delivered->receipt, teep_key_.public_key()).ok());
  auto receipt = channel::VerifyReceipt(delivered->receipt, identity_->proof.public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(receipt->request_id, "req-2");
  EXPECT_EQ(receipt->instance, identity_->name);
  EXPECT_EQ(receipt->pd_digest, crypto::Sha256(pd));
  EXPECT_EQ(receipt->measurement, identity_->measurement);
  EXPECT_EQ(delivery->running(), 1u);
}

TEST_F(DeliveryTest, AReplayedDeliveryIsRefusedForBothTargets) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  const DeliverSealed to_agent = ToAgent("req-3", channel::EncodeBundle(image_, Bytes{1}));
  TEEPNET_ASSERT_OK(delivery->Deliver(to_agent));
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_agent), channel::Errc::kReplayed));

  const DeliverSealed to_ta = ToTa("req-4", Bytes{2});
  TEEPNET_ASSERT_OK(delivery->Deliver(to_ta));
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_ta), channel::Errc::kReplayed));
  // The refused replays started nothing.
  EXPECT_EQ(delivery->running(), 2u);
}

TEST_F(DeliveryTest, BytesSealedForAnotherBindingAreRefusedAndLeaveNothingRunning) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  // Relayed under another request id or purpose than the user sealed for.
  DeliverSealed to_agent = ToAgent("req-5", channel::EncodeBundle(image_, Bytes{1}));
  to_agent.request_id = "req-other";
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_agent), channel::Errc::kOpenFailed));
  to_agent.request_id = "req-5";
  to_agent.purpose = "ta+pd";
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_agent), channel::Errc::kOpenFailed));

  // The TA refuses to open a PD sealed for another request; the Agent reports the failure and
  // stops the instance.
  DeliverSealed to_ta = ToTa("req-6", Bytes{2});
  to_ta.request_id = "req-other";
  auto refused = delivery->Deliver(to_ta);
  ASSERT_FALSE(refused.ok());
  // The TA closed its channel without an answer (its reason is in its log and the message).
  EXPECT_TRUE(refused.error().Is(runtime::Errc::kPeerClosed)) << refused.error().ToString();
  EXPECT_EQ(delivery->running(), 0u);
  EXPECT_EQ(Entries(instances_dir()), 0u);
  // The refusal did not burn the message: the right binding still delivers.
  to_ta.request_id = "req-6";
  TEEPNET_EXPECT_OK(delivery->Deliver(to_ta));
}

TEST_F(DeliveryTest, AnUnknownInstanceOrAnAgentWithoutHpkeKeyIsRefused) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  DeliverSealed to_ta = ToTa("req-7", Bytes{3});
  to_ta.instance = "tc-8140";
  auto unknown = delivery->Deliver(to_ta);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), Code::kNotFound);

  DeliveryOptions options;
  options.log_dir = dir_.path() + "/logs";
  auto no_hpke =
      Delivery::Create(teep_key_, nullptr, *backend_, keyring_.get(), store_, clock_, options);
  TEEPNET_ASSERT_OK(no_hpke);
  EXPECT_TRUE(FailsWith((*no_hpke)->Deliver(ToAgent("req-8", channel::EncodeBundle(image_, {}))),
                        common::Errc::kBadConfig));
}

TEST_F(DeliveryTest, AComponentThatIsNotTheAttestedImageIsNotStarted) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  suit::StoreTransaction swap;
  swap.writes[component_] = Bytes{0x7f, 'E', 'L', 'F'};
  TEEPNET_ASSERT_OK(store_.Commit(swap));
  auto refused = delivery->Deliver(ToTa("req-9", Bytes{4}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(delivery->running(), 0u);
}

TEST_F(DeliveryTest, AMalformedBundleIsRefusedBeforeAnythingStarts) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  EXPECT_TRUE(
      FailsWith(delivery->Deliver(ToAgent("req-10", Bytes{0xa0})), channel::Errc::kMalformed));
  EXPECT_EQ(delivery->running(), 0u);
}

TEST_F(DeliveryTest, ATaThatNeverAnswersIsStoppedAfterTheBoundedWait) {
  DeliveryOptions options;
  options.response_timeout_ms = 500;
  auto delivery = MakeDelivery(options);
  ASSERT_NE(delivery, nullptr);
  // runtime_test_ta answers only its UA, never the PD.
  auto silent = ReadFile(RUNTIME_TEST_TA);
  TEEPNET_ASSERT_OK(silent);
  EXPECT_TRUE(FailsWith(delivery->Deliver(ToAgent("req-11", channel::EncodeBundle(*silent, {}))),
                        common::Errc::kTimeout));
  EXPECT_EQ(delivery->running(), 0u);
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

TEST_F(DeliveryTest, AtMostTheLimitRunsAndTheRestStopWithTheDelivery) {
  DeliveryOptions options;
  options.max_running = 1;
  auto delivery = MakeDelivery(options);
  ASSERT_NE(delivery, nullptr);
  TEEPNET_ASSERT_OK(delivery->Deliver(ToTa("req-12", Bytes{5})));
  TEEPNET_ASSERT_OK(delivery->Deliver(ToTa("req-13", Bytes{6})));
  EXPECT_EQ(delivery->running(), 1u);
  delivery.reset();
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

TEST_F(DeliveryTest, ATaThatAnswersWithSomethingOtherThanAValidReceiptFailsTheDelivery) {
  auto junk = ReadFile(JUNK_TA);
  TEEPNET_ASSERT_OK(junk);
  // The junk TA is installed as another component with its own instance identity.
  const suit::ComponentId junk_component = suit::MakeComponentId({"junk-ta"});
  suit::StoreTransaction install;
  install.writes[junk_component] = *junk;
  TEEPNET_ASSERT_OK(store_.Commit(install));
  auto identity = keyring_->Ensure(junk_component, *junk);
  TEEPNET_ASSERT_OK(identity);

  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  DeliverSealed d;
  d.request_id = "req-14";
  d.to_ta = true;
  d.instance = (*identity)->name;
  d.purpose = "pd";
  auto sealed = channel::Seal((*identity)->hpke.public_key(), Bytes{7},
                              channel::Binding{d.request_id, DeviceId(), d.instance, d.purpose},
                              clock_.NowUnixSeconds(), crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  d.sealed = *sealed;
  auto refused = delivery->Deliver(d);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().domain(), Domain::kChannel) << refused.error().ToString();
  EXPECT_EQ(delivery->running(), 0u);
  EXPECT_EQ(Entries(instances_dir()), 0u);
}

// A container request: the TA bytes are packed into a one-layer OCI image and run by runc; the
// receipt still names SHA-256 of the TA (what was attested or sealed), not the image.
class ContainerDeliveryTest : public DeliveryTest {
 protected:
  void SetUp() override {
    DeliveryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const runtime::ContainerProbe probe = runtime::ProbeContainers();
    if (!probe.usable()) GTEST_SKIP() << "containers cannot run here: " << probe.ToString();
    if (!runtime::IsStaticElf(image_)) GTEST_SKIP() << "hello_ta is not static in this build";
    // The bundle path must be searchable by the container's mapped ids (mkdtemp makes 0700).
    std::filesystem::permissions(
        dir_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
  }

  DeliveryOptions WithContainers() {
    DeliveryOptions options;
    options.make_container_backend = [this]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
      ++backends_made_;
      runtime::ContainerOptions container;
      container.state_dir = containers_dir();
      TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<runtime::ContainerBackend> backend,
                               runtime::ContainerBackend::Create(container));
      return std::unique_ptr<runtime::InstanceBackend>(std::move(backend));
    };
    return options;
  }
  std::string containers_dir() const { return dir_.path() + "/containers"; }
  // Bundle directories ("c-<id>") left in the container state directory.
  size_t Bundles() const {
    std::error_code ec;
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(containers_dir(), ec)) {
      n += e.path().filename().string().rfind("c-", 0) == 0 ? 1 : 0;
    }
    return n;
  }

  int backends_made_ = 0;
};

TEST_F(ContainerDeliveryTest, BothTargetsRunTheirTaInAContainerAndTheReceiptNamesTheTaBytes) {
  auto delivery = MakeDelivery(WithContainers());
  ASSERT_NE(delivery, nullptr);
  DeliverToBothTargets(*delivery, InstanceType::kContainer, "a container", "req-c");
  if (HasFatalFailure()) return;

  // Both run as containers (bundles under the container state directory, none in the
  // process backend's), made by one backend; destroying the Delivery removes them.
  EXPECT_EQ(delivery->running(), 2u);
  EXPECT_EQ(Bundles(), 2u);
  EXPECT_EQ(Entries(instances_dir()), 0u);
  EXPECT_EQ(backends_made_, 1);
  delivery.reset();
  EXPECT_EQ(Bundles(), 0u);
}

// Confidential VMs: the same two targets, each TA booted in its own qemu guest, which is its own
// TEE: a simulated SEV-SNP host signs the guest's evidence, and the Agent appraises it with the
// installation's public endorsements before releasing anything into the guest.
class VmDeliveryTest : public DeliveryTest {
 protected:
  void SetUp() override {
    DeliveryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const runtime::VmProbe probe = runtime::ProbeVms(VmOptions());
    if (!probe.usable()) GTEST_SKIP() << "VMs cannot run here: " << probe.ToString();
    if (!runtime::IsStaticElf(image_)) GTEST_SKIP() << "hello_ta is not static in this build";
    auto platform =
        evidence::OpenSimPlatform({"sim-snp", dir_.path() + "/platform", dir_.path() + "/vendors",
                                   false, static_cast<int64_t>(std::time(nullptr))});
    TEEPNET_ASSERT_OK(platform);
    platform_ = *std::move(platform);
    auto appraiser = evidence::GuestAppraiser::FromDirectory(dir_.path() + "/vendors/public");
    TEEPNET_ASSERT_OK(appraiser);
    appraiser_ = *std::move(appraiser);
  }
  runtime::VmOptions VmOptions() const {
    runtime::VmOptions vm;
    vm.state_dir = vms_dir();
    vm.guest_agent_path = TEEPNET_GUEST_AGENT;
    if (platform_ != nullptr) {
      vm.guest_evidence = [p = platform_.get()](ByteView report_data, ByteView launch) {
        return p->GetGuestEvidence(report_data, launch);
      };
    }
    return vm;
  }
  // The Agent's appraisal; `launch_override` replaces the launch measurement it expects.
  DeliveryOptions WithVms(int* made, std::optional<Bytes> launch_override = std::nullopt) {
    DeliveryOptions options;
    options.make_vm_backend = [this, made]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
      ++*made;
      TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<runtime::VmBackend> backend,
                               runtime::VmBackend::Create(VmOptions()));
      return std::unique_ptr<runtime::InstanceBackend>(std::move(backend));
    };
    options.appraise_guest = [this, launch_override](ByteView evidence, ByteView report_data,
                                                     ByteView launch) {
      ++appraisals_;
      return appraiser_->Appraise(evidence, report_data,
                                  launch_override ? ByteView(*launch_override) : launch,
                                  static_cast<int64_t>(std::time(nullptr)));
    };
    return options;
  }
  std::unique_ptr<attest::Platform> platform_;
  std::unique_ptr<evidence::GuestAppraiser> appraiser_;
  int appraisals_ = 0;
  std::string vms_dir() const { return dir_.path() + "/vms"; }
  size_t VmDirs() const {
    std::error_code ec;
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(vms_dir(), ec)) {
      n += e.path().filename().string().rfind("v-", 0) == 0 ? 1 : 0;
    }
    return n;
  }
};

TEST_F(VmDeliveryTest, BothTargetsRunTheirTaInAnAttestedVmAndTheReceiptNamesTheTaBytes) {
  int made = 0;
  auto delivery = MakeDelivery(WithVms(&made));
  ASSERT_NE(delivery, nullptr);
  DeliverToBothTargets(*delivery, InstanceType::kVm, "a VM", "req-v");
  if (HasFatalFailure()) return;

  EXPECT_EQ(appraisals_, 2);  // each guest's SEV-SNP report, before its PD went in
  EXPECT_EQ(delivery->running(), 2u);
  EXPECT_EQ(VmDirs(), 2u);
  EXPECT_EQ(Entries(instances_dir()), 0u);
  EXPECT_EQ(made, 1);
  delivery.reset();
  EXPECT_EQ(VmDirs(), 0u);
}

TEST_F(VmDeliveryTest, AGuestWhoseEvidenceNamesAnotherLaunchGetsNothingAndIsStopped) {
  int made = 0;
  // The Agent expects another VM than the one that booted (as if the image were swapped).
  auto delivery = MakeDelivery(WithVms(&made, Bytes(32, 0xee)));
  ASSERT_NE(delivery, nullptr);
  DeliverSealed to_ta = ToTa("req-v-wrong", AsBytes("never released"));
  to_ta.instance_type = InstanceType::kVm;
  auto delivered = delivery->Deliver(to_ta);
  ASSERT_FALSE(delivered.ok());
  EXPECT_NE(delivered.error().message().find("not the launch digest"), std::string::npos)
      << delivered.error().ToString();
  EXPECT_EQ(delivery->running(), 0u);
  EXPECT_EQ(VmDirs(), 0u);
}

TEST_F(VmDeliveryTest, WithoutAGuestAppraisalNothingIsReleasedIntoAVm) {
  int made = 0;
  DeliveryOptions options = WithVms(&made);
  options.appraise_guest = nullptr;
  auto delivery = MakeDelivery(options);
  ASSERT_NE(delivery, nullptr);
  DeliverSealed to_ta = ToTa("req-v-none", AsBytes("never released"));
  to_ta.instance_type = InstanceType::kVm;
  auto delivered = delivery->Deliver(to_ta);
  ASSERT_FALSE(delivered.ok());
  EXPECT_NE(delivered.error().message().find("cannot appraise"), std::string::npos)
      << delivered.error().ToString();
  EXPECT_EQ(delivery->running(), 0u);
  EXPECT_EQ(VmDirs(), 0u);
}

TEST_F(DeliveryTest, AVmDeliveryIsRefusedWhenTheAgentRunsNoVms) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  DeliverSealed to_ta = ToTa("req-v3", Bytes{11});
  to_ta.instance_type = InstanceType::kVm;
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_ta), common::Errc::kBadConfig));
}

TEST_F(DeliveryTest, AContainerDeliveryFailsWithTheReasonTheBackendCouldNotBeMade) {
  int attempts = 0;
  DeliveryOptions options;
  options.make_container_backend = [&]() -> Result<std::unique_ptr<runtime::InstanceBackend>> {
    ++attempts;
    return Error(runtime::Errc::kSetupFailed, "confidential containers cannot run here: no runc");
  };
  auto delivery = MakeDelivery(options);
  ASSERT_NE(delivery, nullptr);
  DeliverSealed to_ta = ToTa("req-c3", Bytes{8});
  to_ta.instance_type = InstanceType::kContainer;
  auto refused = delivery->Deliver(to_ta);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().Is(runtime::Errc::kSetupFailed));
  EXPECT_NE(refused.error().ToString().find("no runc"), std::string::npos);
  // The reason is kept: a second container request does not probe again.
  DeliverSealed to_agent = ToAgent("req-c4", channel::EncodeBundle(image_, Bytes{9}));
  to_agent.instance_type = InstanceType::kContainer;
  EXPECT_TRUE(FailsWith(delivery->Deliver(to_agent), runtime::Errc::kSetupFailed));
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(delivery->running(), 0u);
  // Processes are unaffected, and the refused TA message was not burnt.
  to_ta.instance_type = InstanceType::kProcess;
  TEEPNET_EXPECT_OK(delivery->Deliver(to_ta));

  // Without a way to make one, a container request is refused as a configuration matter.
  auto no_containers = MakeDelivery();
  ASSERT_NE(no_containers, nullptr);
  DeliverSealed again = ToTa("req-c5", Bytes{10});
  again.instance_type = InstanceType::kContainer;
  EXPECT_TRUE(FailsWith(no_containers->Deliver(again), common::Errc::kBadConfig));
}

// Agent op 6: a UA's message reaches the TA that runs for the UA's request, and only that one
// (hello_ta answers with the SHA-256 of the PD it received, so each answer names its TA).
TEST_F(DeliveryTest, RelaysAUaMessageOnlyToTheTaOfItsOwnRequest) {
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  const Bytes pd_a = ToBytes(std::string_view("personalization of request a"));
  const Bytes pd_b = ToBytes(std::string_view("personalization of request b"));
  TEEPNET_ASSERT_OK(delivery->Deliver(ToAgent("req-a", channel::EncodeBundle(image_, pd_a))));
  TEEPNET_ASSERT_OK(delivery->Deliver(ToTa("req-b", pd_b)));
  ASSERT_EQ(delivery->running(), 2u);
  for (int round = 0; round < 2; ++round) {
    auto a = delivery->RelayToTa(UaMessage{"req-a", ToBytes(std::string_view("digest?"))});
    TEEPNET_ASSERT_OK(a);
    EXPECT_EQ(std::string(AsChars(*a)), "pd-sha256=" + ToHex(crypto::Sha256(pd_a)));
    auto b = delivery->RelayToTa(UaMessage{"req-b", ToBytes(std::string_view("digest?"))});
    TEEPNET_ASSERT_OK(b);
    EXPECT_EQ(std::string(AsChars(*b)), "pd-sha256=" + ToHex(crypto::Sha256(pd_b)));
  }
  // A request whose TA never ran here reaches nothing.
  auto unknown = delivery->RelayToTa(UaMessage{"req-c", Bytes{1}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), Code::kNotFound);
}

TEST_F(DeliveryTest, BoundsTheWaitForATaThatNeverAnswersItsUaAndClosesThatChannel) {
  // The junk TA acknowledges its PD and then reads UA messages without ever answering.
  auto junk = ReadFile(JUNK_TA);
  TEEPNET_ASSERT_OK(junk);
  DeliveryOptions options;
  options.ua_answer_timeout_ms = 200;
  auto delivery = MakeDelivery(options);
  ASSERT_NE(delivery, nullptr);
  TEEPNET_ASSERT_OK(delivery->Deliver(ToAgent("req-s", channel::EncodeBundle(*junk, Bytes{1}))));
  EXPECT_TRUE(FailsWith(delivery->RelayToTa(UaMessage{"req-s", Bytes{1}}), common::Errc::kTimeout));
  // A late answer would be taken for the next message's: the channel stays closed.
  auto again = delivery->RelayToTa(UaMessage{"req-s", Bytes{2}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kFailedPrecondition);
  // The TA itself keeps running as the workload.
  EXPECT_EQ(delivery->running(), 1u);
}

// Agent op 7: an installed component goes to the REE deployer only for a request whose TA runs
// here, and never the request's own TA.
TEST_F(DeliveryTest, ReleasesAnInstalledUaOnlyForARequestWhoseTaRuns) {
  const suit::ComponentId ua_component = suit::MakeComponentId({"hello-ua"});
  const Bytes ua = ToBytes(std::string_view("the UA's executable bytes"));
  suit::StoreTransaction install;
  install.writes[ua_component] = ua;
  TEEPNET_ASSERT_OK(store_.Commit(install));
  const std::string ua_name = evidence::InstanceNameOf(ua_component);
  auto delivery = MakeDelivery();
  ASSERT_NE(delivery, nullptr);
  auto before = delivery->FetchUa(UaFetch{"req-u", ua_name});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code(), Code::kNotFound);

  TEEPNET_ASSERT_OK(delivery->Deliver(ToTa("req-u", Bytes{9})));
  auto released = delivery->FetchUa(UaFetch{"req-u", ua_name});
  TEEPNET_ASSERT_OK(released);
  EXPECT_EQ(*released, ua);

  auto other = delivery->FetchUa(UaFetch{"req-other", ua_name});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), Code::kNotFound);
  auto own_ta = delivery->FetchUa(UaFetch{"req-u", identity_->name});
  ASSERT_FALSE(own_ta.ok());
  EXPECT_EQ(own_ta.error().code(), Code::kInvalidArgument);
  auto missing =
      delivery->FetchUa(UaFetch{"req-u", evidence::InstanceNameOf(suit::MakeComponentId({"no"}))});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  auto not_a_name = delivery->FetchUa(UaFetch{"req-u", "tc-zz"});
  ASSERT_FALSE(not_a_name.ok());
  EXPECT_EQ(not_a_name.error().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace teepnet::agentd
