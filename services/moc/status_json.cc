#include "services/moc/status_json.h"

#include "teepnet/agent/tc_claims.h"
#include "teepnet/base/hex.h"

namespace teepnet::moc {

nlohmann::json ComponentJson(const suit::ComponentId& id) {
  return {{"manifest_id", id.ToString()}, {"manifest_id_hex", ToHex(id.Encode())}};
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
    }
  }
  out["installed"] = std::move(installed);
  out["requested"] = std::move(requested);
  out["unneeded"] = std::move(unneeded);
  return out;
}

}  // namespace teepnet::moc
