#include "teepnet/store/sql_tam_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "teepnet/store/errc.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/tam/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;
using testing::BackendName;
using testing::BackendTest;
using testing::kBackends;

// The TamStore contract (tam/tam_store.h) on SQLite and on PostgreSQL.
class SqlTamStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    BackendTest::TearDown();
  }
  void Reopen(SqlTamStoreOptions options = {}) {
    store_.reset();
    auto opened = SqlTamStore::Open(url(), options);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
  }

  static tam::DeviceRecord Device(uint8_t n) {
    return tam::DeviceRecord{Bytes(32, n), Bytes{0xa1, 0x01, 0x02, n}, "sim-" + std::to_string(n)};
  }
  static tam::Package Package(std::string_view name, uint64_t seq) {
    return tam::Package{suit::MakeComponentId({"TEEP-Device", name}), seq, Bytes{0x82, 0x2f},
                        Bytes{0xd8, 0x6b, static_cast<uint8_t>(seq)}};
  }
  static tam::TokenRecord Token(uint8_t n, std::optional<Bytes> device, int64_t issued = 100) {
    tam::TokenRecord t;
    t.token = Bytes(16, n);
    t.purpose = tam::TokenPurpose::kQueryRequest;
    t.device_id = std::move(device);
    t.issued_at = issued;
    t.expires_at = issued + 3600;
    t.data_items.trusted_components = true;
    t.challenge = Bytes{1, 2, 3};
    return t;
  }
  static tam::DeviceStatus Status() {
    tam::DeviceStatus s;
    s.installed.push_back(agent::InstalledTc{suit::MakeComponentId({"TEEP-Device", "hello"}), 2,
                                             Bytes{0x82, 0x2f, 0x58}});
    s.installed.push_back(
        agent::InstalledTc{suit::MakeComponentId({"no-seq"}), std::nullopt, Bytes{}});
    teep::RequestedTcInfo requested;
    requested.component_id = {Bytes{1}, Bytes{2, 3}};
    requested.tc_manifest_sequence_number = 4;
    requested.have_binary = false;
    requested.extensions.push_back(teep::Extension{77, Bytes{0xf6}});
    s.requested.push_back(requested);
    s.unneeded.push_back(suit::MakeComponentId({"old"}));
    s.suite = teep::CipherSuite::Sign1(teep::kAlgESP256);
    s.last_contact = 1714560000;
    s.last_result = tam::LastResult::kError;
    s.last_error_code = 11;
    s.last_error_message = "disk-full";
    s.appraisal = tam::AppraisalRecord{true, 1714560001, "affirming", Bytes{9, 9}};
    return s;
  }

  static tam::TamTransaction Issue(tam::TokenRecord token) {
    tam::TamTransaction txn;
    txn.issue_token = std::move(token);
    return txn;
  }
  static tam::TamTransaction Consume(Bytes token, std::optional<Bytes> device = std::nullopt) {
    tam::TamTransaction txn;
    txn.device = std::move(device);
    txn.consume_token = std::move(token);
    return txn;
  }
  static tam::TamTransaction Everything(uint8_t token, tam::DesiredState desired) {
    tam::TamTransaction txn;
    txn.device = Bytes(32, 1);
    txn.issue_token = Token(token, Bytes(32, 1));
    txn.status = Status();
    txn.desired = std::move(desired);
    return txn;
  }

  std::unique_ptr<SqlTamStore> store_;
};

TEST_P(SqlTamStoreTest, DevicesPutFindListAndRemove) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(2)));
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  auto found = store_->FindDevice(Bytes(32, 1));
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, Device(1));
  auto all = store_->ListDevices();
  TEEPNET_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], Device(1));  // ordered by id
  TEEPNET_ASSERT_OK(store_->RemoveDevice(Bytes(32, 1)));
  auto gone = store_->FindDevice(Bytes(32, 1));
  TEEPNET_ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(FailsWith(store_->RemoveDevice(Bytes(32, 1)), Errc::kNotFound));
}

TEST_P(SqlTamStoreTest, ReEnrollingKeepsTheDevicesState) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  tam::DesiredState desired{{{suit::MakeComponentId({"a"}), 3}}, {}};
  TEEPNET_ASSERT_OK(store_->SetDesiredState(Bytes(32, 1), desired));
  tam::DeviceRecord relabelled = Device(1);
  relabelled.label = "sim-tdx";
  TEEPNET_ASSERT_OK(store_->PutDevice(relabelled));
  auto kept = store_->GetDesiredState(Bytes(32, 1));
  TEEPNET_ASSERT_OK(kept);
  EXPECT_EQ(*kept, desired);
  auto found = store_->FindDevice(Bytes(32, 1));
  TEEPNET_ASSERT_OK(found);
  EXPECT_EQ((*found)->label, "sim-tdx");
}

TEST_P(SqlTamStoreTest, LatestPackageHasTheHighestSequenceNumber) {
  TEEPNET_ASSERT_OK(store_->PutPackage(Package("hello", 2)));
  TEEPNET_ASSERT_OK(store_->PutPackage(Package("hello", 10)));
  TEEPNET_ASSERT_OK(store_->PutPackage(Package("hello", 9)));
  TEEPNET_ASSERT_OK(store_->PutPackage(Package("other", 99)));
  auto latest = store_->FindLatestPackage(suit::MakeComponentId({"TEEP-Device", "hello"}));
  TEEPNET_ASSERT_OK(latest);
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ(**latest, Package("hello", 10));
  auto exact = store_->FindPackage(suit::MakeComponentId({"TEEP-Device", "hello"}), 9);
  TEEPNET_ASSERT_OK(exact);
  EXPECT_EQ(**exact, Package("hello", 9));
  auto missing = store_->FindPackage(suit::MakeComponentId({"TEEP-Device", "hello"}), 3);
  TEEPNET_ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(SqlTamStoreTest, SequenceNumberAboveInt64FailsWithBadColumn) {
  EXPECT_TRUE(FailsWith(store_->PutPackage(Package("big", UINT64_MAX)), Errc::kBadColumn));
}

TEST_P(SqlTamStoreTest, DesiredStateForUnknownDeviceFailsWithNotFound) {
  EXPECT_TRUE(FailsWith(store_->SetDesiredState(Bytes(32, 7), {}), Errc::kNotFound));
  auto none = store_->GetDesiredState(Bytes(32, 7));
  TEEPNET_ASSERT_OK(none);
  EXPECT_EQ(*none, tam::DesiredState{});
}

TEST_P(SqlTamStoreTest, CommitAppliesEveryPartAtOnce) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(5, std::nullopt))));
  tam::TamTransaction txn;
  txn.device = Bytes(32, 1);
  txn.consume_token = Bytes(16, 5);
  txn.issue_token = Token(6, Bytes(32, 1));
  txn.status = Status();
  txn.desired = tam::DesiredState{{}, {suit::MakeComponentId({"old"})}};
  TEEPNET_ASSERT_OK(store_->Commit(txn));
  auto consumed = store_->FindToken(Bytes(16, 5));
  TEEPNET_ASSERT_OK(consumed);
  ASSERT_TRUE(consumed->has_value());
  EXPECT_TRUE((*consumed)->consumed);
  EXPECT_EQ((*consumed)->device_id, Bytes(32, 1));  // bound by the first valid response
  auto issued = store_->FindToken(Bytes(16, 6));
  TEEPNET_ASSERT_OK(issued);
  EXPECT_EQ(**issued, Token(6, Bytes(32, 1)));
  auto status = store_->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(status);
  EXPECT_EQ(**status, Status());
  auto desired = store_->GetDesiredState(Bytes(32, 1));
  TEEPNET_ASSERT_OK(desired);
  EXPECT_EQ(*desired, *txn.desired);
}

TEST_P(SqlTamStoreTest, ReplayedTokenRefusesTheWholeTransaction) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(5, Bytes(32, 1)))));
  TEEPNET_ASSERT_OK(store_->Commit(Consume(Bytes(16, 5), Bytes(32, 1))));
  tam::TamTransaction replay;
  replay.device = Bytes(32, 1);
  replay.consume_token = Bytes(16, 5);
  replay.issue_token = Token(6, Bytes(32, 1));
  replay.status = Status();
  EXPECT_TRUE(FailsWith(store_->Commit(replay), tam::Errc::kTokenReplayed));
  auto not_issued = store_->FindToken(Bytes(16, 6));
  TEEPNET_ASSERT_OK(not_issued);
  EXPECT_FALSE(not_issued->has_value());
  auto no_status = store_->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(no_status);
  EXPECT_FALSE(no_status->has_value());
}

TEST_P(SqlTamStoreTest, UnknownTokenFailsWithUnknownToken) {
  EXPECT_TRUE(FailsWith(store_->Commit(Consume(Bytes(16, 9))), tam::Errc::kUnknownToken));
}

TEST_P(SqlTamStoreTest, ReplicasRacingOnOneTokenHaveExactlyOneWinner) {
  // Each SqlTamStore opened on the URL has its own connections: four replicas.
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<SqlTamStore>> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    auto other = SqlTamStore::Open(url());
    TEEPNET_ASSERT_OK(other);
    replicas.push_back(std::move(other).value());
  }
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  for (uint8_t round = 1; round <= 5; ++round) {
    TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(round, std::nullopt))));
    std::atomic<int> wins{0};
    std::atomic<int> replayed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kReplicas; ++i) {
      threads.emplace_back([&, i] {
        // Each racer also writes status and a new token: the loser's must not land either.
        tam::TamTransaction txn = Consume(Bytes(16, round), Bytes(32, 1));
        txn.issue_token = Token(static_cast<uint8_t>(100 + round * 10 + i), Bytes(32, 1));
        txn.status = Status();
        ::teepnet::Status result = replicas[static_cast<size_t>(i)]->Commit(txn);
        if (result.ok()) {
          ++wins;
        } else if (result.error().Is(tam::Errc::kTokenReplayed)) {
          ++replayed;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wins.load(), 1) << "round " << int{round};
    EXPECT_EQ(replayed.load(), kReplicas - 1) << "round " << int{round};
    int issued = 0;
    for (int i = 0; i < kReplicas; ++i) {
      auto t = store_->FindToken(Bytes(16, static_cast<uint8_t>(100 + round * 10 + i)));
      TEEPNET_ASSERT_OK(t);
      issued += t->has_value() ? 1 : 0;
    }
    EXPECT_EQ(issued, 1) << "only the winner's new token exists";
  }
}

TEST_P(SqlTamStoreTest, ConcurrentStepsOnOneStoreEachCommitAllOrNothing) {
  // Many threads committing through one store at once (on SQLite they share group-commit
  // batches): half race on one token, half consume tokens of their own. Exactly one racer
  // wins and no loser's new token lands; every owner of its own token succeeds.
  constexpr int kThreads = 16;
  SqlTamStoreOptions no_cap;
  no_cap.max_tokens_per_device = 0;  // the per-device cap would evict tokens mid-race
  Reopen(no_cap);
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  for (uint8_t round = 1; round <= 5; ++round) {
    const uint8_t shared = static_cast<uint8_t>(round * 40);
    TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(shared, Bytes(32, 1)))));
    for (int i = 0; i < kThreads / 2; ++i) {
      TEEPNET_ASSERT_OK(
          store_->Commit(Issue(Token(static_cast<uint8_t>(shared + 1 + i), Bytes(32, 1)))));
    }
    std::atomic<int> racer_wins{0};
    std::atomic<int> racer_replayed{0};
    std::atomic<int> owner_wins{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        const bool racer = i % 2 == 0;
        const uint8_t mine = static_cast<uint8_t>(racer ? shared : shared + 1 + i / 2);
        tam::TamTransaction txn = Consume(Bytes(16, mine), Bytes(32, 1));
        txn.issue_token = Token(static_cast<uint8_t>(shared + 20 + i), Bytes(32, 1));
        start.arrive_and_wait();
        ::teepnet::Status result = store_->Commit(txn);
        if (racer && result.ok()) ++racer_wins;
        if (racer && !result.ok() && result.error().Is(tam::Errc::kTokenReplayed)) {
          ++racer_replayed;
        }
        if (!racer && result.ok()) ++owner_wins;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(racer_wins.load(), 1) << "round " << int{round};
    EXPECT_EQ(racer_replayed.load(), kThreads / 2 - 1) << "round " << int{round};
    EXPECT_EQ(owner_wins.load(), kThreads / 2) << "round " << int{round};
    int racers_issued = 0;
    for (int i = 0; i < kThreads; ++i) {
      auto t = store_->FindToken(Bytes(16, static_cast<uint8_t>(shared + 20 + i)));
      TEEPNET_ASSERT_OK(t);
      if (i % 2 == 0) {
        racers_issued += t->has_value() ? 1 : 0;
      } else {
        EXPECT_TRUE(t->has_value()) << "owner " << i << " round " << int{round};
      }
    }
    EXPECT_EQ(racers_issued, 1) << "only the winning racer's new token exists";
  }
}

TEST_P(SqlTamStoreTest, EveryLookupSeesTheStepsCommittedBeforeIt) {
  // Lookups reuse prepared statements (and on SQLite run on reader connections): none may
  // answer from a snapshot older than the last commit.
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  for (uint8_t n = 1; n <= 20; ++n) {
    auto before = store_->FindToken(Bytes(16, n));
    TEEPNET_ASSERT_OK(before);
    EXPECT_FALSE(before->has_value()) << int{n};
    TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(n, Bytes(32, 1)))));
    auto issued = store_->FindToken(Bytes(16, n));
    TEEPNET_ASSERT_OK(issued);
    ASSERT_TRUE(issued->has_value()) << int{n};
    EXPECT_FALSE((*issued)->consumed);
    tam::TamTransaction step = Consume(Bytes(16, n), Bytes(32, 1));
    tam::DeviceStatus status = Status();
    status.last_contact = 1714560000 + n;
    step.status = status;
    TEEPNET_ASSERT_OK(store_->Commit(step));
    auto consumed = store_->FindToken(Bytes(16, n));
    TEEPNET_ASSERT_OK(consumed);
    ASSERT_TRUE(consumed->has_value());
    EXPECT_TRUE((*consumed)->consumed) << int{n};
    auto now = store_->GetStatus(Bytes(32, 1));
    TEEPNET_ASSERT_OK(now);
    ASSERT_TRUE(now->has_value());
    EXPECT_EQ((*now)->last_contact, 1714560000 + n);
  }
}

TEST_P(SqlTamStoreTest, EvictionBreaksTiesInIssueOrder) {
  SqlTamStoreOptions options;
  options.max_tokens_per_device = 2;
  Reopen(options);
  for (uint8_t n : {9, 4, 7}) {  // same issued_at; issue order differs from token order
    TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(n, Bytes(32, 1), 100))));
  }
  auto first = store_->FindToken(Bytes(16, 9));
  TEEPNET_ASSERT_OK(first);
  EXPECT_FALSE(first->has_value());
  for (uint8_t n : {4, 7}) {
    auto kept = store_->FindToken(Bytes(16, n));
    TEEPNET_ASSERT_OK(kept);
    EXPECT_TRUE(kept->has_value());
  }
}

TEST_P(SqlTamStoreTest, ConsumedTokensDoNotCountTowardsTheCap) {
  SqlTamStoreOptions options;
  options.max_tokens_per_device = 1;
  Reopen(options);
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(1, Bytes(32, 1), 100))));
  TEEPNET_ASSERT_OK(store_->Commit(Consume(Bytes(16, 1), Bytes(32, 1))));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(2, Bytes(32, 1), 101))));
  auto consumed = store_->FindToken(Bytes(16, 1));
  TEEPNET_ASSERT_OK(consumed);
  ASSERT_TRUE(consumed->has_value());
  EXPECT_TRUE((*consumed)->consumed);
}

TEST_P(SqlTamStoreTest, IssuingBeyondTheCapEvictsTheOldestOutstandingToken) {
  SqlTamStoreOptions options;
  options.max_tokens_per_device = 2;
  Reopen(options);
  for (uint8_t n = 1; n <= 3; ++n) {
    TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(n, Bytes(32, 1), 100 + n))));
  }
  auto oldest = store_->FindToken(Bytes(16, 1));
  TEEPNET_ASSERT_OK(oldest);
  EXPECT_FALSE(oldest->has_value());
  for (uint8_t n = 2; n <= 3; ++n) {
    auto kept = store_->FindToken(Bytes(16, n));
    TEEPNET_ASSERT_OK(kept);
    EXPECT_TRUE(kept->has_value());
  }
}

TEST_P(SqlTamStoreTest, PurgeDeletesOnlyExpiredTokens) {
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(1, std::nullopt, 100))));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(2, std::nullopt, 5000))));
  auto purged = store_->PurgeTokens(100 + 3600);
  TEEPNET_ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1u);
  auto kept = store_->FindToken(Bytes(16, 2));
  TEEPNET_ASSERT_OK(kept);
  EXPECT_TRUE(kept->has_value());
}

TEST_P(SqlTamStoreTest, StateSurvivesCloseAndReopen) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  TEEPNET_ASSERT_OK(store_->PutPackage(Package("hello", 4)));
  TEEPNET_ASSERT_OK(store_->Commit(Everything(
      3, tam::DesiredState{{{suit::MakeComponentId({"TEEP-Device", "hello"}), 4}}, {}})));
  Reopen();
  auto device = store_->FindDevice(Bytes(32, 1));
  TEEPNET_ASSERT_OK(device);
  EXPECT_EQ(**device, Device(1));
  auto package = store_->FindLatestPackage(suit::MakeComponentId({"TEEP-Device", "hello"}));
  TEEPNET_ASSERT_OK(package);
  EXPECT_EQ(**package, Package("hello", 4));
  auto status = store_->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(status);
  EXPECT_EQ(**status, Status());
  auto token = store_->FindToken(Bytes(16, 3));
  TEEPNET_ASSERT_OK(token);
  EXPECT_EQ(**token, Token(3, Bytes(32, 1)));
  auto desired = store_->GetDesiredState(Bytes(32, 1));
  TEEPNET_ASSERT_OK(desired);
  EXPECT_EQ(desired->install.size(), 1u);
}

TEST_P(SqlTamStoreTest, RemovingADeviceDeletesItsStateAndTokens) {
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  TEEPNET_ASSERT_OK(store_->Commit(Everything(3, tam::DesiredState{})));
  TEEPNET_ASSERT_OK(store_->RemoveDevice(Bytes(32, 1)));
  TEEPNET_ASSERT_OK(store_->PutDevice(Device(1)));
  auto status = store_->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(status);
  EXPECT_FALSE(status->has_value());
  auto token = store_->FindToken(Bytes(16, 3));
  TEEPNET_ASSERT_OK(token);
  EXPECT_FALSE(token->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTamStoreTest, ::testing::ValuesIn(kBackends), BackendName);

}  // namespace
}  // namespace teepnet::store
