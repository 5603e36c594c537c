// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-05-01T12:00:00.123Z","level":"info","prog":"teepnet-moc","event":"listening",
//    "address":"127.0.0.1:8080"}
// Lines are written whole under a lock, so threads never interleave inside a line.
#ifndef TEEPNET_SERVICES_COMMON_JSON_LOG_H_
#define TEEPNET_SERVICES_COMMON_JSON_LOG_H_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace teepnet::common {

class JsonLog {
 public:
  // `program` names the process in every line. `fd` is where lines go (stderr by default).
  explicit JsonLog(std::string program, int fd = 2) : program_(std::move(program)), fd_(fd) {}

  void Info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    Write("info", event, std::move(fields));
  }
  void Warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    Write("warn", event, std::move(fields));
  }
  void Error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    Write("error", event, std::move(fields));
  }

  // The line that Write would print (tests check the format with it).
  std::string Format(std::string_view level, std::string_view event, nlohmann::json fields) const;

 private:
  void Write(std::string_view level, std::string_view event, nlohmann::json fields) const;
  std::string program_;
  int fd_;
};

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_JSON_LOG_H_
