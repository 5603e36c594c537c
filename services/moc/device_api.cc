#include "services/moc/device_api.h"

#include <utility>

namespace teepnet::moc {

net::HttpResponse DeviceApi::Handle(const net::HttpRequest& request) {
  ApiRequest in;
  in.method = request.method;
  in.target = request.target;
  in.body = request.body;
  ApiResponse out = router_.Handle(in);
  net::HttpResponse response =
      net::HttpResponse::WithBody(out.status, std::move(out.content_type), std::move(out.body));
  // An inbox changes with every receipt: never served from a cache.
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace teepnet::moc
