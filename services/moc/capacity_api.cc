#include "services/moc/capacity_api.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "services/moc/capacity_sync.h"
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
  d.architecture_attested = true;  // the operator vouches (capacity_api.h, attestation off)
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
  Status registered =
      from_evidence_ ? RegisterAttested(*raw, *capacity) : service_.ReportCapacity(*capacity);
  if (!registered.ok()) return ErrorResponse(registered.error());
  auto stored = service_.FindDevice(device_id);
  if (!stored.ok()) return ErrorResponse(stored.error());
  if (!*stored) return ErrorResponse(Error(Errc::kStoreFailure, "the capacity was not stored"));
  return JsonResponse(200, DeviceCapacityJson(**stored));
}

Status CapacityApi::RegisterAttested(ByteView device, const DeviceCapacity& stated) {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<AppraisedDevice> appraisal,
                           ReadAppraisal(tam_store_, device));
  if (!appraisal) {
    return Error(Errc::kCapacityNotAttested,
                 "device " + stated.device_id +
                     " has not been appraised yet; its architecture and capacity come from its "
                     "evidence (retry after its first TEEP exchange)");
  }
  if (!appraisal->affirming || !appraisal->architecture) {
    return Error(Errc::kDeviceNotAttested, "device " + stated.device_id +
                                               " takes no requests: its last evidence was not "
                                               "affirmed (" +
                                               appraisal->reason + ")");
  }
  if (stated.architecture != *appraisal->architecture) {
    return Error(Errc::kArchitectureMismatch,
                 "device " + stated.device_id + " proved " +
                     std::string(ArchitectureTitle(*appraisal->architecture)) +
                     " in its evidence, not " +
                     std::string(ArchitectureTitle(stated.architecture)));
  }
  // The record may lag the appraisal by one exchange: bring it in line first.
  CapacitySync sync(tam_store_, service_);
  if (Result<std::string> synced = sync.Device(device); !synced.ok()) return synced.error();
  TEEPNET_ASSIGN_OR_RETURN(std::optional<DeviceCapacity> current,
                           service_.FindDevice(stated.device_id));
  if (appraisal->has_capacity_claim) {
    if (!current) {
      return Error(Errc::kDeviceNotAttested,
                   "device " + stated.device_id + " claims a capacity seed Figure 2 refuses");
    }
    TEEPNET_ASSIGN_OR_RETURN(CapacityOverride override_, OverrideFor(*current, stated));
    return service_.OverrideCapacity(stated.device_id, override_);
  }
  // No claim: the operator states the capacity, the evidence the architecture.
  DeviceCapacity registered = stated;
  registered.architecture = *appraisal->architecture;
  registered.architecture_attested = true;
  registered.source = CapacitySource::kOperator;
  return service_.ReportCapacity(registered);
}

}  // namespace teepnet::moc
