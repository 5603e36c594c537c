#include "teepnet/store/sql_dialect.h"

namespace teepnet::store {

namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string_view Marker(Dialect dialect, std::string_view name) {
  const bool pg = dialect == Dialect::kPostgres;
  if (name == "serial") {
    return pg ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
              : "INTEGER PRIMARY KEY AUTOINCREMENT";
  }
  if (name == "rowid") return pg ? "rowid BIGINT GENERATED ALWAYS AS IDENTITY," : "";
  return {};
}

std::string_view Word(Dialect dialect, std::string_view word) {
  if (dialect != Dialect::kPostgres) return word;
  if (word == "BLOB") return "BYTEA";
  if (word == "INTEGER") return "BIGINT";
  return word;
}

}  // namespace

std::string TranslateSql(Dialect dialect, std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted literal or identifier; a doubled quote inside it is an escaped quote.
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = end < sql.size() ? end + 1 : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '{' && sql.substr(i, 2) == "{{") {
      size_t close = sql.find("}}", i + 2);
      if (close == std::string_view::npos) {
        out.append(sql.substr(i));
        break;
      }
      out.append(Marker(dialect, sql.substr(i + 2, close - i - 2)));
      i = close + 2;
    } else if (c == '?' && dialect == Dialect::kPostgres) {
      out.push_back('$');
      ++i;
    } else if (IsWordChar(c)) {
      size_t end = i;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
      out.append(Word(dialect, sql.substr(i, end - i)));
      i = end;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace teepnet::store
