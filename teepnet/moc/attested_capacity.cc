#include "teepnet/moc/attested_capacity.h"

#include <algorithm>
#include <utility>

#include "teepnet/moc/errc.h"
#include "teepnet/moc/placement.h"

namespace teepnet::moc {

namespace {

// What placement reads from a record, apart from the slots counted and the override.
bool SameOffer(const DeviceCapacity& a, const DeviceCapacity& b) {
  return a.architecture == b.architecture && a.architecture_attested == b.architecture_attested &&
         a.instance_types == b.instance_types && a.slots_total == b.slots_total &&
         a.source == b.source;
}

bool Contains(const std::vector<InstanceType>& types, InstanceType type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::string TypeList(const std::vector<InstanceType>& types) {
  std::string out;
  for (InstanceType type : types) {
    if (!out.empty()) out += ",";
    out += InstanceTypeName(type);
  }
  return out.empty() ? "none" : out;
}

CapacityChange Withdraw(const std::optional<DeviceCapacity>& current, const std::string& why) {
  if (!current || !current->architecture_attested) return {};
  DeviceCapacity next = *current;
  next.architecture_attested = false;
  next.slots_used = 0;  // the store keeps the slots it counted (moc_store.h)
  return {std::move(next), "withdrawn from placement: " + why};
}

}  // namespace

CapacityChange CapacityAfterAppraisal(std::string_view device_id,
                                      const std::optional<DeviceCapacity>& current,
                                      const AppraisedDevice& appraisal) {
  if (!appraisal.affirming) {
    return Withdraw(current, "its evidence was not affirmed (" + appraisal.reason + ")");
  }
  if (!appraisal.architecture) {
    return Withdraw(current, "the attestation result names no architecture teepnet places on");
  }
  DeviceCapacity next;
  if (appraisal.has_capacity_claim) {
    next.device_id = std::string(device_id);
    next.architecture = *appraisal.architecture;
    next.architecture_attested = true;
    next.instance_types = appraisal.claimed_types;
    next.slots_total = appraisal.claimed_slots;
    next.source = CapacitySource::kEvidence;
  } else if (current && current->source == CapacitySource::kOperator) {
    // An Agent that claims no capacity: the operator's registration stands, under the
    // architecture the evidence proved.
    next = *current;
    next.architecture = *appraisal.architecture;
    next.architecture_attested = true;
    next.slots_used = 0;  // the store keeps the slots it counted (moc_store.h)
  } else if (current) {
    return Withdraw(current, "its evidence no longer carries a capacity claim");
  } else {
    return {};
  }
  // Seed Figure 2 holds for attested capacity too: a claim it refuses places nothing.
  if (Status valid = ValidateCapacityReport(next); !valid.ok()) {
    return Withdraw(current, valid.error().message());
  }
  if (current && SameOffer(*current, next)) return {};
  std::string note = std::string(ArchitectureName(next.architecture)) + " attested; " +
                     TypeList(next.instance_types) + " x " + std::to_string(next.slots_total) +
                     " slots from the " + std::string(CapacitySourceName(next.source));
  return {std::move(next), std::move(note)};
}

Result<CapacityOverride> OverrideFor(const DeviceCapacity& attested, const DeviceCapacity& stated) {
  if (attested.source != CapacitySource::kEvidence) {
    return Error(Errc::kCapacityNotAttested,
                 "device " + attested.device_id + " has no capacity from its evidence to lower");
  }
  if (!attested.architecture_attested) {
    return Error(Errc::kDeviceNotAttested,
                 "device " + attested.device_id + " is withdrawn: its last evidence was refused");
  }
  if (stated.architecture != attested.architecture) {
    return Error(Errc::kArchitectureMismatch,
                 "device " + attested.device_id + " proved " +
                     std::string(ArchitectureTitle(attested.architecture)) +
                     " in its evidence, not " +
                     std::string(ArchitectureTitle(stated.architecture)));
  }
  CapacityOverride out;
  for (InstanceType type : stated.instance_types) {
    if (!Contains(attested.instance_types, type)) {
      return Error(Errc::kCapacityExceedsAttested,
                   "device " + attested.device_id + " claims " + TypeList(attested.instance_types) +
                       " in its evidence; an override may " + "withhold instance types, not add " +
                       std::string(InstanceTypeName(type)));
    }
  }
  if (stated.slots_total > attested.slots_total) {
    return Error(Errc::kCapacityExceedsAttested,
                 "device " + attested.device_id + " claims " +
                     std::to_string(attested.slots_total) +
                     " slots in its evidence; an override may only lower that");
  }
  for (InstanceType type : attested.instance_types) {
    if (!Contains(stated.instance_types, type)) out.withheld_types.push_back(type);
  }
  // Stating the device's own slot count lowers nothing: no limit, so a later claim of more
  // slots counts in full.
  if (stated.slots_total < attested.slots_total) out.slot_limit = stated.slots_total;
  return out;
}

}  // namespace teepnet::moc
