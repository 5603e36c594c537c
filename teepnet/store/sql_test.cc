// The neutral SQL layer (sql.h) on both backends, plus the dialect rewrite and URL parsing.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "teepnet/store/connection_pool.h"
#include "teepnet/store/errc.h"
#include "teepnet/store/sql.h"
#include "teepnet/store/sql_dialect.h"
#include "teepnet/store/sql_migrations.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;
using testing::BackendName;
using testing::BackendTest;
using testing::kBackends;

TEST(SqlDialect, RewritesPlaceholdersAndTypesForPostgresOnly) {
  std::string sql =
      "CREATE TABLE t ({{rowid}} id {{serial}}, b BLOB, n INTEGER); "
      "SELECT 'BLOB ?1', \"INTEGER\" FROM t WHERE b = ?1 AND n > ?12";
  EXPECT_EQ(TranslateSql(Dialect::kPostgres, sql),
            "CREATE TABLE t (rowid BIGINT GENERATED ALWAYS AS IDENTITY, id BIGINT GENERATED "
            "ALWAYS AS IDENTITY PRIMARY KEY, b BYTEA, n BIGINT); SELECT 'BLOB ?1', \"INTEGER\" "
            "FROM t WHERE b = $1 AND n > $12");
  EXPECT_EQ(TranslateSql(Dialect::kSqlite, sql),
            "CREATE TABLE t ( id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB, n INTEGER); "
            "SELECT 'BLOB ?1', \"INTEGER\" FROM t WHERE b = ?1 AND n > ?12");
}

TEST(SqlDialect, LeavesWordsThatOnlyContainATypeNameAlone) {
  EXPECT_EQ(TranslateSql(Dialect::kPostgres, "SELECT blob_id, INTEGERS, x_BLOB FROM t"),
            "SELECT blob_id, INTEGERS, x_BLOB FROM t");
}

TEST(StoreUrl, AcceptsSqlitePathsAndPostgresUrls) {
  auto bare = ParseStoreUrl("/var/lib/moc/moc.db");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->dialect, Dialect::kSqlite);
  EXPECT_EQ(bare->target, "/var/lib/moc/moc.db");
  auto prefixed = ParseStoreUrl("sqlite:relative/moc.db");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->target, "relative/moc.db");
  for (const char* url : {"postgres://moc@127.0.0.1:5432/moc", "postgresql://moc@db/moc"}) {
    auto pg = ParseStoreUrl(url);
    ASSERT_TRUE(pg.ok()) << url;
    EXPECT_EQ(pg->dialect, Dialect::kPostgres);
    EXPECT_EQ(pg->target, url);
  }
}

TEST(StoreUrl, RefusesUnknownSchemesAndEmptyPaths) {
  EXPECT_TRUE(FailsWith(ParseStoreUrl("mysql://db/moc"), Errc::kBadUrl));
  EXPECT_TRUE(FailsWith(ParseStoreUrl("sqlite:"), Errc::kBadUrl));
  EXPECT_TRUE(FailsWith(ParseStoreUrl("sqlite:///x.db"), Errc::kBadUrl));
  EXPECT_TRUE(FailsWith(ParseStoreUrl(""), Errc::kBadUrl));
}

TEST(StoreErrc, BusyAndSerializationFailuresAskForARetryOfTheTransaction) {
  EXPECT_EQ(Error(Errc::kBusy, "x").code(), Code::kAborted);
  EXPECT_EQ(Error(Errc::kSerializationFailure, "x").code(), Code::kAborted);
  EXPECT_EQ(Error(Errc::kConnectionFailed, "x").code(), Code::kUnavailable);
}

class SqlTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto pool = OpenPool(url());
    ASSERT_TRUE(pool.ok()) << pool.error().ToString();
    pool_ = std::move(pool).value();
  }
  void TearDown() override {
    pool_.reset();
    BackendTest::TearDown();
  }
  ConnectionPool::Lease Connection() {
    auto lease = pool_->Acquire();
    EXPECT_TRUE(lease.ok()) << lease.error().ToString();
    return std::move(lease).value();
  }
  void CreateTable(SqlConnection& c) {
    ASSERT_TRUE(c.Exec("CREATE TABLE items ({{rowid}} id INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL UNIQUE, data BLOB, n INTEGER)")
                    .ok());
  }

  std::unique_ptr<ConnectionPool> pool_;
};

TEST_P(SqlTest, ValuesRoundTripWithTheirTypes) {
  auto c = Connection();
  CreateTable(*c);
  auto insert = c->Prepare("INSERT INTO items (id, name, data, n) VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.ok()) << insert.error().ToString();
  const Bytes blob = {0x00, 0xff, 0x27, 0x00, 0x5c};
  ASSERT_TRUE((*insert)->BindInt(1, 1).ok());
  ASSERT_TRUE((*insert)->BindText(2, "it's \"quoted\" ünï").ok());
  ASSERT_TRUE((*insert)->BindBlob(3, blob).ok());
  ASSERT_TRUE((*insert)->BindInt(4, std::numeric_limits<int64_t>::min()).ok());
  ASSERT_TRUE((*insert)->Run().ok());
  EXPECT_EQ((*insert)->Changes(), 1);
  (*insert)->Reset();
  ASSERT_TRUE((*insert)->BindInt(1, 2).ok());
  ASSERT_TRUE((*insert)->BindText(2, "").ok());
  ASSERT_TRUE((*insert)->BindBlob(3, Bytes{}).ok());
  ASSERT_TRUE((*insert)->BindNull(4).ok());
  ASSERT_TRUE((*insert)->Run().ok());

  auto select = c->Prepare("SELECT name, data, n FROM items ORDER BY id");
  ASSERT_TRUE(select.ok());
  auto row = (*select)->Step();
  ASSERT_TRUE(row.ok() && *row) << (row.ok() ? "" : row.error().ToString());
  EXPECT_EQ((*select)->ColumnText(0), "it's \"quoted\" ünï");
  EXPECT_EQ((*select)->ColumnBlob(1), blob);
  EXPECT_EQ((*select)->ColumnInt(2), std::numeric_limits<int64_t>::min());
  row = (*select)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*select)->ColumnText(0), "");
  // An empty blob is a value, not NULL.
  EXPECT_FALSE((*select)->IsNull(1));
  EXPECT_TRUE((*select)->ColumnBlob(1).empty());
  EXPECT_TRUE((*select)->IsNull(2));
  row = (*select)->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_P(SqlTest, SmallIntegerResultsReadAsInt64) {
  auto c = Connection();
  auto s = c->Prepare("SELECT 1, -2, COUNT(*) FROM (SELECT 1 AS x) AS one");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto row = (*s)->Step();
  ASSERT_TRUE(row.ok() && *row) << (row.ok() ? "" : row.error().ToString());
  EXPECT_EQ((*s)->ColumnInt(0), 1);
  EXPECT_EQ((*s)->ColumnInt(1), -2);
  EXPECT_EQ((*s)->ColumnInt(2), 1);
}

TEST_P(SqlTest, UniqueViolationFailsWithConstraint) {
  auto c = Connection();
  CreateTable(*c);
  ASSERT_TRUE(c->Exec("INSERT INTO items (id, name) VALUES (1, 'a')").ok());
  auto dup = c->Prepare("INSERT INTO items (id, name) VALUES (?1, ?2)");
  ASSERT_TRUE(dup.ok());
  ASSERT_TRUE((*dup)->BindInt(1, 2).ok());
  ASSERT_TRUE((*dup)->BindText(2, "a").ok());
  Status run = (*dup)->Run();
  EXPECT_TRUE(FailsWith(run, Errc::kConstraint)) << (run.ok() ? "ok" : run.error().ToString());
}

TEST_P(SqlTest, BadSqlFailsWithSqlError) {
  auto c = Connection();
  auto s = c->Prepare("SELEC nothing");
  Status status = s.ok() ? (*s)->Run() : Status(s.error());
  EXPECT_TRUE(FailsWith(status, Errc::kSqlError));
}

TEST_P(SqlTest, UncommittedTransactionRollsBack) {
  auto c = Connection();
  CreateTable(*c);
  {
    auto txn = SqlTransaction::Begin(*c);
    ASSERT_TRUE(txn.ok()) << txn.error().ToString();
    ASSERT_TRUE(c->Exec("INSERT INTO items (id, name) VALUES (1, 'gone')").ok());
  }
  auto count = c->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.ok());
  auto row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*count)->ColumnInt(0), 0);
}

TEST_P(SqlTest, CommittingAfterAFailedStatementAppliesNothing) {
  auto c = Connection();
  CreateTable(*c);
  ASSERT_TRUE(c->Exec("INSERT INTO items (id, name) VALUES (1, 'a')").ok());
  auto txn = SqlTransaction::Begin(*c);
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(c->Exec("INSERT INTO items (id, name) VALUES (2, 'b')").ok());
  EXPECT_TRUE(
      FailsWith(c->Exec("INSERT INTO items (id, name) VALUES (3, 'a')"), Errc::kConstraint));
  // SQLite keeps the earlier insert in the open transaction, PostgreSQL aborts the whole
  // transaction; callers therefore return on the first error and never commit. If one does,
  // PostgreSQL must not report the silent rollback as success.
  Status commit = txn->Commit();
  auto count = c->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.ok());
  auto row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  if (GetParam() == Dialect::kPostgres) {
    EXPECT_FALSE(commit.ok());
    EXPECT_EQ((*count)->ColumnInt(0), 1);
  } else {
    EXPECT_TRUE(commit.ok());
    EXPECT_EQ((*count)->ColumnInt(0), 2);
  }
}

constexpr Migration kSteps[] = {
    {1, "CREATE TABLE a ({{rowid}} id INTEGER PRIMARY KEY, b BLOB NOT NULL)"},
    {2, "ALTER TABLE a ADD COLUMN c TEXT; CREATE TABLE d (e {{serial}}, f TEXT)"},
};

TEST_P(SqlTest, MigrationsApplyOnceAndInOrder) {
  auto c = Connection();
  ASSERT_TRUE(Migrate(*c, std::span(kSteps).first(1)).ok());
  auto v1 = SchemaVersion(*c);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(*v1, 1);
  Status again = Migrate(*c, kSteps);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  ASSERT_TRUE(Migrate(*c, kSteps).ok());
  auto v2 = SchemaVersion(*c);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 2);
  // The serial column numbers rows by itself.
  ASSERT_TRUE(c->Exec("INSERT INTO d (f) VALUES ('x'); INSERT INTO d (f) VALUES ('y')").ok());
  auto s = c->Prepare("SELECT e FROM d WHERE f = ?1");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->BindText(1, "y").ok());
  auto row = (*s)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*s)->ColumnInt(0), 2);
}

TEST_P(SqlTest, SchemaFromANewerBuildIsRefused) {
  auto c = Connection();
  ASSERT_TRUE(Migrate(*c, kSteps).ok());
  EXPECT_TRUE(FailsWith(Migrate(*c, std::span(kSteps).first(1)), Errc::kSchemaTooNew));
}

TEST_P(SqlTest, AFailingMigrationStepIsRolledBack) {
  auto c = Connection();
  constexpr Migration kBroken[] = {{1, "CREATE TABLE ok1 (x INTEGER); CREATE TABLE ok1 (y TEXT)"}};
  EXPECT_TRUE(FailsWith(Migrate(*c, kBroken), Errc::kMigrationFailed));
  auto version = SchemaVersion(*c);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 0);
  EXPECT_TRUE(c->Exec("CREATE TABLE ok1 (z TEXT)").ok()) << "the first table was rolled back";
}

TEST_P(SqlTest, ReplicasMigratingTogetherApplyEachStepOnce) {
  // Separate pools are separate processes as far as the database can tell.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto pool = OpenPool(url());
      if (!pool.ok()) {
        ++failures;
        return;
      }
      auto c = (*pool)->Acquire();
      if (!c.ok() || !Migrate(**c, kSteps).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto c = Connection();
  auto s = c->Prepare("SELECT COUNT(*), MAX(version) FROM schema_migrations");
  ASSERT_TRUE(s.ok());
  auto row = (*s)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*s)->ColumnInt(0), 2);
  EXPECT_EQ((*s)->ColumnInt(1), 2);
}

TEST_P(SqlTest, TwoConnectionsRacingOnOneCompareAndSetHaveExactlyOneWinner) {
  {
    auto c = Connection();
    ASSERT_TRUE(c->Exec("CREATE TABLE tok (t BLOB PRIMARY KEY, consumed INTEGER NOT NULL)").ok());
    auto insert = c->Prepare("INSERT INTO tok (t, consumed) VALUES (?1, 0)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE((*insert)->BindBlob(1, Bytes{0x01}).ok());
    ASSERT_TRUE((*insert)->Run().ok());
  }
  for (int round = 0; round < 5; ++round) {
    {
      auto c = Connection();
      ASSERT_TRUE(c->Exec("UPDATE tok SET consumed = 0").ok());
    }
    std::atomic<int> winners{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        // A pool per thread: its own connection, as a second replica would have.
        auto pool = OpenPool(url());
        if (!pool.ok()) {
          ++errors;
          return;
        }
        auto c = (*pool)->Acquire();
        if (!c.ok()) {
          ++errors;
          return;
        }
        auto txn = SqlTransaction::Begin(**c);
        if (!txn.ok()) {
          ++errors;
          return;
        }
        auto s = (*c)->Prepare("UPDATE tok SET consumed = 1 WHERE t = ?1 AND consumed = 0");
        if (!s.ok() || !(*s)->BindBlob(1, Bytes{0x01}).ok() || !(*s)->Run().ok()) {
          ++errors;
          return;
        }
        int64_t changed = (*s)->Changes();
        if (!txn->Commit().ok()) {
          ++errors;
          return;
        }
        if (changed == 1) ++winners;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0) << "round " << round;
    EXPECT_EQ(winners.load(), 1) << "round " << round;
  }
}

TEST_P(SqlTest, DeadlockedTransactionFailsWithARetryableCode) {
  if (GetParam() == Dialect::kSqlite) {
    GTEST_SKIP() << "SQLite has one writer at a time (BEGIN IMMEDIATE): no lock cycles";
  }
  {
    auto c = Connection();
    CreateTable(*c);
    ASSERT_TRUE(c->Exec("INSERT INTO items (id, name) VALUES (1, 'a'); "
                        "INSERT INTO items (id, name) VALUES (2, 'b')")
                    .ok());
  }
  auto other_pool = OpenPool(url());
  ASSERT_TRUE(other_pool.ok());
  auto a = pool_->Acquire();
  auto b = (*other_pool)->Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto ta = SqlTransaction::Begin(**a);
  auto tb = SqlTransaction::Begin(**b);
  ASSERT_TRUE(ta.ok() && tb.ok());
  // a locks row 1, b locks row 2, then each wants the other's row: a cycle the server breaks
  // by failing one of them with 40P01.
  ASSERT_TRUE((*a)->Exec("UPDATE items SET n = 1 WHERE id = 1").ok());
  ASSERT_TRUE((*b)->Exec("UPDATE items SET n = 1 WHERE id = 2").ok());
  Status from_a;
  // Each side ends its transaction when its statement fails, releasing its locks, so the
  // survivor finishes whichever side the server picks.
  std::thread thread([&] {
    from_a = (*a)->Exec("UPDATE items SET n = 2 WHERE id = 2");
    if (!from_a.ok()) (void)ta->Rollback();
  });
  Status from_b = (*b)->Exec("UPDATE items SET n = 2 WHERE id = 1");
  if (!from_b.ok()) (void)tb->Rollback();
  thread.join();
  ASSERT_NE(from_a.ok(), from_b.ok()) << "exactly one of the two must fail";
  const Status& failed = from_a.ok() ? from_b : from_a;
  EXPECT_TRUE(FailsWith(failed, Errc::kSerializationFailure)) << failed.error().ToString();
  EXPECT_EQ(failed.error().code(), Code::kAborted);
}

TEST_P(SqlTest, PoolLendsEachConnectionToOneCallerAtATime) {
  // Eight threads share a pool of at most two connections, each running transactions of two
  // inserts. A connection lent to two threads at once would interleave their transactions
  // (nested BEGIN fails, one thread's ROLLBACK undoes the other's rows).
  PoolOptions options;
  options.max_connections = 2;
  auto pool = OpenPool(url(), options);
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  {
    auto c = (*pool)->Acquire();
    ASSERT_TRUE(c.ok());
    CreateTable(**c);
  }
  constexpr int kThreads = 8;
  constexpr int kTransactions = 10;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTransactions; ++i) {
        Status status = [&]() -> Status {
          TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, (*pool)->Acquire());
          TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
          for (int k = 0; k < 2; ++k) {
            TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare("INSERT INTO items (id, name) "
                                                        "VALUES (?1, ?2)"));
            int64_t id = (t * kTransactions + i) * 2 + k;
            TEEPNET_RETURN_IF_ERROR(s->BindInt(1, id));
            TEEPNET_RETURN_IF_ERROR(s->BindText(2, "row-" + std::to_string(id)));
            TEEPNET_RETURN_IF_ERROR(s->Run());
          }
          return txn.Commit();
        }();
        if (!status.ok()) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto c = (*pool)->Acquire();
  ASSERT_TRUE(c.ok());
  auto count = (*c)->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.ok());
  auto row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*count)->ColumnInt(0), kThreads * kTransactions * 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTest, ::testing::ValuesIn(kBackends), BackendName);

}  // namespace
}  // namespace teepnet::store
