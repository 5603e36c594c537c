// SqlTamStore's device status and desired state columns on both backends: the schema-2
// migration from JSON rows (tam_state_conversion.h) and the group commit's failure isolation.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "teepnet/store/connection_pool.h"
#include "teepnet/store/errc.h"
#include "teepnet/store/sql_migrations.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/store/tam_state_json.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;
using testing::BackendName;
using testing::BackendTest;
using testing::kBackends;

tam::DeviceStatus SampleStatus(uint8_t n) {
  tam::DeviceStatus s;
  s.installed.push_back(
      agent::InstalledTc{suit::MakeComponentId({"TEEP-Device", "hello"}), n, Bytes{0x82, 0x2f}});
  teep::RequestedTcInfo requested;
  requested.component_id = {Bytes{1}, Bytes{2, n}};
  requested.have_binary = true;
  requested.extensions.push_back(teep::Extension{77, Bytes{0xf6}});
  s.requested.push_back(requested);
  s.unneeded.push_back(suit::MakeComponentId({"old"}));
  s.suite = teep::CipherSuite::Sign1(teep::kAlgESP256);
  s.last_contact = 1714560000 + n;
  s.last_result = tam::LastResult::kUpdateSent;
  s.last_error_message = "seen";
  s.appraisal = tam::AppraisalRecord{false, -1, "warning", Bytes{9, n}};
  return s;
}

class SqlTamStoreStateTest : public BackendTest {
 protected:
  // A database at schema version 1 holding device `n`'s status and desired state as JSON,
  // written the way version 1 of the store wrote them.
  void WriteVersion1Device(ConnectionPool& pool, uint8_t n, std::string_view status_json,
                           std::string_view desired_json) {
    auto c = pool.Acquire();
    TEEPNET_ASSERT_OK(c);
    // Schema version 1 as released: migrations are append-only, so its text never changes.
    TEEPNET_ASSERT_OK(Migrate(**c, SqlTamStore::Schema().first(1)));
    auto device =
        (*c)->Prepare("INSERT INTO devices (device_id, agent_key, label) VALUES (?1, ?2, ?3)");
    TEEPNET_ASSERT_OK(device);
    TEEPNET_ASSERT_OK((*device)->BindBlob(1, Bytes(32, n)));
    TEEPNET_ASSERT_OK((*device)->BindBlob(2, Bytes{0xa1, n}));
    TEEPNET_ASSERT_OK((*device)->BindText(3, "v1"));
    TEEPNET_ASSERT_OK((*device)->Run());
    auto status = (*c)->Prepare("INSERT INTO device_status (device_id, status) VALUES (?1, ?2)");
    TEEPNET_ASSERT_OK(status);
    TEEPNET_ASSERT_OK((*status)->BindBlob(1, Bytes(32, n)));
    TEEPNET_ASSERT_OK((*status)->BindText(2, status_json));
    TEEPNET_ASSERT_OK((*status)->Run());
    auto desired = (*c)->Prepare("INSERT INTO desired_state (device_id, state) VALUES (?1, ?2)");
    TEEPNET_ASSERT_OK(desired);
    TEEPNET_ASSERT_OK((*desired)->BindBlob(1, Bytes(32, n)));
    TEEPNET_ASSERT_OK((*desired)->BindText(2, desired_json));
    TEEPNET_ASSERT_OK((*desired)->Run());
  }
};

TEST_P(SqlTamStoreStateTest, MigrationConvertsJsonRowsToTheBinaryColumns) {
  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  const tam::DesiredState desired{{{suit::MakeComponentId({"a", "b"}), 7}},
                                  {suit::MakeComponentId({"gone"})}};
  WriteVersion1Device(**pool, 1, EncodeDeviceStatus(SampleStatus(1)), EncodeDesiredState(desired));
  if (HasFatalFailure()) return;
  WriteVersion1Device(**pool, 2, EncodeDeviceStatus(tam::DeviceStatus{}),
                      EncodeDesiredState(tam::DesiredState{}));
  if (HasFatalFailure()) return;

  auto store = SqlTamStore::Open(url());
  TEEPNET_ASSERT_OK(store);
  auto status = (*store)->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(status);
  ASSERT_TRUE(status->has_value());
  EXPECT_EQ(**status, SampleStatus(1));
  auto got = (*store)->GetDesiredState(Bytes(32, 1));
  TEEPNET_ASSERT_OK(got);
  EXPECT_EQ(*got, desired);
  auto empty = (*store)->GetStatus(Bytes(32, 2));
  TEEPNET_ASSERT_OK(empty);
  ASSERT_TRUE(empty->has_value());
  EXPECT_EQ(**empty, tam::DeviceStatus{});

  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    auto version = SchemaVersion(**c);
    TEEPNET_ASSERT_OK(version);
    EXPECT_EQ(*version, SqlTamStore::CurrentSchemaVersion());
    // The JSON tables are gone.
    EXPECT_FALSE((*c)->Exec("SELECT 1 FROM device_status_json").ok());
    EXPECT_FALSE((*c)->Exec("SELECT 1 FROM desired_state_json").ok());
  }
  // A removed device still takes its converted state with it (the foreign key survived).
  TEEPNET_ASSERT_OK((*store)->RemoveDevice(Bytes(32, 1)));
  auto gone = (*store)->GetStatus(Bytes(32, 1));
  TEEPNET_ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_P(SqlTamStoreStateTest, AJsonRowThatDoesNotDecodeFailsTheMigrationAndKeepsVersion1) {
  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  WriteVersion1Device(**pool, 1, R"({"installed":"not a list"})", EncodeDesiredState({}));
  if (HasFatalFailure()) return;
  EXPECT_TRUE(FailsWith(SqlTamStore::Open(url()), Errc::kMigrationFailed));
  auto c = (*pool)->Acquire();
  TEEPNET_ASSERT_OK(c);
  auto version = SchemaVersion(**c);
  TEEPNET_ASSERT_OK(version);
  EXPECT_EQ(*version, 1);
  auto row = (*c)->Prepare("SELECT status FROM device_status");
  TEEPNET_ASSERT_OK(row);
  auto has = (*row)->Step();
  TEEPNET_ASSERT_OK(has);
  ASSERT_TRUE(*has);
  EXPECT_EQ((*row)->ColumnText(0), R"({"installed":"not a list"})");
}

TEST_P(SqlTamStoreStateTest, AFailedStepOfABatchFailsAloneAndEveryCallerGetsItsOwnResult) {
  // Concurrent steps (on SQLite they share group-commit batches): even threads write the
  // status of an enrolled device, odd ones of a device that is not enrolled. Every odd step
  // fails with kNotFound, every even one commits, in every round.
  constexpr int kThreads = 16;
  auto opened = SqlTamStore::Open(url());
  TEEPNET_ASSERT_OK(opened);
  SqlTamStore& store = **opened;
  for (int i = 0; i < kThreads; i += 2) {
    TEEPNET_ASSERT_OK(store.PutDevice(
        tam::DeviceRecord{Bytes(32, static_cast<uint8_t>(i)), Bytes{0xa1}, "even"}));
  }
  for (uint8_t round = 1; round <= 4; ++round) {
    std::atomic<int> committed{0};
    std::atomic<int> not_found{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        tam::TamTransaction txn;
        txn.device = Bytes(32, static_cast<uint8_t>(i));
        txn.status = SampleStatus(static_cast<uint8_t>(round * 16 + i));
        start.arrive_and_wait();
        ::teepnet::Status result = store.Commit(txn);
        if (i % 2 == 0 && result.ok()) ++committed;
        if (i % 2 == 1 && FailsWith(result, Errc::kNotFound)) ++not_found;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(committed.load(), kThreads / 2) << "round " << int{round};
    EXPECT_EQ(not_found.load(), kThreads / 2) << "round " << int{round};
    for (int i = 0; i < kThreads; i += 2) {
      auto s = store.GetStatus(Bytes(32, static_cast<uint8_t>(i)));
      TEEPNET_ASSERT_OK(s);
      ASSERT_TRUE(s->has_value());
      EXPECT_EQ(**s, SampleStatus(static_cast<uint8_t>(round * 16 + i))) << "device " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTamStoreStateTest, ::testing::ValuesIn(kBackends),
                         BackendName);

TEST(SqliteReadersTest, OnePoolLendsEveryReaderAtOnceAndSeesTheWritersCommits) {
  auto db = testing::TestDatabase::Create(Dialect::kSqlite);
  TEEPNET_ASSERT_OK(db);
  auto writer = OpenPool(db->url());
  TEEPNET_ASSERT_OK(writer);
  {
    auto w = (*writer)->Acquire();
    TEEPNET_ASSERT_OK(w);
    TEEPNET_ASSERT_OK((*w)->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)"));
  }
  auto readers = OpenSqliteReaders(db->url(), {}, 3);
  TEEPNET_ASSERT_OK(readers);
  // Three leases held together by one caller (a one-connection pool would wait forever here).
  std::vector<ConnectionPool::Lease> held;
  for (int i = 0; i < 3; ++i) {
    auto lease = (*readers)->Acquire();
    TEEPNET_ASSERT_OK(lease);
    held.push_back(std::move(lease).value());
  }
  for (ConnectionPool::Lease& lease : held) {
    auto s = lease->Prepare("SELECT x FROM t");
    TEEPNET_ASSERT_OK(s);
    auto row = (*s)->Step();
    TEEPNET_ASSERT_OK(row);
    ASSERT_TRUE(*row);
    EXPECT_EQ((*s)->ColumnInt(0), 7);
  }
}

TEST(SqliteReadersTest, RefusesPostgresAndZeroConnections) {
  EXPECT_TRUE(
      FailsWith(OpenSqliteReaders("postgres://teepnet@127.0.0.1:1/x", {}, 2), Errc::kBadUrl));
  auto db = testing::TestDatabase::Create(Dialect::kSqlite);
  TEEPNET_ASSERT_OK(db);
  EXPECT_TRUE(FailsWith(OpenSqliteReaders(db->url(), {}, 0), Errc::kBadUrl));
}

}  // namespace
}  // namespace teepnet::store
