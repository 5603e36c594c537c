#include "services/device/enrollment.h"

#include <nlohmann/json.hpp>

#include "services/common/data_dir.h"
#include "services/common/errc.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"

namespace teepnet::device {

Result<std::string> AdminOriginFor(const std::string& tam_uri) {
  TEEPNET_ASSIGN_OR_RETURN(net::ParsedUrl url, net::ParseHttpUrl(tam_uri));
  return url.Origin();
}

Result<std::string> Enroll(const std::string& tam_uri, const std::string& token,
                           ByteView agent_cose_key, const std::string& platform,
                           const net::HttpClientOptions& http) {
  TEEPNET_ASSIGN_OR_RETURN(std::string origin, AdminOriginFor(tam_uri));
  TEEPNET_ASSIGN_OR_RETURN(auto client, net::HttpClient::Create(origin, http));
  nlohmann::json request = {{"agent_key", ToHex(agent_cose_key)}, {"label", platform}};
  const std::string body = request.dump();
  TEEPNET_ASSIGN_OR_RETURN(
      net::HttpResponse response,
      client->Send("POST", "/admin/v1/devices",
                   {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                   AsBytes(body)));
  if (response.status != 200) {
    return Error(common::Errc::kRemoteRefused, "enrollment refused with HTTP " +
                                                   std::to_string(response.status) + ": " +
                                                   std::string(AsChars(response.body)));
  }
  nlohmann::json reply = nlohmann::json::parse(AsChars(response.body), nullptr, false);
  if (!reply.is_object() || !reply.contains("device_id") || !reply["device_id"].is_string()) {
    return Error(common::Errc::kBadResponse, "enrollment reply has no device_id");
  }
  return reply["device_id"].get<std::string>();
}

Result<std::optional<EnrollmentRecord>> LoadEnrollment(const std::string& path) {
  if (!common::PathExists(path)) return std::optional<EnrollmentRecord>();
  TEEPNET_ASSIGN_OR_RETURN(Bytes text, ReadFile(path, 64 * 1024));
  nlohmann::json j = nlohmann::json::parse(AsChars(text), nullptr, false);
  if (!j.is_object()) return Error(common::Errc::kBadConfig, path + " is not a JSON object");
  EnrollmentRecord record;
  for (auto [key, out] :
       {std::pair{"device_id", &record.device_id}, std::pair{"tam_uri", &record.tam_uri},
        std::pair{"platform", &record.platform}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      return Error(common::Errc::kBadConfig, path + ": missing " + key);
    }
    *out = it->get<std::string>();
  }
  return std::optional<EnrollmentRecord>(std::move(record));
}

Status SaveEnrollment(const std::string& path, const EnrollmentRecord& record) {
  nlohmann::json j = {
      {"device_id", record.device_id}, {"tam_uri", record.tam_uri}, {"platform", record.platform}};
  return WriteFileAtomic(path, AsBytes(j.dump(2) + "\n"), 0600);
}

}  // namespace teepnet::device
