#include "services/moc/status_json.h"

#include <algorithm>

#include "teepnet/agent/tc_claims.h"
#include "teepnet/base/hex.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear.h"

namespace teepnet::moc {

nlohmann::json ComponentJson(const suit::ComponentId& id) {
  return {{"manifest_id", id.ToString()}, {"manifest_id_hex", ToHex(id.Encode())}};
}

std::string EarStatus(const tam::AppraisalRecord& appraisal) {
  if (appraisal.attestation_result.empty()) return "none";
  // Our own EAR from our own store: read the JWT claims (the signature was made here).
  std::string_view jwt = AsChars(appraisal.attestation_result);
  const size_t first = jwt.find('.');
  const size_t second = jwt.find('.', first == std::string_view::npos ? 0 : first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return "unreadable";
  auto claims = eat::Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!claims.ok()) return "unreadable";
  auto parsed = nlohmann::json::parse(AsChars(*claims), nullptr, /*allow_exceptions=*/false);
  auto ear = eat::EarFromJson(parsed);
  if (!ear.ok() || ear->submods.empty()) return "unreadable";
  attest::Tier worst = attest::Tier::kNone;
  for (const auto& [name, sub] : ear->submods) worst = std::max(worst, sub.status);
  return eat::StatusName(worst);
}

nlohmann::json DeviceJson(const tam::DeviceRecord& device, const tam::DesiredState& desired,
                          const std::optional<tam::DeviceStatus>& status) {
  using nlohmann::json;
  json out = {{"device_id", tam::DeviceIdHex(device.device_id)}, {"label", device.label}};
  json want_install = json::array();
  for (const tam::PackageRef& ref : desired.install) {
    json e = ComponentJson(ref.manifest_id);
    e["sequence_number"] = ref.sequence_number;
    want_install.push_back(std::move(e));
  }
  json want_remove = json::array();
  for (const suit::ComponentId& id : desired.remove) want_remove.push_back(ComponentJson(id));
  out["desired"] = {{"install", std::move(want_install)}, {"remove", std::move(want_remove)}};

  json installed = json::array();
  json requested = json::array();
  json unneeded = json::array();
  out["last_contact"] = nullptr;
  out["last_result"] = tam::LastResultName(tam::LastResult::kNone);
  out["last_error"] = nullptr;
  out["suite"] = nullptr;
  out["appraisal"] = nullptr;
  out["ear_status"] = nullptr;
  out["ear"] = nullptr;
  if (status) {
    for (const agent::InstalledTc& tc : status->installed) {
      json e = ComponentJson(tc.manifest_id);
      e["sequence_number"] = tc.sequence_number ? json(*tc.sequence_number) : json(nullptr);
      e["digest"] = ToHex(tc.manifest_digest);
      installed.push_back(std::move(e));
    }
    for (const teep::RequestedTcInfo& r : status->requested) {
      json e = ComponentJson(agent::FromTeepId(r.component_id));
      e["sequence_number"] =
          r.tc_manifest_sequence_number ? json(*r.tc_manifest_sequence_number) : json(nullptr);
      requested.push_back(std::move(e));
    }
    for (const suit::ComponentId& id : status->unneeded) unneeded.push_back(ComponentJson(id));
    out["last_contact"] = status->last_contact;
    out["last_result"] = tam::LastResultName(status->last_result);
    if (status->last_error_code) {
      out["last_error"] = {{"code", *status->last_error_code},
                           {"message", status->last_error_message.value_or("")}};
    }
    if (status->suite) out["suite"] = status->suite->ToString();
    if (status->appraisal) {
      out["appraisal"] = {{"affirming", status->appraisal->affirming},
                          {"appraised_at", status->appraisal->appraised_at},
                          {"reason", status->appraisal->reason}};
      out["ear_status"] = EarStatus(*status->appraisal);
      if (!status->appraisal->attestation_result.empty()) {
        out["ear"] = std::string(AsChars(status->appraisal->attestation_result));
      }
    }
  }
  out["installed"] = std::move(installed);
  out["requested"] = std::move(requested);
  out["unneeded"] = std::move(unneeded);
  return out;
}

}  // namespace teepnet::moc
