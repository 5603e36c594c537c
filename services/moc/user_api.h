// Binds the M/OC's user REST API (teepnet/moc/user_api_router.h, docs/api/openapi.yaml) to the
// HTTP server: translates net::HttpRequest into the router's request and its answer back.
// teepnet-moc mounts it under /api/v1/ (moc_main.cc); a server that mounts it must allow bodies
// of UserApi::MaxBodyBytes() (HttpServerOptions::max_body_bytes).
#ifndef TEEPNET_SERVICES_MOC_USER_API_H_
#define TEEPNET_SERVICES_MOC_USER_API_H_

#include <cstddef>
#include <string_view>

#include "services/net/http.h"
#include "teepnet/moc/user_api_router.h"

namespace teepnet::moc {

class UserApi {
 public:
  // `router` must outlive the API object.
  explicit UserApi(UserApiRouter& router) : router_(router) {}

  // True for the paths this API serves ("/api/v1/...").
  static bool Serves(std::string_view path);
  static size_t MaxBodyBytes() { return UserApiRouter::MaxBodyBytes(); }

  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  UserApiRouter& router_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_USER_API_H_
