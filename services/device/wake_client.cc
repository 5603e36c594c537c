#include "services/device/wake_client.h"

#include <algorithm>

#include "services/common/errc.h"

namespace teepnet::device {

namespace {

// Beyond the wait itself, what the HTTP exchange may take.
constexpr int kWaitSlackMs = 5000;

}  // namespace

Result<std::unique_ptr<WakeClient>> WakeClient::Create(std::string_view moc_origin,
                                                       std::string device_id, int64_t max_wait_ms,
                                                       net::HttpClientOptions http) {
  max_wait_ms = std::clamp<int64_t>(max_wait_ms, 0, kMaxWakeWaitMs);
  http.request_timeout_ms = static_cast<int>(max_wait_ms) + kWaitSlackMs;
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> client,
                           net::HttpClient::Create(moc_origin, std::move(http)));
  return std::unique_ptr<WakeClient>(
      new WakeClient(std::move(client), std::move(device_id), max_wait_ms));
}

Result<bool> WakeClient::Wait(int64_t timeout_ms) {
  timeout_ms = std::clamp<int64_t>(timeout_ms, 0, max_wait_ms_);
  TEEPNET_ASSIGN_OR_RETURN(net::HttpResponse r,
                           client_->Get("/device/v1/devices/" + device_id_ +
                                        "/wait?timeout_ms=" + std::to_string(timeout_ms)));
  if (r.status == 200) return true;
  if (r.status == 204) return false;
  if (r.status == 404 || r.status == 405) {
    return Error(Code::kUnimplemented, "the M/OC has no device wait endpoint");
  }
  if (r.status >= 500) {
    return Error(Code::kUnavailable, "the M/OC answered the wait with " + std::to_string(r.status));
  }
  return Error(common::Errc::kBadResponse,
               "the M/OC answered the wait with " + std::to_string(r.status));
}

}  // namespace teepnet::device
