// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-05-01T12:00:00.123Z","level":"info","prog":"teepnet-moc","event":"listening",
//    "address":"127.0.0.1:8080"}
// Lines are written whole under a lock, so threads never interleave inside a line.
#ifndef TEEPNET_SERVICES_COMMON_JSON_LOG_H_
#define TEEPNET_SERVICES_COMMON_JSON_LOG_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace teepnet::common {

// The fields of a flat line (strings and integers), rendered straight into the line without
// building a nlohmann::json tree: for lines on hot paths (one per TEEP request). The line is
// byte for byte the one the nlohmann::json overloads print for an object of the same fields
// (members in key order, a later Add of a key replacing the earlier one).
class LogFields {
 public:
  LogFields& Add(std::string_view key, std::string_view value);
  LogFields& Add(std::string_view key, uint64_t value);
  LogFields& Add(std::string_view key, int64_t value);

 private:
  friend class JsonLog;
  struct Field {
    std::string key;
    std::string json;  // the value as JSON text
  };
  LogFields& Set(std::string_view key, std::string json);
  std::vector<Field> fields_;
};

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

  void Info(std::string_view event, const LogFields& fields) const {
    WriteLine(Format("info", event, fields));
  }
  void Warn(std::string_view event, const LogFields& fields) const {
    WriteLine(Format("warn", event, fields));
  }
  void Error(std::string_view event, const LogFields& fields) const {
    WriteLine(Format("error", event, fields));
  }

  // The line that Write would print (tests check the format with it).
  std::string Format(std::string_view level, std::string_view event, nlohmann::json fields) const;
  std::string Format(std::string_view level, std::string_view event, const LogFields& fields) const;

 private:
  void Write(std::string_view level, std::string_view event, nlohmann::json fields) const;
  void WriteLine(const std::string& line) const;
  std::string program_;
  int fd_;
};

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_JSON_LOG_H_
