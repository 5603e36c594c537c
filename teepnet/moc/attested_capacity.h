// Capacity backed by attestation (issue 5 item 2; USE-CASES "Device capacity"): what the
// M/OC records for a device after the TAM appraised its evidence, and what an operator's
// PUT .../capacity may still change. Pure functions; services/moc/capacity_sync.h feeds them
// the TAM's stored appraisal.
//
//   - affirming (or warning) evidence: the architecture is the one the Verifier appraised
//     (the EAR's submodule, named after the platform evidence format), attested; the
//     instance types and slots are the device's own teepnet_capacity claim
//     (evidence/teep_evidence.h, covered by the evidence signature and the report-data
//     binding), source kEvidence. Evidence without the claim keeps an operator-registered
//     capacity under the attested architecture; a claim-backed capacity without the claim
//     any more is withdrawn.
//   - contraindicated (or unreadable) evidence: the device is withdrawn — its record stays,
//     with architecture_attested = false, so placement passes it by. It is kept rather than
//     removed because requests placed on it still hold slots their failure gives back, and
//     the operator still sees the device and why it takes nothing; the next affirming
//     appraisal restores it.
//   - a capacity seed Figure 2 refuses for the attested architecture is withdrawn as well.
#ifndef TEEPNET_MOC_ATTESTED_CAPACITY_H_
#define TEEPNET_MOC_ATTESTED_CAPACITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

// The TAM's last appraisal of a device, as the M/OC reads it.
struct AppraisedDevice {
  bool affirming = false;                    // EAR status affirming or warning
  std::optional<Architecture> architecture;  // unset: the EAR did not name a known one
  bool has_capacity_claim = false;
  std::vector<InstanceType> claimed_types;  // empty with a claim: the claim was unreadable
  uint32_t claimed_slots = 0;
  std::string reason;  // the appraisal's status and notes
};

struct CapacityChange {
  std::optional<DeviceCapacity> write;  // unset: the record already says this (or none is due)
  std::string note;                     // what changed and why, for the log
};

// What `device_id`'s record becomes after `appraisal`, given the `current` one.
CapacityChange CapacityAfterAppraisal(std::string_view device_id,
                                      const std::optional<DeviceCapacity>& current,
                                      const AppraisedDevice& appraisal);

// The operator's override of an evidence-backed capacity: `stated` (architecture, instance
// types, slots of the PUT) may only lower `attested`. kArchitectureMismatch when it names
// another architecture, kCapacityExceedsAttested when it asks for more slots or an instance
// type the device did not claim, kDeviceNotAttested when the device is withdrawn.
struct CapacityOverride {
  std::optional<uint32_t> slot_limit;
  std::vector<InstanceType> withheld_types;
};
Result<CapacityOverride> OverrideFor(const DeviceCapacity& attested, const DeviceCapacity& stated);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_ATTESTED_CAPACITY_H_
