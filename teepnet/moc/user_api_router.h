// The user REST API (docs/api/openapi.yaml) as a function from a request to a response, without
// I/O: services/moc binds it to the HTTP server. Routes, all under /api/v1 and all needing
// `Authorization: Bearer <token>`:
//
//   POST /tenants                      admin   {"name"}                  -> 201 tenant + token
//   GET  /tenants                      admin                              -> 200 [tenant]
//   POST /packages?kind=ua|ta&name=N   tenant  body: SUIT envelope        -> 201 package
//   GET  /packages                     tenant                             -> 200 [package]
//   GET  /packages/{id}                tenant                             -> 200 package
//   POST /requests                     tenant  {"use_case","instance","hardware","packages"}
//                                                                         -> 201 request
//   GET  /requests                     tenant                             -> 200 [request]
//   GET  /requests/{id}                tenant                             -> 200 request + steps
//   GET  /requests/{id}/ear            tenant                             -> 200 the EAR
//   POST /requests/{id}/channel        tenant  body: sealed bytes (opaque) -> 202 request
//   GET  /devices                      any                                -> 200 [device]
//
// Errors are {"error":{"code","message"}} with the codes of api_errors.h. Bodies are bounded
// per route (limits.h) before anything reads them.
#ifndef TEEPNET_MOC_USER_API_ROUTER_H_
#define TEEPNET_MOC_USER_API_ROUTER_H_

#include <cstddef>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/moc/moc_service.h"

namespace teepnet::moc {

struct ApiRequest {
  std::string method;         // "GET", "POST"
  std::string target;         // path and query, as sent
  std::string authorization;  // the Authorization header's value, "" when absent
  Bytes body;
};

struct ApiResponse {
  int status = 200;
  std::string content_type;
  Bytes body;
};

class UserApiRouter {
 public:
  explicit UserApiRouter(MocService& service) : service_(service) {}

  ApiResponse Handle(const ApiRequest& request);

  // The largest body any route accepts; the HTTP layer must not read more.
  static size_t MaxBodyBytes();

 private:
  MocService& service_;
};

// Percent-decodes a query component ("+" is a space). Fails on a truncated or non-hex escape.
Result<std::string> PercentDecode(std::string_view text);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_USER_API_ROUTER_H_
