// StatementCache: SQL statements compiled once per SQLite connection and lent out for one use.
//
//   TEEPNET_ASSIGN_OR_RETURN(StatementCache::Lent s, cache_.Prepare(*lease, "SELECT ..."));
//   TEEPNET_RETURN_IF_ERROR(s->BindBlob(1, id));   // reset when `s` goes
//
// Compiling a statement (sqlite3_prepare_v2) cost more than running the short statements of a
// TEEP step (docs/PERFORMANCE.md, rounds 2 and 3), so a store keeps each SQLite connection's
// statements by SQL text. SQLite connections live as long as their pool (never reported
// unhealthy), so keying by the connection's address is safe. PostgreSQL connections can be
// dropped, so there each Prepare compiles a fresh statement owned by the Lent object.
//
// A lent statement is reset (cursor closed, bindings cleared) when the Lent object goes, so a
// cached statement never holds a read snapshot open between calls. Only the thread holding a
// connection's lease uses that connection's statements; the cache's lock guards its maps.
//
// The owner must declare the cache after its connection pools, so the statements are
// finalized before their connections close.
#ifndef TEEPNET_STORE_STATEMENT_CACHE_H_
#define TEEPNET_STORE_STATEMENT_CACHE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/store/sql.h"

namespace teepnet::store {

class StatementCache {
 public:
  // A statement lent for one use.
  class Lent {
   public:
    Lent(SqlStatement* cached, std::unique_ptr<SqlStatement> owned)
        : s_(cached != nullptr ? cached : owned.get()), owned_(std::move(owned)) {}
    Lent(Lent&& other) noexcept
        : s_(std::exchange(other.s_, nullptr)), owned_(std::move(other.owned_)) {}
    Lent& operator=(Lent&&) = delete;
    Lent(const Lent&) = delete;
    Lent& operator=(const Lent&) = delete;
    ~Lent() {
      if (s_ != nullptr && owned_ == nullptr) s_->Reset();
    }
    SqlStatement* operator->() const { return s_; }
    SqlStatement& operator*() const { return *s_; }

   private:
    SqlStatement* s_;
    std::unique_ptr<SqlStatement> owned_;
  };

  // SQL text numbered once per process, so a lookup indexes the connection's statements
  // instead of hashing and comparing the text (a TEEP exchange looks up ~18 statements of
  // 60-250 bytes each). Meant as a namespace-scope constant of the store:
  //   const StatementCache::Sql kFindDevice("SELECT ... WHERE device_id = ?1");
  class Sql {
   public:
    // `text` must outlive every cache it is prepared in (a string literal).
    explicit Sql(std::string_view text);
    std::string_view text() const { return text_; }

   private:
    friend class StatementCache;
    std::string_view text_;
    size_t id_;
  };

  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // `sql` prepared on `c`: from the cache on SQLite, freshly compiled on PostgreSQL.
  Result<Lent> Prepare(SqlConnection& c, std::string_view sql);
  Result<Lent> Prepare(SqlConnection& c, const Sql& sql);

 private:
  // Looks statements up by the caller's string_view without building a std::string.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using ByText =
      std::unordered_map<std::string, std::unique_ptr<SqlStatement>, TextHash, std::equal_to<>>;
  // One connection's statements: by text, and by Sql number (null until first prepared).
  struct Compiled {
    ByText by_text;
    std::vector<std::unique_ptr<SqlStatement>> by_id;
  };

  std::mutex mu_;
  std::unordered_map<const SqlConnection*, Compiled> statements_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_STATEMENT_CACHE_H_
