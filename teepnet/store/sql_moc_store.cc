#include "teepnet/store/sql_moc_store.h"

#include <limits>

#include "teepnet/moc/errc.h"
#include "teepnet/store/errc.h"
#include "teepnet/store/moc_request_json.h"
#include "teepnet/store/sql_migrations.h"

namespace teepnet::store {

namespace {

// Append-only (migrations.h), recorded in their own ledger so the TAM's list and this one
// evolve independently in one database. Portable SQL (sql_dialect.h).
constexpr std::string_view kMocLedger = "moc_schema_migrations";
constexpr Migration kMocSchema[] = {
    {1,
     "CREATE TABLE moc_tenants ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  token_hash BLOB NOT NULL,"
     "  created_at INTEGER NOT NULL);"
     "CREATE TABLE moc_packages ("
     "  id TEXT PRIMARY KEY,"
     "  tenant_id TEXT NOT NULL,"
     "  kind INTEGER NOT NULL,"
     "  name TEXT NOT NULL,"
     "  envelope BLOB NOT NULL,"
     "  digest BLOB NOT NULL,"
     "  created_at INTEGER NOT NULL);"
     "CREATE INDEX moc_packages_by_tenant ON moc_packages (tenant_id);"
     "CREATE TABLE moc_devices ("
     "  device_id TEXT PRIMARY KEY,"
     "  architecture INTEGER NOT NULL,"
     "  architecture_attested INTEGER NOT NULL,"
     "  instance_types TEXT NOT NULL,"
     "  slots_total INTEGER NOT NULL,"
     "  slots_used INTEGER NOT NULL,"
     "  updated_at INTEGER NOT NULL);"
     "CREATE TABLE moc_requests ("
     "  id TEXT PRIMARY KEY,"
     "  tenant_id TEXT NOT NULL,"
     "  version INTEGER NOT NULL,"
     "  in_flight INTEGER NOT NULL,"
     "  body TEXT NOT NULL);"
     "CREATE INDEX moc_requests_by_tenant ON moc_requests (tenant_id);"
     "CREATE INDEX moc_requests_in_flight ON moc_requests (in_flight);"
     "CREATE TABLE moc_relay ({{rowid}}"
     "  device_id TEXT NOT NULL,"
     "  request_id TEXT NOT NULL,"
     "  target INTEGER NOT NULL,"
     "  sealed BLOB NOT NULL,"
     "  digest BLOB NOT NULL,"
     "  queued_at INTEGER NOT NULL);"
     "CREATE INDEX moc_relay_by_device ON moc_relay (device_id);"
     "CREATE TABLE moc_audit ({{rowid}}"
     "  at INTEGER NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  subject TEXT NOT NULL,"
     "  detail TEXT NOT NULL);"},
    // A receipt removes its request's relay blob (MocTransaction::dequeue).
    {2, "CREATE INDEX moc_relay_by_request ON moc_relay (request_id);"},
    // Idempotent request creation (moc_store.h, MocTransaction::idempotency): the primary key
    // makes a second POST with the key, on any replica, lose in the database.
    {3,
     "CREATE TABLE moc_idempotency_keys ("
     "  tenant_id TEXT NOT NULL,"
     "  idem_key TEXT NOT NULL,"
     "  fingerprint BLOB NOT NULL,"
     "  request_id TEXT NOT NULL,"
     "  created_at INTEGER NOT NULL,"
     "  PRIMARY KEY (tenant_id, idem_key));"},
    // Capacity backed by attestation (moc/model.h DeviceCapacity): where the capacity came
    // from (0 operator, 1 evidence) and the operator's override of an evidence-backed one
    // (slot_limit -1: none; withheld_types: "process,vm", the types it withholds).
    {4,
     "ALTER TABLE moc_devices ADD COLUMN capacity_source INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE moc_devices ADD COLUMN slot_limit INTEGER NOT NULL DEFAULT -1;"
     "ALTER TABLE moc_devices ADD COLUMN withheld_types TEXT NOT NULL DEFAULT '';"},
};

constexpr int kMaxCommitAttempts = 3;

// Callers of the MocStore interface (moc_service.h) tell "the store failed" from refusals by
// moc::Errc; a failure of the database itself is kStoreFailure, with the SQL reason kept in the
// message. moc::Errc refusals pass through unchanged.
Error AsMocError(Error e) {
  if (e.domain() == Domain::kMoc) return e;
  return Error(moc::Errc::kStoreFailure, e.ToString());
}

template <typename T>
Result<T> AsMoc(Result<T> r) {
  if (r.ok()) return r;
  return AsMocError(std::move(r).TakeError());
}

Status AsMoc(Status s) {
  if (s.ok()) return s;
  return AsMocError(std::move(s).TakeError());
}

bool InFlight(const moc::Request& r) {
  return !moc::IsTerminal(r.state) || !r.outbox.empty();
}

// "process,vm": the instance types a device offers, by their API names.
std::string EncodeTypes(const std::vector<moc::InstanceType>& types) {
  std::string out;
  for (moc::InstanceType t : types) {
    if (!out.empty()) out += ',';
    out += moc::InstanceTypeName(t);
  }
  return out;
}

Result<std::vector<moc::InstanceType>> DecodeTypes(std::string_view text) {
  std::vector<moc::InstanceType> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    auto type = moc::ParseInstanceType(name);
    if (!type) return Error(Errc::kBadColumn, "moc_devices.instance_types: bad name");
    out.push_back(*type);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<int64_t> EnumColumn(int64_t value, int64_t max, std::string_view what) {
  if (value < 0 || value > max) {
    return Error(Errc::kBadColumn, std::string(what) + " out of range");
  }
  return value;
}

Result<uint32_t> SlotColumn(int64_t value, std::string_view what) {
  if (value < 0 || value > std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kBadColumn, std::string(what) + " out of range");
  }
  return static_cast<uint32_t>(value);
}

constexpr const char* kTenantColumns = "id, name, token_hash, created_at";
moc::Tenant ReadTenant(const SqlStatement& s) {
  return moc::Tenant{s.ColumnText(0), s.ColumnText(1), s.ColumnBlob(2), s.ColumnInt(3)};
}

// A package row and its summary share every column but the fifth: the envelope itself, or
// only its length (a stored TA is several MiB).
constexpr const char* kPackageColumns = "id, tenant_id, kind, name, envelope, digest, created_at";
constexpr const char* kPackageSummaryColumns =
    "id, tenant_id, kind, name, length(envelope), digest, created_at";

template <typename P>
Status ReadPackageColumns(const SqlStatement& s, P& p) {
  p.id = s.ColumnText(0);
  p.tenant_id = s.ColumnText(1);
  TEEPNET_ASSIGN_OR_RETURN(
      int64_t kind,
      EnumColumn(s.ColumnInt(2), static_cast<int64_t>(moc::PackageKind::kTa), "kind"));
  p.kind = static_cast<moc::PackageKind>(kind);
  p.name = s.ColumnText(3);
  p.digest = s.ColumnBlob(5);
  p.created_at = s.ColumnInt(6);
  return OkStatus();
}

Result<moc::Package> ReadPackage(const SqlStatement& s) {
  moc::Package p;
  TEEPNET_RETURN_IF_ERROR(ReadPackageColumns(s, p));
  p.envelope = s.ColumnBlob(4);
  return p;
}

Result<moc::PackageSummary> ReadPackageSummary(const SqlStatement& s) {
  moc::PackageSummary p;
  TEEPNET_RETURN_IF_ERROR(ReadPackageColumns(s, p));
  p.size = static_cast<uint64_t>(s.ColumnInt(4));
  return p;
}

constexpr const char* kDeviceColumns =
    "device_id, architecture, architecture_attested, instance_types, slots_total, slots_used, "
    "updated_at, capacity_source, slot_limit, withheld_types";
Result<moc::DeviceCapacity> ReadDevice(const SqlStatement& s) {
  moc::DeviceCapacity d;
  d.device_id = s.ColumnText(0);
  TEEPNET_ASSIGN_OR_RETURN(
      int64_t arch,
      EnumColumn(s.ColumnInt(1), static_cast<int64_t>(moc::Architecture::kCsv), "architecture"));
  d.architecture = static_cast<moc::Architecture>(arch);
  d.architecture_attested = s.ColumnInt(2) != 0;
  TEEPNET_ASSIGN_OR_RETURN(d.instance_types, DecodeTypes(s.ColumnText(3)));
  TEEPNET_ASSIGN_OR_RETURN(d.slots_total, SlotColumn(s.ColumnInt(4), "slots_total"));
  TEEPNET_ASSIGN_OR_RETURN(d.slots_used, SlotColumn(s.ColumnInt(5), "slots_used"));
  d.updated_at = s.ColumnInt(6);
  TEEPNET_ASSIGN_OR_RETURN(
      int64_t source,
      EnumColumn(s.ColumnInt(7), static_cast<int64_t>(moc::CapacitySource::kEvidence),
                 "capacity_source"));
  d.source = static_cast<moc::CapacitySource>(source);
  if (s.ColumnInt(8) >= 0) {
    TEEPNET_ASSIGN_OR_RETURN(uint32_t limit, SlotColumn(s.ColumnInt(8), "slot_limit"));
    d.slot_limit = limit;
  }
  TEEPNET_ASSIGN_OR_RETURN(d.withheld_types, DecodeTypes(s.ColumnText(9)));
  return d;
}

constexpr const char* kRelayColumns = "device_id, request_id, target, sealed, digest, queued_at";
Result<moc::RelayBlob> ReadRelay(const SqlStatement& s) {
  moc::RelayBlob b;
  b.device_id = s.ColumnText(0);
  b.request_id = s.ColumnText(1);
  TEEPNET_ASSIGN_OR_RETURN(
      int64_t target,
      EnumColumn(s.ColumnInt(2), static_cast<int64_t>(moc::ChannelTarget::kTa), "target"));
  b.target = static_cast<moc::ChannelTarget>(target);
  b.sealed = s.ColumnBlob(3);
  b.digest = s.ColumnBlob(4);
  b.queued_at = s.ColumnInt(5);
  return b;
}

// Collects every row of a statement whose rows read through `read` (which returns Result<T>).
template <typename T, typename Read>
Result<std::vector<T>> AllRows(SqlStatement& s, Read read) {
  std::vector<T> out;
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    TEEPNET_ASSIGN_OR_RETURN(T value, read(s));
    out.push_back(std::move(value));
  }
  return out;
}

Result<moc::Request> ReadRequest(const SqlStatement& s) {
  return DecodeMocRequest(s.ColumnText(0));
}

Result<int64_t> VersionColumn(uint64_t version) {
  if (version > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Error(Errc::kBadColumn, "request version above 2^63-1");
  }
  return static_cast<int64_t>(version);
}

// The request compare-and-set (moc_store.h, MocTransaction::request).
Status PutRequest(SqlConnection& c, const moc::Request& r) {
  if (r.version == 0) {
    return Error(moc::Errc::kConcurrentUpdate, "request " + r.id + " has version 0");
  }
  TEEPNET_ASSIGN_OR_RETURN(int64_t version, VersionColumn(r.version));
  std::unique_ptr<SqlStatement> s;
  if (r.version == 1) {
    TEEPNET_ASSIGN_OR_RETURN(
        s, c.Prepare("INSERT INTO moc_requests (id, tenant_id, version, in_flight, body) "
                     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING"));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(
        s, c.Prepare("UPDATE moc_requests SET tenant_id = ?2, version = ?3, in_flight = ?4, "
                     "body = ?5 WHERE id = ?1 AND version = ?3 - 1"));
  }
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, r.id));
  TEEPNET_RETURN_IF_ERROR(s->BindText(2, r.tenant_id));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(3, version));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(4, InFlight(r) ? 1 : 0));
  TEEPNET_RETURN_IF_ERROR(s->BindText(5, EncodeMocRequest(r)));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  return Error(moc::Errc::kConcurrentUpdate,
               "request " + r.id + " is no longer at version " + std::to_string(r.version - 1));
}

// INSERT ... ON CONFLICT DO NOTHING, then one changed row or a refusal: on PostgreSQL READ
// COMMITTED a second replica's insert of the same key waits for the first one's transaction and
// then sees its row, so only one request is ever created under a key.
Status PutIdempotencyKey(SqlConnection& c, const moc::IdempotencyRecord& k) {
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, c.Prepare("INSERT INTO moc_idempotency_keys (tenant_id, idem_key, fingerprint, "
                        "request_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT (tenant_id, idem_key) DO NOTHING"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, k.tenant_id));
  TEEPNET_RETURN_IF_ERROR(s->BindText(2, k.key));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(3, k.fingerprint));
  TEEPNET_RETURN_IF_ERROR(s->BindText(4, k.request_id));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(5, k.created_at));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  return Error(moc::Errc::kIdempotencyKeyReused,
               "tenant " + k.tenant_id + " already used this Idempotency-Key");
}

Result<bool> DeviceExists(SqlConnection& c, std::string_view device_id) {
  TEEPNET_ASSIGN_OR_RETURN(auto s, c.Prepare("SELECT 1 FROM moc_devices WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
  return s->Step();
}

Status ReserveSlot(SqlConnection& c, const std::string& device_id) {
  // The operator's override lowers an evidence-backed capacity (model.h slots_offered()).
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, c.Prepare("UPDATE moc_devices SET slots_used = slots_used + 1 "
                        "WHERE device_id = ?1 AND slots_used < slots_total AND "
                        "(capacity_source = 0 OR slot_limit < 0 OR slots_used < slot_limit)"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  TEEPNET_ASSIGN_OR_RETURN(bool exists, DeviceExists(c, device_id));
  if (!exists) return Error(moc::Errc::kNoSuitableDevice, "device " + device_id + " is not known");
  return Error(moc::Errc::kNoCapacity, "device " + device_id + " has no free slot");
}

Status ReleaseSlot(SqlConnection& c, const std::string& device_id) {
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, c.Prepare("UPDATE moc_devices SET slots_used = CASE WHEN slots_used > 0 THEN "
                        "slots_used - 1 ELSE 0 END WHERE device_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
  TEEPNET_RETURN_IF_ERROR(s->Run());
  if (s->Changes() == 1) return OkStatus();
  return Error(moc::Errc::kNoSuitableDevice, "device " + device_id + " is not known");
}

Status Enqueue(SqlConnection& c, const moc::RelayBlob& b) {
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, c.Prepare("INSERT INTO moc_relay (device_id, request_id, target, sealed, digest, "
                        "queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, b.device_id));
  TEEPNET_RETURN_IF_ERROR(s->BindText(2, b.request_id));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(3, static_cast<int64_t>(b.target)));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(4, b.sealed));
  TEEPNET_RETURN_IF_ERROR(s->BindBlob(5, b.digest));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(6, b.queued_at));
  return s->Run();
}

Status Dequeue(SqlConnection& c, const std::string& request_id) {
  TEEPNET_ASSIGN_OR_RETURN(auto s, c.Prepare("DELETE FROM moc_relay WHERE request_id = ?1"));
  TEEPNET_RETURN_IF_ERROR(s->BindText(1, request_id));
  return s->Run();
}

Status Audit(SqlConnection& c, const moc::AuditEntry& e) {
  TEEPNET_ASSIGN_OR_RETURN(auto s, c.Prepare("INSERT INTO moc_audit (at, actor, action, subject, "
                                             "detail) VALUES (?1, ?2, ?3, ?4, ?5)"));
  TEEPNET_RETURN_IF_ERROR(s->BindInt(1, e.at));
  TEEPNET_RETURN_IF_ERROR(s->BindText(2, e.actor));
  TEEPNET_RETURN_IF_ERROR(s->BindText(3, e.action));
  TEEPNET_RETURN_IF_ERROR(s->BindText(4, e.subject));
  TEEPNET_RETURN_IF_ERROR(s->BindText(5, e.detail));
  return s->Run();
}

}  // namespace

int SqlMocStore::CurrentSchemaVersion() {
  return std::end(kMocSchema)[-1].version;
}

Result<std::unique_ptr<SqlMocStore>> SqlMocStore::Open(const std::string& url,
                                                       const PoolOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool, OpenPool(url, options));
  {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool->Acquire());
    TEEPNET_RETURN_IF_ERROR(Migrate(*c, kMocSchema, kMocLedger));
  }
  return std::unique_ptr<SqlMocStore>(new SqlMocStore(std::move(pool)));
}

// --- Tenants ---

Status SqlMocStore::CreateTenant(const moc::Tenant& tenant) {
  auto run = [&]() -> Status {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare("INSERT INTO moc_tenants (id, name, token_hash, "
                                                "created_at) VALUES (?1, ?2, ?3, ?4) "
                                                "ON CONFLICT (id) DO NOTHING"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant.id));
    TEEPNET_RETURN_IF_ERROR(s->BindText(2, tenant.name));
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(3, tenant.token_hash));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(4, tenant.created_at));
    TEEPNET_RETURN_IF_ERROR(s->Run());
    if (s->Changes() != 1) {
      return Error(moc::Errc::kAlreadyExists, "tenant " + tenant.id + " exists");
    }
    return txn.Commit();
  };
  return AsMoc(run());
}

Result<std::optional<moc::Tenant>> SqlMocStore::FindTenant(std::string_view tenant_id) const {
  auto run = [&]() -> Result<std::optional<moc::Tenant>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kTenantColumns +
                                                " FROM moc_tenants WHERE id = ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant_id));
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<moc::Tenant>();
    return std::optional<moc::Tenant>(ReadTenant(*s));
  };
  return AsMoc(run());
}

Result<std::vector<moc::Tenant>> SqlMocStore::ListTenants() const {
  auto run = [&]() -> Result<std::vector<moc::Tenant>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kTenantColumns +
                                                " FROM moc_tenants ORDER BY id"));
    return AllRows<moc::Tenant>(
        *s, [](const SqlStatement& st) -> Result<moc::Tenant> { return ReadTenant(st); });
  };
  return AsMoc(run());
}

// --- Packages ---

Status SqlMocStore::CreatePackage(const moc::Package& package) {
  auto run = [&]() -> Status {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, c->Prepare("INSERT INTO moc_packages (id, tenant_id, kind, name, envelope, "
                           "digest, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                           "ON CONFLICT (id) DO NOTHING"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, package.id));
    TEEPNET_RETURN_IF_ERROR(s->BindText(2, package.tenant_id));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(3, static_cast<int64_t>(package.kind)));
    TEEPNET_RETURN_IF_ERROR(s->BindText(4, package.name));
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(5, package.envelope));
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(6, package.digest));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(7, package.created_at));
    TEEPNET_RETURN_IF_ERROR(s->Run());
    if (s->Changes() != 1) {
      return Error(moc::Errc::kAlreadyExists, "package " + package.id + " exists");
    }
    return txn.Commit();
  };
  return AsMoc(run());
}

Result<std::optional<moc::Package>> SqlMocStore::FindPackage(std::string_view package_id) const {
  auto run = [&]() -> Result<std::optional<moc::Package>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kPackageColumns +
                                                " FROM moc_packages WHERE id = ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, package_id));
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<moc::Package>();
    TEEPNET_ASSIGN_OR_RETURN(moc::Package p, ReadPackage(*s));
    return std::optional<moc::Package>(std::move(p));
  };
  return AsMoc(run());
}

Result<std::vector<moc::Package>> SqlMocStore::ListPackages(std::string_view tenant_id) const {
  auto run = [&]() -> Result<std::vector<moc::Package>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kPackageColumns +
                                                " FROM moc_packages WHERE tenant_id = ?1 "
                                                "ORDER BY id"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant_id));
    return AllRows<moc::Package>(*s, ReadPackage);
  };
  return AsMoc(run());
}

Result<std::vector<moc::PackageSummary>> SqlMocStore::FindPackagesByDigest(
    std::string_view tenant_id, moc::PackageKind kind, ByteView digest) const {
  auto run = [&]() -> Result<std::vector<moc::PackageSummary>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    // The tenant index narrows the scan to one tenant's packages; the envelope itself is not
    // read, only its length.
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kPackageSummaryColumns +
                                                " FROM moc_packages WHERE tenant_id = ?1 "
                                                "AND kind = ?2 AND digest = ?3 ORDER BY id"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant_id));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(2, static_cast<int64_t>(kind)));
    TEEPNET_RETURN_IF_ERROR(s->BindBlob(3, digest));
    return AllRows<moc::PackageSummary>(*s, ReadPackageSummary);
  };
  return AsMoc(run());
}

// --- Devices ---

Status SqlMocStore::PutDeviceCapacity(const moc::DeviceCapacity& device) {
  auto run = [&]() -> Status {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
    // The slots the M/OC counted as used survive a new report (moc_store.h).
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, c->Prepare("INSERT INTO moc_devices (device_id, architecture, "
                           "architecture_attested, instance_types, slots_total, slots_used, "
                           "updated_at, capacity_source, slot_limit, withheld_types) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                           "ON CONFLICT (device_id) DO UPDATE SET "
                           "architecture = excluded.architecture, "
                           "architecture_attested = excluded.architecture_attested, "
                           "instance_types = excluded.instance_types, "
                           "slots_total = excluded.slots_total, "
                           "updated_at = excluded.updated_at, "
                           "capacity_source = excluded.capacity_source"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, device.device_id));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(2, static_cast<int64_t>(device.architecture)));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(3, device.architecture_attested ? 1 : 0));
    TEEPNET_RETURN_IF_ERROR(s->BindText(4, EncodeTypes(device.instance_types)));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(5, device.slots_total));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(6, device.slots_used));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(7, device.updated_at));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(8, static_cast<int64_t>(device.source)));
    // Only a new row takes the override from the report; an existing row keeps its own.
    TEEPNET_RETURN_IF_ERROR(s->BindInt(9, device.slot_limit ? int64_t{*device.slot_limit} : -1));
    TEEPNET_RETURN_IF_ERROR(s->BindText(10, EncodeTypes(device.withheld_types)));
    TEEPNET_RETURN_IF_ERROR(s->Run());
    return txn.Commit();
  };
  return AsMoc(run());
}

Status SqlMocStore::SetCapacityOverride(std::string_view device_id,
                                        std::optional<uint32_t> slot_limit,
                                        const std::vector<moc::InstanceType>& withheld_types) {
  auto run = [&]() -> Status {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*c));
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, c->Prepare("UPDATE moc_devices SET slot_limit = ?2, withheld_types = ?3 "
                           "WHERE device_id = ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(2, slot_limit ? int64_t{*slot_limit} : -1));
    TEEPNET_RETURN_IF_ERROR(s->BindText(3, EncodeTypes(withheld_types)));
    TEEPNET_RETURN_IF_ERROR(s->Run());
    if (s->Changes() != 1) {
      return Error(moc::Errc::kNoSuitableDevice,
                   "device " + std::string(device_id) + " is not known");
    }
    return txn.Commit();
  };
  return AsMoc(run());
}

Result<std::optional<moc::DeviceCapacity>> SqlMocStore::FindDevice(
    std::string_view device_id) const {
  auto run = [&]() -> Result<std::optional<moc::DeviceCapacity>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kDeviceColumns +
                                                " FROM moc_devices WHERE device_id = ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<moc::DeviceCapacity>();
    TEEPNET_ASSIGN_OR_RETURN(moc::DeviceCapacity d, ReadDevice(*s));
    return std::optional<moc::DeviceCapacity>(std::move(d));
  };
  return AsMoc(run());
}

Result<std::vector<moc::DeviceCapacity>> SqlMocStore::ListDevices() const {
  auto run = [&]() -> Result<std::vector<moc::DeviceCapacity>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kDeviceColumns +
                                                " FROM moc_devices ORDER BY device_id"));
    return AllRows<moc::DeviceCapacity>(*s, ReadDevice);
  };
  return AsMoc(run());
}

// --- Requests ---

Result<std::optional<moc::Request>> SqlMocStore::FindRequest(std::string_view request_id) const {
  auto run = [&]() -> Result<std::optional<moc::Request>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare("SELECT body FROM moc_requests WHERE id = ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, request_id));
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<moc::Request>();
    TEEPNET_ASSIGN_OR_RETURN(moc::Request r, ReadRequest(*s));
    return std::optional<moc::Request>(std::move(r));
  };
  return AsMoc(run());
}

Result<std::vector<moc::Request>> SqlMocStore::ListRequests(std::string_view tenant_id) const {
  auto run = [&]() -> Result<std::vector<moc::Request>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, c->Prepare("SELECT body FROM moc_requests WHERE tenant_id = ?1 ORDER BY id"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant_id));
    return AllRows<moc::Request>(*s, ReadRequest);
  };
  return AsMoc(run());
}

Result<std::vector<moc::Request>> SqlMocStore::ListInFlightRequests() const {
  auto run = [&]() -> Result<std::vector<moc::Request>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(
        auto s,
        statements_.Prepare(*c, "SELECT body FROM moc_requests WHERE in_flight = 1 ORDER BY id"));
    return AllRows<moc::Request>(*s, ReadRequest);
  };
  return AsMoc(run());
}

Result<bool> SqlMocStore::AnyRequestInFlight() const {
  auto run = [&]() -> Result<bool> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    // The in_flight index answers this without reading a request body.
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, statements_.Prepare(*c, "SELECT 1 FROM moc_requests WHERE in_flight = 1 LIMIT 1"));
    return s->Step();
  };
  return AsMoc(run());
}

Result<std::optional<moc::IdempotencyRecord>> SqlMocStore::FindIdempotencyKey(
    std::string_view tenant_id, std::string_view key) const {
  auto run = [&]() -> Result<std::optional<moc::IdempotencyRecord>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(
        auto s, c->Prepare("SELECT tenant_id, idem_key, fingerprint, request_id, created_at "
                           "FROM moc_idempotency_keys WHERE tenant_id = ?1 AND idem_key = ?2"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, tenant_id));
    TEEPNET_RETURN_IF_ERROR(s->BindText(2, key));
    TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<moc::IdempotencyRecord>();
    return std::optional<moc::IdempotencyRecord>(moc::IdempotencyRecord{
        s->ColumnText(0), s->ColumnText(1), s->ColumnBlob(2), s->ColumnText(3), s->ColumnInt(4)});
  };
  return AsMoc(run());
}

// --- Relay and audit ---

Result<std::vector<moc::RelayBlob>> SqlMocStore::PendingRelay(std::string_view device_id) const {
  auto run = [&]() -> Result<std::vector<moc::RelayBlob>> {
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s, c->Prepare(std::string("SELECT ") + kRelayColumns +
                                                " FROM moc_relay WHERE device_id = ?1 "
                                                "ORDER BY rowid"));
    TEEPNET_RETURN_IF_ERROR(s->BindText(1, device_id));
    return AllRows<moc::RelayBlob>(*s, ReadRelay);
  };
  return AsMoc(run());
}

Result<std::vector<moc::AuditEntry>> SqlMocStore::RecentAudit(size_t max_entries) const {
  auto run = [&]() -> Result<std::vector<moc::AuditEntry>> {
    const int64_t limit = static_cast<int64_t>(
        std::min<size_t>(max_entries, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
    TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
    TEEPNET_ASSIGN_OR_RETURN(auto s,
                             c->Prepare("SELECT at, actor, action, subject, detail FROM moc_audit "
                                        "ORDER BY rowid DESC LIMIT ?1"));
    TEEPNET_RETURN_IF_ERROR(s->BindInt(1, limit));
    TEEPNET_ASSIGN_OR_RETURN(
        std::vector<moc::AuditEntry> newest_first,
        (AllRows<moc::AuditEntry>(*s, [](const SqlStatement& st) -> Result<moc::AuditEntry> {
          return moc::AuditEntry{st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2),
                                 st.ColumnText(3), st.ColumnText(4)};
        })));
    // Oldest first, as the log was written (the in-memory store's order).
    return std::vector<moc::AuditEntry>(newest_first.rbegin(), newest_first.rend());
  };
  return AsMoc(run());
}

// --- One step ---

Status SqlMocStore::Commit(const moc::MocTransaction& txn) {
  // A PostgreSQL deadlock between two steps locking a device row and a request row in
  // opposite orders (or SQLite's lock held past busy_timeout) ends one of them with nothing
  // applied; the step's writes do not depend on what the transaction read, so running it
  // again is safe and the version check still decides.
  Status status = CommitOnce(txn);
  for (int attempt = 1;
       attempt < kMaxCommitAttempts && !status.ok() &&
       (status.error().Is(Errc::kSerializationFailure) || status.error().Is(Errc::kBusy));
       ++attempt) {
    status = CommitOnce(txn);
  }
  return AsMoc(std::move(status));
}

Status SqlMocStore::CommitOnce(const moc::MocTransaction& txn) {
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease c, pool_->Acquire());
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction t, SqlTransaction::Begin(*c));
  // Same order of checks as InMemoryMocStore, so both refuse a step with the same reason.
  if (txn.idempotency) TEEPNET_RETURN_IF_ERROR(PutIdempotencyKey(*c, *txn.idempotency));
  if (txn.request) TEEPNET_RETURN_IF_ERROR(PutRequest(*c, *txn.request));
  if (txn.reserve_slot) TEEPNET_RETURN_IF_ERROR(ReserveSlot(*c, *txn.reserve_slot));
  if (txn.release_slot) TEEPNET_RETURN_IF_ERROR(ReleaseSlot(*c, *txn.release_slot));
  if (txn.enqueue) TEEPNET_RETURN_IF_ERROR(Enqueue(*c, *txn.enqueue));
  if (txn.dequeue) TEEPNET_RETURN_IF_ERROR(Dequeue(*c, *txn.dequeue));
  for (const moc::AuditEntry& e : txn.audit) TEEPNET_RETURN_IF_ERROR(Audit(*c, e));
  return t.Commit();
}

}  // namespace teepnet::store
