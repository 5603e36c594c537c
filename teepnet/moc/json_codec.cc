#include "teepnet/moc/json_codec.h"

#include <cstdio>
#include <ctime>

#include "teepnet/base/hex.h"
#include "teepnet/eat/base64url.h"

namespace teepnet::moc {

std::string Rfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

nlohmann::json TenantJson(const Tenant& tenant) {
  return {{"id", tenant.id}, {"name", tenant.name}, {"created_at", Rfc3339(tenant.created_at)}};
}

nlohmann::json PackageJson(const Package& package) {
  return PackageSummaryJson(Summarize(package));
}

nlohmann::json PackageSummaryJson(const PackageSummary& package) {
  return {{"id", package.id},
          {"kind", std::string(PackageKindName(package.kind))},
          {"name", package.name},
          {"size", package.size},
          {"sha256", ToHex(package.digest)},
          {"created_at", Rfc3339(package.created_at)}};
}

nlohmann::json RequestJson(const Request& request) {
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& step : request.steps) {
    steps.push_back({{"state", std::string(RequestStateName(step.state))},
                     {"at", Rfc3339(step.at)},
                     {"detail", step.detail}});
  }
  nlohmann::json packages = nlohmann::json::object();
  if (request.ua_package) packages["ua"] = *request.ua_package;
  if (request.ta_package) packages["ta"] = *request.ta_package;
  nlohmann::json out = {
      {"id", request.id},
      {"use_case", request.use_case},
      {"instance", std::string(InstanceTypeName(request.instance))},
      {"hardware", request.hardware
                       ? nlohmann::json(std::string(ArchitectureName(*request.hardware)))
                       : nlohmann::json(nullptr)},
      {"packages", std::move(packages)},
      {"device_id",
       request.device_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(request.device_id)},
      {"device_architecture",
       request.device_architecture
           ? nlohmann::json(std::string(ArchitectureName(*request.device_architecture)))
           : nlohmann::json(nullptr)},
      {"state", std::string(RequestStateName(request.state))},
      {"steps", std::move(steps)},
      {"channel_target", std::string(ChannelTargetName(ChannelTargetFor(request.use_case)))},
      // What the user binds its sealed bytes to (channel::Binding), besides the request id
      // and the device id above.
      {"channel",
       {{"target", std::string(ChannelTargetName(ChannelTargetFor(request.use_case)))},
        {"instance", request.channel_instance},
        {"purpose", std::string(ChannelPurposeFor(request.use_case))}}},
      {"ear_available", !request.ear.empty()},
      {"receipt", request.receipt.empty() ? nlohmann::json(nullptr)
                                          : nlohmann::json(eat::Base64UrlEncode(request.receipt))},
      {"error", request.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(request.error)},
      {"created_at", Rfc3339(request.created_at)},
      {"updated_at", Rfc3339(request.updated_at)},
  };
  return out;
}

nlohmann::json DeviceCapacityJson(const DeviceCapacity& device) {
  auto names = [](const std::vector<InstanceType>& types) {
    nlohmann::json out = nlohmann::json::array();
    for (InstanceType type : types) out.push_back(std::string(InstanceTypeName(type)));
    return out;
  };
  // instance_types and slots_total are what placement uses: the source's statement lowered
  // by the operator's override, which "stated" and "override" show apart.
  nlohmann::json override_json = nullptr;
  if (device.source == CapacitySource::kEvidence &&
      (device.slot_limit || !device.withheld_types.empty())) {
    override_json = {{"slots", device.slot_limit ? nlohmann::json(*device.slot_limit) : nullptr},
                     {"withheld_instance_types", names(device.withheld_types)}};
  }
  return {
      {"id", device.device_id},
      {"architecture", std::string(ArchitectureName(device.architecture))},
      {"architecture_attested", device.architecture_attested},
      {"instance_types", names(device.OfferedTypes())},
      {"slots_total", device.slots_offered()},
      {"slots_used", device.slots_used},
      {"slots_free", device.slots_free()},
      {"capacity_source", std::string(CapacitySourceName(device.source))},
      {"stated", {{"instance_types", names(device.instance_types)}, {"slots", device.slots_total}}},
      {"override", std::move(override_json)},
      {"updated_at", Rfc3339(device.updated_at)}};
}

nlohmann::json ErrorJson(std::string_view code, std::string_view message) {
  return {{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}};
}

}  // namespace teepnet::moc
