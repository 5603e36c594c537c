#include "services/moc/capacity_api.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "teepnet/base/hex.h"
#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/json_codec.h"

namespace teepnet::moc {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/api/v1/devices/";
constexpr std::string_view kSuffix = "/capacity";
// A capacity body is a few short members; anything larger is not one.
constexpr size_t kMaxCapacityBodyBytes = 4096;
constexpr int64_t kMaxSlots = 1 << 16;

net::HttpResponse JsonResponse(int status, const json& body) {
  net::HttpResponse r = net::HttpResponse::WithBody(status, "application/json",
                                                    ToBytes(std::string_view(body.dump())));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::HttpResponse ErrorResponse(const Error& e) {
  const ApiError api = ApiErrorFor(e);
  return JsonResponse(api.http_status, ErrorJson(api.code, e.message()));
}

std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  return header.substr(kScheme.size());
}

Result<DeviceCapacity> ParseCapacity(std::string_view device_id, ByteView body) {
  const Error bad(Errc::kInvalidArgument,
                  "expected {\"architecture\", \"instance_types\": [...], \"slots\"}");
  if (body.size() > kMaxCapacityBodyBytes) {
    return Error(Errc::kBodyTooLarge, "a capacity body is at most 4096 bytes");
  }
  json j = json::parse(AsChars(body), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(Errc::kInvalidJson, "the body is not JSON");
  if (!j.is_object()) return bad;
  auto arch = j.find("architecture");
  auto types = j.find("instance_types");
  auto slots = j.find("slots");
  if (arch == j.end() || !arch->is_string() || types == j.end() || !types->is_array() ||
      slots == j.end() || !slots->is_number_integer() || j.size() != 3) {
    return bad;
  }
  DeviceCapacity d;
  d.device_id = std::string(device_id);
  auto parsed_arch = ParseArchitecture(arch->get<std::string>());
  if (!parsed_arch) return Error(Errc::kInvalidArgument, "unknown architecture");
  d.architecture = *parsed_arch;
  d.architecture_attested = true;  // the operator vouches (capacity_api.h)
  for (const json& t : *types) {
    if (!t.is_string()) return bad;
    auto type = ParseInstanceType(t.get<std::string>());
    if (!type) return Error(Errc::kInvalidArgument, "unknown instance type");
    d.instance_types.push_back(*type);
  }
  const int64_t n = slots->get<int64_t>();
  if (n < 0 || n > kMaxSlots) return Error(Errc::kInvalidArgument, "slots must be 0 to 65536");
  d.slots_total = static_cast<uint32_t>(n);
  return d;
}

}  // namespace

bool CapacityApi::Serves(std::string_view path) {
  return path.size() > kPrefix.size() + kSuffix.size() &&
         path.substr(0, kPrefix.size()) == kPrefix &&
         path.substr(path.size() - kSuffix.size()) == kSuffix &&
         path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()).find('/') ==
             std::string_view::npos;
}

net::HttpResponse CapacityApi::Handle(const net::HttpRequest& request) {
  if (request.method != "PUT") {
    return ErrorResponse(Error(Errc::kMethodNotAllowed, "use PUT"));
  }
  auto who = service_.Authenticate(BearerToken(request.Header("authorization")));
  if (!who.ok()) return ErrorResponse(who.error());
  if (!who->admin) return ErrorResponse(Error(Errc::kAdminOnly, "this call needs the admin token"));
  const std::string_view path = request.Path();
  const std::string_view device_id =
      path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  // Only a device the TAM enrolled can be deployed to.
  auto raw = FromHex(device_id);
  if (!raw.ok() || raw->empty()) {
    return ErrorResponse(Error(Errc::kInvalidArgument, "the device id is not hex"));
  }
  auto enrolled = tam_store_.FindDevice(*raw);
  if (!enrolled.ok()) return ErrorResponse(Error(Errc::kStoreFailure, enrolled.error().ToString()));
  if (!*enrolled) {
    return ErrorResponse(
        Error(Errc::kNoSuitableDevice, "no enrolled device " + std::string(device_id)));
  }
  auto capacity = ParseCapacity(device_id, request.body);
  if (!capacity.ok()) return ErrorResponse(capacity.error());
  if (Status s = service_.ReportCapacity(*capacity); !s.ok()) return ErrorResponse(s.error());
  auto stored = service_.ListDevices(*who);
  if (!stored.ok()) return ErrorResponse(stored.error());
  for (const DeviceCapacity& d : *stored) {
    if (d.device_id == device_id) return JsonResponse(200, DeviceCapacityJson(d));
  }
  return ErrorResponse(Error(Errc::kStoreFailure, "the capacity was not stored"));
}

}  // namespace teepnet::moc
