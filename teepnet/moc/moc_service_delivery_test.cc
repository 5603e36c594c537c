// MocService's device channel (USE-CASES "Device channel API", "Receipts"): the inbox a device's
// Broker polls and the receipts that finish a request, against real keys and a real EAR.
#include <gtest/gtest.h>

#include "teepnet/crypto/hash.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/moc/delivery_test_support.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/limits.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;
using testing::CountingRandom;
using testing::Device;
using testing::kEarJwtMediaType;
using testing::RecordingSink;
using testing::TestDevice;
using testing::TestEnvelope;

const Bytes kSealed = ToBytes(std::string_view("hpke-sealed bytes only the recipient opens"));

class MocServiceDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TEEPNET_ASSERT_OK(service_.ReportCapacity(
        Device(device_.id(), Architecture::kSgx, {InstanceType::kProcess}, 8)));
    TEEPNET_ASSERT_OK(
        service_.ReportCapacity(Device(other_.id(), Architecture::kTdx, {InstanceType::kVm}, 4)));
    Result<NewTenant> t = service_.CreateTenant(Principal{true, ""}, "alice");
    TEEPNET_ASSERT_OK(t);
    alice_ = Principal{false, t->tenant.id};
  }

  // A case-3 request (TA "ta", no UA) on the SGX device, its sealed PD posted.
  Request Case3Relayed() {
    const Bytes envelope = TestEnvelope("ta");
    Result<Package> ta = service_.UploadPackage(alice_, PackageKind::kTa, "ta", envelope);
    EXPECT_TRUE(teepnet::testing::IsOk(ta));
    RequestSpec spec;
    spec.use_case = 3;
    spec.instance = InstanceType::kProcess;
    spec.ta_package = ta->id;
    Result<Request> r = service_.CreateRequest(alice_, spec);
    EXPECT_TRUE(teepnet::testing::IsOk(r));
    instance_ = *evidence::InstanceNameOfEnvelope(envelope);
    EXPECT_EQ(r->channel_instance, instance_);
    EXPECT_TRUE(teepnet::testing::IsOk(
        service_.HandleEvent(r->id, Event::Installed(device_.id(), ta->id))));
    return AttestAndPost(r->id, instance_);
  }

  // A case-4 request (the (TA, PD) bundle to the Agent) on the SGX device, its bundle posted.
  Request Case4Relayed() {
    RequestSpec spec;
    spec.use_case = 4;
    spec.instance = InstanceType::kProcess;
    Result<Request> r = service_.CreateRequest(alice_, spec);
    EXPECT_TRUE(teepnet::testing::IsOk(r));
    EXPECT_EQ(r->channel_instance, "");
    return AttestAndPost(r->id, "");
  }

  Request AttestAndPost(const std::string& id, const std::string& instance) {
    EXPECT_TRUE(teepnet::testing::IsOk(service_.HandleEvent(
        id, Event::Affirmed(device_.id(), device_.EarJwt(instance, clock_.NowUnixSeconds()),
                            kEarJwtMediaType))));
    Result<Request> posted = service_.PostSealedData(alice_, id, kSealed);
    EXPECT_TRUE(teepnet::testing::IsOk(posted));
    EXPECT_EQ(posted->state, RequestState::kSealedDataRelayed);
    return *posted;
  }

  // The receipt is refused with `reason` and nothing in the store changed.
  void RefusedUnchanged(std::string_view device, std::string_view request, const Bytes& receipt,
                        Errc reason) {
    const InMemoryMocStore::State before = store_.Snapshot();
    EXPECT_TRUE(FailsWith(service_.AcceptReceipt(device, request, receipt), reason));
    EXPECT_EQ(store_.Snapshot(), before);
  }

  InMemoryMocStore store_;
  FakeClock clock_{1'800'000'000};
  CountingRandom random_;
  RecordingSink sink_;
  MocService service_{store_, clock_, random_, sink_, HashToken("admin")};
  TestDevice device_;
  TestDevice other_;
  Principal alice_;
  std::string instance_;
};

TEST_F(MocServiceDeliveryTest, ListsTheSealedPdForTheTaInstanceAndFinishesOnItsReceipt) {
  const Request r = Case3Relayed();
  Result<std::vector<InboxItem>> inbox = service_.Inbox(device_.id());
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  const InboxItem& item = inbox->front();
  EXPECT_EQ(item.request_id, r.id);
  EXPECT_EQ(item.target, ChannelTarget::kTa);
  EXPECT_EQ(item.instance, instance_);
  EXPECT_EQ(item.purpose, "pd");
  EXPECT_EQ(item.digest, crypto::Sha256(kSealed));
  EXPECT_EQ(item.sealed, kSealed);
  EXPECT_TRUE(service_.Inbox(other_.id())->empty());

  const Bytes receipt = device_.InstanceReceipt(r.id, instance_);
  Result<Request> done = service_.AcceptReceipt(device_.id(), r.id, receipt);
  TEEPNET_ASSERT_OK(done);
  EXPECT_EQ(done->state, RequestState::kDone);
  EXPECT_EQ(done->receipt, receipt);
  EXPECT_EQ(store_.Snapshot().requests.at(r.id).receipt, receipt);
  // Items stay until their receipt commits, and not after.
  EXPECT_TRUE(service_.Inbox(device_.id())->empty());
  EXPECT_TRUE(store_.PendingRelay(device_.id())->empty());

  // The Broker lost the answer and posts the same receipt again: the same answer, no change.
  const InMemoryMocStore::State before = store_.Snapshot();
  Result<Request> again = service_.AcceptReceipt(device_.id(), r.id, receipt);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(again->state, RequestState::kDone);
  EXPECT_EQ(store_.Snapshot(), before);
}

TEST_F(MocServiceDeliveryTest, TakesTheAgentsReceiptForTheBundleOfCase4) {
  const Request r = Case4Relayed();
  Result<std::vector<InboxItem>> inbox = service_.Inbox(device_.id());
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->front().target, ChannelTarget::kAgent);
  EXPECT_EQ(inbox->front().instance, "");
  EXPECT_EQ(inbox->front().purpose, "ta+pd");

  Result<Request> done = service_.AcceptReceipt(device_.id(), r.id, device_.AgentReceipt(r.id));
  TEEPNET_ASSERT_OK(done);
  EXPECT_EQ(done->state, RequestState::kDone);
  EXPECT_TRUE(service_.Inbox(device_.id())->empty());
}

TEST_F(MocServiceDeliveryTest, RefusesAReceiptSignedByAKeyTheEarDoesNotName) {
  const Request r = Case3Relayed();
  // Another device's proof key, carrying the right request and instance.
  RefusedUnchanged(device_.id(), r.id, other_.InstanceReceipt(r.id, instance_),
                   Errc::kReceiptInvalid);
  // The Agent's own key is attested, but the TA received the PD: only its proof key counts.
  RefusedUnchanged(device_.id(), r.id,
                   TestDevice::Receipt(device_.agent, r.id, instance_, device_.measurement),
                   Errc::kReceiptInvalid);
  RefusedUnchanged(device_.id(), r.id, ToBytes(std::string_view("not a COSE_Sign1")),
                   Errc::kReceiptInvalid);
  EXPECT_EQ(service_.Inbox(device_.id())->size(), 1u);
}

TEST_F(MocServiceDeliveryTest, RefusesTheInstanceKeyWhereTheAgentWasTheRecipient) {
  const Request r = Case4Relayed();
  RefusedUnchanged(device_.id(), r.id, device_.InstanceReceipt(r.id, ""), Errc::kReceiptInvalid);
}

TEST_F(MocServiceDeliveryTest, RefusesAReceiptForAnotherRequestInstanceOrTa) {
  const Request r = Case3Relayed();
  RefusedUnchanged(device_.id(), r.id, device_.InstanceReceipt("req-00000000000000ff", instance_),
                   Errc::kReceiptInvalid);
  RefusedUnchanged(device_.id(), r.id, device_.InstanceReceipt(r.id, instance_ + "00"),
                   Errc::kReceiptInvalid);
  RefusedUnchanged(device_.id(), r.id,
                   TestDevice::Receipt(device_.proof, r.id, instance_,
                                       crypto::Sha256(AsBytes(std::string_view("another TA")))),
                   Errc::kReceiptInvalid);
}

TEST_F(MocServiceDeliveryTest, ReportsARequestOnAnotherDeviceLikeAMissingOne) {
  const Request r = Case3Relayed();
  const Bytes receipt = device_.InstanceReceipt(r.id, instance_);
  RefusedUnchanged(other_.id(), r.id, receipt, Errc::kRequestNotFound);
  RefusedUnchanged(device_.id(), "req-0000000000000000", receipt, Errc::kRequestNotFound);
}

TEST_F(MocServiceDeliveryTest, RefusesAReceiptWhileTheRequestIsNotWaitingForOne) {
  RequestSpec spec;
  spec.use_case = 4;
  spec.instance = InstanceType::kProcess;
  const Request attesting = *service_.CreateRequest(alice_, spec);
  RefusedUnchanged(device_.id(), attesting.id, device_.AgentReceipt(attesting.id),
                   Errc::kWrongState);

  // Done with one receipt, another (validly signed) one does not replace it.
  const Request r = Case4Relayed();
  TEEPNET_ASSERT_OK(service_.AcceptReceipt(device_.id(), r.id, device_.AgentReceipt(r.id)));
  const Bytes second = TestDevice::Receipt(device_.agent, r.id, "", Bytes(32, 0x77));
  RefusedUnchanged(device_.id(), r.id, second, Errc::kWrongState);
}

TEST_F(MocServiceDeliveryTest, EmptiesTheInboxWhenADeliveryTimesOut) {
  const Request r = Case3Relayed();
  ASSERT_EQ(service_.Inbox(device_.id())->size(), 1u);
  clock_.Advance(MachineLimits().delivery_seconds);
  EXPECT_EQ(*service_.CheckTimeouts(), 1u);
  EXPECT_EQ(store_.Snapshot().requests.at(r.id).state, RequestState::kFailed);
  EXPECT_TRUE(service_.Inbox(device_.id())->empty());
  EXPECT_TRUE(store_.PendingRelay(device_.id())->empty());
  RefusedUnchanged(device_.id(), r.id, device_.InstanceReceipt(r.id, instance_), Errc::kWrongState);
}

TEST_F(MocServiceDeliveryTest, ListsAtMostTheInboxLimitOldestFirst) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < kMaxInboxItems + 1; ++i) ids.push_back(Case4Relayed().id);
  Result<std::vector<InboxItem>> inbox = service_.Inbox(device_.id());
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), kMaxInboxItems);
  for (size_t i = 0; i < kMaxInboxItems; ++i) EXPECT_EQ((*inbox)[i].request_id, ids[i]);
  // Once the first is receipted, the last one shows.
  TEEPNET_ASSERT_OK(service_.AcceptReceipt(device_.id(), ids[0], device_.AgentReceipt(ids[0])));
  inbox = service_.Inbox(device_.id());
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), kMaxInboxItems);
  EXPECT_EQ(inbox->back().request_id, ids.back());
}

}  // namespace
}  // namespace teepnet::moc
