#include "teepnet/testing/vectors.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"

namespace teepnet::testing {

namespace {
[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "test vectors: %s\n", what.c_str());
  std::abort();
}
}  // namespace

std::string VectorsDir() {
  if (const char* env = std::getenv("TEEPNET_VECTORS"); env != nullptr && *env != '\0') return env;
  if (const char* src = std::getenv("TEEPNET_SOURCE_DIR"); src != nullptr && *src != '\0') {
    return std::string(src) + "/../shared/vectors";
  }
  return "../shared/vectors";
}

std::string VectorPath(const std::string& relative) { return VectorsDir() + "/" + relative; }

Bytes ReadVectorFile(const std::string& relative) {
  auto data = ReadFile(VectorPath(relative));
  if (!data.ok()) Die(data.error().ToString());
  return std::move(data).value();
}

nlohmann::json ReadVectorJson(const std::string& relative) {
  Bytes raw = ReadVectorFile(relative);
  auto json = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) Die(relative + ": not valid JSON");
  return json;
}

std::vector<std::string> ListVectorFiles(const std::string& relative_dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::error_code ec;
  std::filesystem::path root(VectorPath(relative_dir));
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string name = it->path().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(std::filesystem::relative(it->path(), VectorsDir()).string());
    }
  }
  if (ec) Die(root.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Bytes HexOrDie(const std::string& hex) {
  auto r = FromHex(hex);
  if (!r.ok()) Die("bad hex in vector: " + r.error().ToString());
  return std::move(r).value();
}

Bytes Base64OrDie(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  Bytes out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == ' ') continue;
    int v = value(c);
    if (v < 0) Die("bad base64 in vector");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return out;
}

}  // namespace teepnet::testing
