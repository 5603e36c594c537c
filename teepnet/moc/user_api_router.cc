#include "teepnet/moc/user_api_router.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "teepnet/base/hex.h"
#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/json_codec.h"
#include "teepnet/moc/limits.h"

namespace teepnet::moc {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/api/v1/";

template <typename T, typename F>
ApiResponse Respond(const Result<T>& result, int status, F&& to_json) {
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(status, to_json(*result));
}

template <typename T, typename F>
json JsonArray(const std::vector<T>& items, F&& to_json) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != kScheme[i]) return {};
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

Result<std::optional<std::string>> QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    TEEPNET_ASSIGN_OR_RETURN(std::string key, PercentDecode(pair.substr(0, eq)));
    if (key == name) {
      if (eq == std::string_view::npos) return std::optional<std::string>(std::string());
      TEEPNET_ASSIGN_OR_RETURN(std::string value, PercentDecode(pair.substr(eq + 1)));
      return std::optional<std::string>(std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::optional<std::string>();
}

Result<RequestSpec> ParseRequestSpec(const json& body) {
  TEEPNET_RETURN_IF_ERROR(OnlyFields(body, {"use_case", "instance", "hardware", "packages"}));
  RequestSpec spec;
  auto use_case = body.find("use_case");
  if (use_case == body.end() || !use_case->is_number_integer() || *use_case < 1 || *use_case > 4) {
    return Error(Errc::kInvalidArgument, "\"use_case\" must be 1, 2, 3 or 4 (seed §5.1-§5.4)");
  }
  spec.use_case = use_case->get<int>();
  TEEPNET_ASSIGN_OR_RETURN(std::string instance, StringField(body, "instance"));
  std::optional<InstanceType> type = ParseInstanceType(instance);
  if (!type) {
    return Error(
        Errc::kInvalidArgument,
        "\"instance\" must be \"process\", \"container\" or \"vm\", not \"" + instance + "\"");
  }
  spec.instance = *type;
  auto hardware = body.find("hardware");
  if (hardware != body.end() && !hardware->is_null()) {
    const std::optional<Architecture> arch =
        hardware->is_string() ? ParseArchitecture(hardware->get<std::string>()) : std::nullopt;
    if (!arch) {
      return Error(Errc::kInvalidArgument,
                   "\"hardware\" must be one of trustzone, sgx, sev-snp, cca, tdx, csv or null");
    }
    spec.hardware = arch;
  }
  auto packages = body.find("packages");
  if (packages != body.end() && !packages->is_null()) {
    if (!packages->is_object()) {
      return Error(Errc::kInvalidArgument, "\"packages\" must be an object {\"ua\", \"ta\"}");
    }
    TEEPNET_RETURN_IF_ERROR(OnlyFields(*packages, {"ua", "ta"}));
    if (packages->contains("ua")) {
      TEEPNET_ASSIGN_OR_RETURN(spec.ua_package, StringField(*packages, "ua"));
    }
    if (packages->contains("ta")) {
      TEEPNET_ASSIGN_OR_RETURN(spec.ta_package, StringField(*packages, "ta"));
    }
  }
  return spec;
}

Error MethodNotAllowed(std::string_view method, std::string_view path) {
  return Error(Errc::kMethodNotAllowed,
               std::string(method) + " is not allowed on " + std::string(path));
}

// GET /api/v1/packages [?sha256=HEX [&kind=ua|ta]]: all of the caller's packages, or only
// those whose envelope has that SHA-256 (openapi.yaml "listPackages"), so a user can reuse a
// package the M/OC already holds instead of uploading its bytes again.
ApiResponse ListPackagesResponse(const MocService& service, const Principal& who,
                                 std::string_view query) {
  Result<std::optional<std::string>> sha256 = QueryParam(query, "sha256");
  if (!sha256.ok()) return ErrorResponse(sha256.error());
  Result<std::optional<std::string>> kind_text = QueryParam(query, "kind");
  if (!kind_text.ok()) return ErrorResponse(kind_text.error());
  if (!*sha256) {
    if (*kind_text) {
      return ErrorResponse(Error(Errc::kInvalidArgument, "kind filters only with sha256"));
    }
    return Respond(service.ListPackages(who), 200,
                   [](const auto& v) { return JsonArray(v, PackageJson); });
  }
  std::optional<PackageKind> kind;
  if (*kind_text) {
    kind = ParsePackageKind(**kind_text);
    if (!kind) {
      return ErrorResponse(
          Error(Errc::kInvalidArgument, "the query parameter kind must be \"ua\" or \"ta\""));
    }
  }
  Result<Bytes> digest = FromHex(**sha256);
  if (!digest.ok() || digest->size() != 32) {
    return ErrorResponse(
        Error(Errc::kInvalidArgument, "the query parameter sha256 must be 64 hex digits"));
  }
  return Respond(service.FindPackagesByDigest(who, kind, *digest), 200,
                 [](const auto& v) { return JsonArray(v, PackageSummaryJson); });
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return Error(Errc::kInvalidArgument, "a truncated %-escape in the query");
      }
      auto nibble = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      const int hi = nibble(text[i + 1]);
      const int lo = nibble(text[i + 2]);
      if (hi < 0 || lo < 0) return Error(Errc::kInvalidArgument, "a bad %-escape in the query");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

size_t UserApiRouter::MaxBodyBytes() {
  return std::max({kMaxEnvelopeBytes, kMaxSealedBytes, kMaxJsonBodyBytes});
}

ApiResponse UserApiRouter::Handle(const ApiRequest& request) {
  const std::string_view target = request.target;
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return ErrorResponse(Error(Errc::kRouteNotFound, "no such path: " + std::string(path)));
  }
  if (request.body.size() > MaxBodyBytes()) {
    return ErrorResponse(Error(Errc::kBodyTooLarge,
                               "the body exceeds " + std::to_string(MaxBodyBytes()) + " bytes"));
  }
  if (path == "/api/v1/verifier-key") {
    if (request.method != "GET") return ErrorResponse(MethodNotAllowed(request.method, path));
    if (verifier_key_pem_.empty()) {
      return ErrorResponse(
          Error(Errc::kNoVerifierKey, "this M/OC issues no EARs (it runs without --attestation)"));
    }
    return ApiResponse{200, "application/x-pem-file", ToBytes(verifier_key_pem_)};
  }
  Result<Principal> who = service_.Authenticate(BearerToken(request.authorization));
  if (!who.ok()) return ErrorResponse(who.error());

  const std::vector<std::string_view> parts = SplitPath(path.substr(kPrefix.size()));
  const std::string_view method = request.method;
  const bool get = method == "GET";
  const bool post = method == "POST";
  const std::string_view collection = parts.empty() ? std::string_view() : parts[0];

  if (collection == "tenants" && parts.size() == 1) {
    if (get)
      return Respond(service_.ListTenants(*who), 200,
                     [](const auto& v) { return JsonArray(v, TenantJson); });
    if (!post) return ErrorResponse(MethodNotAllowed(method, path));
    Result<json> body = ParseJsonObject(request.body, kMaxJsonBodyBytes);
    if (!body.ok()) return ErrorResponse(body.error());
    if (Status fields = OnlyFields(*body, {"name"}); !fields.ok())
      return ErrorResponse(fields.error());
    Result<std::string> name = StringField(*body, "name");
    if (!name.ok()) return ErrorResponse(name.error());
    return Respond(service_.CreateTenant(*who, *name), 201, [](const NewTenant& t) {
      return json{{"tenant", TenantJson(t.tenant)}, {"token", t.token}};
    });
  }

  if (collection == "packages" && parts.size() == 1) {
    if (get) return ListPackagesResponse(service_, *who, query);
    if (!post) return ErrorResponse(MethodNotAllowed(method, path));
    Result<std::optional<std::string>> kind_text = QueryParam(query, "kind");
    if (!kind_text.ok()) return ErrorResponse(kind_text.error());
    const std::optional<PackageKind> kind =
        *kind_text ? ParsePackageKind(**kind_text) : std::nullopt;
    if (!kind) {
      return ErrorResponse(
          Error(Errc::kInvalidArgument, "the query parameter kind must be \"ua\" or \"ta\""));
    }
    Result<std::optional<std::string>> name = QueryParam(query, "name");
    if (!name.ok()) return ErrorResponse(name.error());
    return Respond(service_.UploadPackage(*who, *kind, name->value_or(""), request.body), 201,
                   PackageJson);
  }
  if (collection == "packages" && parts.size() == 2) {
    if (!get) return ErrorResponse(MethodNotAllowed(method, path));
    return Respond(service_.GetPackage(*who, parts[1]), 200, PackageJson);
  }

  if (collection == "requests" && parts.size() == 1) {
    if (get)
      return Respond(service_.ListRequests(*who), 200,
                     [](const auto& v) { return JsonArray(v, RequestJson); });
    if (!post) return ErrorResponse(MethodNotAllowed(method, path));
    Result<json> body = ParseJsonObject(request.body, kMaxJsonBodyBytes);
    if (!body.ok()) return ErrorResponse(body.error());
    Result<RequestSpec> spec = ParseRequestSpec(*body);
    if (!spec.ok()) return ErrorResponse(spec.error());
    // openapi.yaml "Idempotency-Key": 201 for the request this POST created, 200 for the one
    // an earlier POST with the same key and body created.
    Result<CreatedRequest> created =
        service_.CreateRequestWithKey(*who, *spec, request.idempotency_key);
    if (!created.ok()) return ErrorResponse(created.error());
    return JsonResponse(created->replayed ? 200 : 201, RequestJson(created->request));
  }
  if (collection == "requests" && parts.size() == 2) {
    if (!get) return ErrorResponse(MethodNotAllowed(method, path));
    return Respond(service_.GetRequest(*who, parts[1]), 200, RequestJson);
  }
  if (collection == "requests" && parts.size() == 3 && parts[2] == "ear") {
    if (!get) return ErrorResponse(MethodNotAllowed(method, path));
    Result<Request> found = service_.GetRequest(*who, parts[1]);
    if (!found.ok()) return ErrorResponse(found.error());
    if (found->ear.empty()) {
      return ErrorResponse(
          Error(Errc::kEarNotIssued, "request " + found->id + " has no EAR; it is at step " +
                                         std::string(RequestStateName(found->state))));
    }
    return ApiResponse{
        200, found->ear_media_type.empty() ? "application/octet-stream" : found->ear_media_type,
        found->ear};
  }
  if (collection == "requests" && parts.size() == 3 && parts[2] == "failure") {
    if (!get) return ErrorResponse(MethodNotAllowed(method, path));
    // Ownership first: another tenant's request is not found, whatever the key.
    Result<FailureRecord> record = service_.GetFailureRecord(*who, parts[1]);
    if (!record.ok()) return ErrorResponse(record.error());
    if (record_signer_ == nullptr) {
      return ErrorResponse(
          Error(Errc::kNoVerifierKey, "this M/OC has no key to sign records with"));
    }
    Result<std::string> jwt = IssueFailureRecord(*record, *record_signer_);
    if (!jwt.ok()) return ErrorResponse(jwt.error());
    return ApiResponse{200, std::string(kFailureRecordMediaType), ToBytes(AsBytes(*jwt))};
  }
  if (collection == "requests" && parts.size() == 3 && parts[2] == "channel") {
    if (!post) return ErrorResponse(MethodNotAllowed(method, path));
    return Respond(service_.PostSealedData(*who, parts[1], request.body), 202, RequestJson);
  }

  if (collection == "devices" && parts.size() == 1) {
    if (!get) return ErrorResponse(MethodNotAllowed(method, path));
    return Respond(service_.ListDevices(*who), 200,
                   [](const auto& v) { return JsonArray(v, DeviceCapacityJson); });
  }
  return ErrorResponse(Error(Errc::kRouteNotFound, "no such path: " + std::string(path)));
}

}  // namespace teepnet::moc
