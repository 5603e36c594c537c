// GET /device/v1/devices/{device_id}/wait?timeout_ms=N (USE-CASES "Device channel API"): the
// Broker's long poll. 200 {"work": true} as soon as the device has work (device_wakeups.h),
// 204 when `timeout_ms` (0..30000, default 25000) passed without any, 503 when the M/OC holds
// too many waits. Unauthenticated like the rest of the device API: the answer says only that
// the device has something to fetch, which it then fetches through the TAM or its inbox.
#ifndef TEEPNET_SERVICES_MOC_DEVICE_WAIT_API_H_
#define TEEPNET_SERVICES_MOC_DEVICE_WAIT_API_H_

#include <cstdint>
#include <string_view>

#include "services/moc/device_wakeups.h"
#include "services/net/http.h"

namespace teepnet::moc {

inline constexpr int64_t kDefaultDeviceWaitMs = 25000;

class DeviceWaitApi {
 public:
  // `wakeups` must outlive the API object.
  explicit DeviceWaitApi(DeviceWakeups& wakeups) : wakeups_(wakeups) {}

  // True for /device/v1/devices/{id}/wait.
  static bool Serves(std::string_view path);

  // An HttpDeferredHandler: takes the wait requests and answers them through `respond`
  // (at once for a malformed one).
  bool Take(const net::HttpRequest& request, const net::HttpResponder& respond);

 private:
  DeviceWakeups& wakeups_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_DEVICE_WAIT_API_H_
