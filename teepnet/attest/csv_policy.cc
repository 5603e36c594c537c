#include "teepnet/attest/csv_policy.h"

#include <string>

#include "teepnet/attest/policy_json.h"

namespace teepnet::attest {
namespace {

const PolicyFields& Fields() {
  static const PolicyFields fields("CSV policy");
  return fields;
}

}  // namespace

Result<CsvPolicy> CsvPolicy::FromJson(std::string_view json) {
  const PolicyFields& f = Fields();
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json doc, f.ParseObject(json));
  CsvPolicy p;
  for (const auto& [key, v] : doc.items()) {
    if (key == "allow_debug") {
      TEEPNET_ASSIGN_OR_RETURN(p.allow_debug, f.Bool(v, key));
    } else if (key == "measurements") {
      TEEPNET_ASSIGN_OR_RETURN(p.measurements, f.HexList(v, key, 32));
    } else if (key == "report_data") {
      TEEPNET_ASSIGN_OR_RETURN(p.report_data, f.Hex(v, key, 64));
    } else if (key == "user_pubkey_digest") {
      TEEPNET_ASSIGN_OR_RETURN(p.user_pubkey_digest, f.Hex(v, key, 32));
    } else if (key == "vm_ids") {
      TEEPNET_ASSIGN_OR_RETURN(p.vm_ids, f.HexList(v, key, 16));
    } else if (key == "require_endorsed_pek") {
      TEEPNET_ASSIGN_OR_RETURN(p.require_endorsed_pek, f.Bool(v, key));
    } else {
      return f.Bad("unknown key " + key);
    }
  }
  return p;
}

}  // namespace teepnet::attest
