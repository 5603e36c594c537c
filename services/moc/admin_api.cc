#include "services/moc/admin_api.h"

#include <algorithm>

#include "services/moc/status_json.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::moc {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/admin/v1/";

net::HttpResponse JsonResponse(int status, const json& body) {
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  net::HttpResponse r = net::HttpResponse::WithBody(status, "application/json", ToBytes(text));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::HttpResponse ErrorResponse(int status, std::string_view message, std::string reason = "") {
  return JsonResponse(status, {{"error", message}, {"reason", reason}});
}

// Maps a core or store failure to an HTTP status (the canonical code says whether the caller
// may retry; the reason picks the finer status).
net::HttpResponse FromError(const Error& e) {
  std::string reason = std::string(DomainName(e.domain())) + "/" + std::string(e.reason_name());
  if (e.Is(tam::Errc::kUnknownDevice) || e.Is(tam::Errc::kUnknownPackage)) {
    return ErrorResponse(404, e.message(), reason);
  }
  switch (e.code()) {
    case Code::kInvalidArgument:
    case Code::kOutOfRange: return ErrorResponse(400, e.message(), reason);
    case Code::kNotFound: return ErrorResponse(404, e.message(), reason);
    case Code::kUnavailable: return ErrorResponse(503, e.message(), reason);
    default: return ErrorResponse(500, e.message(), reason);
  }
}

std::optional<std::string> QueryParam(std::string_view target, std::string_view name) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool SameManifest(const suit::ComponentId& id, std::string_view name) {
  return id.ToString() == name || ToHex(id.Encode()) == name;
}

}  // namespace

AdminApi::Role AdminApi::Authenticate(const net::HttpRequest& request) const {
  std::string_view auth = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer) {
    return Role::kNone;
  }
  ByteView presented = AsBytes(auth.substr(kBearer.size()));
  // Both comparisons always run, so timing does not tell which token was close.
  bool admin = crypto::ConstantTimeEqual(presented, AsBytes(tokens_.admin));
  bool enroll = crypto::ConstantTimeEqual(presented, AsBytes(tokens_.enroll));
  if (admin) return Role::kAdmin;
  if (enroll) return Role::kEnroll;
  return Role::kNone;
}

net::HttpResponse AdminApi::Handle(const net::HttpRequest& request) {
  Role role = Authenticate(request);
  if (role == Role::kNone) {
    net::HttpResponse r = ErrorResponse(401, "missing or wrong bearer token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  std::string_view path = request.Path();
  path.remove_prefix(std::min(path.size(), kPrefix.size()));
  if (path == "devices") {
    if (request.method != "POST") return ErrorResponse(405, "use POST");
    return Enroll(request);
  }
  if (role != Role::kAdmin) return ErrorResponse(403, "the enrollment token may only enroll");
  if (path == "status") {
    if (request.method != "GET") return ErrorResponse(405, "use GET");
    return DeviceStatus(request);
  }
  constexpr std::string_view kDevices = "devices/";
  if (path.substr(0, kDevices.size()) == kDevices) {
    std::string_view rest = path.substr(kDevices.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      auto device_id = FromHex(rest.substr(0, slash));
      if (!device_id.ok()) return ErrorResponse(400, "device id is not hex");
      std::string_view action = rest.substr(slash + 1);
      if (action == "ear") {
        if (request.method != "GET") return ErrorResponse(405, "use GET");
        return DeviceEar(*device_id);
      }
      if (action == "install" || action == "remove") {
        if (request.method != "POST") return ErrorResponse(405, "use POST");
        return action == "install" ? Install(*device_id, request) : Remove(*device_id, request);
      }
    }
  }
  return ErrorResponse(404, "no such admin resource");
}

net::HttpResponse AdminApi::Enroll(const net::HttpRequest& request) {
  json body = json::parse(AsChars(request.body), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("agent_key") || !body["agent_key"].is_string()) {
    return ErrorResponse(400, "expected {\"agent_key\": \"<hex COSE_Key>\", \"label\": ...}");
  }
  std::string label;
  if (body.contains("label")) {
    if (!body["label"].is_string()) return ErrorResponse(400, "label must be a string");
    label = body["label"].get<std::string>();
  }
  auto key = FromHex(body["agent_key"].get<std::string>());
  if (!key.ok()) return ErrorResponse(400, "agent_key is not hex");
  auto device_id = tam_.EnrollDevice(*key, label);
  if (!device_id.ok()) return FromError(device_id.error());
  log_.Info("enrolled",
            {{"device_id", ToHex(*device_id)}, {"label", label}, {"peer", request.peer}});
  return JsonResponse(200, {{"device_id", ToHex(*device_id)}});
}

net::HttpResponse AdminApi::Install(const Bytes& device_id, const net::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  auto device = store_.FindDevice(device_id);
  if (!device.ok()) return FromError(device.error());
  if (!*device) return ErrorResponse(404, "no such device");
  auto package = tam_.AddPackage(request.body);
  if (!package.ok()) return FromError(package.error());
  auto desired = store_.GetDesiredState(device_id);
  if (!desired.ok()) return FromError(desired.error());
  // One entry per manifest: installing a higher sequence number replaces the older entry.
  std::erase_if(desired->install,
                [&](const tam::PackageRef& r) { return r.manifest_id == package->manifest_id; });
  std::erase(desired->remove, package->manifest_id);
  desired->install.push_back({package->manifest_id, package->sequence_number});
  if (Status s = tam_.SetDesiredState(device_id, *desired); !s.ok()) return FromError(s.error());
  json reply = ComponentJson(package->manifest_id);
  reply["device_id"] = ToHex(device_id);
  reply["sequence_number"] = package->sequence_number;
  log_.Info("install", reply);
  return JsonResponse(200, reply);
}

net::HttpResponse AdminApi::Remove(const Bytes& device_id, const net::HttpRequest& request) {
  json body = json::parse(AsChars(request.body), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("component") || !body["component"].is_string()) {
    return ErrorResponse(400, "expected {\"component\": \"<manifest id>\"}");
  }
  const std::string name = body["component"].get<std::string>();
  std::lock_guard<std::mutex> lock(mu_);
  auto device = store_.FindDevice(device_id);
  if (!device.ok()) return FromError(device.error());
  if (!*device) return ErrorResponse(404, "no such device");
  auto desired = store_.GetDesiredState(device_id);
  if (!desired.ok()) return FromError(desired.error());
  auto status = store_.GetStatus(device_id);
  if (!status.ok()) return FromError(status.error());
  // The name is matched against every manifest id the TAM knows for this device, so the
  // readable form needs no parser of its own.
  std::optional<suit::ComponentId> target;
  for (const tam::PackageRef& r : desired->install) {
    if (SameManifest(r.manifest_id, name)) target = r.manifest_id;
  }
  if (*status) {
    for (const agent::InstalledTc& tc : (*status)->installed) {
      if (SameManifest(tc.manifest_id, name)) target = tc.manifest_id;
    }
  }
  for (const suit::ComponentId& id : desired->remove) {
    if (SameManifest(id, name)) target = id;
  }
  if (!target) return ErrorResponse(404, "no component '" + name + "' on this device");
  std::erase_if(desired->install,
                [&](const tam::PackageRef& r) { return r.manifest_id == *target; });
  if (std::find(desired->remove.begin(), desired->remove.end(), *target) == desired->remove.end()) {
    desired->remove.push_back(*target);
  }
  if (Status s = tam_.SetDesiredState(device_id, *desired); !s.ok()) return FromError(s.error());
  json reply = ComponentJson(*target);
  reply["device_id"] = ToHex(device_id);
  log_.Info("remove", reply);
  return JsonResponse(200, reply);
}

net::HttpResponse AdminApi::DeviceEar(const Bytes& device_id) {
  auto device = store_.FindDevice(device_id);
  if (!device.ok()) return FromError(device.error());
  if (!*device) return ErrorResponse(404, "no such device");
  auto status = store_.GetStatus(device_id);
  if (!status.ok()) return FromError(status.error());
  if (!*status || !(*status)->appraisal || (*status)->appraisal->attestation_result.empty()) {
    return ErrorResponse(404, "no EAR for this device yet");
  }
  const tam::AppraisalRecord& a = *(*status)->appraisal;
  return JsonResponse(200, {{"device_id", ToHex(device_id)},
                            {"ear", std::string(AsChars(a.attestation_result))},
                            {"ear_status", EarStatus(a)},
                            {"affirming", a.affirming},
                            {"reason", a.reason},
                            {"appraised_at", a.appraised_at}});
}

net::HttpResponse AdminApi::DeviceStatus(const net::HttpRequest& request) {
  std::vector<tam::DeviceRecord> devices;
  if (auto only = QueryParam(request.target, "device")) {
    auto id = FromHex(*only);
    if (!id.ok()) return ErrorResponse(400, "device id is not hex");
    auto device = store_.FindDevice(*id);
    if (!device.ok()) return FromError(device.error());
    if (!*device) return ErrorResponse(404, "no such device");
    devices.push_back(std::move(**device));
  } else {
    auto all = store_.ListDevices();
    if (!all.ok()) return FromError(all.error());
    devices = std::move(*all);
  }
  json out = json::array();
  for (const tam::DeviceRecord& d : devices) {
    auto desired = store_.GetDesiredState(d.device_id);
    if (!desired.ok()) return FromError(desired.error());
    auto status = store_.GetStatus(d.device_id);
    if (!status.ok()) return FromError(status.error());
    out.push_back(DeviceJson(d, *desired, *status));
  }
  return JsonResponse(200, out);
}

}  // namespace teepnet::moc
