// gtest fixture base for suites that run against both store backends (store_test_backend.h).
#ifndef TEEPNET_STORE_STORE_BACKEND_FIXTURE_H_
#define TEEPNET_STORE_STORE_BACKEND_FIXTURE_H_

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

#include "teepnet/store/store_test_backend.h"

namespace teepnet::store::testing {

class BackendTest : public ::testing::TestWithParam<Dialect> {
 protected:
  // Derived SetUp: call this first, then return when IsSkipped() || HasFatalFailure().
  void SetUp() override {
    if (GetParam() == Dialect::kPostgres && !PostgresServerUrl()) {
      if (PostgresOptedOut()) {
        GTEST_SKIP() << "TEEPNET_NO_POSTGRES=1: PostgreSQL store tests skipped";
      }
      FAIL() << "no PostgreSQL server URL: run through ctest (fixture pg starts one with "
                "scripts/pg-test.sh), set TEEPNET_PG_URL, or set TEEPNET_NO_POSTGRES=1 to skip";
    }
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.error().ToString();
    db_.emplace(std::move(db).value());
  }
  void TearDown() override { db_.reset(); }

  const std::string& url() const { return db_->url(); }

 private:
  std::optional<TestDatabase> db_;
};

inline std::string BackendName(const ::testing::TestParamInfo<Dialect>& info) {
  return std::string(DialectName(info.param));
}

}  // namespace teepnet::store::testing

namespace teepnet::store {
// Readable parameter values in gtest output ("postgres" instead of a byte dump).
inline void PrintTo(Dialect dialect, std::ostream* os) {
  *os << DialectName(dialect);
}
}  // namespace teepnet::store

#endif  // TEEPNET_STORE_STORE_BACKEND_FIXTURE_H_
