#include "services/moc/tam_action_sink.h"

#include <algorithm>
#include <optional>

#include "teepnet/base/hex.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/manifest.h"

namespace teepnet::moc {

namespace {

bool SameManifest(const tam::PackageRef& ref, const tam::Package& p) {
  return ref.manifest_id == p.manifest_id;
}

// The TAM keys devices by the raw RFC 9679 thumbprint; the M/OC writes it in hex (model.h).
Result<Bytes> TamDeviceId(std::string_view device_id) {
  auto raw = FromHex(device_id);
  if (!raw.ok() || raw->empty()) {
    return Error(Code::kInvalidArgument, "device id " + std::string(device_id) + " is not hex");
  }
  return std::move(raw).value();
}

}  // namespace

Result<tam::Package> TamPackageFor(const Package& package) {
  auto envelope = suit::DecodeEnvelope(ByteView(package.envelope));
  if (!envelope.ok()) return envelope.error();
  auto manifest = suit::DecodeManifest(envelope->manifest);
  if (!manifest.ok()) return manifest.error();
  if (!manifest->manifest_component_id) {
    return Error(Code::kInvalidArgument,
                 "package " + package.id + ": the manifest has no manifest-component-id");
  }
  tam::Package out;
  out.manifest_id = *manifest->manifest_component_id;
  out.sequence_number = manifest->sequence_number;
  out.manifest_digest = ToBytes(envelope->digest_encoded);
  out.envelope = package.envelope;
  return out;
}

Status TamActionSink::Execute(const Request& /*request*/, const Action& action) {
  Status done = OkStatus();
  switch (action.kind) {
    case ActionKind::kSetDesiredState: done = Deploy(action); break;
    case ActionKind::kRemovePackages: done = Remove(action); break;
    case ActionKind::kRequestAttestation:
    case ActionKind::kRelaySealedData: break;
    case ActionKind::kEmitEar:
    case ActionKind::kFailRequest: return OkStatus();
    default: return Error(Code::kInternal, "unknown action kind");
  }
  // The device has something to fetch: its next Update, a challenge, or its inbox.
  if (done.ok() && device_work_) device_work_(action.device_id);
  return done;
}

Result<std::vector<tam::Package>> TamActionSink::Packages(const Action& action) const {
  std::vector<tam::Package> out;
  for (const std::string& id : action.packages) {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> stored, moc_store_.FindPackage(id));
    if (!stored) return Error(Code::kNotFound, "package " + id + " is not stored");
    TEEPNET_ASSIGN_OR_RETURN(tam::Package p, TamPackageFor(*stored));
    out.push_back(std::move(p));
  }
  return out;
}

Status TamActionSink::Deploy(const Action& action) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes device, TamDeviceId(action.device_id));
  TEEPNET_ASSIGN_OR_RETURN(std::vector<tam::Package> packages, Packages(action));
  for (const tam::Package& p : packages) {
    // Every request for an installed TA deploys it again; rewriting the same envelope (MiBs)
    // into the catalog each time was most of a request's creation.
    TEEPNET_ASSIGN_OR_RETURN(std::optional<tam::Package> stored,
                             tam_store_.FindPackage(p.manifest_id, p.sequence_number));
    if (!stored || *stored != p) TEEPNET_RETURN_IF_ERROR(tam_store_.PutPackage(p));
  }

  TEEPNET_ASSIGN_OR_RETURN(tam::DesiredState desired, tam_store_.GetDesiredState(device));
  const tam::DesiredState before = desired;
  for (const tam::Package& p : packages) {
    // One reference per manifest: a newer upload of the same TA replaces the older one.
    std::erase_if(desired.install, [&](const tam::PackageRef& ref) {
      return SameManifest(ref, p) && ref.sequence_number != p.sequence_number;
    });
    const tam::PackageRef ref{p.manifest_id, p.sequence_number};
    if (std::find(desired.install.begin(), desired.install.end(), ref) == desired.install.end()) {
      desired.install.push_back(ref);
    }
    std::erase(desired.remove, p.manifest_id);
  }
  if (desired == before) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(tam_store_.SetDesiredState(device, desired));
  // Read back: another replica's concurrent edit may have replaced ours (see the header).
  TEEPNET_ASSIGN_OR_RETURN(tam::DesiredState stored, tam_store_.GetDesiredState(device));
  for (const tam::Package& p : packages) {
    const tam::PackageRef ref{p.manifest_id, p.sequence_number};
    if (std::find(stored.install.begin(), stored.install.end(), ref) == stored.install.end()) {
      return Error(Code::kAborted, "the desired state changed concurrently; will retry");
    }
  }
  return OkStatus();
}

Status TamActionSink::Remove(const Action& action) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes device, TamDeviceId(action.device_id));
  TEEPNET_ASSIGN_OR_RETURN(std::vector<tam::Package> packages, Packages(action));
  TEEPNET_ASSIGN_OR_RETURN(tam::DesiredState desired, tam_store_.GetDesiredState(device));
  const tam::DesiredState before = desired;
  for (const tam::Package& p : packages) {
    std::erase_if(desired.install,
                  [&](const tam::PackageRef& ref) { return SameManifest(ref, p); });
    if (std::find(desired.remove.begin(), desired.remove.end(), p.manifest_id) ==
        desired.remove.end()) {
      desired.remove.push_back(p.manifest_id);
    }
  }
  if (desired == before) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(tam_store_.SetDesiredState(device, desired));
  TEEPNET_ASSIGN_OR_RETURN(tam::DesiredState stored, tam_store_.GetDesiredState(device));
  for (const tam::Package& p : packages) {
    if (std::find(stored.remove.begin(), stored.remove.end(), p.manifest_id) ==
        stored.remove.end()) {
      return Error(Code::kAborted, "the desired state changed concurrently; will retry");
    }
  }
  return OkStatus();
}

}  // namespace teepnet::moc
