#include "teepnet/store/statement_cache.h"

namespace teepnet::store {

Result<StatementCache::Lent> StatementCache::Prepare(SqlConnection& c, std::string_view sql) {
  if (c.dialect() != Dialect::kSqlite) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> fresh, c.Prepare(sql));
    return Lent(nullptr, std::move(fresh));
  }
  std::lock_guard<std::mutex> lock(mu_);
  ByText& mine = statements_[&c];
  auto it = mine.find(sql);
  if (it == mine.end()) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> compiled, c.Prepare(sql));
    it = mine.emplace(std::string(sql), std::move(compiled)).first;
  }
  return Lent(it->second.get(), nullptr);
}

}  // namespace teepnet::store
