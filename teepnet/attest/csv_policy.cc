#include "teepnet/attest/csv_policy.h"

#include <nlohmann/json.hpp>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {
namespace {

using Json = nlohmann::json;

Error Bad(const std::string& what) {
  return Error(Errc::kBadPolicy, "CSV policy: " + what);
}

Result<Bytes> Hex(const Json& v, const std::string& key, size_t size) {
  if (!v.is_string()) return Bad(key + " must be a hex string");
  auto bytes = FromHex(v.get<std::string>());
  if (!bytes.ok() || bytes->size() != size) {
    return Bad(key + " must be " + std::to_string(size) + " bytes of hex");
  }
  return std::move(bytes).value();
}

Result<std::vector<Bytes>> HexList(const Json& v, const std::string& key, size_t size) {
  if (!v.is_array()) return Bad(key + " must be an array");
  std::vector<Bytes> out;
  for (const Json& item : v) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, Hex(item, key, size));
    out.push_back(std::move(b));
  }
  return out;
}

Result<bool> Bool(const Json& v, const std::string& key) {
  if (!v.is_boolean()) return Bad(key + " must be true or false");
  return v.get<bool>();
}

}  // namespace

Result<CsvPolicy> CsvPolicy::FromJson(std::string_view json) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("not a JSON object");
  CsvPolicy p;
  for (const auto& [key, v] : doc.items()) {
    if (key == "allow_debug") {
      TEEPNET_ASSIGN_OR_RETURN(p.allow_debug, Bool(v, key));
    } else if (key == "measurements") {
      TEEPNET_ASSIGN_OR_RETURN(p.measurements, HexList(v, key, 32));
    } else if (key == "report_data") {
      TEEPNET_ASSIGN_OR_RETURN(p.report_data, Hex(v, key, 64));
    } else if (key == "user_pubkey_digest") {
      TEEPNET_ASSIGN_OR_RETURN(p.user_pubkey_digest, Hex(v, key, 32));
    } else if (key == "vm_ids") {
      TEEPNET_ASSIGN_OR_RETURN(p.vm_ids, HexList(v, key, 16));
    } else if (key == "require_endorsed_pek") {
      TEEPNET_ASSIGN_OR_RETURN(p.require_endorsed_pek, Bool(v, key));
    } else {
      return Bad("unknown key " + key);
    }
  }
  return p;
}

}  // namespace teepnet::attest
