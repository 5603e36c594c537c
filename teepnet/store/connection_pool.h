// Where a store lives, as a URL, and a thread-safe pool of connections to it.
//
//   sqlite:PATH or a bare PATH          one SQLite file (WAL); the pool holds one connection,
//                                        so calls are serialised (SQLite has one writer anyway)
//   postgres://user@host:port/db        PostgreSQL (also postgresql://; libpq URI syntax);
//                                        up to max_connections sessions, opened on demand
//
// The M/OC serves many HTTP threads; each store call acquires a connection for its duration
// and gives it back. Connections that broke are dropped, not reused.
#ifndef TEEPNET_STORE_CONNECTION_POOL_H_
#define TEEPNET_STORE_CONNECTION_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/store/database.h"
#include "teepnet/store/sql.h"

namespace teepnet::store {

struct StoreUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string target;  // the SQLite path, or the whole PostgreSQL URL for libpq
};
// kBadUrl for an empty URL or an unknown scheme.
Result<StoreUrl> ParseStoreUrl(const std::string& url);

struct PoolOptions {
  // PostgreSQL sessions at most (SQLite always uses one connection).
  size_t max_connections = 8;
  DatabaseOptions sqlite;
};

class ConnectionPool {
 public:
  using Connector = std::function<Result<std::unique_ptr<SqlConnection>>()>;

  // A connection lent to one caller; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    SqlConnection& operator*() const { return *connection_; }
    SqlConnection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<SqlConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ConnectionPool* pool_;
    std::unique_ptr<SqlConnection> connection_;
  };

  ConnectionPool(Dialect dialect, size_t max_connections, Connector connector)
      : dialect_(dialect), max_connections_(max_connections), connector_(std::move(connector)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Waits while max_connections are lent out; connects when none is idle. A caller must not
  // hold two leases at once (with one connection that would wait forever).
  Result<Lease> Acquire();
  Dialect dialect() const { return dialect_; }

 private:
  void Release(std::unique_ptr<SqlConnection> connection);

  const Dialect dialect_;
  const size_t max_connections_;
  Connector connector_;
  std::mutex mu_;
  std::condition_variable idle_;
  std::vector<std::unique_ptr<SqlConnection>> free_;
  size_t open_ = 0;  // lent out + idle + being connected
};

// Opens the store at `url` and makes sure one connection works.
Result<std::unique_ptr<ConnectionPool>> OpenPool(const std::string& url,
                                                 const PoolOptions& options = {});
// Up to `connections` further connections to the SQLite file `url` names, for lookups beside
// its one writer (WAL lets them read while it writes). One pool rather than one pool per
// connection, so a caller waits only when every reader is busy. kBadUrl for PostgreSQL.
Result<std::unique_ptr<ConnectionPool>> OpenSqliteReaders(const std::string& url,
                                                          const PoolOptions& options,
                                                          size_t connections);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_CONNECTION_POOL_H_
