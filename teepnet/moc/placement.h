// Placement (DESIGN §3): which device takes a request. Pure functions over the devices' capacity
// records, so every cell of seed Figure 2 is testable without a store.
//
//   Instance type           Hardware that supports it (seed Figure 2)
//   confidential process    TrustZone, SGX
//   confidential container  TrustZone, SGX, SEV-SNP, CCA, TDX, CSV
//   confidential VM         SEV(-SNP), CCA, TDX, CSV
#ifndef TEEPNET_MOC_PLACEMENT_H_
#define TEEPNET_MOC_PLACEMENT_H_

#include <optional>
#include <span>
#include <string>

#include "teepnet/base/result.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

// Seed Figure 2: whether `arch` can host `type`.
bool Figure2Allows(Architecture arch, InstanceType type);
// "TrustZone, SGX" for a process: the table entry, for messages.
std::string Figure2Entry(InstanceType type);

// A device's report of what it offers. Refused (moc::Errc::kInvalidCapacityReport) when it
// claims an instance type Figure 2 does not allow on its architecture, or has no slots.
Status ValidateCapacityReport(const DeviceCapacity& report);

struct PlacementQuery {
  InstanceType instance = InstanceType::kProcess;
  std::optional<Architecture> hardware;
};

struct Placement {
  std::string device_id;
  Architecture architecture = Architecture::kTrustZone;
};

// Picks the device with the most free slots among those whose attested architecture matches
// the query (the requested hardware, or any Figure 2 allows) and that offer the instance type;
// ties go to the smallest device id, so the choice is deterministic. Refusals name the reason:
//   kInstanceNotOnHardware  Figure 2 rules the requested hardware out for this instance type;
//   kNoSuitableDevice       no attested device offers it;
//   kNoCapacity             suitable devices exist and all of them are full.
Result<Placement> Place(std::span<const DeviceCapacity> devices, const PlacementQuery& query);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_PLACEMENT_H_
