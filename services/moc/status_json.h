// The JSON shapes of the admin API (`teepnet tam status --json` prints them as is).
//
// One device:
//   {"device_id": "<hex thumbprint>", "label": "sim-sgx",
//    "last_contact": 1714560000, "last_result": "success",
//    "installed": [{"manifest_id": "TEEP-Device/SecureFS/hello", "manifest_id_hex": "...",
//                   "sequence_number": 2, "digest": "<hex SUIT_Digest>"}],
//    "requested": [...], "unneeded": [...],
//    "desired": {"install": [{"manifest_id": ..., "manifest_id_hex": ..., "sequence_number": 2}],
//                "remove": [{"manifest_id": ..., "manifest_id_hex": ...}]},
//    "last_error": null | {"code": 11, "message": "..."}, "suite": "[[18,-9]]" | null,
//    "appraisal": null | {"affirming": true, "appraised_at": 1714560000, "reason": "..."},
//    "ear_status": null | "affirming" | "warning" | "contraindicated" | "none",
//    "ear": null | "<EAR as an ES256 JWT, signed with DIR/ear-key.pem>"}
// "installed" is what the Agent reported in its last QueryResponse (tc-list), adjusted by the
// Success that followed an Update — i.e. what the TAM believes is on the device.
#ifndef TEEPNET_SERVICES_MOC_STATUS_JSON_H_
#define TEEPNET_SERVICES_MOC_STATUS_JSON_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "teepnet/suit/component_id.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

nlohmann::json ComponentJson(const suit::ComponentId& id);
// The worst submodule status of the EAR the appraisal stored ("none" without one).
std::string EarStatus(const tam::AppraisalRecord& appraisal);
nlohmann::json DeviceJson(const tam::DeviceRecord& device, const tam::DesiredState& desired,
                          const std::optional<tam::DeviceStatus>& status);

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_STATUS_JSON_H_
