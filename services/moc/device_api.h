// Binds the device channel API (teepnet/moc/device_api_router.h; USE-CASES "Device channel
// API") to the HTTP server: a device's Broker polls GET /device/v1/devices/{id}/inbox and posts
// receipts to /device/v1/devices/{id}/receipts. teepnet-moc mounts it beside the user API.
#ifndef TEEPNET_SERVICES_MOC_DEVICE_API_H_
#define TEEPNET_SERVICES_MOC_DEVICE_API_H_

#include <string_view>

#include "services/net/http.h"
#include "teepnet/moc/device_api_router.h"

namespace teepnet::moc {

class DeviceApi {
 public:
  // `router` must outlive the API object.
  explicit DeviceApi(DeviceApiRouter& router) : router_(router) {}

  static bool Serves(std::string_view path) { return DeviceApiRouter::Serves(path); }

  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  DeviceApiRouter& router_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_DEVICE_API_H_
