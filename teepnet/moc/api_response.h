// The M/OC's REST routers (user_api_router.h, device_api_router.h) as functions from a request to
// a response, without I/O, and the pieces they share: JSON bodies bounded before parsing, and
// errors as {"error":{"code","message"}} with the codes of api_errors.h.
#ifndef TEEPNET_MOC_API_RESPONSE_H_
#define TEEPNET_MOC_API_RESPONSE_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::moc {

struct ApiRequest {
  std::string method;         // "GET", "POST"
  std::string target;         // path and query, as sent
  std::string authorization;  // the Authorization header's value, "" when absent
  Bytes body;
  // The Idempotency-Key header's value, "" when absent (only POST /requests reads it).
  std::string idempotency_key = {};
};

struct ApiResponse {
  int status = 200;
  std::string content_type;
  Bytes body;
};

ApiResponse JsonResponse(int status, const nlohmann::json& body);
ApiResponse ErrorResponse(const Error& error);

// The body as a JSON object: kBodyTooLarge above `max_bytes` (checked before parsing),
// kInvalidJson when it is not JSON or not an object.
Result<nlohmann::json> ParseJsonObject(ByteView body, size_t max_bytes);
// kInvalidArgument naming the first member not in `allowed`.
Status OnlyFields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed);
// kInvalidArgument unless `object[name]` is a string.
Result<std::string> StringField(const nlohmann::json& object, const char* name);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_API_RESPONSE_H_
