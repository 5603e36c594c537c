#include "teepnet/store/sqlite_tam_store.h"

#include <limits>

#include "teepnet/store/errc.h"
#include "teepnet/store/migrations.h"
#include "teepnet/store/tam_state_json.h"
#include "teepnet/store/transaction.h"
#include "teepnet/tam/errc.h"

namespace teepnet::store {

namespace {

// Append-only (migrations.h). Portable SQL: BLOB becomes BYTEA on PostgreSQL.
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
     "CREATE TABLE tokens ("
     "  token BLOB PRIMARY KEY,"
     "  purpose INTEGER NOT NULL,"
     "  device_id BLOB,"
     "  issued_at INTEGER NOT NULL,"
     "  expires_at INTEGER NOT NULL,"
     "  consumed INTEGER NOT NULL,"
     "  details TEXT NOT NULL);"
     "CREATE INDEX tokens_by_device ON tokens (device_id, consumed, issued_at);"
     "CREATE INDEX tokens_by_expiry ON tokens (expires_at);"},
};

// SQLite integers are signed 64-bit; sequence numbers above that cannot be ordered in SQL.
Result<int64_t> SequenceColumn(uint64_t sequence_number) {
  if (sequence_number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Error(Errc::kBadColumn, "manifest-sequence-number " + std::to_string(sequence_number) +
                                       " is above 2^63-1 and cannot be stored");
  }
  return static_cast<int64_t>(sequence_number);
}

Result<tam::Package> ReadPackageRow(const Statement& s, const suit::ComponentId& id) {
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

int SqliteTamStore::CurrentSchemaVersion() {
  return std::end(kTamSchema)[-1].version;
}

Result<std::unique_ptr<SqliteTamStore>> SqliteTamStore::Open(const std::string& path,
                                                             const SqliteTamStoreOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options.database));
  TEEPNET_RETURN_IF_ERROR(Migrate(*db, kTamSchema));
  return std::unique_ptr<SqliteTamStore>(new SqliteTamStore(std::move(db), options));
}

// --- Devices ---

Status SqliteTamStore::PutDevice(const tam::DeviceRecord& device) {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  // Upsert without replacing the row, so ON DELETE CASCADE does not wipe its state.
  TEEPNET_ASSIGN_OR_RETURN(Statement s,
                           db_->Prepare("INSERT INTO devices (device_id, agent_key, label) "
                                        "VALUES (?1, ?2, ?3) ON CONFLICT (device_id) DO UPDATE "
                                        "SET agent_key = excluded.agent_key, label = "
                                        "excluded.label"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device.device_id));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(2, device.agent_key));
  TEEPNET_RETURN_IF_ERROR(s.BindText(3, device.label));
  TEEPNET_RETURN_IF_ERROR(s.Run());
  return txn.Commit();
}

Status SqliteTamStore::RemoveDevice(ByteView device_id) {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  TEEPNET_ASSIGN_OR_RETURN(Statement s, db_->Prepare("DELETE FROM devices WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 0) return Error(Errc::kNotFound, "no such device");
  TEEPNET_ASSIGN_OR_RETURN(Statement tokens,
                           db_->Prepare("DELETE FROM tokens WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(tokens.BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(tokens.Run());
  return txn.Commit();
}

Result<std::optional<tam::DeviceRecord>> SqliteTamStore::FindDevice(ByteView device_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("SELECT agent_key, label FROM devices WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<tam::DeviceRecord>();
  return std::optional<tam::DeviceRecord>(
      tam::DeviceRecord{ToBytes(device_id), s.ColumnBlob(0), s.ColumnText(1)});
}

Result<std::vector<tam::DeviceRecord>> SqliteTamStore::ListDevices() const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT device_id, agent_key, label FROM devices ORDER BY device_id"));
  std::vector<tam::DeviceRecord> out;
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(tam::DeviceRecord{s.ColumnBlob(0), s.ColumnBlob(1), s.ColumnText(2)});
  }
  return out;
}

// --- Catalog ---

Status SqliteTamStore::PutPackage(const tam::Package& package) {
  TEEPNET_ASSIGN_OR_RETURN(int64_t seq, SequenceColumn(package.sequence_number));
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("INSERT INTO packages (manifest_id, sequence_number, manifest_digest, "
                   "envelope) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (manifest_id, sequence_number) "
                   "DO UPDATE SET manifest_digest = excluded.manifest_digest, "
                   "envelope = excluded.envelope"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, package.manifest_id.Encode()));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(2, seq));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(3, package.manifest_digest));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(4, package.envelope));
  TEEPNET_RETURN_IF_ERROR(s.Run());
  return txn.Commit();
}

Result<std::optional<tam::Package>> SqliteTamStore::FindPackage(
    const suit::ComponentId& manifest_id, uint64_t sequence_number) const {
  TEEPNET_ASSIGN_OR_RETURN(int64_t seq, SequenceColumn(sequence_number));
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("SELECT sequence_number, manifest_digest, envelope FROM packages "
                                "WHERE manifest_id = ?1 AND sequence_number = ?2"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, manifest_id.Encode()));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(2, seq));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<tam::Package>();
  TEEPNET_ASSIGN_OR_RETURN(tam::Package p, ReadPackageRow(s, manifest_id));
  return std::optional<tam::Package>(std::move(p));
}

Result<std::optional<tam::Package>> SqliteTamStore::FindLatestPackage(
    const suit::ComponentId& manifest_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("SELECT sequence_number, manifest_digest, envelope FROM packages "
                                "WHERE manifest_id = ?1 ORDER BY sequence_number DESC LIMIT 1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, manifest_id.Encode()));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<tam::Package>();
  TEEPNET_ASSIGN_OR_RETURN(tam::Package p, ReadPackageRow(s, manifest_id));
  return std::optional<tam::Package>(std::move(p));
}

// --- Per-device state ---

Result<tam::DesiredState> SqliteTamStore::GetDesiredState(ByteView device_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Statement s,
                           db_->Prepare("SELECT state FROM desired_state WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return tam::DesiredState{};
  return DecodeDesiredState(s.ColumnText(0));
}

Status SqliteTamStore::PutDesiredLocked(ByteView device_id, const tam::DesiredState& desired) {
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("INSERT INTO desired_state (device_id, state) VALUES (?1, ?2) "
                                "ON CONFLICT (device_id) DO UPDATE SET state = excluded.state"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s.BindText(2, EncodeDesiredState(desired)));
  Status run = s.Run();
  // The foreign key names the device; a missing one is "not found", not a constraint clash.
  if (!run.ok() && run.error().Is(Errc::kConstraint)) {
    return Error(Errc::kNotFound, "desired state for a device that is not enrolled");
  }
  return run;
}

Status SqliteTamStore::SetDesiredState(ByteView device_id, const tam::DesiredState& desired) {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  TEEPNET_RETURN_IF_ERROR(PutDesiredLocked(device_id, desired));
  return txn.Commit();
}

Result<std::optional<tam::DeviceStatus>> SqliteTamStore::GetStatus(ByteView device_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Statement s,
                           db_->Prepare("SELECT status FROM device_status WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<tam::DeviceStatus>();
  TEEPNET_ASSIGN_OR_RETURN(tam::DeviceStatus status, DecodeDeviceStatus(s.ColumnText(0)));
  return std::optional<tam::DeviceStatus>(std::move(status));
}

Status SqliteTamStore::PutStatusLocked(ByteView device_id, const tam::DeviceStatus& status) {
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("INSERT INTO device_status (device_id, status) VALUES (?1, ?2) "
                                "ON CONFLICT (device_id) DO UPDATE SET status = excluded.status"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s.BindText(2, EncodeDeviceStatus(status)));
  Status run = s.Run();
  if (!run.ok() && run.error().Is(Errc::kConstraint)) {
    return Error(Errc::kNotFound, "status for a device that is not enrolled");
  }
  return run;
}

// --- Tokens ---

Result<std::optional<tam::TokenRecord>> SqliteTamStore::FindToken(ByteView token) const {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s, db_->Prepare("SELECT purpose, device_id, issued_at, expires_at, consumed, "
                                "details FROM tokens WHERE token = ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, token));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<tam::TokenRecord>();
  tam::TokenRecord t;
  t.token = ToBytes(token);
  int64_t purpose = s.ColumnInt(0);
  if (purpose != static_cast<int64_t>(tam::TokenPurpose::kQueryRequest) &&
      purpose != static_cast<int64_t>(tam::TokenPurpose::kUpdate)) {
    return Error(Errc::kBadColumn, "tokens.purpose out of range");
  }
  t.purpose = static_cast<tam::TokenPurpose>(purpose);
  if (!s.IsNull(1)) t.device_id = s.ColumnBlob(1);
  t.issued_at = s.ColumnInt(2);
  t.expires_at = s.ColumnInt(3);
  t.consumed = s.ColumnInt(4) != 0;
  TEEPNET_RETURN_IF_ERROR(DecodeTokenDetails(s.ColumnText(5), &t));
  return std::optional<tam::TokenRecord>(std::move(t));
}

Result<size_t> SqliteTamStore::PurgeTokens(int64_t now_unix) {
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  TEEPNET_ASSIGN_OR_RETURN(Statement s, db_->Prepare("DELETE FROM tokens WHERE expires_at <= ?1"));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(1, now_unix));
  TEEPNET_RETURN_IF_ERROR(s.Run());
  size_t deleted = static_cast<size_t>(db_->Changes());
  TEEPNET_RETURN_IF_ERROR(txn.Commit());
  return deleted;
}

Status SqliteTamStore::ConsumeTokenLocked(ByteView token,
                                          const std::optional<tam::DeviceId>& device) {
  // The compare-and-set: only an unconsumed token flips (tam_store.h, TamTransaction).
  TEEPNET_ASSIGN_OR_RETURN(Statement s, db_->Prepare("UPDATE tokens SET consumed = 1, "
                                                     "device_id = COALESCE(device_id, ?2) "
                                                     "WHERE token = ?1 AND consumed = 0"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, token));
  if (device) {
    TEEPNET_RETURN_IF_ERROR(s.BindBlob(2, *device));
  } else {
    TEEPNET_RETURN_IF_ERROR(s.BindNull(2));
  }
  TEEPNET_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 1) return OkStatus();
  TEEPNET_ASSIGN_OR_RETURN(Statement exists, db_->Prepare("SELECT 1 FROM tokens WHERE token = ?1"));
  TEEPNET_RETURN_IF_ERROR(exists.BindBlob(1, token));
  TEEPNET_ASSIGN_OR_RETURN(bool row, exists.Step());
  if (row) return Error(tam::Errc::kTokenReplayed, "token already used by a valid response");
  return Error(tam::Errc::kUnknownToken, "token was never issued or has been purged");
}

Status SqliteTamStore::IssueTokenLocked(const tam::TokenRecord& t) {
  TEEPNET_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("INSERT INTO tokens (token, purpose, device_id, issued_at, expires_at, "
                   "consumed, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  TEEPNET_RETURN_IF_ERROR(s.BindBlob(1, t.token));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(2, static_cast<int64_t>(t.purpose)));
  if (t.device_id) {
    TEEPNET_RETURN_IF_ERROR(s.BindBlob(3, *t.device_id));
  } else {
    TEEPNET_RETURN_IF_ERROR(s.BindNull(3));
  }
  TEEPNET_RETURN_IF_ERROR(s.BindInt(4, t.issued_at));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(5, t.expires_at));
  TEEPNET_RETURN_IF_ERROR(s.BindInt(6, t.consumed ? 1 : 0));
  TEEPNET_RETURN_IF_ERROR(s.BindText(7, EncodeTokenDetails(t)));
  TEEPNET_RETURN_IF_ERROR(s.Run());
  if (!t.device_id || options_.max_tokens_per_device == 0) return OkStatus();
  // Evict the oldest outstanding tokens beyond the cap (ties broken by rowid: issue order).
  TEEPNET_ASSIGN_OR_RETURN(
      Statement evict, db_->Prepare("DELETE FROM tokens WHERE rowid IN (SELECT rowid FROM tokens "
                                    "WHERE device_id = ?1 AND consumed = 0 "
                                    "ORDER BY issued_at DESC, rowid DESC LIMIT -1 OFFSET ?2)"));
  TEEPNET_RETURN_IF_ERROR(evict.BindBlob(1, *t.device_id));
  TEEPNET_RETURN_IF_ERROR(evict.BindInt(2, static_cast<int64_t>(options_.max_tokens_per_device)));
  return evict.Run();
}

Status SqliteTamStore::Commit(const tam::TamTransaction& txn) {
  if (txn.empty()) return OkStatus();
  if ((txn.status || txn.desired) && !txn.device) {
    return Error(tam::Errc::kStoreFailure, "status or desired state without a device");
  }
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_ASSIGN_OR_RETURN(Transaction t, Transaction::Begin(*db_));
  if (txn.consume_token)
    TEEPNET_RETURN_IF_ERROR(ConsumeTokenLocked(*txn.consume_token, txn.device));
  if (txn.issue_token) TEEPNET_RETURN_IF_ERROR(IssueTokenLocked(*txn.issue_token));
  if (txn.status) TEEPNET_RETURN_IF_ERROR(PutStatusLocked(*txn.device, *txn.status));
  if (txn.desired) TEEPNET_RETURN_IF_ERROR(PutDesiredLocked(*txn.device, *txn.desired));
  return t.Commit();
}

}  // namespace teepnet::store
