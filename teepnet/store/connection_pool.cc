#include "teepnet/store/connection_pool.h"

#include <utility>

#include "teepnet/store/errc.h"
#include "teepnet/store/pg_connection.h"
#include "teepnet/store/sqlite_connection.h"

namespace teepnet::store {

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  if (url.empty()) return Error(Errc::kBadUrl, "empty store URL");
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return StoreUrl{Dialect::kPostgres, url};
  }
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) {
      return Error(Errc::kBadUrl, "write sqlite:PATH (sqlite:/var/lib/moc.db), not sqlite://");
    }
    if (path.empty()) return Error(Errc::kBadUrl, "sqlite: URL without a path");
    return StoreUrl{Dialect::kSqlite, path};
  }
  if (url.find("://") != std::string::npos) {
    return Error(Errc::kBadUrl, "unknown store URL scheme in " + url.substr(0, url.find("://")) +
                                    "://... (use sqlite:PATH or postgres://)");
  }
  return StoreUrl{Dialect::kSqlite, url};
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Release(std::move(connection_));
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return !free_.empty() || open_ < max_connections_; });
  if (!free_.empty()) {
    std::unique_ptr<SqlConnection> connection = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  Result<std::unique_ptr<SqlConnection>> connection = connector_();
  if (!connection.ok()) {
    lock.lock();
    --open_;
    idle_.notify_one();
    return connection.error();
  }
  return Lease(this, std::move(connection).value());
}

void ConnectionPool::Release(std::unique_ptr<SqlConnection> connection) {
  // A connection left inside a transaction or cut off is closed rather than reused.
  bool keep = connection->healthy();
  if (!keep) connection.reset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (keep) {
      free_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  // Notified after unlocking, so the woken caller does not block on mu_ straight away (the
  // pool outlives every lease, so the condition variable is still there).
  idle_.notify_one();
}

namespace {

ConnectionPool::Connector SqliteConnector(const std::string& path, const DatabaseOptions& options) {
  return [path, options]() -> Result<std::unique_ptr<SqlConnection>> {
    TEEPNET_ASSIGN_OR_RETURN(auto connection, SqliteConnection::Open(path, options));
    return std::unique_ptr<SqlConnection>(std::move(connection));
  };
}

}  // namespace

Result<std::unique_ptr<ConnectionPool>> OpenPool(const std::string& url,
                                                 const PoolOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  std::unique_ptr<ConnectionPool> pool;
  if (parsed.dialect == Dialect::kSqlite) {
    pool = std::make_unique<ConnectionPool>(Dialect::kSqlite, 1,
                                            SqliteConnector(parsed.target, options.sqlite));
  } else {
    if (options.max_connections == 0) return Error(Errc::kBadUrl, "max_connections is 0");
    pool = std::make_unique<ConnectionPool>(
        Dialect::kPostgres, options.max_connections,
        [target = parsed.target]() { return ConnectPostgres(target); });
  }
  // Fail at open time, not on the first request, when the store cannot be reached; the
  // connection stays in the pool.
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease first, pool->Acquire());
  return pool;
}

Result<std::unique_ptr<ConnectionPool>> OpenSqliteReaders(const std::string& url,
                                                          const PoolOptions& options,
                                                          size_t connections) {
  TEEPNET_ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.dialect != Dialect::kSqlite) {
    return Error(Errc::kBadUrl, "reader connections are for an SQLite file");
  }
  if (connections == 0) return Error(Errc::kBadUrl, "no reader connections asked for");
  auto pool = std::make_unique<ConnectionPool>(Dialect::kSqlite, connections,
                                               SqliteConnector(parsed.target, options.sqlite));
  TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease first, pool->Acquire());
  return pool;
}

}  // namespace teepnet::store
