// The device channel API (USE-CASES "Device channel API") as a function from a request to a
// response, without I/O: services/moc binds it to the HTTP server under /device/v1/.
//
//   GET  /device/v1/devices/{device_id}/inbox
//        -> 200 {"items": [{"request_id", "target": "agent"|"ta", "instance", "purpose",
//                           "digest" (hex SHA-256 of sealed), "sealed" (base64url)}]}
//   POST /device/v1/devices/{device_id}/receipts   {"request_id", "receipt" (base64url)}
//        -> 200 {"request_id", "state"}; 400 receipt_invalid when it does not verify against a
//           key the request's EAR names; 404 for an unknown request or one on another device;
//           409 wrong_state when the request is not waiting for a receipt.
//
// No bearer token: an inbox holds only ciphertext sealed to attested keys, and a receipt is
// signed by an attested key, so neither a reader nor a forger gains anything. For the same
// reason the answer to a receipt names only the request's state, never the tenant's request.
// Errors are the user API's ({"error":{"code","message"}}, api_errors.h); bodies are bounded
// (limits.h) before anything reads them.
#ifndef TEEPNET_MOC_DEVICE_API_ROUTER_H_
#define TEEPNET_MOC_DEVICE_API_ROUTER_H_

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "teepnet/moc/api_response.h"
#include "teepnet/moc/moc_service.h"

namespace teepnet::moc {

class DeviceApiRouter {
 public:
  explicit DeviceApiRouter(MocService& service) : service_(service) {}

  ApiResponse Handle(const ApiRequest& request);

  // The largest body any route accepts; the HTTP layer must not read more.
  static size_t MaxBodyBytes();
  // True for the paths this API serves ("/device/v1/...").
  static bool Serves(std::string_view path);

 private:
  MocService& service_;
};

// {"request_id", "target", "instance", "purpose", "digest", "sealed"}.
nlohmann::json InboxItemJson(const InboxItem& item);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_DEVICE_API_ROUTER_H_
