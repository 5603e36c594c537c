// The Network User's side of the M/OC user API (docs/api/openapi.yaml): one origin, one bearer
// token, JSON in and out. Calls that are safe to repeat (reads, and posting the same sealed
// bytes again, which the API accepts as a retry) ride out an M/OC that restarts: a transport
// failure or a 503 is retried until the caller's deadline. Creating a request is safe to repeat
// under an Idempotency-Key; only its transport failures are retried.
#ifndef TEEPNET_SERVICES_CLI_MOC_CLIENT_H_
#define TEEPNET_SERVICES_CLI_MOC_CLIENT_H_

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "services/net/http.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::cli {

struct MocReply {
  int status = 0;
  std::string content_type;
  Bytes body;

  // The body as JSON (discarded when it is not JSON).
  nlohmann::json Json() const;
  // "code: message" of an API error body, or the status and raw body.
  std::string ErrorText() const;
};

// kUntilDeadline: a transport failure or HTTP 503 is retried. kTransportOnly: only a transport
// failure (a refused or cut connection) is retried, for a call whose repeat the server
// recognises (POST /requests with an Idempotency-Key) but whose 503 answers are final.
enum class Retry { kNo, kUntilDeadline, kTransportOnly };

class MocClient {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  static Result<MocClient> Create(const std::string& url, const std::string& ca_file,
                                  std::string token);

  // One call. With Retry::kUntilDeadline a transport failure or HTTP 503 is retried every
  // `retry_ms` until `deadline`; the last failure is returned then.
  // `headers` are sent as well (Authorization and Content-Type are added here).
  Result<MocReply> Call(std::string_view method, const std::string& target,
                        std::string_view content_type, ByteView body, Retry retry,
                        Deadline deadline, int retry_ms = 200, net::HeaderList headers = {});

 private:
  MocClient(std::unique_ptr<net::HttpClient> http, std::string token)
      : http_(std::move(http)), token_(std::move(token)) {}
  std::unique_ptr<net::HttpClient> http_;
  std::string token_;
};

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_MOC_CLIENT_H_
