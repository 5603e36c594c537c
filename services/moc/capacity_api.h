// The admin's capacity registration, next to the user API (user_api.h):
//
//   PUT /api/v1/devices/{device_id}/capacity   admin
//       {"architecture": "sgx", "instance_types": ["process"], "slots": 2}  -> 200 device
//
// Only a device enrolled in the TAM (its id is the hex thumbprint the TAM keys it by) can be
// named; MocService::ReportCapacity refuses what seed Figure 2 forbids. What the PUT means
// depends on whether this M/OC appraises evidence (USE-CASES "Device capacity"):
//
//   attestation off: the operator's statement is the capacity, and the operator vouches for
//     the architecture (a device without platform evidence, e.g. sim-generic, has no other
//     source for it), so the record counts as attested for placement;
//   attestation on: the architecture is the one the device's last appraised evidence proved,
//     and the PUT may not contradict it (409 architecture_mismatch). A device whose evidence
//     carries its own capacity claim (teepnet_capacity) gets an operator override that can
//     only lower it: fewer slots or instance types withheld (409 capacity_exceeds_attested
//     otherwise; stating the claim itself lifts the override). A device whose evidence claims
//     no capacity gets the stated instance types and slots under its attested architecture.
//     A device not appraised yet is refused with 409 capacity_not_attested, one whose last
//     evidence was refused with 409 device_not_attested.
// Errors use the user API's codes (api_errors.h).
#ifndef TEEPNET_SERVICES_MOC_CAPACITY_API_H_
#define TEEPNET_SERVICES_MOC_CAPACITY_API_H_

#include <string_view>

#include "services/net/http.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

class CapacityApi {
 public:
  // Both references must outlive the API object. `from_evidence`: this M/OC appraises
  // evidence (teepnet-moc --attestation request|require).
  CapacityApi(MocService& service, const tam::TamStore& tam_store, bool from_evidence = false)
      : service_(service), tam_store_(tam_store), from_evidence_(from_evidence) {}

  // True for PUT targets of the shape above (checked before UserApi::Serves).
  static bool Serves(std::string_view path);
  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  // The evidence-backed half of Handle (the header's "attestation on").
  Status RegisterAttested(ByteView device, const DeviceCapacity& stated);

  MocService& service_;
  const tam::TamStore& tam_store_;
  bool from_evidence_ = false;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_CAPACITY_API_H_
