#include "teepnet/store/sql_tam_store.h"

#include <limits>

#include "teepnet/store/errc.h"
#include "teepnet/store/sql_migrations.h"
#include "teepnet/store/tam_state_cbor.h"
#include "teepnet/store/tam_state_conversion.h"
#include "teepnet/store/tam_state_json.h"
#include "teepnet/tam/errc.h"

namespace teepnet::store {

namespace {

// Append-only (migrations.h). Portable SQL (sql_dialect.h): on PostgreSQL BLOB becomes BYTEA,
// INTEGER becomes BIGINT and {{rowid}} adds the insertion-order column SQLite has implicitly;
// on SQLite the text is the one version 1 always had.
constexpr Migration kTamSchema[] = {
    {1,
     "CREATE TABLE devices ("
     "  device_id BLOB PRIMARY KEY,"
     "  agent_key BLOB NOT NULL,"
     "  label TEXT NOT NULL);"
     "CREATE TABLE packages ("
     "  manifest_id BLOB NOT NULL,"
     "  sequence_number INTEGER NOT NULL,"
     "  manifest_digest BLOB NOT NULL,"
     "  envelope BLOB NOT NULL,"
     "  PRIMARY KEY (manifest_id, sequence_number));"
     "CREATE TABLE desired_state ("
     "  device_id BLOB PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,"
     "  state TEXT NOT NULL);"
     "CREATE TABLE device_status ("
     "  device_id BLOB PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,"
     "  status TEXT NOT NULL);"
     "CREATE TABLE tokens ({{rowid}}"
     "  token BLOB PRIMARY KEY,"
     "  purpose INTEGER NOT NULL,"
     "  device_id BLOB,"
     "  issued_at INTEGER NOT NULL,"
     "  expires_at INTEGER NOT NULL,"
     "  consumed INTEGER NOT NULL,"
     "  details TEXT NOT NULL);"
     "CREATE INDEX tokens_by_device ON tokens (device_id, consumed, issued_at);"
     "CREATE INDEX tokens_by_expiry ON tokens (expires_at);"},
    // Device status and desired state as CBOR blobs (tam_state_cbor.h) instead of JSON text:
    // the old tables are renamed, ConvertTamRows copies their rows across and drops them.
    {2,
     "ALTER TABLE device_status RENAME TO device_status_json;"
     "CREATE TABLE device_status ("
     "  device_id BLOB PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,"
     "  status BLOB NOT NULL);"
     "ALTER TABLE desired_state RENAME TO desired_state_json;"
     "CREATE TABLE desired_state ("
     "  device_id BLOB PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,"
     "  state BLOB NOT NULL);"},
    // The QueryRequest tokens responses used (tam_store.h, record_used_token) in a table of
    // their own with only what refusing a replay and purging need: the token's bytes (its
    // primary key is the compare-and-set), the device whose response used it, and the issue
    // and expiry times. They were rows of `tokens` with a JSON details column that nothing
    // read back (the data items travel in the token itself), and every such insert also
    // updated the device and expiry indexes of `tokens`. Existing ones move across (the
    // stateless tokens are the 43-byte QueryRequest rows, query_token.h; the CSPRNG tokens
    // the store issues are 16 bytes), so a token used before the upgrade stays refused.
    {3,
     "CREATE TABLE used_query_tokens ("
     "  token BLOB PRIMARY KEY,"
     "  device_id BLOB,"
     "  issued_at INTEGER NOT NULL,"
     "  expires_at INTEGER NOT NULL);"
     "CREATE INDEX used_query_tokens_by_expiry ON used_query_tokens (expires_at);"
     "INSERT INTO used_query_tokens (token, device_id, issued_at, expires_at)"
     "  SELECT token, device_id, issued_at, expires_at FROM tokens"
     "  WHERE purpose = 0 AND consumed = 1 AND length(token) = 43;"
     "DELETE FROM tokens WHERE purpose = 0 AND consumed = 1 AND length(token) = 43;"},
};

// The C++ half of the steps above that rewrite rows (sql_migrations.h, MigrationConversion).
Status ConvertTamRows(SqlConnection& c, int version) {
  if (version == 2) return ConvertTamStateJsonToCbor(c);
  return OkStatus();
}

// The TAM's steps are recorded in the default ledger (sql_migrations.h).
constexpr std::string_view kTamLedger = "schema_migrations";

// Statements every TEEP step runs, numbered once (statement_cache.h).
const StatementCache::Sql kFindDeviceSql(
    "SELECT agent_key, label FROM devices WHERE device_id = ?1");
const StatementCache::Sql kGetDesiredSql("SELECT state FROM desired_state WHERE device_id = ?1");
const StatementCache::Sql kPutDesiredSql(
    "INSERT INTO desired_state (device_id, state) VALUES (?1, ?2) "
    "ON CONFLICT (device_id) DO UPDATE SET state = excluded.state");
const StatementCache::Sql kGetStatusSql("SELECT status FROM device_status WHERE device_id = ?1");
const StatementCache::Sql kPutStatusSql(
    "INSERT INTO device_status (device_id, status) VALUES (?1, ?2) "
    "ON CONFLICT (device_id) DO UPDATE SET status = excluded.status");
const StatementCache::Sql kRecordUsedTokenSql(
    "INSERT INTO used_query_tokens (token, device_id, issued_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (token) DO NOTHING");
const StatementCache::Sql kFindUsedTokenSql(
    "SELECT device_id, issued_at, expires_at FROM used_query_tokens WHERE token = ?1");
const StatementCache::Sql kSavepointSql("SAVEPOINT tam_step");
const StatementCache::Sql kRollbackToSavepointSql("ROLLBACK TO tam_step");
const StatementCache::Sql kReleaseSavepointSql("RELEASE tam_step");

constexpr int kMaxCommitAttempts = 3;

// Read-only SQLite connections beside the writer's (one pool).
constexpr size_t kSqliteReaders = 2;

// SQL integers (SQLite INTEGER, PostgreSQL BIGINT) are signed 64-bit; sequence numbers above
// that cannot be ordered in SQL.
Result<int64_t> SequenceColumn(uint64_t sequence_number) {
  if (sequence_number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Error(Errc::kBadColumn, "manifest-sequence-number " + std::to_string(sequence_number) +
                                       " is above 2^63-1 and cannot be stored");
  }
  return static_cast<int64_t>(sequence_number);
}

Result<tam::Package> ReadPackageRow(const SqlStatement& s, const suit::ComponentId& id) {
  tam::Package p;
  p.manifest_id = id;
  int64_t seq = s.ColumnInt(0);
  if (seq < 0) return Error(Errc::kBadColumn, "packages.sequence_number is negative");
  p.sequence_number = static_cast<uint64_t>(seq);
  p.manifest_digest = s.ColumnBlob(1);
  p.envelope = s.ColumnBlob(2);
  return p;
}

}  // namespace

std::span<const Migration> SqlTamStore::Schema() {
  return kTamSchema;
}

int SqlTamStore::CurrentSchemaVersion() {
  return std::end(kTamSchema)[-1].version;
}

Result<std::unique_ptr<SqlTamStore>> SqlTamStore::Open(const std::string& url,
                                                       const SqlTamStoreOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool, OpenPool(url, options.pool));
  {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool->Acquire());
    TEEPNET_RETURN_IF_ERROR(Migrate(*c, kTamSchema, kTamLedger, &ConvertTamRows));
  }
  // SQLite in WAL mode lets readers run beside the one writer, so lookups get connections of
  // their own instead of queueing behind a group commit's fsync on the writer's connection. A
  // reader sees what was committed before its statement started: every step a reply depended
  // on committed before that reply left, so what an Agent answers is always visible. A private
  // ":memory:" database exists only on its own connection and keeps the single one.
  // The readers share one pool, so a lookup waits only when all of them are busy (one pool per
  // reader, picked in turn, made a lookup wait for a busy reader while another was idle: 12 ->
  // 9.4 thread switches per exchange at 200 Brokers).
  std::unique_ptr<ConnectionPool> readers;
  TEEPNET_ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.dialect == Dialect::kSqlite && parsed.target != ":memory:") {
    TEEPNET_ASSIGN_OR_RETURN(readers, OpenSqliteReaders(url, options.pool, kSqliteReaders));
  }
  return std::unique_ptr<SqlTamStore>(
      new SqlTamStore(std::move(pool), std::move(readers), options));
}

Result<SqlTamStore::Prepared> SqlTamStore::Prepare(SqlConnection& c, std::string_view sql) const {
  return statements_.Prepare(c, sql);
}

Result<SqlTamStore::Prepared> SqlTamStore::Prepare(SqlConnection& c,
                                                   const StatementCache::Sql& sql) const {
  return statements_.Prepare(c, sql);
}

ConnectionPool& SqlTamStore::ReadPool() const {
  return readers_ != nullptr ? *readers_ : *pool_;
}

// --- Devices ---

Status SqlTamStore::PutDevice(const tam::DeviceRecord& device) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
  // Upsert without replacing the row, so ON DELETE CASCADE does not wipe its state.
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c,
                                           "INSERT INTO devices (device_id, agent_key, label) "
                                           "VALUES (?1, ?2, ?3) ON CONFLICT (device_id) DO UPDATE "
                                           "SET agent_key = excluded.agent_key, label = "
                                           "excluded.label"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device.device_id));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(2, device.agent_key));
  TEEPNET_RETURN_IF_ERROR(s->BindText(3, device.label));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  return txn.Commit();
}

Status SqlTamStore::RemoveDevice(ByteView device_id) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c, "DELETE FROM devices WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 0) return Error(Errc::kNotFound, "no such device");
  TEEPNET_ASSIGN_OR_RETURN(auto tokens, Prepare(*c, "DELETE FROM tokens WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(tokens->BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(tokens->Run());
  return txn.Commit();
}

Result<std::optional<tam::DeviceRecord>> SqlTamStore::FindDevice(ByteView device_id) const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c, kFindDeviceSql));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<tam::DeviceRecord>();
  return std::optional<tam::DeviceRecord>(
      tam::DeviceRecord{ToBytes(device_id), s->ColumnBlob(0), s->ColumnText(1)});
}

Result<std::vector<tam::DeviceRecord>> SqlTamStore::ListDevices() const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, Prepare(*c, "SELECT device_id, agent_key, label FROM devices ORDER BY device_id"));
  std::vector<tam::DeviceRecord> out;
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(tam::DeviceRecord{s->ColumnBlob(0), s->ColumnBlob(1), s->ColumnText(2)});
  }
  return out;
}

// --- Catalog ---

Status SqlTamStore::PutPackage(const tam::Package& package) {
  TEEPNET_ASSIGN_OR_RETURN(int64_t seq, SequenceColumn(package.sequence_number));
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
  TEEPNET_ASSIGN_OR_RETURN(
      auto s,
      Prepare(*c,
              "INSERT INTO packages (manifest_id, sequence_number, manifest_digest, "
              "envelope) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (manifest_id, sequence_number) "
              "DO UPDATE SET manifest_digest = excluded.manifest_digest, "
              "envelope = excluded.envelope"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, package.manifest_id.Encode()));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(2, seq));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(3, package.manifest_digest));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(4, package.envelope));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  return txn.Commit();
}

Result<std::optional<tam::Package>> SqlTamStore::FindPackage(const suit::ComponentId& manifest_id,
                                                             uint64_t sequence_number) const {
  TEEPNET_ASSIGN_OR_RETURN(int64_t seq, SequenceColumn(sequence_number));
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, Prepare(*c,
                      "SELECT sequence_number, manifest_digest, envelope FROM packages "
                      "WHERE manifest_id = ?1 AND sequence_number = ?2"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, manifest_id.Encode()));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(2, seq));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<tam::Package>();
  TEEPNET_ASSIGN_OR_RETURN(tam::Package p, ReadPackageRow(*s, manifest_id));
  return std::optional<tam::Package>(std::move(p));
}

Result<std::optional<tam::Package>> SqlTamStore::FindLatestPackage(
    const suit::ComponentId& manifest_id) const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, Prepare(*c,
                      "SELECT sequence_number, manifest_digest, envelope FROM packages "
                      "WHERE manifest_id = ?1 ORDER BY sequence_number DESC LIMIT 1"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, manifest_id.Encode()));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<tam::Package>();
  TEEPNET_ASSIGN_OR_RETURN(tam::Package p, ReadPackageRow(*s, manifest_id));
  return std::optional<tam::Package>(std::move(p));
}

// --- Per-device state ---

Result<tam::DesiredState> SqlTamStore::GetDesiredState(ByteView device_id) const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c, kGetDesiredSql));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return tam::DesiredState{};
  return DecodeDesiredStateCbor(s->ColumnBlob(0));
}

Status SqlTamStore::PutDesired(SqlConnection& c, ByteView device_id,
                               const tam::DesiredState& desired) {
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(c, kPutDesiredSql));
  TEEPNET_ASSIGN_OR_RETURN(Bytes state, EncodeDesiredStateCbor(desired));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(2, state));
  Status run = s->Run();
  // The foreign key names the device; a missing one is "not found", not a constraint clash.
  if (!run.ok() && run.error().Is(Errc::kConstraint)) {
    return Error(Errc::kNotFound, "desired state for a device that is not enrolled");
  }
  return run;
}

Status SqlTamStore::SetDesiredState(ByteView device_id, const tam::DesiredState& desired) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
  TEEPNET_RETURN_IF_ERROR(PutDesired(*c, device_id, desired));
  return txn.Commit();
}

Result<std::optional<tam::DeviceStatus>> SqlTamStore::GetStatus(ByteView device_id) const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c, kGetStatusSql));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<tam::DeviceStatus>();
  TEEPNET_ASSIGN_OR_RETURN(tam::DeviceStatus status, DecodeDeviceStatusCbor(s->ColumnBlob(0)));
  return std::optional<tam::DeviceStatus>(std::move(status));
}

Status SqlTamStore::PutStatus(SqlConnection& c, ByteView device_id,
                              const tam::DeviceStatus& status) {
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(c, kPutStatusSql));
  TEEPNET_ASSIGN_OR_RETURN(Bytes column, EncodeDeviceStatusCbor(status));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(2, column));
  Status run = s->Run();
  if (!run.ok() && run.error().Is(Errc::kConstraint)) {
    return Error(Errc::kNotFound, "status for a device that is not enrolled");
  }
  return run;
}

// --- Tokens ---

Result<std::optional<tam::TokenRecord>> SqlTamStore::FindToken(ByteView token) const {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, ReadPool().Acquire());
  TEEPNET_ASSIGN_OR_RETURN(auto s,
                           Prepare(*c,
                                   "SELECT purpose, device_id, issued_at, expires_at, consumed, "
                                   "details FROM tokens WHERE token = ?1"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, token));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return FindUsedToken(*c, token);
  tam::TokenRecord t;
  t.token = ToBytes(token);
  int64_t purpose = s->ColumnInt(0);
  if (purpose != static_cast<int64_t>(tam::TokenPurpose::kQueryRequest) &&
      purpose != static_cast<int64_t>(tam::TokenPurpose::kUpdate)) {
    return Error(Errc::kBadColumn, "tokens.purpose out of range");
  }
  t.purpose = static_cast<tam::TokenPurpose>(purpose);
  if (!s->IsNull(1)) t.device_id = s->ColumnBlob(1);
  t.issued_at = s->ColumnInt(2);
  t.expires_at = s->ColumnInt(3);
  t.consumed = s->ColumnInt(4) != 0;
  TEEPNET_RETURN_IF_ERROR(DecodeTokenDetails(s->ColumnText(5), &t));
  return std::optional<tam::TokenRecord>(std::move(t));
}

// A used QueryRequest token, as FindToken reports it: consumed, for the QueryRequest purpose.
// Its data items are not stored (they are in the token's own bytes, query_token.h).
Result<std::optional<tam::TokenRecord>> SqlTamStore::FindUsedToken(SqlConnection& c,
                                                                   ByteView token) const {
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(c, kFindUsedTokenSql));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, token));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<tam::TokenRecord>();
  tam::TokenRecord t;
  t.token = ToBytes(token);
  t.purpose = tam::TokenPurpose::kQueryRequest;
  if (!s->IsNull(0)) t.device_id = s->ColumnBlob(0);
  t.issued_at = s->ColumnInt(1);
  t.expires_at = s->ColumnInt(2);
  t.consumed = true;
  return std::optional<tam::TokenRecord>(std::move(t));
}

Result<size_t> SqlTamStore::PurgeTokens(int64_t now_unix) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
  size_t deleted = 0;
  for (std::string_view sql : {std::string_view("DELETE FROM tokens WHERE expires_at <= ?1"),
                               std::string_view("DELETE FROM used_query_tokens "
                                                "WHERE expires_at <= ?1")}) {
    TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(*c, sql));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(1, now_unix));
    TEEPNET_RETURN_IF_ERROR(s->Run());
    deleted += static_cast<size_t>(s->Changes());
  }
  TEEPNET_RETURN_IF_ERROR(txn.Commit());
  return deleted;
}

Status SqlTamStore::ConsumeToken(SqlConnection& c, ByteView token,
                                 const std::optional<tam::DeviceId>& device) {
  // The compare-and-set: only an unconsumed token flips (tam_store.h, TamTransaction).
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(c,
                                           "UPDATE tokens SET consumed = 1, "
                                           "device_id = COALESCE(device_id, ?2) "
                                           "WHERE token = ?1 AND consumed = 0"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, token));
  if (device) {
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(2, *device));
  } else {
    TEEPNET_RETURN_IF_ERROR(s->BindNull(2));
  }
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  TEEPNET_ASSIGN_OR_RETURN(auto exists, Prepare(c, "SELECT 1 FROM tokens WHERE token = ?1"));
  TEEPNET_RETURN_IF_ERROR(exists->BindBlob(1, token));
  TEEPNET_ASSIGN_OR_RETURN(bool row, exists->Step());
  if (row) return Error(tam::Errc::kTokenReplayed, "token already used by a valid response");
  return Error(tam::Errc::kUnknownToken, "token was never issued or has been purged");
}

Status SqlTamStore::RecordUsedToken(SqlConnection& c, const tam::TokenRecord& t,
                                    const std::optional<tam::DeviceId>& device) {
  // The primary key on `token` is the compare-and-set: of two steps inserting one token, the
  // second inserts nothing (on PostgreSQL its INSERT waits for the first one's commit, READ
  // COMMITTED, then sees the row) and is refused as a replay (tam_store.h, TamTransaction).
  // Only scalar columns: the row exists to refuse the token's second use until it expires.
  TEEPNET_ASSIGN_OR_RETURN(auto s, Prepare(c, kRecordUsedTokenSql));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, t.token));
  const std::optional<tam::DeviceId>& bound = t.device_id ? t.device_id : device;
  if (bound) {
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(2, *bound));
  } else {
    TEEPNET_RETURN_IF_ERROR(s->BindNull(2));
  }
  TEEPNET_RETURN_IF_ERROR(s->BindInt(3, t.issued_at));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(4, t.expires_at));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  return Error(tam::Errc::kTokenReplayed, "token already used by a valid response");
}

Status SqlTamStore::IssueToken(SqlConnection& c, const tam::TokenRecord& t) {
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, Prepare(c,
                      "INSERT INTO tokens (token, purpose, device_id, issued_at, expires_at, "
                      "consumed, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, t.token));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(2, static_cast<int64_t>(t.purpose)));
  if (t.device_id) {
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(3, *t.device_id));
  } else {
    TEEPNET_RETURN_IF_ERROR(s->BindNull(3));
  }
  TEEPNET_RETURN_IF_ERROR(s->BindInt(4, t.issued_at));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(5, t.expires_at));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(6, t.consumed ? 1 : 0));
  TEEPNET_RETURN_IF_ERROR(s->BindText(7, EncodeTokenDetails(t)));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (!t.device_id || options_.max_tokens_per_device == 0) return OkStatus();
  // Evict the oldest outstanding tokens beyond the cap (ties broken by rowid: issue order).
  // NOT IN (... LIMIT n) keeps the n newest; both dialects accept it, unlike LIMIT -1 OFFSET n.
  TEEPNET_ASSIGN_OR_RETURN(auto evict,
                           Prepare(c,
                                   "DELETE FROM tokens WHERE device_id = ?1 AND consumed = 0 AND "
                                   "rowid NOT IN (SELECT rowid FROM tokens "
                                   "WHERE device_id = ?1 AND consumed = 0 "
                                   "ORDER BY issued_at DESC, rowid DESC LIMIT ?2)"));
  TEEPNET_RETURN_IF_ERROR(evict->BindBlob(1, *t.device_id));
  TEEPNET_RETURN_IF_ERROR(evict->BindInt(2, static_cast<int64_t>(options_.max_tokens_per_device)));
  return evict->Run();
}

Status SqlTamStore::Commit(const tam::TamTransaction& txn) {
  if (txn.empty()) return OkStatus();
  if ((txn.status || txn.desired) && !txn.device) {
    return Error(tam::Errc::kStoreFailure, "status or desired state without a device");
  }
  if (pool_->dialect() == Dialect::kSqlite) return GroupCommit(txn);
  // PostgreSQL may end one of two transactions that lock the same device's token rows in
  // opposite orders as a deadlock (40P01). Nothing of it was applied and the step's writes do
  // not depend on what it read, so running it again is safe; the token compare-and-set still
  // decides which of two racing steps wins.
  Status status = CommitOnce(txn);
  for (int attempt = 1; attempt < kMaxCommitAttempts && !status.ok() &&
                        status.error().Is(Errc::kSerializationFailure);
       ++attempt) {
    status = CommitOnce(txn);
  }
  return status;
}

Status SqlTamStore::Apply(SqlConnection& c, const tam::TamTransaction& txn) {
  if (txn.consume_token) TEEPNET_RETURN_IF_ERROR(ConsumeToken(c, *txn.consume_token, txn.device));
  if (txn.record_used_token) {
    TEEPNET_RETURN_IF_ERROR(RecordUsedToken(c, *txn.record_used_token, txn.device));
  }
  if (txn.issue_token) TEEPNET_RETURN_IF_ERROR(IssueToken(c, *txn.issue_token));
  if (txn.status) TEEPNET_RETURN_IF_ERROR(PutStatus(c, *txn.device, *txn.status));
  if (txn.desired) TEEPNET_RETURN_IF_ERROR(PutDesired(c, *txn.device, *txn.desired));
  return OkStatus();
}

Status SqlTamStore::CommitOnce(const tam::TamTransaction& txn) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction t, SqlTransaction::Begin(*c));
  TEEPNET_RETURN_IF_ERROR(Apply(*c, txn));
  return t.Commit();
}

// --- Group commit (SQLite) ---

struct SqlTamStore::PendingCommit {
  explicit PendingCommit(const tam::TamTransaction* t) : txn(t) {}

  const tam::TamTransaction* txn;
  Status result = OkStatus();
  // Each waiter sleeps on its own condition variable, so a finished batch wakes exactly its
  // own callers and the one that commits next (a shared notify_all woke every thread queued
  // for the next batch too, only for them to sleep again: futex and thread switches were a
  // quarter of the TAM's CPU at 200 Brokers, docs/PERFORMANCE.md Round 4).
  std::mutex mu;
  std::condition_variable wake;
  CommitTurn turn = CommitTurn::kWaiting;
};

// Hands `p` its turn. `p` lives on its caller's stack and that caller may return as soon as it
// sees kDone, so `p` is touched only under its own mutex: the waiter cannot observe the new
// turn (and destroy `p`) before this unlock, and unlocking a mutex its next owner destroys is
// allowed ([thread.mutex.requirements]).
void SqlTamStore::Signal(PendingCommit* p, CommitTurn turn) {
  std::lock_guard<std::mutex> lock(p->mu);
  p->turn = turn;
  p->wake.notify_one();
}

Status SqlTamStore::GroupCommit(const tam::TamTransaction& txn) {
  PendingCommit me(&txn);
  bool lead = false;
  {
    std::lock_guard<std::mutex> lock(group_mu_);
    queued_.push_back(&me);
    // No batch is running: this caller commits what is queued, its own step included.
    lead = !committing_;
    committing_ = true;
  }
  if (!lead) {
    std::unique_lock<std::mutex> lock(me.mu);
    me.wake.wait(lock, [&] { return me.turn != CommitTurn::kWaiting; });
    // The previous committer either committed this step or handed this caller the next batch
    // (which holds this step: only a committer drains the queue).
    if (me.turn == CommitTurn::kDone) return std::move(me.result);
  }
  std::vector<PendingCommit*> batch;
  {
    std::lock_guard<std::mutex> lock(group_mu_);
    batch.swap(queued_);
  }
  RunBatch(batch);
  PendingCommit* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(group_mu_);
    // Steps that queued meanwhile: the first of them commits the next batch; committing_
    // stays set so that later arrivals queue behind it instead of starting a batch alongside.
    if (queued_.empty()) {
      committing_ = false;
    } else {
      next = queued_.front();
    }
  }
  // The next batch's fsync starts before this one's callers are woken.
  if (next != nullptr) Signal(next, CommitTurn::kLead);
  for (PendingCommit* p : batch) {
    if (p != &me) Signal(p, CommitTurn::kDone);
  }
  return std::move(me.result);
}

void SqlTamStore::RunBatch(const std::vector<PendingCommit*>& batch) {
  auto fail_all = [&](const Status& why) {
    for (PendingCommit* p : batch) {
      if (p->result.ok()) p->result = why;
    }
  };
  Result<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return fail_all(lease.error());
  SqlConnection& c = **lease;
  Result<SqlTransaction> t = SqlTransaction::Begin(c);
  if (!t.ok()) return fail_all(t.error());
  if (batch.size() == 1) {
    Status applied = Apply(c, *batch.front()->txn);
    batch.front()->result = applied.ok() ? t->Commit() : applied;
    return;  // a failed step: the transaction rolls back when `t` goes
  }
  // The savepoint statements run once per step of every batch: compiled once per connection
  // like the rest (Prepare), not parsed by Exec each time.
  auto run = [&](const StatementCache::Sql& sql) -> Status {
    TEEPNET_ASSIGN_OR_RETURN(Prepared s, Prepare(c, sql));
    return s->Run();
  };
  for (PendingCommit* p : batch) {
    // Each step inside its own savepoint: a refused step (replayed token, unknown device) is
    // undone alone and the others of the batch still commit.
    Status mark = run(kSavepointSql);
    if (!mark.ok()) return fail_all(mark);
    Status applied = Apply(c, *p->txn);
    if (!applied.ok()) {
      p->result = applied;
      // If SQLite already ended the whole transaction (an I/O or full-disk error does), the
      // savepoint is gone too: then nothing of the batch is applied and every step fails.
      Status undo = run(kRollbackToSavepointSql);
      if (!undo.ok()) return fail_all(undo);
    }
    Status release = run(kReleaseSavepointSql);
    if (!release.ok()) return fail_all(release);
  }
  // Durable for every step of the batch when this returns OK (synchronous=FULL syncs the WAL);
  // a failed COMMIT applies none of them.
  Status committed = t->Commit();
  if (!committed.ok()) fail_all(committed);
}

}  // namespace teepnet::store
