#include "teepnet/store/pg_connection.h"

#include <libpq-fe.h>

#include <optional>
#include <vector>

#include "teepnet/store/errc.h"
#include "teepnet/store/sql_dialect.h"

namespace teepnet::store {

namespace {

// Type OIDs from the PostgreSQL catalog (pg_type.dat); stable across server versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kVarcharOid = 1043;
constexpr int kBinary = 1;
// pg_advisory_lock key for schema migrations: "teepnet" in ASCII, any fixed value would do.
constexpr const char* kMigrationLockSql = "SELECT pg_advisory_lock(32483825846465908)";
constexpr const char* kMigrationUnlockSql = "SELECT pg_advisory_unlock(32483825846465908)";

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Error PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  std::string message(what);
  message += ": ";
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string text = result != nullptr ? Trimmed(PQresultErrorMessage(result)) : "";
  if (text.empty()) text = Trimmed(PQerrorMessage(conn));
  message += text;
  if (state == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return Error(Errc::kConnectionFailed, std::move(message));
  }
  std::string_view sqlstate(state);
  if (sqlstate.substr(0, 2) == "23") return Error(Errc::kConstraint, std::move(message));
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return Error(Errc::kSerializationFailure, std::move(message));
  }
  if (sqlstate == "55P03") return Error(Errc::kBusy, std::move(message));
  if (sqlstate.substr(0, 2) == "08" || sqlstate.substr(0, 3) == "57P") {
    return Error(Errc::kConnectionFailed, std::move(message));
  }
  if (sqlstate == "XX001" || sqlstate == "XX002") return Error(Errc::kCorrupt, std::move(message));
  return Error(Errc::kSqlError, std::move(message));
}

int64_t ReadBigEndian(const char* p, int size) {
  uint64_t v = 0;
  for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  // Sign-extend the 2- and 4-byte integers.
  if (size < 8 && size > 0 && (static_cast<uint8_t>(p[0]) & 0x80) != 0) {
    v |= ~uint64_t{0} << (8 * size);
  }
  return static_cast<int64_t>(v);
}

class PgStatement final : public SqlStatement {
 public:
  PgStatement(PGconn* conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}

  Status BindInt(int index, int64_t value) override {
    std::string be(8, '\0');
    uint64_t v = static_cast<uint64_t>(value);
    for (int i = 7; i >= 0; --i, v >>= 8) be[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    return Bind(index, kInt8Oid, std::move(be));
  }
  Status BindText(int index, std::string_view value) override {
    // PostgreSQL text cannot hold U+0000 (SQLite can); say so instead of a server error.
    if (value.find('\0') != std::string_view::npos) {
      return Error(Errc::kBadColumn, "bind $" + std::to_string(index) + ": text with a NUL byte");
    }
    return Bind(index, kTextOid, std::string(value));
  }
  Status BindBlob(int index, ByteView value) override {
    return Bind(index, kByteaOid, std::string(value.begin(), value.end()));
  }
  Status BindNull(int index) override { return Bind(index, 0, std::nullopt); }

  Result<bool> Step() override {
    if (!result_) TEEPNET_RETURN_IF_ERROR(Execute());
    ++row_;
    return row_ < PQntuples(result_.get());
  }
  int64_t Changes() const override { return changes_; }
  void Reset() override {
    result_.reset();
    values_.clear();
    types_.clear();
    row_ = -1;
    changes_ = 0;
  }

  bool IsNull(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }
  int64_t ColumnInt(int column) const override {
    if (IsNull(column)) return 0;
    return ReadBigEndian(PQgetvalue(result_.get(), row_, column),
                         PQgetlength(result_.get(), row_, column));
  }
  std::string ColumnText(int column) const override {
    if (IsNull(column)) return {};
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }
  Bytes ColumnBlob(int column) const override {
    if (IsNull(column)) return {};
    const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(result_.get(), row_, column));
    return Bytes(p, p + PQgetlength(result_.get(), row_, column));
  }

 private:
  Status Bind(int index, Oid type, std::optional<std::string> value) {
    if (index < 1 || index > 65535) {
      return Error(Errc::kSqlError, "bind $" + std::to_string(index) + ": index out of range");
    }
    if (result_) return Error(Errc::kSqlError, "bind after step without Reset");
    size_t slot = static_cast<size_t>(index - 1);
    if (values_.size() <= slot) {
      values_.resize(slot + 1);
      types_.resize(slot + 1, 0);
    }
    values_[slot] = std::move(value);
    types_[slot] = type;
    return OkStatus();
  }

  Status Execute() {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size(), 0);
    std::vector<int> formats(values_.size(), kBinary);
    for (size_t i = 0; i < values_.size(); ++i) {
      if (!values_[i]) continue;  // nullptr sends SQL NULL
      values[i] = values_[i]->data();
      lengths[i] = static_cast<int>(values_[i]->size());
    }
    result_ =
        ResultPtr(PQexecParams(conn_, sql_.c_str(), static_cast<int>(values_.size()), types_.data(),
                               values.data(), lengths.data(), formats.data(), kBinary),
                  &PQclear);
    ExecStatusType status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK) {
      // PQcmdTuples is "" for commands that do not count rows.
      std::string count = PQcmdTuples(result_.get());
      changes_ = count.empty() ? 0 : std::stoll(count);
      row_ = -1;
      return OkStatus();
    }
    if (status != PGRES_TUPLES_OK) {
      Error error = PgError(conn_, result_.get(), "step");
      result_.reset();
      return error;
    }
    // Binary results: make sure every column is a type the accessors decode, so they cannot
    // misread bytes of another type.
    for (int c = 0; c < PQnfields(result_.get()); ++c) {
      Oid type = PQftype(result_.get(), c);
      if (type != kBoolOid && type != kByteaOid && type != kInt8Oid && type != kInt2Oid &&
          type != kInt4Oid && type != kTextOid && type != kVarcharOid) {
        result_.reset();
        return Error(Errc::kBadColumn, "column " + std::to_string(c) + " has type oid " +
                                           std::to_string(type) + ", which the store cannot read");
      }
    }
    row_ = -1;
    return OkStatus();
  }

  PGconn* conn_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  ResultPtr result_{nullptr, &PQclear};
  int row_ = -1;
  int64_t changes_ = 0;
};

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Exec(std::string_view sql) override {
    std::string text = TranslateSql(Dialect::kPostgres, sql);
    ResultPtr result(PQexec(conn_, text.c_str()), &PQclear);
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return PgError(conn_, result.get(), "exec");
    }
    return OkStatus();
  }

  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override {
    return std::unique_ptr<SqlStatement>(
        new PgStatement(conn_, TranslateSql(Dialect::kPostgres, sql)));
  }

  Status Begin(Isolation isolation) override {
    return Exec(isolation == Isolation::kSerializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                                      : "BEGIN ISOLATION LEVEL READ COMMITTED");
  }

  Status Commit() override {
    ResultPtr result(PQexec(conn_, "COMMIT"), &PQclear);
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK) {
      Error error = PgError(conn_, result.get(), "commit");
      (void)Exec("ROLLBACK");
      return error;
    }
    // COMMIT of a transaction in which a statement failed "succeeds" as a ROLLBACK; nothing
    // was applied, so it must not read as success.
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
      return Error(Errc::kSqlError, "commit: the transaction had failed and was rolled back");
    }
    return OkStatus();
  }

  Status Rollback() override { return Exec("ROLLBACK"); }

  Status LockMigrations() override { return Exec(kMigrationLockSql); }
  void UnlockMigrations() override { (void)Exec(kMigrationUnlockSql); }

  bool healthy() const override {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> ConnectPostgres(const std::string& url,
                                                       const PgConnectionOptions& options) {
  std::string timeout = std::to_string(options.connect_timeout_s);
  // expand_dbname=1: the "dbname" value is the whole URL; later keywords override it.
  const char* keywords[] = {"dbname", "connect_timeout", "client_encoding", nullptr};
  const char* values[] = {url.c_str(), timeout.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) return Error(Errc::kConnectionFailed, "connect: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "connect: " + Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Error(Errc::kConnectionFailed, std::move(message));
  }
  auto connection = std::make_unique<PgConnection>(conn);
  // Notices (e.g. "relation already exists, skipping") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace teepnet::store
