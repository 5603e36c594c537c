// The Broker's long poll at the M/OC, GET /device/v1/devices/{id}/wait?timeout_ms=N (USE-CASES
// "Device channel API"): it answers as soon as the device has work (a new desired state, an
// attestation wanted, sealed bytes in its inbox) so the Broker runs its TEEP round and the
// inbox relay at once instead of at its next poll.
#ifndef TEEPNET_SERVICES_DEVICE_WAKE_CLIENT_H_
#define TEEPNET_SERVICES_DEVICE_WAKE_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "services/net/http.h"
#include "teepnet/base/result.h"

namespace teepnet::device {

// The M/OC's own bound on one wait (services/moc/device_wakeups.h).
inline constexpr int64_t kMaxWakeWaitMs = 30000;

class WakeClient {
 public:
  // `moc_origin` is "http(s)://host:port" (the TAM's origin). Waits may last up to
  // `max_wait_ms` (at most kMaxWakeWaitMs); the HTTP timeout allows for that.
  static Result<std::unique_ptr<WakeClient>> Create(std::string_view moc_origin,
                                                    std::string device_id, int64_t max_wait_ms,
                                                    net::HttpClientOptions http = {});

  // True when the M/OC says the device has work, false when `timeout_ms` passed without any.
  // Code::kUnavailable when the M/OC cannot be reached, Code::kUnimplemented when it has no
  // such endpoint (an older M/OC), common::Errc::kBadResponse for any other answer.
  Result<bool> Wait(int64_t timeout_ms);

 private:
  WakeClient(std::unique_ptr<net::HttpClient> client, std::string device_id, int64_t max_wait_ms)
      : client_(std::move(client)), device_id_(std::move(device_id)), max_wait_ms_(max_wait_ms) {}

  std::unique_ptr<net::HttpClient> client_;
  std::string device_id_;
  int64_t max_wait_ms_;
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_WAKE_CLIENT_H_
