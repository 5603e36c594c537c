// TESTONLY: the MocStore contract (moc_store.h) as one parameterised gtest suite, run against
// every implementation: InMemoryMocStore (moc_core_test) and SqlMocStore on SQLite and
// PostgreSQL (store/sql_moc_store_test.cc). It defines TEST_Ps, so exactly one source file of a
// test binary includes it and instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sql, MocStoreContractTest,
//                            ::testing::Values(MocStoreBackend{"sqlite", &MakeSqlite}, ...),
//                            MocStoreBackendName);
#ifndef TEEPNET_MOC_MOC_STORE_CONTRACT_H_
#define TEEPNET_MOC_MOC_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "teepnet/moc/errc.h"
#include "teepnet/moc/moc_store.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc::testing {

// One store under test and the ways to reach its data again.
class MocStoreHarness {
 public:
  virtual ~MocStoreHarness() = default;
  virtual MocStore& store() = 0;
  // Replaces store() with a new store object over the same data (a restarted M/OC).
  virtual Status Reopen() = 0;
  // Another store object over the same data, as a second replica sees it; owned by the harness.
  virtual Result<MocStore*> Replica() = 0;
};

struct MocStoreBackend {
  std::string name;  // the gtest parameter name: "in_memory", "sqlite", "postgres"
  // A harness over a fresh, empty store; nullptr with *skip set when the backend is not
  // available and the run asked to skip it.
  Result<std::unique_ptr<MocStoreHarness>> (*make)(std::string* skip);
};

inline std::string MocStoreBackendName(const ::testing::TestParamInfo<MocStoreBackend>& info) {
  return info.param.name;
}
inline void PrintTo(const MocStoreBackend& backend, std::ostream* os) {
  *os << backend.name;
}

class MocStoreContractTest : public ::testing::TestWithParam<MocStoreBackend> {
 protected:
  void SetUp() override {
    std::string skip;
    auto made = GetParam().make(&skip);
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    if (*made == nullptr) GTEST_SKIP() << skip;
    harness_ = std::move(made).value();
  }

  MocStore& store() { return harness_->store(); }

  static Tenant MakeTenant(std::string id) {
    return Tenant{std::move(id), "name of a tenant", Bytes(32, 0x5a), 1'800'000'000};
  }
  static Package MakePackage(std::string id, std::string tenant, PackageKind kind) {
    return Package{
        std::move(id),   std::move(tenant), kind, "hello-ta", Bytes{0xd8, 0x6b, 0xa2, 0x00},
        Bytes(32, 0x11), 1'800'000'001};
  }
  static DeviceCapacity MakeDevice(std::string id, uint32_t slots) {
    DeviceCapacity d;
    d.device_id = std::move(id);
    d.architecture = Architecture::kSevSnp;
    d.architecture_attested = true;
    d.instance_types = {InstanceType::kContainer, InstanceType::kVm};
    d.slots_total = slots;
    d.updated_at = 1'800'000'002;
    return d;
  }
  // A request with every member set, so a store that drops one fails the round trip.
  static Request MakeRequest(std::string id, std::string tenant, uint64_t version) {
    Request r;
    r.id = std::move(id);
    r.tenant_id = std::move(tenant);
    r.use_case = 3;
    r.instance = InstanceType::kVm;
    r.hardware = Architecture::kSevSnp;
    r.ta_package = "pkg-00000000000000aa";
    r.device_id = "dev-1";
    r.device_architecture = Architecture::kSevSnp;
    r.state = RequestState::kDeployingTa;
    r.steps = {Step{RequestState::kPlaced, 10, "placed on dev-1"},
               Step{RequestState::kDeployingTa, 11, "deploying \"ta\" \xc3\xa9"}};
    r.ta_deploy_issued = true;
    r.ear = Bytes{0x65, 0x79, 0x4a};
    r.ear_media_type = "application/eat+jwt";
    r.sealed_digest = Bytes(32, 0x22);
    r.channel_instance = "tc-8141746101";
    r.receipt = Bytes{0xd2, 0x84, 0x43, 0xa1, 0x01, 0x27};
    Action a;
    a.seq = 1;
    a.kind = ActionKind::kSetDesiredState;
    a.device_id = "dev-1";
    a.packages = {"pkg-00000000000000aa"};
    a.target = ChannelTarget::kTa;
    a.digest = Bytes{1, 2};
    a.reason = "why";
    r.outbox = {a};
    r.next_action_seq = 2;
    r.version = version;
    r.created_at = 10;
    r.updated_at = 11;
    return r;
  }
  static MocTransaction Put(const Request& r) {
    MocTransaction txn;
    txn.request = r;
    return txn;
  }

  std::unique_ptr<MocStoreHarness> harness_;
};

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::IsOk;

TEST_P(MocStoreContractTest, KeepsTenantsAndRefusesATakenId) {
  TEEPNET_ASSERT_OK(store().CreateTenant(MakeTenant("tnt-b")));
  TEEPNET_ASSERT_OK(store().CreateTenant(MakeTenant("tnt-a")));
  Tenant other = MakeTenant("tnt-a");
  other.name = "someone else";
  EXPECT_TRUE(FailsWith(store().CreateTenant(other), Errc::kAlreadyExists));

  auto found = store().FindTenant("tnt-a");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, MakeTenant("tnt-a"));
  auto missing = store().FindTenant("tnt-c");
  TEEPNET_ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
  auto all = store().ListTenants();
  TEEPNET_ASSERT_OK(all);
  EXPECT_EQ(*all, (std::vector<Tenant>{MakeTenant("tnt-a"), MakeTenant("tnt-b")}));
}

TEST_P(MocStoreContractTest, KeepsPackagesImmutableAndListsThemPerTenant) {
  const Package a1 = MakePackage("pkg-1", "tnt-a", PackageKind::kTa);
  const Package a2 = MakePackage("pkg-2", "tnt-a", PackageKind::kUa);
  const Package b1 = MakePackage("pkg-3", "tnt-b", PackageKind::kTa);
  for (const Package& p : {a1, a2, b1}) TEEPNET_ASSERT_OK(store().CreatePackage(p));
  Package replaced = a1;
  replaced.envelope = Bytes{0xff};
  EXPECT_TRUE(FailsWith(store().CreatePackage(replaced), Errc::kAlreadyExists));

  auto found = store().FindPackage("pkg-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, a1);
  auto of_a = store().ListPackages("tnt-a");
  TEEPNET_ASSERT_OK(of_a);
  EXPECT_EQ(*of_a, (std::vector<Package>{a1, a2}));
  auto of_c = store().ListPackages("tnt-c");
  TEEPNET_ASSERT_OK(of_c);
  EXPECT_TRUE(of_c->empty());
}

TEST_P(MocStoreContractTest, FindsATenantsPackagesByKindAndDigestOnly) {
  const Package a1 = MakePackage("pkg-1", "tnt-a", PackageKind::kTa);
  Package a2 = MakePackage("pkg-2", "tnt-a", PackageKind::kTa);  // same bytes, uploaded again
  Package a3 = MakePackage("pkg-3", "tnt-a", PackageKind::kUa);  // same bytes, as a UA
  Package a4 = MakePackage("pkg-4", "tnt-a", PackageKind::kTa);
  a4.digest = Bytes(32, 0x22);
  const Package b1 = MakePackage("pkg-5", "tnt-b", PackageKind::kTa);  // another tenant's copy
  for (const Package& p : {a1, a2, a3, a4, b1}) TEEPNET_ASSERT_OK(store().CreatePackage(p));

  auto tas = store().FindPackagesByDigest("tnt-a", PackageKind::kTa, a1.digest);
  TEEPNET_ASSERT_OK(tas);
  EXPECT_EQ(*tas, (std::vector<PackageSummary>{Summarize(a1), Summarize(a2)}));
  EXPECT_EQ((*tas)[0].size, a1.envelope.size());
  auto uas = store().FindPackagesByDigest("tnt-a", PackageKind::kUa, a1.digest);
  TEEPNET_ASSERT_OK(uas);
  EXPECT_EQ(*uas, (std::vector<PackageSummary>{Summarize(a3)}));
  auto other = store().FindPackagesByDigest("tnt-c", PackageKind::kTa, a1.digest);
  TEEPNET_ASSERT_OK(other);
  EXPECT_TRUE(other->empty());
  auto unknown = store().FindPackagesByDigest("tnt-a", PackageKind::kTa, Bytes(32, 0x33));
  TEEPNET_ASSERT_OK(unknown);
  EXPECT_TRUE(unknown->empty());
}

TEST_P(MocStoreContractTest, KeepsTheSlotsItCountedWhenADeviceReportsAgain) {
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 2)));
  MocTransaction take;
  take.reserve_slot = "dev-1";
  TEEPNET_ASSERT_OK(store().Commit(take));

  DeviceCapacity report = MakeDevice("dev-1", 5);
  report.instance_types = {InstanceType::kProcess};
  report.slots_used = 0;  // a device does not know what the M/OC counted
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(report));
  auto found = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->slots_total, 5u);
  EXPECT_EQ((*found)->slots_used, 1u);
  EXPECT_EQ((*found)->instance_types, std::vector<InstanceType>{InstanceType::kProcess});
  auto all = store().ListDevices();
  TEEPNET_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], **found);
}

TEST_P(MocStoreContractTest, KeepsTheOperatorsOverrideAcrossReportsAndReservesWithinIt) {
  DeviceCapacity report = MakeDevice("dev-1", 3);
  report.source = CapacitySource::kEvidence;
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(report));
  TEEPNET_ASSERT_OK(store().SetCapacityOverride("dev-1", 1u, {InstanceType::kVm}));
  // A later report (the next appraisal) keeps the operator's part.
  report.slots_total = 4;
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(report));
  auto found = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->source, CapacitySource::kEvidence);
  EXPECT_EQ((*found)->slots_total, 4u);
  EXPECT_EQ((*found)->slot_limit, std::optional<uint32_t>(1u));
  EXPECT_EQ((*found)->withheld_types, std::vector<InstanceType>{InstanceType::kVm});
  EXPECT_EQ((*found)->OfferedTypes(), std::vector<InstanceType>{InstanceType::kContainer});
  // One slot under the override, however many the device reports.
  MocTransaction take;
  take.reserve_slot = "dev-1";
  TEEPNET_ASSERT_OK(store().Commit(take));
  EXPECT_TRUE(FailsWith(store().Commit(take), Errc::kNoCapacity));
  // Lifted, the reported slots count again.
  TEEPNET_ASSERT_OK(store().SetCapacityOverride("dev-1", std::nullopt, {}));
  TEEPNET_ASSERT_OK(store().Commit(take));
  found = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(found);
  EXPECT_EQ((*found)->slots_used, 2u);
  EXPECT_FALSE((*found)->slot_limit.has_value());
  EXPECT_TRUE((*found)->withheld_types.empty());
  EXPECT_TRUE(FailsWith(store().SetCapacityOverride("dev-2", 1u, {}), Errc::kNoSuitableDevice));
}

TEST_P(MocStoreContractTest, RoundTripsEveryMemberOfARequest) {
  const Request r = MakeRequest("req-1", "tnt-a", 1);
  TEEPNET_ASSERT_OK(store().Commit(Put(r)));
  auto found = store().FindRequest("req-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, r);

  Request bare;
  bare.id = "req-2";
  bare.tenant_id = "tnt-a";
  bare.version = 1;
  TEEPNET_ASSERT_OK(store().Commit(Put(bare)));
  auto found_bare = store().FindRequest("req-2");
  TEEPNET_ASSERT_OK(found_bare);
  ASSERT_TRUE(found_bare->has_value());
  EXPECT_EQ(**found_bare, bare);
}

TEST_P(MocStoreContractTest, RefusesARequestCommitBuiltOnAnotherVersion) {
  TEEPNET_ASSERT_OK(store().Commit(Put(MakeRequest("req-1", "tnt-a", 1))));
  // A second creation, a skipped version and a stale one are all refused.
  EXPECT_TRUE(
      FailsWith(store().Commit(Put(MakeRequest("req-1", "tnt-a", 1))), Errc::kConcurrentUpdate));
  EXPECT_TRUE(
      FailsWith(store().Commit(Put(MakeRequest("req-1", "tnt-a", 3))), Errc::kConcurrentUpdate));
  EXPECT_TRUE(
      FailsWith(store().Commit(Put(MakeRequest("req-2", "tnt-a", 2))), Errc::kConcurrentUpdate));
  Request next = MakeRequest("req-1", "tnt-a", 2);
  next.state = RequestState::kAttestingAgent;
  TEEPNET_ASSERT_OK(store().Commit(Put(next)));
  EXPECT_TRUE(
      FailsWith(store().Commit(Put(MakeRequest("req-1", "tnt-a", 2))), Errc::kConcurrentUpdate));
  auto found = store().FindRequest("req-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, next);
}

TEST_P(MocStoreContractTest, AppliesNothingOfARefusedStep) {
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 0)));
  MocTransaction txn = Put(MakeRequest("req-1", "tnt-a", 1));
  txn.reserve_slot = "dev-1";
  txn.enqueue = RelayBlob{"dev-1", "req-1", ChannelTarget::kTa, Bytes{1}, Bytes{2}, 5};
  txn.audit = {AuditEntry{5, "tnt-a", "request.create", "req-1", ""}};
  EXPECT_TRUE(FailsWith(store().Commit(txn), Errc::kNoCapacity));
  txn.reserve_slot = "dev-unknown";
  EXPECT_TRUE(FailsWith(store().Commit(txn), Errc::kNoSuitableDevice));

  auto request = store().FindRequest("req-1");
  TEEPNET_ASSERT_OK(request);
  EXPECT_FALSE(request->has_value());
  auto relay = store().PendingRelay("dev-1");
  TEEPNET_ASSERT_OK(relay);
  EXPECT_TRUE(relay->empty());
  auto audit = store().RecentAudit(10);
  TEEPNET_ASSERT_OK(audit);
  EXPECT_TRUE(audit->empty());
}

TEST_P(MocStoreContractTest, TakesSlotsUntilNoneIsFreeAndGivesThemBack) {
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 2)));
  MocTransaction take;
  take.reserve_slot = "dev-1";
  TEEPNET_ASSERT_OK(store().Commit(take));
  TEEPNET_ASSERT_OK(store().Commit(take));
  EXPECT_TRUE(FailsWith(store().Commit(take), Errc::kNoCapacity));

  MocTransaction give;
  give.release_slot = "dev-1";
  TEEPNET_ASSERT_OK(store().Commit(give));
  TEEPNET_ASSERT_OK(store().Commit(take));
  give.release_slot = "dev-unknown";
  EXPECT_TRUE(FailsWith(store().Commit(give), Errc::kNoSuitableDevice));
  auto found = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->slots_used, 2u);
}

TEST_P(MocStoreContractTest, ListsRequestsPerTenantAndThoseStillInFlight) {
  Request running = MakeRequest("req-1", "tnt-a", 1);
  Request done_with_actions = MakeRequest("req-2", "tnt-a", 1);
  done_with_actions.state = RequestState::kDone;
  Request done = MakeRequest("req-3", "tnt-b", 1);
  done.state = RequestState::kFailed;
  done.outbox.clear();
  for (const Request& r : {running, done_with_actions, done}) {
    TEEPNET_ASSERT_OK(store().Commit(Put(r)));
  }
  auto of_a = store().ListRequests("tnt-a");
  TEEPNET_ASSERT_OK(of_a);
  EXPECT_EQ(*of_a, (std::vector<Request>{running, done_with_actions}));
  auto in_flight = store().ListInFlightRequests();
  TEEPNET_ASSERT_OK(in_flight);
  EXPECT_EQ(*in_flight, (std::vector<Request>{running, done_with_actions}));

  // Carrying out the last action takes a finished request out of the in-flight list.
  done_with_actions.outbox.clear();
  done_with_actions.version = 2;
  TEEPNET_ASSERT_OK(store().Commit(Put(done_with_actions)));
  in_flight = store().ListInFlightRequests();
  TEEPNET_ASSERT_OK(in_flight);
  EXPECT_EQ(*in_flight, std::vector<Request>{running});
}

TEST_P(MocStoreContractTest, AnswersWhetherAnyRequestIsInFlightAsTheListDoes) {
  auto any = store().AnyRequestInFlight();
  TEEPNET_ASSERT_OK(any);
  EXPECT_FALSE(*any);

  // A failed request with nothing left in its outbox is not in flight.
  Request failed = MakeRequest("req-1", "tnt-a", 1);
  failed.state = RequestState::kFailed;
  failed.outbox.clear();
  TEEPNET_ASSERT_OK(store().Commit(Put(failed)));
  any = store().AnyRequestInFlight();
  TEEPNET_ASSERT_OK(any);
  EXPECT_FALSE(*any);

  Request running = MakeRequest("req-2", "tnt-a", 1);
  TEEPNET_ASSERT_OK(store().Commit(Put(running)));
  any = store().AnyRequestInFlight();
  TEEPNET_ASSERT_OK(any);
  EXPECT_TRUE(*any);

  // Done, but an action is still to be carried out: still in flight.
  running.state = RequestState::kDone;
  running.version = 2;
  ASSERT_FALSE(running.outbox.empty());
  TEEPNET_ASSERT_OK(store().Commit(Put(running)));
  any = store().AnyRequestInFlight();
  TEEPNET_ASSERT_OK(any);
  EXPECT_TRUE(*any);

  running.outbox.clear();
  running.version = 3;
  TEEPNET_ASSERT_OK(store().Commit(Put(running)));
  any = store().AnyRequestInFlight();
  TEEPNET_ASSERT_OK(any);
  EXPECT_FALSE(*any);
}

TEST_P(MocStoreContractTest, QueuesRelayBlobsPerDeviceInOrder) {
  const RelayBlob first{"dev-1", "req-1", ChannelTarget::kTa, Bytes{1, 1}, Bytes(32, 1), 5};
  const RelayBlob other{"dev-2", "req-2", ChannelTarget::kAgent, Bytes{2}, Bytes(32, 2), 6};
  const RelayBlob second{"dev-1", "req-3", ChannelTarget::kAgent, Bytes{3}, Bytes(32, 3), 7};
  for (const RelayBlob& b : {first, other, second}) {
    MocTransaction txn;
    txn.enqueue = b;
    TEEPNET_ASSERT_OK(store().Commit(txn));
  }
  auto queued = store().PendingRelay("dev-1");
  TEEPNET_ASSERT_OK(queued);
  EXPECT_EQ(*queued, (std::vector<RelayBlob>{first, second}));
}

TEST_P(MocStoreContractTest, TakesARequestsBlobsOffTheQueueInTheCommitThatStoresItsReceipt) {
  TEEPNET_ASSERT_OK(store().Commit(Put(MakeRequest("req-1", "tnt-a", 1))));
  const RelayBlob mine{"dev-1", "req-1", ChannelTarget::kTa, Bytes{1, 1}, Bytes(32, 1), 5};
  const RelayBlob other{"dev-1", "req-3", ChannelTarget::kAgent, Bytes{3}, Bytes(32, 3), 7};
  for (const RelayBlob& b : {mine, other}) {
    MocTransaction txn;
    txn.enqueue = b;
    TEEPNET_ASSERT_OK(store().Commit(txn));
  }
  // A refused step (stale version) keeps the blob queued and the receipt unstored.
  Request delivered = MakeRequest("req-1", "tnt-a", 3);
  delivered.state = RequestState::kDone;
  delivered.receipt = Bytes{0xd2, 0x84, 0x01};
  MocTransaction stale = Put(delivered);
  stale.dequeue = "req-1";
  EXPECT_TRUE(FailsWith(store().Commit(stale), Errc::kConcurrentUpdate));
  auto queued = store().PendingRelay("dev-1");
  TEEPNET_ASSERT_OK(queued);
  EXPECT_EQ(*queued, (std::vector<RelayBlob>{mine, other}));

  delivered.version = 2;
  MocTransaction txn = Put(delivered);
  txn.dequeue = "req-1";
  TEEPNET_ASSERT_OK(store().Commit(txn));
  queued = store().PendingRelay("dev-1");
  TEEPNET_ASSERT_OK(queued);
  EXPECT_EQ(*queued, std::vector<RelayBlob>{other});
  auto found = store().FindRequest("req-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->receipt, delivered.receipt);
  // Removing what is no longer there is not an error (a replica that lost the race).
  MocTransaction again;
  again.dequeue = "req-1";
  TEEPNET_EXPECT_OK(store().Commit(again));
}

TEST_P(MocStoreContractTest, ReturnsTheNewestAuditEntriesOldestFirst) {
  std::vector<AuditEntry> written;
  for (int i = 0; i < 5; ++i) {
    MocTransaction txn;
    txn.audit = {AuditEntry{i, "admin", "tenant.create", "tnt-" + std::to_string(i), "d"}};
    TEEPNET_ASSERT_OK(store().Commit(txn));
    written.push_back(txn.audit[0]);
  }
  auto recent = store().RecentAudit(3);
  TEEPNET_ASSERT_OK(recent);
  EXPECT_EQ(*recent, (std::vector<AuditEntry>(written.begin() + 2, written.end())));
  auto all = store().RecentAudit(100);
  TEEPNET_ASSERT_OK(all);
  EXPECT_EQ(*all, written);
}

TEST_P(MocStoreContractTest, KeepsEverythingAcrossARestart) {
  TEEPNET_ASSERT_OK(store().CreateTenant(MakeTenant("tnt-a")));
  TEEPNET_ASSERT_OK(store().CreatePackage(MakePackage("pkg-1", "tnt-a", PackageKind::kTa)));
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 2)));
  MocTransaction txn = Put(MakeRequest("req-1", "tnt-a", 1));
  txn.reserve_slot = "dev-1";
  txn.audit = {AuditEntry{5, "tnt-a", "request.create", "req-1", ""}};
  TEEPNET_ASSERT_OK(store().Commit(txn));

  TEEPNET_ASSERT_OK(harness_->Reopen());
  auto tenant = store().FindTenant("tnt-a");
  TEEPNET_ASSERT_OK(tenant);
  EXPECT_TRUE(tenant->has_value());
  auto package = store().FindPackage("pkg-1");
  TEEPNET_ASSERT_OK(package);
  EXPECT_TRUE(package->has_value());
  auto device = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(device);
  ASSERT_TRUE(device->has_value());
  EXPECT_EQ((*device)->slots_used, 1u);
  auto in_flight = store().ListInFlightRequests();
  TEEPNET_ASSERT_OK(in_flight);
  EXPECT_EQ(*in_flight, std::vector<Request>{MakeRequest("req-1", "tnt-a", 1)});
  auto audit = store().RecentAudit(10);
  TEEPNET_ASSERT_OK(audit);
  EXPECT_EQ(audit->size(), 1u);
}

TEST_P(MocStoreContractTest, StoresAnIdempotencyKeyOncePerTenantWithItsRequest) {
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 4)));
  const IdempotencyRecord key{"tnt-a", "key-1", Bytes(32, 0x33), "req-1", 9};
  MocTransaction first = Put(MakeRequest("req-1", "tnt-a", 1));
  first.reserve_slot = "dev-1";
  first.idempotency = key;
  TEEPNET_ASSERT_OK(store().Commit(first));
  auto found = store().FindIdempotencyKey("tnt-a", "key-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, key);

  // The same key again, whatever request it names, is refused and applies nothing: no second
  // request, no second slot, no audit entry.
  MocTransaction again = Put(MakeRequest("req-2", "tnt-a", 1));
  again.reserve_slot = "dev-1";
  again.idempotency = IdempotencyRecord{"tnt-a", "key-1", Bytes(32, 0x44), "req-2", 10};
  again.audit = {AuditEntry{10, "tnt-a", "request.create", "req-2", ""}};
  EXPECT_TRUE(FailsWith(store().Commit(again), Errc::kIdempotencyKeyReused));
  auto second = store().FindRequest("req-2");
  TEEPNET_ASSERT_OK(second);
  EXPECT_FALSE(second->has_value());
  auto device = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(device);
  ASSERT_TRUE(device->has_value());
  EXPECT_EQ((*device)->slots_used, 1u);
  auto audit = store().RecentAudit(10);
  TEEPNET_ASSERT_OK(audit);
  EXPECT_TRUE(audit->empty());
  found = store().FindIdempotencyKey("tnt-a", "key-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, key);

  // Keys are per tenant: another tenant's identical key is its own.
  MocTransaction other = Put(MakeRequest("req-3", "tnt-b", 1));
  other.idempotency = IdempotencyRecord{"tnt-b", "key-1", Bytes(32, 0x33), "req-3", 11};
  TEEPNET_ASSERT_OK(store().Commit(other));
  auto of_b = store().FindIdempotencyKey("tnt-b", "key-1");
  TEEPNET_ASSERT_OK(of_b);
  ASSERT_TRUE(of_b->has_value());
  EXPECT_EQ((*of_b)->request_id, "req-3");
  auto missing = store().FindIdempotencyKey("tnt-c", "key-1");
  TEEPNET_ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());

  // A refused request commit (stale version) does not keep its key either.
  MocTransaction stale = Put(MakeRequest("req-1", "tnt-a", 1));
  stale.idempotency = IdempotencyRecord{"tnt-a", "key-2", Bytes(32, 0x55), "req-1", 12};
  EXPECT_TRUE(FailsWith(store().Commit(stale), Errc::kConcurrentUpdate));
  auto unkept = store().FindIdempotencyKey("tnt-a", "key-2");
  TEEPNET_ASSERT_OK(unkept);
  EXPECT_FALSE(unkept->has_value());

  TEEPNET_ASSERT_OK(harness_->Reopen());
  found = store().FindIdempotencyKey("tnt-a", "key-1");
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, key);
}

// Two replicas creating a request under one key at once: exactly one request exists after.
TEST_P(MocStoreContractTest, CreatesOneRequestWhenTwoReplicasRaceOnAnIdempotencyKey) {
  auto replica = harness_->Replica();
  TEEPNET_ASSERT_OK(replica);
  MocStore* stores[2] = {&store(), *replica};
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 64)));
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "key-" + std::to_string(round);
    std::atomic<int> wins{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        const std::string id = "req-" + std::to_string(round) + "-" + std::to_string(i);
        MocTransaction txn = Put(MakeRequest(id, "tnt-a", 1));
        txn.reserve_slot = "dev-1";
        txn.idempotency = IdempotencyRecord{"tnt-a", key, Bytes(32, 0x33), id, round};
        Status st = stores[i]->Commit(txn);
        if (st.ok()) {
          ++wins;
        } else if (!st.error().Is(Errc::kIdempotencyKeyReused)) {
          ++unexpected;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(unexpected.load(), 0) << "round " << round;
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    auto record = store().FindIdempotencyKey("tnt-a", key);
    TEEPNET_ASSERT_OK(record);
    ASSERT_TRUE(record->has_value());
    // The key names the request that exists, and the loser's request does not.
    for (int i = 0; i < 2; ++i) {
      const std::string id = "req-" + std::to_string(round) + "-" + std::to_string(i);
      auto found = store().FindRequest(id);
      TEEPNET_ASSERT_OK(found);
      EXPECT_EQ(found->has_value(), (*record)->request_id == id) << id;
    }
  }
  auto device = store().FindDevice("dev-1");
  TEEPNET_ASSERT_OK(device);
  ASSERT_TRUE(device->has_value());
  EXPECT_EQ((*device)->slots_used, static_cast<uint32_t>(kRounds));
}

// Two replicas acting on one request at once: exactly one commit of each version wins, and
// the last free slot goes to exactly one of them.
TEST_P(MocStoreContractTest, LetsExactlyOneOfTwoRacingReplicasWin) {
  auto replica = harness_->Replica();
  TEEPNET_ASSERT_OK(replica);
  MocStore* stores[2] = {&store(), *replica};
  TEEPNET_ASSERT_OK(store().PutDeviceCapacity(MakeDevice("dev-1", 1)));
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = "req-" + std::to_string(round);
    std::atomic<int> request_wins{0};
    std::atomic<int> slot_wins{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (MocStore* s : stores) {
      threads.emplace_back([&, s] {
        for (uint64_t version = 1; version <= 3; ++version) {
          Status st = s->Commit(Put(MakeRequest(id, "tnt-a", version)));
          if (st.ok()) {
            ++request_wins;
          } else if (!st.error().Is(Errc::kConcurrentUpdate)) {
            ++unexpected;
          }
        }
        MocTransaction take;
        take.reserve_slot = "dev-1";
        Status st = s->Commit(take);
        if (st.ok()) {
          ++slot_wins;
        } else if (!st.error().Is(Errc::kNoCapacity)) {
          ++unexpected;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(unexpected.load(), 0) << "round " << round;
    // Version 1 is won exactly once; each later version at most once, and never by a commit
    // that was built on a version that did not win.
    auto stored = store().FindRequest(id);
    TEEPNET_ASSERT_OK(stored);
    ASSERT_TRUE(stored->has_value());
    EXPECT_EQ(static_cast<uint64_t>(request_wins.load()), (*stored)->version) << "round " << round;
    EXPECT_EQ(slot_wins.load(), 1) << "round " << round;
    MocTransaction give;
    give.release_slot = "dev-1";
    TEEPNET_ASSERT_OK(store().Commit(give));
  }
}

}  // namespace teepnet::moc::testing

#endif  // TEEPNET_MOC_MOC_STORE_CONTRACT_H_
