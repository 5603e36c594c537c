#include "teepnet/suit/ids.h"

namespace teepnet::suit {

std::string_view ManifestKeyName(int64_t key) {
  switch (static_cast<ManifestKey>(key)) {
    case ManifestKey::kVersion: return "manifest-version";
    case ManifestKey::kSequenceNumber: return "manifest-sequence-number";
    case ManifestKey::kCommon: return "common";
    case ManifestKey::kReferenceUri: return "reference-uri";
    case ManifestKey::kManifestComponentId: return "manifest-component-id";
    case ManifestKey::kValidate: return "validate";
    case ManifestKey::kLoad: return "load";
    case ManifestKey::kInvoke: return "invoke";
    case ManifestKey::kDependencyResolution: return "dependency-resolution";
    case ManifestKey::kPayloadFetch: return "payload-fetch";
    case ManifestKey::kCandidateVerification: return "candidate-verification";
    case ManifestKey::kInstall: return "install";
    case ManifestKey::kText: return "text";
    case ManifestKey::kUninstall: return "uninstall";
  }
  return "unknown";
}

std::string_view CommandName(int64_t id) {
  switch (static_cast<Command>(id)) {
    case Command::kVendorIdentifier: return "condition-vendor-identifier";
    case Command::kClassIdentifier: return "condition-class-identifier";
    case Command::kImageMatch: return "condition-image-match";
    case Command::kComponentSlot: return "condition-component-slot";
    case Command::kCheckContent: return "condition-check-content";
    case Command::kDependencyIntegrity: return "condition-dependency-integrity";
    case Command::kIsDependency: return "condition-is-dependency";
    case Command::kProcessDependency: return "directive-process-dependency";
    case Command::kSetComponentIndex: return "directive-set-component-index";
    case Command::kAbort: return "condition-abort";
    case Command::kTryEach: return "directive-try-each";
    case Command::kWrite: return "directive-write";
    case Command::kSetParameters: return "directive-set-parameters";
    case Command::kOverrideParameters: return "directive-override-parameters";
    case Command::kFetch: return "directive-fetch";
    case Command::kCopy: return "directive-copy";
    case Command::kInvoke: return "directive-invoke";
    case Command::kDeviceIdentifier: return "condition-device-identifier";
    case Command::kSwap: return "directive-swap";
    case Command::kRunSequence: return "directive-run-sequence";
    case Command::kUnlink: return "directive-unlink";
  }
  return "unknown-command";
}

}  // namespace teepnet::suit
