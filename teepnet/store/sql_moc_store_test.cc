// The MocStore contract (moc/moc_store_contract.h) on SqlMocStore over SQLite and PostgreSQL,
// plus what only the SQL store has: its own migration ledger next to the TAM's tables.
#include "teepnet/store/sql_moc_store.h"

#include <gtest/gtest.h>

#include "teepnet/moc/moc_store_contract.h"
#include "teepnet/store/sql_migrations.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using moc::testing::MocStoreBackend;
using moc::testing::MocStoreBackendName;
using moc::testing::MocStoreContractTest;
using moc::testing::MocStoreHarness;

class SqlHarness final : public MocStoreHarness {
 public:
  static Result<std::unique_ptr<MocStoreHarness>> Make(Dialect dialect, std::string* skip) {
    if (dialect == Dialect::kPostgres && !testing::PostgresServerUrl()) {
      if (testing::PostgresOptedOut()) {
        *skip = "TEEPNET_NO_POSTGRES=1: PostgreSQL store tests skipped";
        return std::unique_ptr<MocStoreHarness>();
      }
      return Error(Code::kFailedPrecondition,
                   "no PostgreSQL server URL: run through ctest (fixture pg starts one with "
                   "scripts/pg-test.sh), set TEEPNET_PG_URL, or set TEEPNET_NO_POSTGRES=1");
    }
    TEEPNET_ASSIGN_OR_RETURN(testing::TestDatabase db, testing::TestDatabase::Create(dialect));
    auto harness = std::unique_ptr<SqlHarness>(new SqlHarness(std::move(db)));
    TEEPNET_RETURN_IF_ERROR(harness->Reopen());
    return std::unique_ptr<MocStoreHarness>(std::move(harness));
  }
  ~SqlHarness() override {
    // The stores hold connections to the database; close them before it is dropped.
    store_.reset();
    replica_.reset();
  }

  moc::MocStore& store() override { return *store_; }
  Status Reopen() override {
    store_.reset();
    TEEPNET_ASSIGN_OR_RETURN(store_, SqlMocStore::Open(db_.url()));
    return OkStatus();
  }
  // A second pool on the same database: another process's connections.
  Result<moc::MocStore*> Replica() override {
    if (!replica_) {
      TEEPNET_ASSIGN_OR_RETURN(replica_, SqlMocStore::Open(db_.url()));
    }
    return replica_.get();
  }

 private:
  explicit SqlHarness(testing::TestDatabase db) : db_(std::move(db)) {}
  testing::TestDatabase db_;
  std::unique_ptr<SqlMocStore> store_;
  std::unique_ptr<SqlMocStore> replica_;
};

Result<std::unique_ptr<MocStoreHarness>> MakeSqlite(std::string* skip) {
  return SqlHarness::Make(Dialect::kSqlite, skip);
}
Result<std::unique_ptr<MocStoreHarness>> MakePostgres(std::string* skip) {
  return SqlHarness::Make(Dialect::kPostgres, skip);
}

INSTANTIATE_TEST_SUITE_P(Sql, MocStoreContractTest,
                         ::testing::Values(MocStoreBackend{"sqlite", &MakeSqlite},
                                           MocStoreBackend{"postgres", &MakePostgres}),
                         MocStoreBackendName);

// What the SQL store adds to the contract.
class SqlMocStoreTest : public testing::BackendTest {};

TEST_P(SqlMocStoreTest, SharesADatabaseWithTheTamStoreWithoutMixingSchemaVersions) {
  // Either store may open the database first, and both open it again afterwards: neither
  // takes the other's recorded versions for a schema from a newer build.
  auto moc = SqlMocStore::Open(url());
  TEEPNET_ASSERT_OK(moc);
  auto tam = SqlTamStore::Open(url());
  TEEPNET_ASSERT_OK(tam);
  auto moc_again = SqlMocStore::Open(url());
  TEEPNET_ASSERT_OK(moc_again);
  auto tam_again = SqlTamStore::Open(url());
  TEEPNET_ASSERT_OK(tam_again);

  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  auto c = (*pool)->Acquire();
  TEEPNET_ASSERT_OK(c);
  auto tam_version = SchemaVersion(**c);
  TEEPNET_ASSERT_OK(tam_version);
  EXPECT_EQ(*tam_version, SqlTamStore::CurrentSchemaVersion());
  auto moc_version = SchemaVersion(**c, "moc_schema_migrations");
  TEEPNET_ASSERT_OK(moc_version);
  EXPECT_EQ(*moc_version, SqlMocStore::CurrentSchemaVersion());
}

TEST_P(SqlMocStoreTest, ReadsADamagedRequestRowAsAStoreFailure) {
  auto moc = SqlMocStore::Open(url());
  TEEPNET_ASSERT_OK(moc);
  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    TEEPNET_ASSERT_OK(
        (**c).Exec("INSERT INTO moc_requests (id, tenant_id, version, in_flight, body) "
                   "VALUES ('req-1', 'tnt-a', 1, 1, '{\"id\": 7}')"));
  }
  EXPECT_TRUE(teepnet::testing::FailsWith((*moc)->FindRequest("req-1"), moc::Errc::kStoreFailure));
}

// A database a build before idempotency keys wrote (schema version 2) moves forward to the
// current version when opened (keys, then the capacity columns), keeping what it holds.
TEST_P(SqlMocStoreTest, MigratesAVersion2DatabaseForwardToIdempotencyKeys) {
  {
    auto moc = SqlMocStore::Open(url());
    TEEPNET_ASSERT_OK(moc);
    moc::Request r;
    r.id = "req-1";
    r.tenant_id = "tnt-a";
    r.version = 1;
    moc::MocTransaction txn;
    txn.request = r;
    TEEPNET_ASSERT_OK((*moc)->Commit(txn));
    moc::DeviceCapacity d;
    d.device_id = "dev-1";
    d.architecture = moc::Architecture::kSgx;
    d.architecture_attested = true;
    d.instance_types = {moc::InstanceType::kProcess};
    d.slots_total = 2;
    TEEPNET_ASSERT_OK((*moc)->PutDeviceCapacity(d));
  }
  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    // Back to what version 2 left: no key table, no capacity columns of migration 4, no
    // record of migrations 3 and 4.
    TEEPNET_ASSERT_OK((**c).Exec("DROP TABLE moc_idempotency_keys"));
    for (const char* column : {"capacity_source", "slot_limit", "withheld_types"}) {
      TEEPNET_ASSERT_OK((**c).Exec(std::string("ALTER TABLE moc_devices DROP COLUMN ") + column));
    }
    TEEPNET_ASSERT_OK((**c).Exec("DELETE FROM moc_schema_migrations WHERE version >= 3"));
    auto version = SchemaVersion(**c, "moc_schema_migrations");
    TEEPNET_ASSERT_OK(version);
    ASSERT_EQ(*version, 2);
  }
  auto moc = SqlMocStore::Open(url());
  TEEPNET_ASSERT_OK(moc);
  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    auto version = SchemaVersion(**c, "moc_schema_migrations");
    TEEPNET_ASSERT_OK(version);
    EXPECT_EQ(*version, SqlMocStore::CurrentSchemaVersion());
  }
  auto kept = (*moc)->FindRequest("req-1");
  TEEPNET_ASSERT_OK(kept);
  EXPECT_TRUE(kept->has_value());
  // Migration 4: a device registered before capacity came from evidence is the operator's,
  // with no override.
  auto device = (*moc)->FindDevice("dev-1");
  TEEPNET_ASSERT_OK(device);
  ASSERT_TRUE(device->has_value());
  EXPECT_EQ((*device)->source, moc::CapacitySource::kOperator);
  EXPECT_FALSE((*device)->slot_limit.has_value());
  EXPECT_TRUE((*device)->withheld_types.empty());
  EXPECT_EQ((*device)->slots_total, 2u);
  moc::MocTransaction keyed;
  moc::Request r2;
  r2.id = "req-2";
  r2.tenant_id = "tnt-a";
  r2.version = 1;
  keyed.request = r2;
  keyed.idempotency = moc::IdempotencyRecord{"tnt-a", "k", Bytes(32, 1), "req-2", 5};
  TEEPNET_ASSERT_OK((*moc)->Commit(keyed));
  auto record = (*moc)->FindIdempotencyKey("tnt-a", "k");
  TEEPNET_ASSERT_OK(record);
  EXPECT_TRUE(record->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlMocStoreTest, ::testing::ValuesIn(testing::kBackends),
                         testing::BackendName);

}  // namespace
}  // namespace teepnet::store
