#include "services/moc/user_api.h"

#include <utility>

namespace teepnet::moc {

bool UserApi::Serves(std::string_view path) {
  return path.substr(0, 8) == "/api/v1/";
}

net::HttpResponse UserApi::Handle(const net::HttpRequest& request) {
  ApiRequest in;
  in.method = request.method;
  in.target = request.target;
  in.authorization = std::string(request.Header("authorization"));
  in.body = request.body;
  in.idempotency_key = std::string(request.Header("idempotency-key"));
  ApiResponse out = router_.Handle(in);
  net::HttpResponse response =
      net::HttpResponse::WithBody(out.status, std::move(out.content_type), std::move(out.body));
  // Responses can carry a freshly issued token or an EAR: keep them out of caches, and keep
  // browsers from sniffing a JSON or CBOR body into something else.
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace teepnet::moc
