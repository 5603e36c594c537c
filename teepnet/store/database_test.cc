#include "teepnet/store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "teepnet/store/errc.h"
#include "teepnet/store/migrations.h"
#include "teepnet/store/transaction.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;

// A fresh directory per test, removed afterwards.
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "teepnet-db-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const char* name) const { return dir_ + "/" + name; }

  std::string dir_;
};

constexpr Migration kSchema[] = {
    {1, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data BLOB)"},
    {2, "ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0"},
};

TEST_F(DatabaseTest, OpensInWalModeWithForeignKeys) {
  auto db = Database::Open(Path("a.db"));
  TEEPNET_ASSERT_OK(db);
  auto mode = (*db)->JournalMode();
  TEEPNET_ASSERT_OK(mode);
  EXPECT_EQ(*mode, "wal");
  auto fk = (*db)->Prepare("PRAGMA foreign_keys");
  TEEPNET_ASSERT_OK(fk);
  auto row = fk->Step();
  TEEPNET_ASSERT_OK(row);
  EXPECT_EQ(fk->ColumnInt(0), 1);
}

TEST_F(DatabaseTest, BoundValuesRoundTripThroughColumns) {
  auto db = Database::Open(":memory:");
  TEEPNET_ASSERT_OK(db);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
  auto insert = (*db)->Prepare("INSERT INTO items (name, data, size) VALUES (?1, ?2, ?3)");
  TEEPNET_ASSERT_OK(insert);
  const Bytes blob = {0x00, 0xff, 0x10};
  TEEPNET_ASSERT_OK(insert->BindText(1, "first"));
  TEEPNET_ASSERT_OK(insert->BindBlob(2, blob));
  TEEPNET_ASSERT_OK(insert->BindInt(3, -5));
  TEEPNET_ASSERT_OK(insert->Run());
  insert->Reset();
  TEEPNET_ASSERT_OK(insert->BindText(1, "empty"));
  TEEPNET_ASSERT_OK(insert->BindBlob(2, Bytes{}));
  TEEPNET_ASSERT_OK(insert->BindNull(3));
  // size is NOT NULL: the constraint, not a silent default, decides.
  EXPECT_TRUE(FailsWith(insert->Run(), Errc::kConstraint));
  insert->Reset();
  TEEPNET_ASSERT_OK(insert->BindText(1, "empty"));
  TEEPNET_ASSERT_OK(insert->BindBlob(2, Bytes{}));
  TEEPNET_ASSERT_OK(insert->BindInt(3, 0));
  TEEPNET_ASSERT_OK(insert->Run());

  auto select = (*db)->Prepare("SELECT name, data, size FROM items ORDER BY id");
  TEEPNET_ASSERT_OK(select);
  auto row = select->Step();
  TEEPNET_ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(select->ColumnText(0), "first");
  EXPECT_EQ(select->ColumnBlob(1), blob);
  EXPECT_EQ(select->ColumnInt(2), -5);
  row = select->Step();
  TEEPNET_ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_FALSE(select->IsNull(1));  // an empty blob stays a blob, not NULL
  EXPECT_TRUE(select->ColumnBlob(1).empty());
  row = select->Step();
  TEEPNET_ASSERT_OK(row);
  EXPECT_FALSE(*row);
}

TEST_F(DatabaseTest, DuplicateUniqueKeyFailsWithConstraint) {
  auto db = Database::Open(":memory:");
  TEEPNET_ASSERT_OK(db);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
  TEEPNET_ASSERT_OK((*db)->Exec("INSERT INTO items (name) VALUES ('x')"));
  EXPECT_TRUE(FailsWith((*db)->Exec("INSERT INTO items (name) VALUES ('x')"), Errc::kConstraint));
}

TEST_F(DatabaseTest, SyntaxErrorFailsWithSqlError) {
  auto db = Database::Open(":memory:");
  TEEPNET_ASSERT_OK(db);
  EXPECT_TRUE(FailsWith((*db)->Prepare("SELEC 1"), Errc::kSqlError));
  EXPECT_TRUE(FailsWith((*db)->Prepare("SELECT 1; SELECT 2"), Errc::kSqlError));
}

TEST_F(DatabaseTest, UncommittedTransactionRollsBack) {
  auto db = Database::Open(Path("t.db"));
  TEEPNET_ASSERT_OK(db);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
  {
    auto txn = Transaction::Begin(**db);
    TEEPNET_ASSERT_OK(txn);
    TEEPNET_ASSERT_OK((*db)->Exec("INSERT INTO items (name) VALUES ('lost')"));
  }
  {
    auto txn = Transaction::Begin(**db);
    TEEPNET_ASSERT_OK(txn);
    TEEPNET_ASSERT_OK((*db)->Exec("INSERT INTO items (name) VALUES ('kept')"));
    TEEPNET_ASSERT_OK(txn->Commit());
  }
  auto count = (*db)->Prepare("SELECT group_concat(name) FROM items");
  TEEPNET_ASSERT_OK(count);
  TEEPNET_ASSERT_OK(count->Step());
  EXPECT_EQ(count->ColumnText(0), "kept");
}

TEST_F(DatabaseTest, CommittedRowsSurviveReopen) {
  {
    auto db = Database::Open(Path("p.db"));
    TEEPNET_ASSERT_OK(db);
    TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
    auto txn = Transaction::Begin(**db);
    TEEPNET_ASSERT_OK(txn);
    TEEPNET_ASSERT_OK((*db)->Exec("INSERT INTO items (name, size) VALUES ('durable', 7)"));
    TEEPNET_ASSERT_OK(txn->Commit());
  }
  auto db = Database::Open(Path("p.db"));
  TEEPNET_ASSERT_OK(db);
  auto version = SchemaVersion(**db);
  TEEPNET_ASSERT_OK(version);
  EXPECT_EQ(*version, 2);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));  // nothing left to apply
  auto s = (*db)->Prepare("SELECT size FROM items WHERE name = 'durable'");
  TEEPNET_ASSERT_OK(s);
  auto row = s->Step();
  TEEPNET_ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(s->ColumnInt(0), 7);
}

TEST_F(DatabaseTest, MigrationsApplyOnlyTheMissingSteps) {
  auto db = Database::Open(Path("m.db"));
  TEEPNET_ASSERT_OK(db);
  TEEPNET_ASSERT_OK(Migrate(**db, std::span(kSchema, 1)));
  auto v1 = SchemaVersion(**db);
  TEEPNET_ASSERT_OK(v1);
  EXPECT_EQ(*v1, 1);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
  auto v2 = SchemaVersion(**db);
  TEEPNET_ASSERT_OK(v2);
  EXPECT_EQ(*v2, 2);
  TEEPNET_EXPECT_OK((*db)->Exec("INSERT INTO items (name, size) VALUES ('n', 1)"));
}

TEST_F(DatabaseTest, DatabaseFromNewerBuildFailsWithSchemaTooNew) {
  auto db = Database::Open(Path("n.db"));
  TEEPNET_ASSERT_OK(db);
  TEEPNET_ASSERT_OK(Migrate(**db, kSchema));
  EXPECT_TRUE(FailsWith(Migrate(**db, std::span(kSchema, 1)), Errc::kSchemaTooNew));
}

TEST_F(DatabaseTest, FailingMigrationLeavesVersionUnchanged) {
  auto db = Database::Open(Path("f.db"));
  TEEPNET_ASSERT_OK(db);
  constexpr Migration kBroken[] = {
      {1, "CREATE TABLE a (x INTEGER)"},
      {2, "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)"},
  };
  EXPECT_TRUE(FailsWith(Migrate(**db, kBroken), Errc::kMigrationFailed));
  auto version = SchemaVersion(**db);
  TEEPNET_ASSERT_OK(version);
  EXPECT_EQ(*version, 1);
  // Step 2's first statement was rolled back with it.
  EXPECT_TRUE(FailsWith((*db)->Prepare("SELECT y FROM b"), Errc::kSqlError));
}

TEST_F(DatabaseTest, NonIncreasingMigrationVersionsFail) {
  auto db = Database::Open(":memory:");
  TEEPNET_ASSERT_OK(db);
  constexpr Migration kOutOfOrder[] = {{2, "SELECT 1"}, {1, "SELECT 1"}};
  EXPECT_TRUE(FailsWith(Migrate(**db, kOutOfOrder), Errc::kMigrationFailed));
}

TEST_F(DatabaseTest, FileThatIsNotADatabaseFailsWithCorrupt) {
  const std::string path = Path("junk.db");
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::string junk(4096, 'j');
  std::fwrite(junk.data(), 1, junk.size(), f);
  std::fclose(f);
  // Open reads the header (setting WAL mode), so a junk file is refused there.
  EXPECT_TRUE(FailsWith(Database::Open(path), Errc::kCorrupt));
}

TEST_F(DatabaseTest, MissingFileWithoutCreateFailsWithOpenFailed) {
  DatabaseOptions options;
  options.create = false;
  EXPECT_TRUE(FailsWith(Database::Open(Path("absent.db"), options), Errc::kOpenFailed));
}

TEST_F(DatabaseTest, SecondWriterWaitsThenFailsWithBusy) {
  DatabaseOptions options;
  options.busy_timeout_ms = 50;
  auto a = Database::Open(Path("busy.db"), options);
  auto b = Database::Open(Path("busy.db"), options);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  TEEPNET_ASSERT_OK(Migrate(**a, kSchema));
  auto held = Transaction::Begin(**a);
  TEEPNET_ASSERT_OK(held);
  EXPECT_TRUE(FailsWith(Transaction::Begin(**b), Errc::kBusy));
  TEEPNET_ASSERT_OK(held->Commit());
  TEEPNET_EXPECT_OK(Transaction::Begin(**b));
}

}  // namespace
}  // namespace teepnet::store
