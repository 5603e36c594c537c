#include "services/common/flags.h"

#include <charconv>

#include "services/common/errc.h"

namespace teepnet::common {

void FlagSet::String(std::string name, std::string* out, std::string value_name, std::string help,
                     bool required) {
  flags_.push_back(
      {std::move(name), Kind::kString, out, std::move(value_name), std::move(help), required});
}

void FlagSet::Int(std::string name, int64_t* out, std::string value_name, std::string help,
                  int64_t min, int64_t max) {
  flags_.push_back(
      {std::move(name), Kind::kInt, out, std::move(value_name), std::move(help), false, min, max});
}

void FlagSet::Bool(std::string name, bool* out, std::string help) {
  flags_.push_back({std::move(name), Kind::kBool, out, "", std::move(help)});
}

Status FlagSet::Assign(Flag& flag, const std::string& value) {
  flag.seen = true;
  switch (flag.kind) {
    case Kind::kString: *static_cast<std::string*>(flag.out) = value; return OkStatus();
    case Kind::kInt: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size() || v < flag.min || v > flag.max) {
        return Error(Errc::kUsage, "--" + flag.name + " wants an integer in [" +
                                       std::to_string(flag.min) + ", " + std::to_string(flag.max) +
                                       "], got '" + value + "'");
      }
      *static_cast<int64_t*>(flag.out) = v;
      return OkStatus();
    }
    case Kind::kBool:
      if (value == "true" || value == "1") {
        *static_cast<bool*>(flag.out) = true;
      } else if (value == "false" || value == "0") {
        *static_cast<bool*>(flag.out) = false;
      } else {
        return Error(Errc::kUsage, "--" + flag.name + " is true or false, got '" + value + "'");
      }
      return OkStatus();
  }
  return OkStatus();
}

void FlagSet::ShortName(char c, std::string name) {
  short_names_.emplace_back(c, std::move(name));
}

Result<std::vector<std::string>> FlagSet::Parse(std::span<char* const> args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.size() == 2 && arg[0] == '-') {
      for (const auto& [c, name] : short_names_) {
        if (arg[1] == c) arg = "--" + name;
      }
    }
    if (arg == "--") {
      for (++i; i < args.size(); ++i) positional.emplace_back(args[i]);
      break;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      positional.push_back(std::move(arg));
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    Flag* flag = nullptr;
    for (Flag& f : flags_) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) return Error(Errc::kUsage, "unknown flag --" + name);
    if (flag->kind == Kind::kBool && !has_value) {
      value = "true";
      has_value = true;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Error(Errc::kUsage, "--" + name + " needs a value");
      value = args[++i];
    }
    TEEPNET_RETURN_IF_ERROR(Assign(*flag, value));
  }
  if (!help_requested_) {
    for (const Flag& f : flags_) {
      if (f.required && !f.seen) return Error(Errc::kUsage, "--" + f.name + " is required");
    }
  }
  return positional;
}

std::string FlagSet::Help() const {
  std::string out = "usage: " + usage_ + "\n\n" + description_ + "\n\nflags:\n";
  for (const Flag& f : flags_) {
    std::string left = "  --" + f.name;
    if (!f.value_name.empty()) left += " " + f.value_name;
    if (left.size() < 28)
      left.resize(28, ' ');
    else
      left += "\n" + std::string(28, ' ');
    out += left + f.help;
    if (f.required) out += " (required)";
    if (f.kind == Kind::kString && !f.required) {
      const auto* s = static_cast<const std::string*>(f.out);
      if (!s->empty()) out += " (default: " + *s + ")";
    } else if (f.kind == Kind::kInt) {
      out += " (default: " + std::to_string(*static_cast<const int64_t*>(f.out)) + ")";
    }
    out += "\n";
  }
  out += "  --help                    print this help and exit\n";
  return out;
}

}  // namespace teepnet::common
