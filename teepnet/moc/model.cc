#include "teepnet/moc/model.h"

#include <algorithm>

namespace teepnet::moc {

std::string_view ArchitectureTitle(Architecture arch) {
  switch (arch) {
    case Architecture::kTrustZone: return "TrustZone";
    case Architecture::kSgx: return "SGX";
    case Architecture::kSevSnp: return "SEV-SNP";
    case Architecture::kCca: return "CCA";
    case Architecture::kTdx: return "TDX";
    case Architecture::kCsv: return "CSV";
  }
  return "unknown";
}

std::optional<Architecture> ParseArchitecture(std::string_view name) {
  for (Architecture arch : kAllArchitectures) {
    if (ArchitectureName(arch) == name) return arch;
  }
  return std::nullopt;
}

std::string_view InstanceTypeName(InstanceType type) {
  switch (type) {
    case InstanceType::kProcess: return "process";
    case InstanceType::kContainer: return "container";
    case InstanceType::kVm: return "vm";
  }
  return "unknown";
}

std::string_view InstanceTypeTitle(InstanceType type) {
  switch (type) {
    case InstanceType::kProcess: return "confidential process";
    case InstanceType::kContainer: return "confidential container";
    case InstanceType::kVm: return "confidential VM";
  }
  return "unknown";
}

std::optional<InstanceType> ParseInstanceType(std::string_view name) {
  for (InstanceType type : kAllInstanceTypes) {
    if (InstanceTypeName(type) == name) return type;
  }
  return std::nullopt;
}

PackageSummary Summarize(const Package& package) {
  return PackageSummary{package.id,        package.tenant_id,       package.kind,
                        package.name,      package.envelope.size(), package.digest,
                        package.created_at};
}

std::string_view PackageKindName(PackageKind kind) {
  switch (kind) {
    case PackageKind::kUa: return "ua";
    case PackageKind::kTa: return "ta";
  }
  return "unknown";
}

std::optional<PackageKind> ParsePackageKind(std::string_view name) {
  if (name == "ua") return PackageKind::kUa;
  if (name == "ta") return PackageKind::kTa;
  return std::nullopt;
}

std::string_view RequestStateName(RequestState state) {
  switch (state) {
    case RequestState::kSubmitted: return "submitted";
    case RequestState::kPlaced: return "placed";
    case RequestState::kDeployingUa: return "deploying_ua";
    case RequestState::kDeployingTa: return "deploying_ta";
    case RequestState::kDeployingUaTa: return "deploying_ua_ta";
    case RequestState::kAttestingAgent: return "attesting_agent";
    case RequestState::kEarIssued: return "ear_issued";
    case RequestState::kAwaitingUserChannel: return "awaiting_user_channel";
    case RequestState::kSealedDataRelayed: return "sealed_data_relayed";
    case RequestState::kWorkloadRunning: return "workload_running";
    case RequestState::kDone: return "done";
    case RequestState::kFailed: return "failed";
  }
  return "unknown";
}

bool IsTerminal(RequestState state) {
  return state == RequestState::kDone || state == RequestState::kFailed;
}

std::string_view ChannelTargetName(ChannelTarget target) {
  return target == ChannelTarget::kAgent ? "agent" : "ta";
}

ChannelTarget ChannelTargetFor(int use_case) {
  return use_case == 2 || use_case == 3 ? ChannelTarget::kTa : ChannelTarget::kAgent;
}

std::string_view ChannelPurposeFor(int use_case) {
  switch (use_case) {
    case 1: return "bundle";
    case 4: return "ta+pd";
    default: return "pd";
  }
}

std::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kSetDesiredState: return "set_desired_state";
    case ActionKind::kRemovePackages: return "remove_packages";
    case ActionKind::kRequestAttestation: return "request_attestation";
    case ActionKind::kEmitEar: return "emit_ear";
    case ActionKind::kRelaySealedData: return "relay_sealed_data";
    case ActionKind::kFailRequest: return "fail_request";
  }
  return "unknown";
}

std::string_view CapacitySourceName(CapacitySource source) {
  switch (source) {
    case CapacitySource::kOperator: return "operator";
    case CapacitySource::kEvidence: return "evidence";
  }
  return "unknown";
}

std::vector<InstanceType> DeviceCapacity::OfferedTypes() const {
  std::vector<InstanceType> out;
  for (InstanceType type : instance_types) {
    if (Offers(type)) out.push_back(type);
  }
  return out;
}

uint32_t DeviceCapacity::slots_offered() const {
  if (source != CapacitySource::kEvidence || !slot_limit) return slots_total;
  return std::min(slots_total, *slot_limit);
}

bool DeviceCapacity::Offers(InstanceType type) const {
  if (std::find(instance_types.begin(), instance_types.end(), type) == instance_types.end()) {
    return false;
  }
  return source != CapacitySource::kEvidence ||
         std::find(withheld_types.begin(), withheld_types.end(), type) == withheld_types.end();
}

}  // namespace teepnet::moc
