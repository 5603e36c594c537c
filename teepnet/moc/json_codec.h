// JSON forms of the M/OC's model for the user API (docs/api/openapi.yaml has the schemas).
// Times are RFC 3339 UTC strings; digests lower-case hex. Envelopes, EARs and sealed bytes are
// never inlined: they have their own endpoints. A delivery receipt (a few hundred bytes) is, as
// base64url.
#ifndef TEEPNET_MOC_JSON_CODEC_H_
#define TEEPNET_MOC_JSON_CODEC_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "teepnet/moc/model.h"

namespace teepnet::moc {

// "2026-11-27T03:40:51Z"
std::string Rfc3339(int64_t unix_seconds);

nlohmann::json TenantJson(const Tenant& tenant);
nlohmann::json PackageJson(const Package& package);
nlohmann::json PackageSummaryJson(const PackageSummary& package);
nlohmann::json RequestJson(const Request& request);
nlohmann::json DeviceCapacityJson(const DeviceCapacity& device);
nlohmann::json ErrorJson(std::string_view code, std::string_view message);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_JSON_CODEC_H_
