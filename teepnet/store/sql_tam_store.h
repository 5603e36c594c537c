// SqlTamStore: the TAM's state (tam/tam_store.h) in SQLite (one file, WAL) or PostgreSQL
// (shared by several M/OC replicas), through the neutral SQL layer (sql.h).
//
// Each TamStore call runs as one transaction committed (SQLite synchronous=FULL, PostgreSQL
// COMMIT) before the call returns, so when TamCore hands its reply to the HTTP layer the state
// that reply depends on is already durable (DESIGN §6: "every protocol step that changes state
// commits before the reply leaves").
//
// Group commit (SQLite): concurrent Commit() calls are batched. The first caller to find no
// batch running becomes the committer: it takes every queued step, runs each inside its own
// SAVEPOINT of one BEGIN IMMEDIATE transaction (a step that fails is rolled back to its
// savepoint alone, so each step stays all-or-nothing and the token compare-and-set still runs
// in queue order), COMMITs once, and only then releases every caller of the batch. With
// synchronous=FULL that COMMIT syncs the WAL, so one fsync makes the whole batch durable and no
// caller returns before its own step is durable (synchronous=NORMAL would not do: in WAL mode
// it syncs only at checkpoints, so a power loss could undo a step whose reply already left).
// Callers arriving meanwhile queue for the next batch; when a batch is committed its committer
// wakes the first of them to commit the next one, then each caller of its own batch (each
// waits on its own condition variable, so nobody is woken only to sleep again). PostgreSQL
// keeps one transaction per call (several sessions commit in parallel).
//
// Token consumption is a compare-and-set in SQL (UPDATE ... WHERE consumed = 0, then a check
// that exactly one row changed): on PostgreSQL a second replica's UPDATE waits for the first
// one's row lock and then re-checks consumed = 0 on the committed row (READ COMMITTED), so two
// processes never both accept one token. A self-authenticating QueryRequest token, which was
// never stored, is recorded as used by an INSERT ... ON CONFLICT DO NOTHING on the primary key
// of used_query_tokens (same check: exactly one row inserted): scalar columns only (token,
// device, issue and expiry time; since schema version 3), which PurgeTokens empties of
// expired rows like the tokens table, and which RemoveDevice leaves alone, so a device removed
// and enrolled again still cannot replay a response it sent before.
//
// Tables (see kTamSchema in the .cc): devices, packages, desired_state, device_status, tokens,
// used_query_tokens, plus schema_migrations. Scalar members that queries select on have their
// own columns; the nested per-device structures are one column each: the device status and
// desired state in deterministic CBOR (tam_state_cbor.h, since schema version 2), the details
// of the tokens the store issues (Update tokens) in JSON (tam_state_json.h).
//
// Thread-safe: each call takes a connection from the pool (connection_pool.h) for its
// duration (on an SQLite file, lookups use separate reader connections: see Open in the .cc);
// no state is cached in memory (only compiled statements), so every replica sees the same
// state (DESIGN §9).
#ifndef TEEPNET_STORE_SQL_TAM_STORE_H_
#define TEEPNET_STORE_SQL_TAM_STORE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "teepnet/store/connection_pool.h"
#include "teepnet/store/migrations.h"
#include "teepnet/store/statement_cache.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::store {

struct SqlTamStoreOptions {
  PoolOptions pool;
  // At most this many unconsumed tokens per device; issuing one more deletes the oldest
  // (digest §5: "an optional per-device cap that evicts the oldest entry").
  size_t max_tokens_per_device = 16;
};

class SqlTamStore final : public tam::TamStore {
 public:
  // Opens the store at `url` (connection_pool.h: sqlite:PATH, a bare path, postgres://...),
  // creating an SQLite file when missing, and migrates it to the current schema.
  static Result<std::unique_ptr<SqlTamStore>> Open(const std::string& url,
                                                   const SqlTamStoreOptions& options = {});

  Status PutDevice(const tam::DeviceRecord& device) override;
  Status RemoveDevice(ByteView device_id) override;
  Result<std::optional<tam::DeviceRecord>> FindDevice(ByteView device_id) const override;
  Result<std::vector<tam::DeviceRecord>> ListDevices() const override;
  Status PutPackage(const tam::Package& package) override;
  Result<std::optional<tam::Package>> FindPackage(const suit::ComponentId& manifest_id,
                                                  uint64_t sequence_number) const override;
  Result<std::optional<tam::Package>> FindLatestPackage(
      const suit::ComponentId& manifest_id) const override;
  Result<tam::DesiredState> GetDesiredState(ByteView device_id) const override;
  Status SetDesiredState(ByteView device_id, const tam::DesiredState& desired) override;
  Result<std::optional<tam::DeviceStatus>> GetStatus(ByteView device_id) const override;
  Result<std::optional<tam::TokenRecord>> FindToken(ByteView token) const override;
  Result<size_t> PurgeTokens(int64_t now_unix) override;
  Status Commit(const tam::TamTransaction& txn) override;

  // The schema version this build writes.
  static int CurrentSchemaVersion();
  // Every migration of the schema, in order (append-only): tests build a database as an
  // older version wrote it from a prefix of this list.
  static std::span<const Migration> Schema();
  Dialect dialect() const { return pool_->dialect(); }

 private:
  SqlTamStore(std::unique_ptr<ConnectionPool> pool, std::unique_ptr<ConnectionPool> readers,
              SqlTamStoreOptions options)
      : pool_(std::move(pool)), readers_(std::move(readers)), options_(options) {}

  // Where lookups run: a reader connection (SQLite file), else the pool itself.
  ConnectionPool& ReadPool() const;

  // A statement lent for one use (statement_cache.h): compiled once per SQLite connection
  // (compiling was the largest single CPU cost of a TEEP step in a profile), reset when it goes.
  using Prepared = StatementCache::Lent;
  Result<Prepared> Prepare(SqlConnection& c, std::string_view sql) const;
  // The same for a numbered constant (statement_cache.h): no hashing of the text per call.
  Result<Prepared> Prepare(SqlConnection& c, const StatementCache::Sql& sql) const;

  // What a group commit's committer hands a waiting caller: nothing yet, the next batch to
  // commit, or its step's outcome.
  enum class CommitTurn : uint8_t { kWaiting, kLead, kDone };
  struct PendingCommit;
  Status CommitOnce(const tam::TamTransaction& txn);
  Status Apply(SqlConnection& c, const tam::TamTransaction& txn);
  Status GroupCommit(const tam::TamTransaction& txn);
  void RunBatch(const std::vector<PendingCommit*>& batch);
  static void Signal(PendingCommit* p, CommitTurn turn);
  Status ConsumeToken(SqlConnection& c, ByteView token, const std::optional<tam::DeviceId>& device);
  Status RecordUsedToken(SqlConnection& c, const tam::TokenRecord& token,
                         const std::optional<tam::DeviceId>& device);
  Result<std::optional<tam::TokenRecord>> FindUsedToken(SqlConnection& c, ByteView token) const;
  Status IssueToken(SqlConnection& c, const tam::TokenRecord& token);
  Status PutStatus(SqlConnection& c, ByteView device_id, const tam::DeviceStatus& status);
  Status PutDesired(SqlConnection& c, ByteView device_id, const tam::DesiredState& desired);

  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<ConnectionPool> readers_;  // SQLite file: the lookups' connections
  SqlTamStoreOptions options_;

  // Prepared statements per SQLite connection, by SQL text. Declared after the pools, so they
  // are finalized before their connections close.
  mutable StatementCache statements_;

  // Group commit (SQLite): steps waiting for the next batch, and whether a batch is running
  // or handed to its committer. Each waiter sleeps on its own PendingCommit.
  std::mutex group_mu_;
  std::vector<PendingCommit*> queued_;
  bool committing_ = false;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_TAM_STORE_H_
