// TamActionSink and TamReconciler over an in-memory TAM store and M/OC store: a case-3 request
// deploys its TA into the TAM's desired state and moves on when the TAM's device status says
// the TA is installed and the device's appraisal produced an EAR.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/moc/capacity_api.h"
#include "services/moc/capacity_sync.h"
#include "services/moc/tam_action_sink.h"
#include "services/moc/tam_reconciler.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using testing::CountingRandom;
using testing::TestEnvelope;

const Bytes kDeviceBytes(32, 0xab);

class TamBridgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TEEPNET_ASSERT_OK(tam_.PutDevice(tam::DeviceRecord{kDeviceBytes, Bytes{0xa1}, "sim"}));
    TEEPNET_ASSERT_OK(service_.ReportCapacity(testing::Device(
        device_, Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer}, 2)));
    auto tenant = service_.CreateTenant(Principal{true, ""}, "alice");
    TEEPNET_ASSERT_OK(tenant);
    alice_ = Principal{false, tenant->tenant.id};
    auto ta = service_.UploadPackage(alice_, PackageKind::kTa, "hello-ta", TestEnvelope("hello"));
    TEEPNET_ASSERT_OK(ta);
    ta_ = *ta;
    auto tam_package = TamPackageFor(ta_);
    TEEPNET_ASSERT_OK(tam_package);
    tam_package_ = *tam_package;
  }

  Request CreateCase3() {
    RequestSpec spec;
    spec.use_case = 3;
    spec.instance = InstanceType::kProcess;
    spec.ta_package = ta_.id;
    auto r = service_.CreateRequest(alice_, spec);
    EXPECT_TRUE(teepnet::testing::IsOk(r));
    return r.ok() ? *r : Request{};
  }

  Request Stored(const std::string& id) {
    auto r = moc_.FindRequest(id);
    EXPECT_TRUE(teepnet::testing::IsOk(r));
    return r.ok() && *r ? **r : Request{};
  }

  void ReportInstalled() {
    tam::DeviceStatus status;
    status.installed.push_back(
        agent::InstalledTc{tam_package_.manifest_id, tam_package_.sequence_number, {}});
    status.last_contact = clock_.NowUnixSeconds();
    tam::TamTransaction txn;
    txn.device = kDeviceBytes;
    txn.status = status;
    TEEPNET_ASSERT_OK(tam_.Commit(txn));
  }

  // A signed EAR JWT whose only submodule attests `instances` (names of TA instances).
  Bytes EarNaming(const std::vector<std::string>& instances) {
    eat::Ear ear;
    ear.iat = clock_.NowUnixSeconds();
    eat::EarAppraisal appraisal;
    appraisal.status = attest::Tier::kAffirming;
    for (const std::string& name : instances) {
      eat::EarInstance instance;
      instance.name = name;
      instance.measurement = Bytes(32, 0x11);
      auto hpke = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
      auto proof = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
      EXPECT_TRUE(hpke.ok() && proof.ok());
      if (hpke.ok()) instance.hpke_key = hpke->public_key().ToSpkiDer();
      if (proof.ok()) instance.proof_key = proof->public_key().ToSpkiDer();
      appraisal.instances.push_back(instance);
    }
    ear.submods["sgx"] = appraisal;
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    EXPECT_TRUE(teepnet::testing::IsOk(key));
    auto jwt = eat::IssueEarJwt(ear, *key);
    EXPECT_TRUE(teepnet::testing::IsOk(jwt));
    return jwt.ok() ? ToBytes(std::string_view(*jwt)) : Bytes{};
  }

  void ReportAppraisal(bool affirming, int64_t at, std::vector<std::string> instances = {}) {
    auto status = tam_.GetStatus(kDeviceBytes);
    TEEPNET_ASSERT_OK(status);
    tam::DeviceStatus s = status->value_or(tam::DeviceStatus{});
    last_ear_ = EarNaming(instances);
    s.appraisal =
        tam::AppraisalRecord{affirming, at, affirming ? "" : "bad measurement", last_ear_};
    tam::TamTransaction txn;
    txn.device = kDeviceBytes;
    txn.status = s;
    TEEPNET_ASSERT_OK(tam_.Commit(txn));
  }

  const std::string device_ = ToHex(kDeviceBytes);
  Bytes last_ear_;
  tam::InMemoryTamStore tam_;
  InMemoryMocStore moc_;
  FakeClock clock_{1'800'000'000};
  CountingRandom random_;
  TamActionSink sink_{moc_, tam_};
  MocService service_{moc_, clock_, random_, sink_, HashToken("admin")};
  TamReconciler reconciler_{moc_, tam_, service_};
  Principal alice_;
  Package ta_;
  tam::Package tam_package_;
};

TEST_F(TamBridgeTest, PutsTheTaInTheCatalogAndTheDesiredStateOfThePlacedDevice) {
  const Request r = CreateCase3();
  ASSERT_EQ(r.device_id, device_);
  auto catalog = tam_.FindPackage(tam_package_.manifest_id, tam_package_.sequence_number);
  TEEPNET_ASSERT_OK(catalog);
  ASSERT_TRUE(catalog->has_value());
  EXPECT_EQ(**catalog, tam_package_);
  auto desired = tam_.GetDesiredState(kDeviceBytes);
  TEEPNET_ASSERT_OK(desired);
  EXPECT_EQ(
      desired->install,
      (std::vector<tam::PackageRef>{{tam_package_.manifest_id, tam_package_.sequence_number}}));
  // The action left the outbox once carried out.
  EXPECT_TRUE(Stored(r.id).outbox.empty());
}

TEST_F(TamBridgeTest, DeploysIdempotentlyAndRemovesWhatItDeployed) {
  const Request r = CreateCase3();
  Action deploy;
  deploy.kind = ActionKind::kSetDesiredState;
  deploy.device_id = device_;
  deploy.packages = {ta_.id};
  auto before = tam_.GetDesiredState(kDeviceBytes);
  TEEPNET_ASSERT_OK(before);
  TEEPNET_ASSERT_OK(sink_.Execute(r, deploy));  // a second delivery, as after a crash
  auto again = tam_.GetDesiredState(kDeviceBytes);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(*again, *before);

  Action remove = deploy;
  remove.kind = ActionKind::kRemovePackages;
  TEEPNET_ASSERT_OK(sink_.Execute(r, remove));
  TEEPNET_ASSERT_OK(sink_.Execute(r, remove));
  auto removed = tam_.GetDesiredState(kDeviceBytes);
  TEEPNET_ASSERT_OK(removed);
  EXPECT_TRUE(removed->install.empty());
  EXPECT_EQ(removed->remove, std::vector<suit::ComponentId>{tam_package_.manifest_id});
}

TEST_F(TamBridgeTest, RefusesToDeployToADeviceIdThatIsNotHex) {
  const Request r = CreateCase3();
  Action deploy;
  deploy.kind = ActionKind::kSetDesiredState;
  deploy.device_id = "not-hex";
  deploy.packages = {ta_.id};
  EXPECT_FALSE(sink_.Execute(r, deploy).ok());
}

TEST_F(TamBridgeTest, TellsTheDeviceOfWorkOnlyForActionsThatGiveItWork) {
  const Request r = CreateCase3();
  std::vector<std::string> woken;
  sink_.OnDeviceWork([&](std::string_view device) { woken.emplace_back(device); });
  Action action;
  action.device_id = device_;
  action.packages = {ta_.id};
  for (ActionKind kind : {ActionKind::kSetDesiredState, ActionKind::kRequestAttestation,
                          ActionKind::kRelaySealedData, ActionKind::kRemovePackages}) {
    action.kind = kind;
    TEEPNET_ASSERT_OK(sink_.Execute(r, action));
  }
  EXPECT_EQ(woken, std::vector<std::string>(4, device_));
  woken.clear();
  for (ActionKind kind : {ActionKind::kEmitEar, ActionKind::kFailRequest}) {
    action.kind = kind;
    TEEPNET_ASSERT_OK(sink_.Execute(r, action));
  }
  // A deploy that failed gave the device nothing to fetch.
  action.kind = ActionKind::kSetDesiredState;
  action.device_id = "not-hex";
  EXPECT_FALSE(sink_.Execute(r, action).ok());
  EXPECT_TRUE(woken.empty());
}

TEST_F(TamBridgeTest, ReportsTheInstallOnceTheDeviceListsTheTa) {
  const Request r = CreateCase3();
  ASSERT_EQ(Stored(r.id).state, RequestState::kDeployingTa);
  auto nothing = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(nothing);
  EXPECT_EQ(nothing->events, 0u);
  EXPECT_EQ(Stored(r.id).state, RequestState::kDeployingTa);

  ReportInstalled();
  auto pass = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(pass);
  EXPECT_EQ(pass->events, 1u);
  const Request after = Stored(r.id);
  EXPECT_TRUE(after.ta_installed);
  EXPECT_EQ(after.state, RequestState::kAttestingAgent);
  // A second pass (another replica) changes nothing.
  auto replay = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(replay);
  EXPECT_EQ(replay->events, 0u);
  EXPECT_EQ(Stored(r.id).version, after.version);
}

TEST_F(TamBridgeTest, DeliversOnlyAnAppraisalFromTheAttestingStepOn) {
  const Request r = CreateCase3();
  ReportAppraisal(true, clock_.NowUnixSeconds() - 60);  // before the install
  clock_.Advance(5);
  ReportInstalled();
  TEEPNET_ASSERT_OK(reconciler_.RunOnce());
  ASSERT_EQ(Stored(r.id).state, RequestState::kAttestingAgent);
  auto stale = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(stale);
  EXPECT_EQ(stale->events, 0u);
  EXPECT_EQ(Stored(r.id).state, RequestState::kAttestingAgent);

  // Evidence from before the install lands in the same second: it attests no TA instance, so
  // it cannot speak for the Agent that now holds the TA.
  clock_.Advance(5);
  ReportAppraisal(true, clock_.NowUnixSeconds());
  auto same_second = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(same_second);
  EXPECT_EQ(same_second->events, 0u);
  EXPECT_EQ(Stored(r.id).state, RequestState::kAttestingAgent);

  ReportAppraisal(true, clock_.NowUnixSeconds(), {Stored(r.id).channel_instance});
  auto fresh = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(fresh);
  EXPECT_EQ(fresh->events, 1u);
  const Request after = Stored(r.id);
  EXPECT_NE(after.state, RequestState::kAttestingAgent);
  EXPECT_NE(after.state, RequestState::kFailed);
  EXPECT_FALSE(after.channel_instance.empty());
  EXPECT_EQ(after.ear, last_ear_);
  EXPECT_EQ(after.ear_media_type, kEarMediaType);
}

TEST_F(TamBridgeTest, FailsTheRequestWhenTheAppraisalIsNotAffirming) {
  const Request r = CreateCase3();
  ReportInstalled();
  TEEPNET_ASSERT_OK(reconciler_.RunOnce());
  ReportAppraisal(false, clock_.NowUnixSeconds());
  auto pass = reconciler_.RunOnce();
  TEEPNET_ASSERT_OK(pass);
  EXPECT_EQ(pass->events, 1u);
  EXPECT_EQ(Stored(r.id).state, RequestState::kFailed);
}

net::HttpRequest CapacityPut(std::string device, std::string token, std::string_view body) {
  net::HttpRequest r;
  r.method = "PUT";
  r.target = "/api/v1/devices/" + device + "/capacity";
  r.headers.emplace_back("authorization", "Bearer " + token);
  r.body = ToBytes(body);
  return r;
}

TEST_F(TamBridgeTest, LetsOnlyTheAdminRegisterCapacityOfAnEnrolledDevice) {
  CapacityApi api(service_, tam_);
  const std::string body = R"({"architecture":"tdx","instance_types":["vm"],"slots":3})";
  EXPECT_TRUE(CapacityApi::Serves("/api/v1/devices/" + device_ + "/capacity"));
  EXPECT_FALSE(CapacityApi::Serves("/api/v1/devices/a/b/capacity"));
  EXPECT_FALSE(CapacityApi::Serves("/api/v1/devices"));

  EXPECT_EQ(api.Handle(CapacityPut(device_, "wrong", body)).status, 401);
  const std::string other = ToHex(Bytes(32, 0xcd));  // not enrolled in the TAM
  EXPECT_EQ(api.Handle(CapacityPut(other, "admin", body)).status, 409);
  EXPECT_EQ(api.Handle(CapacityPut(device_, "admin",
                                   R"({"architecture":"tdx","instance_types":[],"slots":1,"x":1})"))
                .status,
            400);
  EXPECT_EQ(api.Handle(CapacityPut(device_, "admin", "{\"slots\": 1}")).status, 400);
  // Figure 2: TrustZone hosts no confidential VM.
  EXPECT_GE(
      api.Handle(CapacityPut(device_, "admin",
                             R"({"architecture":"trustzone","instance_types":["vm"],"slots":1})"))
          .status,
      400);

  const net::HttpResponse ok = api.Handle(CapacityPut(device_, "admin", body));
  EXPECT_EQ(ok.status, 200) << AsChars(ok.body);
  auto stored = moc_.FindDevice(device_);
  TEEPNET_ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->architecture, Architecture::kTdx);
  EXPECT_EQ((*stored)->slots_total, 3u);
  EXPECT_FALSE(moc_.FindDevice(other)->has_value());
}

// USE-CASES "Device capacity": with attestation on, a device's architecture and capacity come
// from the appraisal the TAM stored for it, and the admin's PUT can only lower them.
class AttestedCapacityTest : public TamBridgeTest {
 protected:
  void SetUp() override {
    TamBridgeTest::SetUp();
    TEEPNET_ASSERT_OK(tam_.PutDevice(tam::DeviceRecord{kTdxBytes, Bytes{0xa2}, "sim-tdx"}));
  }

  // Stores an appraisal of the TDX device: an EAR whose one submodule is `arch`, carrying
  // `capacity` when given.
  void Appraise(bool affirming, std::string arch, std::optional<eat::EarCapacity> capacity) {
    eat::Ear ear;
    ear.iat = clock_.NowUnixSeconds();
    eat::EarAppraisal a;
    a.status = affirming ? attest::Tier::kAffirming : attest::Tier::kContraindicated;
    a.capacity = std::move(capacity);
    ear.submods[arch] = a;
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    TEEPNET_ASSERT_OK(key);
    auto jwt = eat::IssueEarJwt(ear, *key);
    TEEPNET_ASSERT_OK(jwt);
    tam::DeviceStatus status;
    status.appraisal = tam::AppraisalRecord{affirming, clock_.NowUnixSeconds(),
                                            affirming ? "affirming" : "contraindicated: debug",
                                            ToBytes(AsBytes(*jwt))};
    tam::TamTransaction txn;
    txn.device = kTdxBytes;
    txn.status = status;
    TEEPNET_ASSERT_OK(tam_.Commit(txn));
  }

  std::optional<DeviceCapacity> Record() {
    auto found = moc_.FindDevice(tdx_);
    EXPECT_TRUE(teepnet::testing::IsOk(found));
    return found.ok() ? *found : std::nullopt;
  }

  Result<Request> RequestVm() {
    RequestSpec spec;
    spec.use_case = 4;
    spec.instance = InstanceType::kVm;
    spec.hardware = Architecture::kTdx;
    return service_.CreateRequest(alice_, spec);
  }

  std::string Put(CapacityApi& api, std::string_view body, int expected_status) {
    const net::HttpResponse r = api.Handle(CapacityPut(tdx_, "admin", body));
    EXPECT_EQ(r.status, expected_status) << AsChars(r.body);
    const nlohmann::json j = nlohmann::json::parse(AsChars(r.body), nullptr, false);
    if (r.status == 200 || !j.is_object() || !j.contains("error")) return "";
    return j["error"].value("code", "");
  }

  const Bytes kTdxBytes = Bytes(32, 0x7d);
  const std::string tdx_ = ToHex(kTdxBytes);
  CapacitySync sync_{tam_, service_};
};

TEST_F(AttestedCapacityTest,
       RecordsTheAppraisedArchitectureAndClaimAndWithdrawsOnContraindication) {
  // Not appraised yet: nothing to record, nothing to place on.
  auto none = sync_.Device(kTdxBytes);
  TEEPNET_ASSERT_OK(none);
  EXPECT_EQ(*none, "");
  EXPECT_FALSE(Record().has_value());
  EXPECT_TRUE(teepnet::testing::FailsWith(RequestVm(), Errc::kNoSuitableDevice));

  Appraise(true, "tdx", eat::EarCapacity{{"vm", "container"}, 3});
  auto note = sync_.Device(kTdxBytes);
  TEEPNET_ASSERT_OK(note);
  EXPECT_NE(*note, "");
  ASSERT_TRUE(Record().has_value());
  EXPECT_EQ(Record()->architecture, Architecture::kTdx);
  EXPECT_TRUE(Record()->architecture_attested);
  EXPECT_EQ(Record()->source, CapacitySource::kEvidence);
  EXPECT_EQ(Record()->slots_total, 3u);
  auto placed = RequestVm();
  TEEPNET_ASSERT_OK(placed);
  EXPECT_EQ(placed->device_id, tdx_);
  // The same appraisal again writes nothing.
  EXPECT_EQ(*sync_.Device(kTdxBytes), "");

  // Contraindicated: withdrawn, the slot the request holds kept; no further request.
  Appraise(false, "tdx", std::nullopt);
  TEEPNET_ASSERT_OK(sync_.Device(kTdxBytes));
  ASSERT_TRUE(Record().has_value());
  EXPECT_FALSE(Record()->architecture_attested);
  EXPECT_EQ(Record()->slots_used, 1u);
  EXPECT_TRUE(teepnet::testing::FailsWith(RequestVm(), Errc::kNoSuitableDevice));
  // All() covers every enrolled device and finds nothing more to change.
  auto all = sync_.All();
  TEEPNET_ASSERT_OK(all);
  EXPECT_EQ(*all, 0u);
}

TEST_F(AttestedCapacityTest, LetsTheAdminOnlyLowerWhatTheEvidenceClaims) {
  CapacityApi api(service_, tam_, /*from_evidence=*/true);
  const std::string vm2 = R"({"architecture":"tdx","instance_types":["vm"],"slots":2})";
  EXPECT_EQ(Put(api, vm2, 409), "capacity_not_attested");

  Appraise(true, "tdx", eat::EarCapacity{{"vm", "container"}, 4});
  // The evidence proved TDX: the admin cannot make it SEV-SNP.
  EXPECT_EQ(Put(api, R"({"architecture":"sev-snp","instance_types":["vm"],"slots":2})", 409),
            "architecture_mismatch");
  EXPECT_EQ(Put(api, R"({"architecture":"tdx","instance_types":["vm"],"slots":5})", 409),
            "capacity_exceeds_attested");
  EXPECT_EQ(Put(api, R"({"architecture":"tdx","instance_types":["vm"],"slots":2})", 200), "");
  ASSERT_TRUE(Record().has_value());
  EXPECT_EQ(Record()->slots_offered(), 2u);
  EXPECT_EQ(Record()->OfferedTypes(), std::vector<InstanceType>{InstanceType::kVm});
  // A later claim of more slots does not lift the operator's limit.
  Appraise(true, "tdx", eat::EarCapacity{{"vm", "container"}, 6});
  TEEPNET_ASSERT_OK(sync_.Device(kTdxBytes));
  EXPECT_EQ(Record()->slots_total, 6u);
  EXPECT_EQ(Record()->slots_offered(), 2u);
  // Stating the claim itself lifts it.
  EXPECT_EQ(
      Put(api, R"({"architecture":"tdx","instance_types":["vm","container"],"slots":6})", 200), "");
  EXPECT_EQ(Record()->slots_offered(), 6u);

  Appraise(false, "tdx", std::nullopt);
  EXPECT_EQ(Put(api, vm2, 409), "device_not_attested");
}

TEST_F(AttestedCapacityTest, TakesTheOperatorsCapacityUnderTheAttestedArchitectureWithoutAClaim) {
  CapacityApi api(service_, tam_, /*from_evidence=*/true);
  Appraise(true, "tdx", std::nullopt);
  EXPECT_EQ(Put(api, R"({"architecture":"cca","instance_types":["vm"],"slots":2})", 409),
            "architecture_mismatch");
  EXPECT_EQ(Put(api, R"({"architecture":"tdx","instance_types":["vm"],"slots":2})", 200), "");
  ASSERT_TRUE(Record().has_value());
  EXPECT_TRUE(Record()->architecture_attested);
  EXPECT_EQ(Record()->source, CapacitySource::kOperator);
  EXPECT_EQ(Record()->slots_total, 2u);
  TEEPNET_ASSERT_OK(RequestVm());
}

}  // namespace
}  // namespace teepnet::moc
