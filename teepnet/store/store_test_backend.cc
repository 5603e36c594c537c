#include "teepnet/store/store_test_backend.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <utility>

#include "teepnet/store/errc.h"
#include "teepnet/store/pg_connection.h"

namespace teepnet::store::testing {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string RandomHex(size_t bytes) {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    out.push_back(kHex[v >> 4]);
    out.push_back(kHex[v & 0xf]);
  }
  return out;
}

}  // namespace

std::optional<std::string> PostgresServerUrl() {
  if (const char* url = std::getenv("TEEPNET_PG_URL"); url != nullptr && *url != '\0') {
    return std::string(url);
  }
  const char* file = std::getenv("TEEPNET_PG_URL_FILE");
  if (file == nullptr || *file == '\0') return std::nullopt;
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url)) return std::nullopt;
  url = Trim(url);
  if (url.empty()) return std::nullopt;
  return url;
}

bool PostgresOptedOut() {
  const char* v = std::getenv("TEEPNET_NO_POSTGRES");
  return v != nullptr && std::string_view(v) == "1";
}

Result<TestDatabase> TestDatabase::Create(Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    std::string templ =
        (std::filesystem::temp_directory_path() / "teepnet-sqltest-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) return Error(Errc::kOpenFailed, "mkdtemp failed");
    return TestDatabase(dialect, "sqlite:" + templ + "/store.db", templ);
  }
  std::optional<std::string> server = PostgresServerUrl();
  if (!server) {
    return Error(Errc::kBadUrl,
                 "no PostgreSQL server: run the tests through ctest (fixture pg, "
                 "scripts/pg-test.sh) or set TEEPNET_PG_URL; TEEPNET_NO_POSTGRES=1 skips them");
  }
  std::string schema = "t_" + RandomHex(8);
  TEEPNET_ASSIGN_OR_RETURN(auto admin, ConnectPostgres(*server));
  TEEPNET_RETURN_IF_ERROR(admin->Exec("CREATE SCHEMA " + schema));
  std::string url = *server;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "options=-c%20search_path%3D" + schema;
  return TestDatabase(dialect, url, schema);
}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : dialect_(other.dialect_),
      url_(std::move(other.url_)),
      cleanup_(std::exchange(other.cleanup_, std::string())) {}

TestDatabase::~TestDatabase() {
  if (cleanup_.empty()) return;
  if (dialect_ == Dialect::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(cleanup_, ec);
    return;
  }
  if (std::optional<std::string> server = PostgresServerUrl()) {
    auto admin = ConnectPostgres(*server);
    if (admin.ok()) (void)(*admin)->Exec("DROP SCHEMA " + cleanup_ + " CASCADE");
  }
}

}  // namespace teepnet::store::testing
