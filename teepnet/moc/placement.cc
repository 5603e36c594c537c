#include "teepnet/moc/placement.h"

#include <cstddef>

#include "teepnet/moc/errc.h"

namespace teepnet::moc {

bool Figure2Allows(Architecture arch, InstanceType type) {
  switch (type) {
    // Seed §4: "SGX and TrustZone only support process-based confidential computing".
    case InstanceType::kProcess:
      return arch == Architecture::kTrustZone || arch == Architecture::kSgx;
    // Seed §4: TrustZone and SGX reach containers "by certain middleware like in the Appendix
    // A"; SEV-SNP, CSV, CCA and TDX "by certain middleware like Kata-container-runtime".
    case InstanceType::kContainer: return true;
    // Seed §4: "SEV-SNP, CSV, CCA and TDX support confidential VM".
    case InstanceType::kVm: return arch != Architecture::kTrustZone && arch != Architecture::kSgx;
  }
  return false;
}

std::string Figure2Entry(InstanceType type) {
  std::string out;
  for (Architecture arch : kAllArchitectures) {
    if (!Figure2Allows(arch, type)) continue;
    if (!out.empty()) out += ", ";
    out += ArchitectureTitle(arch);
  }
  return out;
}

Status ValidateCapacityReport(const DeviceCapacity& report) {
  if (report.device_id.empty()) {
    return Error(Errc::kInvalidCapacityReport, "a capacity report must name its device");
  }
  if (report.instance_types.empty()) {
    return Error(Errc::kInvalidCapacityReport,
                 "device " + report.device_id + " offers no instance type");
  }
  for (InstanceType type : report.instance_types) {
    if (!Figure2Allows(report.architecture, type)) {
      return Error(Errc::kInvalidCapacityReport,
                   "device " + report.device_id + " claims a " +
                       std::string(InstanceTypeTitle(type)) + " on " +
                       std::string(ArchitectureTitle(report.architecture)) +
                       ", but seed Figure 2 allows a " + std::string(InstanceTypeTitle(type)) +
                       " only on " + Figure2Entry(type));
    }
  }
  if (report.slots_used > report.slots_total) {
    return Error(Errc::kInvalidCapacityReport,
                 "device " + report.device_id + " reports more slots used than it has");
  }
  return OkStatus();
}

Result<Placement> Place(std::span<const DeviceCapacity> devices, const PlacementQuery& query) {
  const std::string type_title(InstanceTypeTitle(query.instance));
  if (query.hardware && !Figure2Allows(*query.hardware, query.instance)) {
    return Error(Errc::kInstanceNotOnHardware, "a " + type_title + " cannot run on " +
                                                   std::string(ArchitectureTitle(*query.hardware)) +
                                                   ": seed Figure 2 allows a " + type_title +
                                                   " only on " + Figure2Entry(query.instance));
  }
  const DeviceCapacity* best = nullptr;
  size_t suitable = 0;
  for (const DeviceCapacity& device : devices) {
    // Only an architecture the device's evidence proved counts (DESIGN §3).
    if (!device.architecture_attested) continue;
    if (query.hardware ? device.architecture != *query.hardware
                       : !Figure2Allows(device.architecture, query.instance)) {
      continue;
    }
    if (!device.Offers(query.instance)) continue;
    ++suitable;
    if (device.slots_free() == 0) continue;
    if (best == nullptr || device.slots_free() > best->slots_free() ||
        (device.slots_free() == best->slots_free() && device.device_id < best->device_id)) {
      best = &device;
    }
  }
  const std::string where = query.hardware ? std::string(ArchitectureTitle(*query.hardware))
                                           : "the hardware seed Figure 2 allows for it (" +
                                                 Figure2Entry(query.instance) + ")";
  if (suitable == 0) {
    return Error(Errc::kNoSuitableDevice,
                 "no attested device offers a " + type_title + " on " + where);
  }
  if (best == nullptr) {
    return Error(Errc::kNoCapacity, "all " + std::to_string(suitable) + " device(s) offering a " +
                                        type_title + " on " + where + " are full; try again later");
  }
  return Placement{best->device_id, best->architecture};
}

}  // namespace teepnet::moc
