#include "teepnet/moc/moc_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "teepnet/crypto/hash.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;
using testing::CountingRandom;
using testing::Device;
using ::testing::ElementsAre;
using testing::RecordingSink;
using testing::TestEnvelope;

constexpr std::string_view kAdminToken = "admin-token-for-tests";
const Bytes kEar = ToBytes(std::string_view("eyJ.ear.jwt"));
const Bytes kSealed = ToBytes(std::string_view("hpke-sealed bytes the M/OC cannot open"));

class MocServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = MakeService(store_, sink_);
    TEEPNET_ASSERT_OK(service_->ReportCapacity(Device(
        "sgx-1", Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer}, 2)));
    TEEPNET_ASSERT_OK(service_->ReportCapacity(
        Device("tdx-1", Architecture::kTdx, {InstanceType::kContainer, InstanceType::kVm}, 2)));
    alice_ = NewTenantPrincipal("alice", &alice_token_);
    bob_ = NewTenantPrincipal("bob", nullptr);
  }

  std::unique_ptr<MocService> MakeService(MocStore& store, ActionSink& sink) {
    return std::make_unique<MocService>(store, clock_, random_, sink, HashToken(kAdminToken));
  }

  Principal NewTenantPrincipal(std::string_view name, std::string* token) {
    Result<NewTenant> t = service_->CreateTenant(Principal{true, ""}, name);
    EXPECT_TRUE(teepnet::testing::IsOk(t));
    if (token != nullptr) *token = t->token;
    return Principal{false, t->tenant.id};
  }

  std::string Upload(const Principal& who, PackageKind kind, std::string_view name) {
    Result<Package> p = service_->UploadPackage(who, kind, name, TestEnvelope(name));
    EXPECT_TRUE(teepnet::testing::IsOk(p));
    return p.ok() ? p->id : "";
  }

  Request SgxCase2(const Principal& who) {
    RequestSpec spec;
    spec.use_case = 2;
    spec.instance = InstanceType::kProcess;
    spec.hardware = Architecture::kSgx;
    spec.ua_package = Upload(who, PackageKind::kUa, "ua");
    spec.ta_package = Upload(who, PackageKind::kTa, "ta");
    Result<Request> r = service_->CreateRequest(who, spec);
    EXPECT_TRUE(teepnet::testing::IsOk(r));
    return *r;
  }

  InMemoryMocStore store_;
  FakeClock clock_{1'800'000'000};
  CountingRandom random_;
  RecordingSink sink_;
  std::unique_ptr<MocService> service_;
  std::string alice_token_;
  Principal alice_;
  Principal bob_;
};

TEST_F(MocServiceTest, StoresOnlyTheHashOfATenantToken) {
  const InMemoryMocStore::State state = store_.Snapshot();
  const Tenant& alice = state.tenants.at(alice_.tenant_id);
  EXPECT_EQ(alice.token_hash, crypto::Sha256(AsBytes(alice_token_)));
  EXPECT_EQ(alice_token_.rfind(alice.id + ".", 0), 0u);
  EXPECT_EQ(alice_token_.size(), alice.id.size() + 1 + 64);
  for (const auto& [id, tenant] : state.tenants) {
    EXPECT_EQ(tenant.name.find(alice_token_), std::string::npos);
  }
}

TEST_F(MocServiceTest, AuthenticatesTenantsAndTheAdminByTokenHash) {
  Result<Principal> alice = service_->Authenticate(alice_token_);
  TEEPNET_ASSERT_OK(alice);
  EXPECT_FALSE(alice->admin);
  EXPECT_EQ(alice->tenant_id, alice_.tenant_id);
  Result<Principal> admin = service_->Authenticate(kAdminToken);
  TEEPNET_ASSERT_OK(admin);
  EXPECT_TRUE(admin->admin);

  std::string wrong = alice_token_;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_TRUE(FailsWith(service_->Authenticate(wrong), Errc::kUnauthenticated));
  // Alice's secret under Bob's id is nobody's token.
  const std::string swapped = bob_.tenant_id + alice_token_.substr(alice_.tenant_id.size());
  EXPECT_TRUE(FailsWith(service_->Authenticate(swapped), Errc::kUnauthenticated));
  EXPECT_TRUE(FailsWith(service_->Authenticate(""), Errc::kUnauthenticated));
  EXPECT_TRUE(FailsWith(service_->Authenticate(std::string(1000, 'a')), Errc::kUnauthenticated));
}

TEST_F(MocServiceTest, KeepsTenantsApart) {
  const Request request = SgxCase2(alice_);
  const std::string package = *request.ta_package;
  // Bob gets "not found", exactly as for an id that does not exist.
  EXPECT_TRUE(FailsWith(service_->GetRequest(bob_, request.id), Errc::kRequestNotFound));
  EXPECT_TRUE(FailsWith(service_->GetRequest(bob_, "req-none"), Errc::kRequestNotFound));
  EXPECT_TRUE(FailsWith(service_->GetPackage(bob_, package), Errc::kPackageNotFound));
  EXPECT_TRUE(
      FailsWith(service_->PostSealedData(bob_, request.id, kSealed), Errc::kRequestNotFound));
  RequestSpec steal;
  steal.use_case = 3;
  steal.instance = InstanceType::kProcess;
  steal.ta_package = package;
  EXPECT_TRUE(FailsWith(service_->CreateRequest(bob_, steal), Errc::kPackageNotFound));
  EXPECT_TRUE(service_->ListRequests(bob_)->empty());
  EXPECT_TRUE(service_->ListPackages(bob_)->empty());
  EXPECT_EQ(service_->ListRequests(alice_)->size(), 1u);
  // The admin manages tenants and owns no requests.
  EXPECT_TRUE(FailsWith(service_->GetRequest(Principal{true, ""}, request.id), Errc::kTenantOnly));
  EXPECT_TRUE(FailsWith(service_->CreateTenant(alice_, "mallory"), Errc::kAdminOnly));
}

TEST_F(MocServiceTest, RunsSgxCase2ThroughTheTamAndTheRelay) {
  const Request created = SgxCase2(alice_);
  EXPECT_EQ(created.device_id, "sgx-1");
  EXPECT_EQ(created.state, RequestState::kDeployingUa);
  EXPECT_TRUE(created.outbox.empty());  // carried out and retired
  EXPECT_EQ(store_.Snapshot().devices.at("sgx-1").slots_used, 1u);

  TEEPNET_ASSERT_OK(
      service_->HandleEvent(created.id, Event::Installed("sgx-1", *created.ua_package)));
  TEEPNET_ASSERT_OK(
      service_->HandleEvent(created.id, Event::Installed("sgx-1", *created.ta_package)));
  TEEPNET_ASSERT_OK(
      service_->HandleEvent(created.id, Event::Affirmed("sgx-1", kEar, "application/eat+jwt")));
  Result<Request> posted = service_->PostSealedData(alice_, created.id, kSealed);
  TEEPNET_ASSERT_OK(posted);
  EXPECT_EQ(posted->state, RequestState::kSealedDataRelayed);
  const std::vector<RelayBlob> relay = *store_.PendingRelay("sgx-1");
  ASSERT_EQ(relay.size(), 1u);
  EXPECT_EQ(relay[0].sealed, kSealed);
  EXPECT_EQ(relay[0].target, ChannelTarget::kTa);
  TEEPNET_ASSERT_OK(service_->HandleEvent(
      created.id, Event::Delivered("sgx-1", crypto::Sha256(kSealed), Bytes{0xd2})));

  const std::vector<Action> deploys = sink_.OfKind(ActionKind::kSetDesiredState);
  ASSERT_EQ(deploys.size(), 2u);
  EXPECT_THAT(deploys[0].packages, ElementsAre(*created.ua_package));
  EXPECT_THAT(deploys[1].packages, ElementsAre(*created.ua_package, *created.ta_package));
  EXPECT_EQ(sink_.OfKind(ActionKind::kRequestAttestation).size(), 1u);
  EXPECT_EQ(sink_.OfKind(ActionKind::kEmitEar).size(), 1u);

  // Delivered: the blob left the queue in the commit that finished the request.
  EXPECT_TRUE(store_.PendingRelay("sgx-1")->empty());
  EXPECT_EQ(service_->GetRequest(alice_, created.id)->state, RequestState::kDone);
  EXPECT_FALSE(store_.RecentAudit(100)->empty());
}

TEST_F(MocServiceTest, ResumesCommittedActionsAfterARestartWithoutDeployingTwice) {
  // The M/OC commits the placement and dies before telling the TAM.
  sink_.failing = true;
  const Request created = SgxCase2(alice_);
  EXPECT_TRUE(sink_.executed.empty());
  ASSERT_EQ(store_.Snapshot().requests.at(created.id).outbox.size(), 1u);

  // A new M/OC process on the same store.
  InMemoryMocStore restarted(store_.Snapshot());
  RecordingSink sink;
  std::unique_ptr<MocService> service = MakeService(restarted, sink);
  Result<size_t> resumed = service->Resume();
  TEEPNET_ASSERT_OK(resumed);
  EXPECT_EQ(*resumed, 1u);
  ASSERT_EQ(sink.OfKind(ActionKind::kSetDesiredState).size(), 1u);
  // A second restart finds nothing left to do.
  EXPECT_EQ(*service->Resume(), 0u);

  // Reports arrive twice (the TAM retried); the TA is still deployed once.
  for (int i = 0; i < 2; ++i) {
    TEEPNET_ASSERT_OK(
        service->HandleEvent(created.id, Event::Installed("sgx-1", *created.ua_package)));
  }
  TEEPNET_ASSERT_OK(service->HandleEvent(created.id, Event::Placed("sgx-1", Architecture::kSgx)));
  EXPECT_EQ(sink.OfKind(ActionKind::kSetDesiredState).size(), 2u);
  EXPECT_EQ(*service->Resume(), 0u);
  EXPECT_EQ(service->GetRequest(alice_, created.id)->state, RequestState::kDeployingTa);
}

TEST_F(MocServiceTest, AcknowledgesNothingWhenTheStoreCannotCommit) {
  const Request created = SgxCase2(alice_);
  const size_t acted = sink_.executed.size();
  const InMemoryMocStore::State before = store_.Snapshot();
  store_.FailNextCommits(1);
  EXPECT_TRUE(
      FailsWith(service_->HandleEvent(created.id, Event::Installed("sgx-1", *created.ua_package)),
                Errc::kStoreFailure));
  EXPECT_EQ(sink_.executed.size(), acted);
  EXPECT_EQ(store_.Snapshot(), before);
}

TEST_F(MocServiceTest, RefusesAnImpossiblePlacementAndStoresNothing) {
  RequestSpec spec;
  spec.use_case = 1;
  spec.instance = InstanceType::kVm;
  spec.hardware = Architecture::kSgx;
  const InMemoryMocStore::State before = store_.Snapshot();
  Result<Request> refused = service_->CreateRequest(alice_, spec);
  ASSERT_TRUE(FailsWith(refused, Errc::kInstanceNotOnHardware));
  EXPECT_NE(refused.error().message().find("Figure 2"), std::string::npos);
  EXPECT_EQ(store_.Snapshot(), before);
  spec.hardware = Architecture::kCca;  // allowed by Figure 2, but no such device here
  EXPECT_TRUE(FailsWith(service_->CreateRequest(alice_, spec), Errc::kNoSuitableDevice));
}

TEST_F(MocServiceTest, TakesASlotPerRequestAndGivesItBackOnFailure) {
  RequestSpec spec;
  spec.use_case = 4;
  spec.instance = InstanceType::kVm;
  const Request first = *service_->CreateRequest(alice_, spec);
  TEEPNET_ASSERT_OK(service_->CreateRequest(alice_, spec));
  EXPECT_TRUE(FailsWith(service_->CreateRequest(alice_, spec), Errc::kNoCapacity));
  TEEPNET_ASSERT_OK(
      service_->HandleEvent(first.id, Event::Contraindicated("tdx-1", "debug mode enabled")));
  EXPECT_EQ(store_.Snapshot().devices.at("tdx-1").slots_used, 1u);
  TEEPNET_EXPECT_OK(service_->CreateRequest(alice_, spec));
}

TEST_F(MocServiceTest, FailsRequestsThatWaitPastTheirStepsDeadline) {
  RequestSpec spec;
  spec.use_case = 1;
  spec.instance = InstanceType::kContainer;
  const Request created = *service_->CreateRequest(alice_, spec);
  EXPECT_EQ(*service_->CheckTimeouts(), 0u);
  clock_.Advance(MachineLimits().attest_seconds);
  EXPECT_EQ(*service_->CheckTimeouts(), 1u);
  EXPECT_EQ(service_->GetRequest(alice_, created.id)->state, RequestState::kFailed);
  EXPECT_EQ(sink_.OfKind(ActionKind::kFailRequest).size(), 1u);
}

TEST_F(MocServiceTest, RefusesUploadsThatAreNotSuitEnvelopesOrNamedWrongly) {
  EXPECT_TRUE(FailsWith(
      service_->UploadPackage(alice_, PackageKind::kTa, "x", ToBytes(std::string_view("hello"))),
      Errc::kInvalidPackage));
  EXPECT_TRUE(FailsWith(service_->UploadPackage(alice_, PackageKind::kTa, "", TestEnvelope("x")),
                        Errc::kInvalidArgument));
  RequestSpec spec;
  spec.use_case = 3;
  spec.instance = InstanceType::kProcess;
  spec.ta_package = Upload(alice_, PackageKind::kUa, "really-a-ua");
  EXPECT_TRUE(FailsWith(service_->CreateRequest(alice_, spec), Errc::kPackageMismatch));
}

TEST_F(MocServiceTest, RefusesACapacityReportFigure2Forbids) {
  EXPECT_TRUE(
      FailsWith(service_->ReportCapacity(Device("sgx-2", Architecture::kSgx, {InstanceType::kVm})),
                Errc::kInvalidCapacityReport));
  EXPECT_FALSE(store_.Snapshot().devices.contains("sgx-2"));
}

}  // namespace
}  // namespace teepnet::moc
