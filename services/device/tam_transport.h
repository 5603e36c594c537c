// TEEP over HTTP, client side (draft-ietf-teep-otrp-over-http-15 §"TEEP/HTTP Client
// Behavior"): POSTs a Broker session's message to the TAM URI with the headers the draft
// requires, one keep-alive connection per origin.
//   - every POST carries Accept: application/teep+cbor;
//   - the session-opening POST has an empty body and no Content-Type, later ones
//     Content-Type: application/teep+cbor;
//   - no cookies, no Cache-Control, redirects are not followed (a 3xx is just a status).
#ifndef TEEPNET_SERVICES_DEVICE_TAM_TRANSPORT_H_
#define TEEPNET_SERVICES_DEVICE_TAM_TRANSPORT_H_

#include <map>
#include <memory>
#include <string>

#include "services/net/http.h"
#include "teepnet/broker/broker_session.h"

namespace teepnet::device {

class TamTransport {
 public:
  explicit TamTransport(net::HttpClientOptions options = {}) : options_(options) {}
  // kUnavailable for a network failure; any HTTP status is a successful exchange.
  Result<net::HttpResponse> Post(const broker::HttpPost& post);

 private:
  net::HttpClientOptions options_;
  std::map<std::string, std::unique_ptr<net::HttpClient>> clients_;  // by origin
  // The URI of the last POST, its target and its origin's client (owned by clients_).
  std::string last_uri_;
  std::string last_target_;
  net::HttpClient* last_client_ = nullptr;
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_TAM_TRANSPORT_H_
