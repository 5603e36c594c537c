// A small command-line parser for the service programs: `--name VALUE`, `--name=VALUE` and
// boolean `--name`, positional arguments in order, `--help`. Every flag carries its help
// text, so `--help` documents every flag by construction.
//
//   std::string listen = "127.0.0.1:8080";
//   FlagSet flags("teepnet-moc serve", "Runs the M/OC.");
//   flags.String("listen", &listen, "ADDR:PORT", "where the TAM endpoint listens");
//   TEEPNET_ASSIGN_OR_RETURN(auto positional, flags.Parse(args));
#ifndef TEEPNET_SERVICES_COMMON_FLAGS_H_
#define TEEPNET_SERVICES_COMMON_FLAGS_H_

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "teepnet/base/result.h"

namespace teepnet::common {

class FlagSet {
 public:
  FlagSet(std::string usage, std::string description)
      : usage_(std::move(usage)), description_(std::move(description)) {}

  // `value_name` is shown in the help ("ADDR:PORT"). A required flag must be given.
  void String(std::string name, std::string* out, std::string value_name, std::string help,
              bool required = false);
  void Int(std::string name, int64_t* out, std::string value_name, std::string help, int64_t min,
           int64_t max);
  void Bool(std::string name, bool* out, std::string help);
  // `-c` (one character) as another spelling of the flag `--name`, e.g. `-o OUT` as compilers
  // spell it. The long flag's help should mention it.
  void ShortName(char c, std::string name);

  // Parses `args` (without the program/command names). Returns the positional arguments.
  // kUsage for an unknown flag, a missing value, a bad number or a missing required flag.
  // `--help` sets help_requested() and skips the required-flag check.
  Result<std::vector<std::string>> Parse(std::span<char* const> args);
  bool help_requested() const { return help_requested_; }
  std::string Help() const;

 private:
  enum class Kind { kString, kInt, kBool };
  struct Flag {
    std::string name;
    Kind kind;
    void* out;
    std::string value_name;
    std::string help;
    bool required = false;
    int64_t min = 0;
    int64_t max = 0;
    bool seen = false;
  };
  Status Assign(Flag& flag, const std::string& value);

  std::string usage_;
  std::string description_;
  std::vector<Flag> flags_;
  std::vector<std::pair<char, std::string>> short_names_;
  bool help_requested_ = false;
};

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_FLAGS_H_
