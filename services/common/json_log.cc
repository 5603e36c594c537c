#include "services/common/json_log.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <mutex>

namespace teepnet::common {

namespace {

std::mutex& LogMutex() {
  static std::mutex mu;
  return mu;
}

std::string UtcTimestamp() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm utc{};
  gmtime_r(&now.tv_sec, &utc);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                now.tv_nsec / 1000000L);
  return buf;
}

// Appends `s` as a JSON string exactly as nlohmann::json's dump(-1, ' ', false, replace)
// writes it: '"' and '\\' escaped, the control characters as \b \t \n \f \r or \u00xx,
// everything else as is. A string with any byte above 0x7F goes through nlohmann itself, so
// invalid UTF-8 is replaced the same way.
void AppendJsonString(std::string& out, std::string_view s) {
  if (std::any_of(s.begin(), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) > 0x7F; })) {
    out += nlohmann::json(std::string(s))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string JsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendJsonString(out, s);
  return out;
}

template <class Int>
std::string JsonInteger(Int value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 32 characters hold any 64-bit integer
  return std::string(buf, end);
}

}  // namespace

LogFields& LogFields::Set(std::string_view key, std::string json) {
  for (Field& f : fields_) {
    if (f.key == key) {
      f.json = std::move(json);
      return *this;
    }
  }
  fields_.push_back({std::string(key), std::move(json)});
  return *this;
}

LogFields& LogFields::Add(std::string_view key, std::string_view value) {
  return Set(key, JsonString(value));
}

LogFields& LogFields::Add(std::string_view key, uint64_t value) {
  return Set(key, JsonInteger(value));
}

LogFields& LogFields::Add(std::string_view key, int64_t value) {
  return Set(key, JsonInteger(value));
}

std::string JsonLog::Format(std::string_view level, std::string_view event,
                            const LogFields& fields) const {
  // The members of the nlohmann::json object the other overload builds, in its (std::map)
  // key order, standard members only where the caller did not set them.
  std::vector<const LogFields::Field*> members;
  members.reserve(fields.fields_.size() + 4);
  for (const LogFields::Field& f : fields.fields_) members.push_back(&f);
  const std::string_view level_text = level;
  LogFields standard;
  auto add_standard = [&](std::string_view key, std::string_view value) {
    for (const LogFields::Field& f : fields.fields_) {
      if (f.key == key) return;
    }
    standard.Add(key, value);
  };
  add_standard("ts", UtcTimestamp());
  add_standard("level", level_text);
  add_standard("prog", program_);
  add_standard("event", event);
  for (const LogFields::Field& f : standard.fields_) members.push_back(&f);
  std::sort(members.begin(), members.end(),
            [](const LogFields::Field* a, const LogFields::Field* b) { return a->key < b->key; });
  std::string line;
  size_t size = 3;
  for (const LogFields::Field* m : members) size += m->key.size() + m->json.size() + 4;
  line.reserve(size);
  line += '{';
  for (const LogFields::Field* m : members) {
    if (line.size() > 1) line += ',';
    AppendJsonString(line, m->key);
    line += ':';
    line += m->json;
  }
  line += "}\n";
  return line;
}

std::string JsonLog::Format(std::string_view level, std::string_view event,
                            nlohmann::json fields) const {
  // The caller's fields become the line (moved, not copied member by member); the standard
  // members are added only where the caller did not set them, so a field still wins over a
  // standard member of the same name, as it always did.
  nlohmann::json line = fields.is_object() ? std::move(fields) : nlohmann::json::object();
  line.emplace("ts", UtcTimestamp());
  line.emplace("level", level);
  line.emplace("prog", program_);
  line.emplace("event", event);
  // `replace` keeps a line valid JSON even when a peer sent invalid UTF-8 we log.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void JsonLog::Write(std::string_view level, std::string_view event, nlohmann::json fields) const {
  WriteLine(Format(level, event, std::move(fields)));
}

void JsonLog::WriteLine(const std::string& line) const {
  std::lock_guard<std::mutex> lock(LogMutex());
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n <= 0) return;  // logging never fails the caller
    done += static_cast<size_t>(n);
  }
}

}  // namespace teepnet::common
