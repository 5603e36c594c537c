#include "services/moc/capacity_sync.h"

#include "services/moc/tam_reconciler.h"
#include "teepnet/base/hex.h"
#include "teepnet/moc/receipt_check.h"

namespace teepnet::moc {

Result<std::optional<AppraisedDevice>> ReadAppraisal(const tam::TamStore& tam_store,
                                                     ByteView device) {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<tam::DeviceStatus> status, tam_store.GetStatus(device));
  if (!status || !status->appraisal) return std::optional<AppraisedDevice>();
  const tam::AppraisalRecord& record = *status->appraisal;
  AppraisedDevice out;
  out.reason = record.reason;
  if (!record.affirming || record.attestation_result.empty()) {
    return std::optional<AppraisedDevice>(std::move(out));
  }
  Result<eat::Ear> ear = DecodeStoredEar(record.attestation_result, kEarMediaType);
  // The TAM's appraiser issues one submodule, named after the architecture it appraised
  // (attest/verifier_ear.h); anything else is not an EAR this M/OC issued.
  if (!ear.ok() || ear->submods.size() != 1) {
    out.reason = "the stored EAR cannot be read";
    return std::optional<AppraisedDevice>(std::move(out));
  }
  const auto& [name, submod] = *ear->submods.begin();
  out.affirming = true;
  out.architecture = ParseArchitecture(name);
  if (submod.capacity) {
    out.has_capacity_claim = true;
    bool readable = submod.capacity->slots <= UINT32_MAX;
    std::vector<InstanceType> types;
    for (const std::string& type_name : submod.capacity->instance_types) {
      std::optional<InstanceType> type = ParseInstanceType(type_name);
      readable = readable && type.has_value();
      if (type) types.push_back(*type);
    }
    // An unreadable claim offers nothing (attested_capacity.h withdraws it).
    if (readable) {
      out.claimed_types = std::move(types);
      out.claimed_slots = static_cast<uint32_t>(submod.capacity->slots);
    }
  }
  return std::optional<AppraisedDevice>(std::move(out));
}

Result<std::string> CapacitySync::Device(ByteView device) {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<AppraisedDevice> appraisal,
                           ReadAppraisal(tam_store_, device));
  if (!appraisal) return std::string();
  const std::string id = ToHex(device);
  TEEPNET_ASSIGN_OR_RETURN(std::optional<DeviceCapacity> current, service_.FindDevice(id));
  CapacityChange change = CapacityAfterAppraisal(id, current, *appraisal);
  if (!change.write) return std::string();
  TEEPNET_RETURN_IF_ERROR(service_.ReportCapacity(*change.write));
  return change.note;
}

Result<size_t> CapacitySync::All() {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<tam::DeviceRecord> devices, tam_store_.ListDevices());
  size_t changed = 0;
  for (const tam::DeviceRecord& d : devices) {
    TEEPNET_ASSIGN_OR_RETURN(std::string note, Device(d.device_id));
    if (!note.empty()) ++changed;
  }
  return changed;
}

}  // namespace teepnet::moc
