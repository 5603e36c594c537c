// Printing a Verdict: JSON for scripts, aligned text for people.
#include <cctype>
#include <cstdio>
#include <string>

#include "services/cli/attest_verify.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"

namespace teepnet::cli {

const char* TierWord(attest::Tier tier) {
  switch (tier) {
    case attest::Tier::kAffirming: return "affirming";
    case attest::Tier::kWarning: return "warning";
    case attest::Tier::kContraindicated: return "contraindicated";
    case attest::Tier::kNone: return "none";
  }
  return "none";
}

Result<Bytes> ReadEvidenceFile(const std::string& path) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path));
  bool any_digit = false;
  for (uint8_t c : raw) {
    if (std::isxdigit(c)) {
      any_digit = true;
    } else if (!std::isspace(c)) {
      return raw;
    }
  }
  if (!any_digit) return raw;
  return FromHex(AsChars(raw));
}

nlohmann::json TrustVectorJson(const attest::TrustVector& tv) {
  nlohmann::json j = nlohmann::json::object();
  auto put = [&](const char* name, int8_t v) {
    if (v != 0) j[name] = v;
  };
  put("instance-identity", tv.instance_identity);
  put("configuration", tv.configuration);
  put("executables", tv.executables);
  put("file-system", tv.file_system);
  put("hardware", tv.hardware);
  put("runtime-opaque", tv.runtime_opaque);
  put("storage-opaque", tv.storage_opaque);
  put("sourced-data", tv.sourced_data);
  return j;
}

nlohmann::json VerdictToJson(const attest::Verdict& v) {
  const attest::Appraisal& a = v.appraisal;
  nlohmann::json j;
  j["format"] = std::string(attest::EvidenceFormatName(a.format));
  j["architecture"] = std::string(attest::ArchitectureName(a.architecture));
  j["status"] = TierWord(a.Overall());
  j["policy"] = {{"id", v.policy_id}, {"sha256", ToHex(v.policy_hash)}, {"ref", v.PolicyRef()}};
  j["trust_vector"] = TrustVectorJson(a.trust);
  j["claims"] = nlohmann::json::object();
  for (const auto& [k, val] : a.claims) j["claims"][k] = val;
  j["notes"] = a.notes;
  j["report_data"] = ToHex(a.report_data);
  j["evidence_digest"] = ToHex(a.evidence_digest);
  return j;
}

std::string VerdictToText(const attest::Verdict& v) {
  const attest::Appraisal& a = v.appraisal;
  std::string out;
  char line[512];
  auto row = [&](const std::string& k, const std::string& val) {
    std::snprintf(line, sizeof line, "  %-28s ", k.c_str());
    out += line;
    out += val;
    out += "\n";
  };
  out += "ear.status: ";
  out += TierWord(a.Overall());
  out += "\n";
  row("format", std::string(attest::EvidenceFormatName(a.format)) + " (" +
                    std::string(attest::ArchitectureName(a.architecture)) + ")");
  row("policy", v.PolicyRef());
  row("evidence sha256", ToHex(a.evidence_digest));
  row("report data", ToHex(a.report_data));
  out += "trust vector:\n";
  nlohmann::json tv = TrustVectorJson(a.trust);
  if (tv.empty()) out += "  (no claims)\n";
  for (const auto& [k, val] : tv.items()) {
    int8_t n = val.get<int8_t>();
    row(k, std::to_string(n) + " (" + TierWord(attest::TierOf(n)) + ")");
  }
  out += "identity:\n";
  for (const auto& [k, val] : a.claims) row(k, val);
  if (!a.notes.empty()) {
    out += "notes:\n";
    for (const auto& n : a.notes) out += "  - " + n + "\n";
  }
  return out;
}

}  // namespace teepnet::cli
