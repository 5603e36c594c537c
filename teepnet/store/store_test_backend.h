// Test support: a fresh, empty store per test on either backend, so one test suite runs
// against SQLite and PostgreSQL alike (INSTANTIATE_TEST_SUITE_P over kBackends).
//
// PostgreSQL tests use the private server scripts/pg-test.sh starts (ctest fixture "pg"): its
// URL comes from TEEPNET_PG_URL, or from the file TEEPNET_PG_URL_FILE names. Each test gets its
// own schema (dropped afterwards) through libpq's options=-c search_path=... . Without a URL
// the PostgreSQL tests fail, unless TEEPNET_NO_POSTGRES=1 asks to skip them.
#ifndef TEEPNET_STORE_STORE_TEST_BACKEND_H_
#define TEEPNET_STORE_STORE_TEST_BACKEND_H_

#include <optional>
#include <string>

#include "teepnet/base/result.h"
#include "teepnet/store/sql.h"

namespace teepnet::store::testing {

inline constexpr Dialect kBackends[] = {Dialect::kSqlite, Dialect::kPostgres};

// The PostgreSQL server URL from the environment, if any.
std::optional<std::string> PostgresServerUrl();
// TEEPNET_NO_POSTGRES=1.
bool PostgresOptedOut();

class TestDatabase {
 public:
  // A new empty database: an SQLite file in a fresh temp dir, or a new schema on the server.
  // kBadUrl when PostgreSQL was asked for and no server URL is set.
  static Result<TestDatabase> Create(Dialect dialect);
  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  ~TestDatabase();

  // The URL to give OpenPool / SqlTamStore::Open; every open of it sees the same data.
  const std::string& url() const { return url_; }

 private:
  TestDatabase(Dialect dialect, std::string url, std::string cleanup)
      : dialect_(dialect), url_(std::move(url)), cleanup_(std::move(cleanup)) {}
  Dialect dialect_;
  std::string url_;
  std::string cleanup_;  // the temp dir, or the schema name (empty once moved from)
};

}  // namespace teepnet::store::testing

#endif  // TEEPNET_STORE_STORE_TEST_BACKEND_H_
