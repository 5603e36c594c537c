#include "teepnet/attest/psa_policy.h"

#include <nlohmann/json.hpp>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {
namespace {

Error Bad(const std::string& why) {
  return Error(Errc::kBadPolicy, "policy: " + why);
}

Result<bool> Bool(const nlohmann::json& v, const char* name) {
  if (!v.is_boolean()) return Bad(std::string(name) + " is not a boolean");
  return v.get<bool>();
}

Result<std::string> Text(const nlohmann::json& v, const char* name) {
  if (!v.is_string()) return Bad(std::string(name) + " is not a string");
  return v.get<std::string>();
}

Result<Bytes> Hex(const nlohmann::json& v, const char* name) {
  TEEPNET_ASSIGN_OR_RETURN(std::string s, Text(v, name));
  auto b = FromHex(s);
  if (!b.ok()) return Bad(std::string(name) + " is not hex");
  return *std::move(b);
}

Result<std::vector<std::string>> TextList(const nlohmann::json& v, const char* name) {
  if (!v.is_array()) return Bad(std::string(name) + " is not an array");
  std::vector<std::string> out;
  for (const nlohmann::json& e : v) {
    TEEPNET_ASSIGN_OR_RETURN(std::string s, Text(e, name));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Bytes>> HexList(const nlohmann::json& v, const char* name) {
  if (!v.is_array()) return Bad(std::string(name) + " is not an array");
  std::vector<Bytes> out;
  for (const nlohmann::json& e : v) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, Hex(e, name));
    out.push_back(std::move(b));
  }
  return out;
}

Status ApplyPsa(const nlohmann::json& j, PsaPolicy& p) {
  if (!j.is_object()) return Bad("not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    if (k == "policy-id") {
      TEEPNET_ASSIGN_OR_RETURN(p.policy_id, Text(v, "policy-id"));
    } else if (k == "profiles") {
      TEEPNET_ASSIGN_OR_RETURN(p.profiles, TextList(v, "profiles"));
    } else if (k == "secured-lifecycle-only") {
      TEEPNET_ASSIGN_OR_RETURN(p.secured_lifecycle_only, Bool(v, "secured-lifecycle-only"));
    } else if (k == "debug-forbidden") {
      TEEPNET_ASSIGN_OR_RETURN(p.debug_forbidden, Bool(v, "debug-forbidden"));
    } else if (k == "require-reference-values") {
      TEEPNET_ASSIGN_OR_RETURN(p.require_reference_values, Bool(v, "require-reference-values"));
    } else if (k == "implementation-ids") {
      TEEPNET_ASSIGN_OR_RETURN(p.implementation_ids, HexList(v, "implementation-ids"));
    } else if (k == "nonce") {
      TEEPNET_ASSIGN_OR_RETURN(Bytes n, Hex(v, "nonce"));
      p.nonce = std::move(n);
    } else {
      return Bad("unknown member " + k);
    }
  }
  return Status();
}

Result<nlohmann::json> Parse(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("JSON does not parse");
  return j;
}

}  // namespace

Result<PsaPolicy> PsaPolicy::FromJson(std::string_view json) {
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json j, Parse(json));
  PsaPolicy p;
  TEEPNET_RETURN_IF_ERROR(ApplyPsa(j, p));
  return p;
}

PsaPolicy CcaPolicy::DefaultPlatform() {
  PsaPolicy p;
  p.policy_id = "teepnet/cca/platform";
  p.profiles = {"http://arm.com/CCA-SSD/1.0.0"};
  return p;
}

Result<CcaPolicy> CcaPolicy::FromJson(std::string_view json) {
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json j, Parse(json));
  if (!j.is_object()) return Bad("not a JSON object");
  CcaPolicy p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    if (k == "policy-id") {
      TEEPNET_ASSIGN_OR_RETURN(p.policy_id, Text(v, "policy-id"));
    } else if (k == "platform") {
      TEEPNET_RETURN_IF_ERROR(ApplyPsa(v, p.platform));
    } else if (k == "realm-profiles") {
      TEEPNET_ASSIGN_OR_RETURN(p.realm_profiles, TextList(v, "realm-profiles"));
    } else if (k == "require-realm-reference-values") {
      TEEPNET_ASSIGN_OR_RETURN(p.require_realm_reference_values,
                               Bool(v, "require-realm-reference-values"));
    } else if (k == "realm-initial-measurements") {
      TEEPNET_ASSIGN_OR_RETURN(p.realm_initial_measurements,
                               HexList(v, "realm-initial-measurements"));
    } else if (k == "challenge") {
      TEEPNET_ASSIGN_OR_RETURN(Bytes c, Hex(v, "challenge"));
      p.challenge = std::move(c);
    } else {
      return Bad("unknown member " + k);
    }
  }
  return p;
}

}  // namespace teepnet::attest
