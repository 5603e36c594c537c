#include "teepnet/moc/api_response.h"

#include <algorithm>

#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/json_codec.h"

namespace teepnet::moc {

using nlohmann::json;

ApiResponse JsonResponse(int status, const json& body) {
  // Messages may quote user input; invalid UTF-8 is replaced, never thrown on.
  const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return ApiResponse{status, "application/json", ToBytes(text)};
}

ApiResponse ErrorResponse(const Error& error) {
  const ApiError api = ApiErrorFor(error);
  return JsonResponse(api.http_status, ErrorJson(api.code, error.message()));
}

Result<json> ParseJsonObject(ByteView body, size_t max_bytes) {
  if (body.size() > max_bytes) {
    return Error(Errc::kBodyTooLarge,
                 "a JSON body may be at most " + std::to_string(max_bytes) + " bytes");
  }
  json parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Error(Errc::kInvalidJson, "the body is not valid JSON");
  if (!parsed.is_object()) return Error(Errc::kInvalidJson, "the body must be a JSON object");
  return parsed;
}

Status OnlyFields(const json& object, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Error(Errc::kInvalidArgument, "unknown field \"" + key + "\"");
    }
  }
  return OkStatus();
}

Result<std::string> StringField(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return Error(Errc::kInvalidArgument, std::string("\"") + name + "\" must be a string");
  }
  return it->get<std::string>();
}

}  // namespace teepnet::moc
