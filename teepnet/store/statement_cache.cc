#include "teepnet/store/statement_cache.h"

#include <atomic>

namespace teepnet::store {

namespace {

// Numbers handed to Sql constants; a function-local static, so constants in any translation
// unit may be initialised in any order.
std::atomic<size_t>& NextSqlId() {
  static std::atomic<size_t> next{0};
  return next;
}

}  // namespace

StatementCache::Sql::Sql(std::string_view text)
    : text_(text), id_(NextSqlId().fetch_add(1, std::memory_order_relaxed)) {}

Result<StatementCache::Lent> StatementCache::Prepare(SqlConnection& c, std::string_view sql) {
  if (c.dialect() != Dialect::kSqlite) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> fresh, c.Prepare(sql));
    return Lent(nullptr, std::move(fresh));
  }
  std::lock_guard<std::mutex> lock(mu_);
  ByText& mine = statements_[&c].by_text;
  auto it = mine.find(sql);
  if (it == mine.end()) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> compiled, c.Prepare(sql));
    it = mine.emplace(std::string(sql), std::move(compiled)).first;
  }
  return Lent(it->second.get(), nullptr);
}

Result<StatementCache::Lent> StatementCache::Prepare(SqlConnection& c, const Sql& sql) {
  if (c.dialect() != Dialect::kSqlite) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> fresh, c.Prepare(sql.text_));
    return Lent(nullptr, std::move(fresh));
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::unique_ptr<SqlStatement>>& mine = statements_[&c].by_id;
  if (sql.id_ >= mine.size()) mine.resize(sql.id_ + 1);
  std::unique_ptr<SqlStatement>& slot = mine[sql.id_];
  if (slot == nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(slot, c.Prepare(sql.text_));
  }
  return Lent(slot.get(), nullptr);
}

}  // namespace teepnet::store
