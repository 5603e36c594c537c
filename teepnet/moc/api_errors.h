// The user API's error vocabulary: each moc::Errc has one stable snake_case code and one HTTP
// status. Bodies look like {"error":{"code":"request_not_found","message":"no request req-…"}}.
// docs/api/openapi.yaml lists the same codes; a unit test keeps the two in step.
#ifndef TEEPNET_MOC_API_ERRORS_H_
#define TEEPNET_MOC_API_ERRORS_H_

#include <span>
#include <string>
#include <string_view>

#include "teepnet/base/error.h"
#include "teepnet/moc/errc.h"

namespace teepnet::moc {

struct ApiErrorEntry {
  Errc reason;
  std::string_view code;  // stable, snake_case
  int http_status;
};

// Every moc::Errc, in enum order.
std::span<const ApiErrorEntry> ApiErrorTable();

// Code and status for any Error: a moc reason maps through the table; anything else (a store
// or crypto failure below the M/OC) is "internal" / 500, or "unavailable" / 503 when its
// canonical code says a retry may help.
struct ApiError {
  std::string code;
  int http_status = 500;
};
ApiError ApiErrorFor(const Error& error);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_API_ERRORS_H_
