// The admin's capacity registration, next to the user API (user_api.h):
//
//   PUT /api/v1/devices/{device_id}/capacity   admin
//       {"architecture": "sgx", "instance_types": ["process"], "slots": 2}  -> 200 device
//
// A device enrolled in the TAM (its id is the hex thumbprint the TAM keys it by) gets the
// capacity the operator states, through MocService::ReportCapacity, which refuses what seed
// Figure 2 forbids. The operator vouches for the architecture here: a device without platform
// evidence (sim-generic, or attestation off) has no other source for it, so the record counts as
// attested for placement. Errors use the user API's codes (api_errors.h).
#ifndef TEEPNET_SERVICES_MOC_CAPACITY_API_H_
#define TEEPNET_SERVICES_MOC_CAPACITY_API_H_

#include <string_view>

#include "services/net/http.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

class CapacityApi {
 public:
  // Both references must outlive the API object.
  CapacityApi(MocService& service, const tam::TamStore& tam_store)
      : service_(service), tam_store_(tam_store) {}

  // True for PUT targets of the shape above (checked before UserApi::Serves).
  static bool Serves(std::string_view path);
  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  MocService& service_;
  const tam::TamStore& tam_store_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_CAPACITY_API_H_
