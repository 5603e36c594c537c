#include "services/common/json_log.h"

#include <time.h>
#include <unistd.h>

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

}  // namespace

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
  std::string line = Format(level, event, std::move(fields));
  std::lock_guard<std::mutex> lock(LogMutex());
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n <= 0) return;  // logging never fails the caller
    done += static_cast<size_t>(n);
  }
}

}  // namespace teepnet::common
