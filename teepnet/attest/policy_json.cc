#include "teepnet/attest/policy_json.h"

#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {

Error PolicyFields::Bad(const std::string& what) const {
  return Error(Errc::kBadPolicy, name_ + ": " + what);
}

Result<nlohmann::json> PolicyFields::ParseObject(std::string_view text) const {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("not a JSON object");
  return doc;
}

Result<Bytes> PolicyFields::Hex(const nlohmann::json& v, const std::string& key,
                                size_t size) const {
  if (!v.is_string()) return Bad(key + " must be a hex string");
  auto bytes = FromHex(v.get<std::string>());
  if (!bytes.ok() || bytes->size() != size) {
    return Bad(key + " must be " + std::to_string(size) + " bytes of hex");
  }
  return std::move(bytes).value();
}

Result<std::vector<Bytes>> PolicyFields::HexList(const nlohmann::json& v, const std::string& key,
                                                 size_t size) const {
  if (!v.is_array()) return Bad(key + " must be an array");
  std::vector<Bytes> out;
  for (const nlohmann::json& item : v) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, Hex(item, key, size));
    out.push_back(std::move(b));
  }
  return out;
}

Result<bool> PolicyFields::Bool(const nlohmann::json& v, const std::string& key) const {
  if (!v.is_boolean()) return Bad(key + " must be true or false");
  return v.get<bool>();
}

Result<uint32_t> PolicyFields::U32(const nlohmann::json& v, const std::string& key,
                                   uint32_t max) const {
  if (!v.is_number_unsigned() || v.get<uint64_t>() > max) {
    return Bad(key + " must be an integer 0.." + std::to_string(max));
  }
  return static_cast<uint32_t>(v.get<uint64_t>());
}

}  // namespace teepnet::attest
