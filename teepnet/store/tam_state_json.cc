#include "teepnet/store/tam_state_json.h"

#include <nlohmann/json.hpp>

#include <limits>

#include "teepnet/base/hex.h"
#include "teepnet/store/errc.h"

namespace teepnet::store {

namespace {

using nlohmann::json;

// --- encoding ---

json HexList(const std::vector<Bytes>& segments) {
  json out = json::array();
  for (const Bytes& s : segments) out.push_back(ToHex(s));
  return out;
}

json SuitIdList(const std::vector<suit::ComponentId>& ids) {
  json out = json::array();
  for (const suit::ComponentId& id : ids) out.push_back(HexList(id.segments));
  return out;
}

json PackageRefs(const std::vector<tam::PackageRef>& refs) {
  json out = json::array();
  for (const tam::PackageRef& r : refs) {
    out.push_back({{"manifest_id", HexList(r.manifest_id.segments)}, {"seq", r.sequence_number}});
  }
  return out;
}

// --- decoding: each helper checks the JSON type before reading ---

Error Bad(std::string_view what) {
  return Error(Errc::kBadColumn, "stored state: " + std::string(what) + " has the wrong shape");
}

Result<json> Parse(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("document");
  return j;
}

Result<Bytes> HexAt(const json& j, std::string_view what) {
  if (!j.is_string()) return Bad(what);
  auto bytes = FromHex(j.get_ref<const std::string&>());
  if (!bytes.ok()) return Bad(what);
  return std::move(bytes).value();
}

Result<std::vector<Bytes>> HexListAt(const json& j, std::string_view what) {
  if (!j.is_array()) return Bad(what);
  std::vector<Bytes> out;
  for (const json& e : j) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, HexAt(e, what));
    out.push_back(std::move(b));
  }
  return out;
}

Result<suit::ComponentId> SuitIdAt(const json& j, std::string_view what) {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Bytes> segments, HexListAt(j, what));
  return suit::ComponentId{std::move(segments)};
}

Result<std::vector<suit::ComponentId>> SuitIdListAt(const json& j, std::string_view what) {
  if (!j.is_array()) return Bad(what);
  std::vector<suit::ComponentId> out;
  for (const json& e : j) {
    TEEPNET_ASSIGN_OR_RETURN(suit::ComponentId id, SuitIdAt(e, what));
    out.push_back(std::move(id));
  }
  return out;
}

Result<uint64_t> UintAt(const json& j, std::string_view what) {
  if (!j.is_number_unsigned()) {
    // nlohmann parses small non-negative numbers as unsigned; anything else is wrong.
    return Bad(what);
  }
  return j.get<uint64_t>();
}

Result<int64_t> IntAt(const json& j, std::string_view what) {
  if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Bad(what);
    return static_cast<int64_t>(v);
  }
  if (!j.is_number_integer()) return Bad(what);
  return j.get<int64_t>();
}

Result<bool> BoolAt(const json& j, std::string_view what) {
  if (!j.is_boolean()) return Bad(what);
  return j.get<bool>();
}

Result<std::string> StringAt(const json& j, std::string_view what) {
  if (!j.is_string()) return Bad(what);
  return j.get<std::string>();
}

// A member that must be present.
Result<const json*> Member(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return Bad(key);
  return &*it;
}

Result<std::vector<tam::PackageRef>> PackageRefsAt(const json& j, std::string_view what) {
  if (!j.is_array()) return Bad(what);
  std::vector<tam::PackageRef> out;
  for (const json& e : j) {
    if (!e.is_object()) return Bad(what);
    tam::PackageRef ref;
    TEEPNET_ASSIGN_OR_RETURN(const json* id, Member(e, "manifest_id"));
    TEEPNET_ASSIGN_OR_RETURN(ref.manifest_id, SuitIdAt(*id, what));
    TEEPNET_ASSIGN_OR_RETURN(const json* seq, Member(e, "seq"));
    TEEPNET_ASSIGN_OR_RETURN(ref.sequence_number, UintAt(*seq, what));
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string EncodeDesiredState(const tam::DesiredState& desired) {
  json j = {{"install", PackageRefs(desired.install)}, {"remove", SuitIdList(desired.remove)}};
  return j.dump();
}

Result<tam::DesiredState> DecodeDesiredState(std::string_view text) {
  TEEPNET_ASSIGN_OR_RETURN(json j, Parse(text));
  tam::DesiredState out;
  TEEPNET_ASSIGN_OR_RETURN(const json* install, Member(j, "install"));
  TEEPNET_ASSIGN_OR_RETURN(out.install, PackageRefsAt(*install, "install"));
  TEEPNET_ASSIGN_OR_RETURN(const json* remove, Member(j, "remove"));
  TEEPNET_ASSIGN_OR_RETURN(out.remove, SuitIdListAt(*remove, "remove"));
  return out;
}

std::string EncodeDeviceStatus(const tam::DeviceStatus& s) {
  json installed = json::array();
  for (const agent::InstalledTc& tc : s.installed) {
    json e = {{"manifest_id", HexList(tc.manifest_id.segments)},
              {"digest", ToHex(tc.manifest_digest)}};
    if (tc.sequence_number) e["seq"] = *tc.sequence_number;
    installed.push_back(std::move(e));
  }
  json requested = json::array();
  for (const teep::RequestedTcInfo& r : s.requested) {
    json e = {{"component_id", HexList(r.component_id)}};
    if (r.tc_manifest_sequence_number) e["seq"] = *r.tc_manifest_sequence_number;
    if (r.have_binary) e["have_binary"] = *r.have_binary;
    json ext = json::array();
    for (const teep::Extension& x : r.extensions) {
      ext.push_back({{"label", x.label}, {"value", ToHex(x.value)}});
    }
    e["extensions"] = std::move(ext);
    requested.push_back(std::move(e));
  }
  json j = {{"installed", std::move(installed)},
            {"requested", std::move(requested)},
            {"unneeded", SuitIdList(s.unneeded)},
            {"last_contact", s.last_contact},
            {"last_result", static_cast<int>(s.last_result)}};
  if (s.suite) {
    json ops = json::array();
    for (const teep::TeepOperation& op : s.suite->operations) ops.push_back({op.cose_type, op.alg});
    j["suite"] = std::move(ops);
  }
  if (s.last_error_code) j["last_error_code"] = *s.last_error_code;
  if (s.last_error_message) j["last_error_message"] = *s.last_error_message;
  if (s.appraisal) {
    j["appraisal"] = {{"affirming", s.appraisal->affirming},
                      {"appraised_at", s.appraisal->appraised_at},
                      {"reason", s.appraisal->reason},
                      {"ar", ToHex(s.appraisal->attestation_result)}};
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<tam::DeviceStatus> DecodeDeviceStatus(std::string_view text) {
  TEEPNET_ASSIGN_OR_RETURN(json j, Parse(text));
  tam::DeviceStatus s;
  TEEPNET_ASSIGN_OR_RETURN(const json* installed, Member(j, "installed"));
  if (!installed->is_array()) return Bad("installed");
  for (const json& e : *installed) {
    if (!e.is_object()) return Bad("installed");
    agent::InstalledTc tc;
    TEEPNET_ASSIGN_OR_RETURN(const json* id, Member(e, "manifest_id"));
    TEEPNET_ASSIGN_OR_RETURN(tc.manifest_id, SuitIdAt(*id, "installed.manifest_id"));
    TEEPNET_ASSIGN_OR_RETURN(const json* digest, Member(e, "digest"));
    TEEPNET_ASSIGN_OR_RETURN(tc.manifest_digest, HexAt(*digest, "installed.digest"));
    if (auto it = e.find("seq"); it != e.end()) {
      TEEPNET_ASSIGN_OR_RETURN(tc.sequence_number, UintAt(*it, "installed.seq"));
    }
    s.installed.push_back(std::move(tc));
  }
  TEEPNET_ASSIGN_OR_RETURN(const json* requested, Member(j, "requested"));
  if (!requested->is_array()) return Bad("requested");
  for (const json& e : *requested) {
    if (!e.is_object()) return Bad("requested");
    teep::RequestedTcInfo r;
    TEEPNET_ASSIGN_OR_RETURN(const json* id, Member(e, "component_id"));
    TEEPNET_ASSIGN_OR_RETURN(r.component_id, HexListAt(*id, "requested.component_id"));
    if (auto it = e.find("seq"); it != e.end()) {
      TEEPNET_ASSIGN_OR_RETURN(r.tc_manifest_sequence_number, UintAt(*it, "requested.seq"));
    }
    if (auto it = e.find("have_binary"); it != e.end()) {
      TEEPNET_ASSIGN_OR_RETURN(r.have_binary, BoolAt(*it, "requested.have_binary"));
    }
    TEEPNET_ASSIGN_OR_RETURN(const json* ext, Member(e, "extensions"));
    if (!ext->is_array()) return Bad("requested.extensions");
    for (const json& x : *ext) {
      if (!x.is_object()) return Bad("requested.extensions");
      teep::Extension extension;
      TEEPNET_ASSIGN_OR_RETURN(const json* label, Member(x, "label"));
      TEEPNET_ASSIGN_OR_RETURN(extension.label, UintAt(*label, "extension.label"));
      TEEPNET_ASSIGN_OR_RETURN(const json* value, Member(x, "value"));
      TEEPNET_ASSIGN_OR_RETURN(extension.value, HexAt(*value, "extension.value"));
      r.extensions.push_back(std::move(extension));
    }
    s.requested.push_back(std::move(r));
  }
  TEEPNET_ASSIGN_OR_RETURN(const json* unneeded, Member(j, "unneeded"));
  TEEPNET_ASSIGN_OR_RETURN(s.unneeded, SuitIdListAt(*unneeded, "unneeded"));
  TEEPNET_ASSIGN_OR_RETURN(const json* contact, Member(j, "last_contact"));
  TEEPNET_ASSIGN_OR_RETURN(s.last_contact, IntAt(*contact, "last_contact"));
  TEEPNET_ASSIGN_OR_RETURN(const json* result, Member(j, "last_result"));
  TEEPNET_ASSIGN_OR_RETURN(uint64_t last_result, UintAt(*result, "last_result"));
  if (last_result > static_cast<uint64_t>(tam::LastResult::kBadResponse)) {
    return Bad("last_result");
  }
  s.last_result = static_cast<tam::LastResult>(last_result);
  if (auto it = j.find("suite"); it != j.end()) {
    if (!it->is_array()) return Bad("suite");
    teep::CipherSuite suite;
    for (const json& op : *it) {
      if (!op.is_array() || op.size() != 2) return Bad("suite");
      teep::TeepOperation operation;
      TEEPNET_ASSIGN_OR_RETURN(operation.cose_type, IntAt(op[0], "suite"));
      TEEPNET_ASSIGN_OR_RETURN(operation.alg, IntAt(op[1], "suite"));
      suite.operations.push_back(operation);
    }
    s.suite = std::move(suite);
  }
  if (auto it = j.find("last_error_code"); it != j.end()) {
    TEEPNET_ASSIGN_OR_RETURN(s.last_error_code, UintAt(*it, "last_error_code"));
  }
  if (auto it = j.find("last_error_message"); it != j.end()) {
    TEEPNET_ASSIGN_OR_RETURN(s.last_error_message, StringAt(*it, "last_error_message"));
  }
  if (auto it = j.find("appraisal"); it != j.end()) {
    if (!it->is_object()) return Bad("appraisal");
    tam::AppraisalRecord a;
    TEEPNET_ASSIGN_OR_RETURN(const json* affirming, Member(*it, "affirming"));
    TEEPNET_ASSIGN_OR_RETURN(a.affirming, BoolAt(*affirming, "appraisal.affirming"));
    TEEPNET_ASSIGN_OR_RETURN(const json* at, Member(*it, "appraised_at"));
    TEEPNET_ASSIGN_OR_RETURN(a.appraised_at, IntAt(*at, "appraisal.appraised_at"));
    TEEPNET_ASSIGN_OR_RETURN(const json* reason, Member(*it, "reason"));
    TEEPNET_ASSIGN_OR_RETURN(a.reason, StringAt(*reason, "appraisal.reason"));
    TEEPNET_ASSIGN_OR_RETURN(const json* ar, Member(*it, "ar"));
    TEEPNET_ASSIGN_OR_RETURN(a.attestation_result, HexAt(*ar, "appraisal.ar"));
    s.appraisal = std::move(a);
  }
  return s;
}

std::string EncodeTokenDetails(const tam::TokenRecord& t) {
  const teep::DataItemsRequested& d = t.data_items;
  json j = {{"data_items",
             {{"attestation", d.attestation},
              {"trusted_components", d.trusted_components},
              {"extensions", d.extensions},
              {"suit_reports", d.suit_reports},
              {"unassigned_bits", d.unassigned_bits}}},
            {"sent_manifests", PackageRefs(t.sent_manifests)},
            {"sent_removals", SuitIdList(t.sent_removals)}};
  if (t.challenge) j["challenge"] = ToHex(*t.challenge);
  return j.dump();
}

Status DecodeTokenDetails(std::string_view text, tam::TokenRecord* t) {
  TEEPNET_ASSIGN_OR_RETURN(json j, Parse(text));
  TEEPNET_ASSIGN_OR_RETURN(const json* d, Member(j, "data_items"));
  if (!d->is_object()) return Bad("data_items");
  TEEPNET_ASSIGN_OR_RETURN(const json* a, Member(*d, "attestation"));
  TEEPNET_ASSIGN_OR_RETURN(t->data_items.attestation, BoolAt(*a, "attestation"));
  TEEPNET_ASSIGN_OR_RETURN(const json* tc, Member(*d, "trusted_components"));
  TEEPNET_ASSIGN_OR_RETURN(t->data_items.trusted_components, BoolAt(*tc, "trusted_components"));
  TEEPNET_ASSIGN_OR_RETURN(const json* ex, Member(*d, "extensions"));
  TEEPNET_ASSIGN_OR_RETURN(t->data_items.extensions, BoolAt(*ex, "extensions"));
  TEEPNET_ASSIGN_OR_RETURN(const json* sr, Member(*d, "suit_reports"));
  TEEPNET_ASSIGN_OR_RETURN(t->data_items.suit_reports, BoolAt(*sr, "suit_reports"));
  TEEPNET_ASSIGN_OR_RETURN(const json* ub, Member(*d, "unassigned_bits"));
  TEEPNET_ASSIGN_OR_RETURN(t->data_items.unassigned_bits, UintAt(*ub, "unassigned_bits"));
  TEEPNET_ASSIGN_OR_RETURN(const json* sent, Member(j, "sent_manifests"));
  TEEPNET_ASSIGN_OR_RETURN(t->sent_manifests, PackageRefsAt(*sent, "sent_manifests"));
  TEEPNET_ASSIGN_OR_RETURN(const json* removals, Member(j, "sent_removals"));
  TEEPNET_ASSIGN_OR_RETURN(t->sent_removals, SuitIdListAt(*removals, "sent_removals"));
  if (auto it = j.find("challenge"); it != j.end()) {
    TEEPNET_ASSIGN_OR_RETURN(t->challenge, HexAt(*it, "challenge"));
  }
  return OkStatus();
}

}  // namespace teepnet::store
