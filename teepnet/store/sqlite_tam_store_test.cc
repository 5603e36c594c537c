#include "teepnet/store/sqlite_tam_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "teepnet/store/errc.h"
#include "teepnet/tam/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;

class SqliteTamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "teepnet-tamdb-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen(SqliteTamStoreOptions options = {}) {
    store_.reset();
    auto opened = SqliteTamStore::Open(dir_ + "/moc.db", options);
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

  std::string dir_;
  std::unique_ptr<SqliteTamStore> store_;
};

TEST_F(SqliteTamStoreTest, DevicesPutFindListAndRemove) {
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

TEST_F(SqliteTamStoreTest, ReEnrollingKeepsTheDevicesState) {
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

TEST_F(SqliteTamStoreTest, LatestPackageHasTheHighestSequenceNumber) {
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

TEST_F(SqliteTamStoreTest, SequenceNumberAboveInt64FailsWithBadColumn) {
  EXPECT_TRUE(FailsWith(store_->PutPackage(Package("big", UINT64_MAX)), Errc::kBadColumn));
}

TEST_F(SqliteTamStoreTest, DesiredStateForUnknownDeviceFailsWithNotFound) {
  EXPECT_TRUE(FailsWith(store_->SetDesiredState(Bytes(32, 7), {}), Errc::kNotFound));
  auto none = store_->GetDesiredState(Bytes(32, 7));
  TEEPNET_ASSERT_OK(none);
  EXPECT_EQ(*none, tam::DesiredState{});
}

TEST_F(SqliteTamStoreTest, CommitAppliesEveryPartAtOnce) {
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

TEST_F(SqliteTamStoreTest, ReplayedTokenRefusesTheWholeTransaction) {
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

TEST_F(SqliteTamStoreTest, UnknownTokenFailsWithUnknownToken) {
  EXPECT_TRUE(FailsWith(store_->Commit(Consume(Bytes(16, 9))), tam::Errc::kUnknownToken));
}

TEST_F(SqliteTamStoreTest, ConcurrentConsumersOfOneTokenHaveExactlyOneWinner) {
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(5, std::nullopt))));
  // A second connection to the same file stands for a second replica.
  auto other = SqliteTamStore::Open(dir_ + "/moc.db");
  TEEPNET_ASSERT_OK(other);
  std::atomic<int> wins{0};
  auto consume = [&](tam::TamStore& s) {
    if (s.Commit(Consume(Bytes(16, 5))).ok()) ++wins;
  };
  std::thread a([&] { consume(*store_); });
  std::thread b([&] { consume(**other); });
  a.join();
  b.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_F(SqliteTamStoreTest, IssuingBeyondTheCapEvictsTheOldestOutstandingToken) {
  SqliteTamStoreOptions options;
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

TEST_F(SqliteTamStoreTest, PurgeDeletesOnlyExpiredTokens) {
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(1, std::nullopt, 100))));
  TEEPNET_ASSERT_OK(store_->Commit(Issue(Token(2, std::nullopt, 5000))));
  auto purged = store_->PurgeTokens(100 + 3600);
  TEEPNET_ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1u);
  auto kept = store_->FindToken(Bytes(16, 2));
  TEEPNET_ASSERT_OK(kept);
  EXPECT_TRUE(kept->has_value());
}

TEST_F(SqliteTamStoreTest, StateSurvivesCloseAndReopen) {
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

TEST_F(SqliteTamStoreTest, RemovingADeviceDeletesItsStateAndTokens) {
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

}  // namespace
}  // namespace teepnet::store
