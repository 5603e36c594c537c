#include "teepnet/suit/manifest.h"

#include <algorithm>

#include "teepnet/cbor/reader.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {
namespace {

Result<std::vector<Dependency>> ReadDependencies(cbor::Reader& r) {
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&n), "suit-dependencies"));
  // SUIT_Dependencies = { + uint => SUIT_Dependency_Metadata }
  if (n == 0) return Error(Errc::kMalformed, "suit-dependencies is empty", r.offset());
  std::vector<Dependency> out;
  KeySet keys;
  for (size_t i = 0; i < n; ++i) {
    Dependency d;
    const size_t at = r.offset();
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadUint(&d.index), "dependency component index"));
    TEEPNET_RETURN_IF_ERROR(keys.Add(static_cast<int64_t>(d.index), at, "suit-dependencies"));
    size_t m = 0;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&m), "SUIT_Dependency_Metadata"));
    KeySet meta_keys;
    for (size_t j = 0; j < m; ++j) {
      int64_t key = 0;
      const size_t key_at = r.offset();
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&key), "SUIT_Dependency_Metadata key"));
      TEEPNET_RETURN_IF_ERROR(meta_keys.Add(key, key_at, "SUIT_Dependency_Metadata"));
      if (key == 1) {  // suit-dependency-prefix
        TEEPNET_ASSIGN_OR_RETURN(ComponentId prefix, ReadComponentId(r));
        d.prefix = std::move(prefix);
      } else {
        // $$SUIT_Dependency_Extensions: not understood, not needed to process.
        TEEPNET_RETURN_IF_ERROR(Wrap(r.SkipItem(), "SUIT_Dependency_Metadata extension"));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<Common> DecodeCommon(ByteView encoded, const Limits& limits) {
  cbor::Reader r(encoded, SuitDecodeOptions());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&n), "SUIT_Common"));
  Common common;
  KeySet keys;
  bool have_components = false;
  for (size_t i = 0; i < n; ++i) {
    int64_t key = 0;
    const size_t at = r.offset();
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&key), "SUIT_Common key"));
    TEEPNET_RETURN_IF_ERROR(keys.Add(key, at, "SUIT_Common"));
    switch (static_cast<CommonKey>(key)) {
      case CommonKey::kDependencies: {
        TEEPNET_ASSIGN_OR_RETURN(common.dependencies, ReadDependencies(r));
        break;
      }
      case CommonKey::kComponents: {
        size_t count = 0;
        TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&count), "suit-components"));
        // SUIT_Components = [ + SUIT_Component_Identifier ]
        if (count == 0) return Error(Errc::kMalformed, "suit-components is empty", at);
        if (count > limits.max_components) {
          return Error(Errc::kTooManyComponents,
                       std::to_string(count) + " components exceed the limit", at);
        }
        for (size_t c = 0; c < count; ++c) {
          TEEPNET_ASSIGN_OR_RETURN(ComponentId id, ReadComponentId(r));
          common.components.push_back(std::move(id));
        }
        have_components = true;
        break;
      }
      case CommonKey::kSharedSequence: {
        ByteView seq;
        TEEPNET_RETURN_IF_ERROR(ReadWrappedBstr(r, "suit-shared-sequence", &seq));
        common.shared_sequence = seq;
        break;
      }
      default: return Error(Errc::kUnknownMember, "SUIT_Common key " + std::to_string(key), at);
    }
  }
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Common"));
  // manifest-37 §8.4.5: suit-components is mandatory in SUIT_Common.
  if (!have_components) return Error(Errc::kMalformed, "SUIT_Common has no suit-components", 0);
  if (common.components.size() + common.dependencies.size() > limits.max_components) {
    return Error(Errc::kTooManyComponents, "components and dependencies exceed the limit", 0);
  }
  return common;
}

}  // namespace

bool IsSeverable(int64_t key) {
  switch (static_cast<ManifestKey>(key)) {
    case ManifestKey::kDependencyResolution:
    case ManifestKey::kPayloadFetch:
    case ManifestKey::kCandidateVerification:
    case ManifestKey::kInstall:
    case ManifestKey::kText: return true;
    default: return false;
  }
}

const Dependency* Manifest::FindDependency(uint64_t index) const {
  for (const Dependency& d : common.dependencies) {
    if (d.index == index) return &d;
  }
  return nullptr;
}

bool Manifest::IsDependencyIndex(uint64_t index) const {
  return FindDependency(index) != nullptr;
}

bool Manifest::IsValidIndex(uint64_t index) const {
  return index < common.components.size() || IsDependencyIndex(index);
}

Result<Manifest> DecodeManifest(ByteView encoded, const Limits& limits) {
  cbor::Reader r(encoded, SuitDecodeOptions());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&n), "SUIT_Manifest"));
  Manifest m;
  KeySet keys;
  bool have_version = false, have_sequence = false, have_common = false;
  for (size_t i = 0; i < n; ++i) {
    int64_t key = 0;
    const size_t at = r.offset();
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&key), "SUIT_Manifest key"));
    TEEPNET_RETURN_IF_ERROR(keys.Add(key, at, "SUIT_Manifest"));
    switch (static_cast<ManifestKey>(key)) {
      case ManifestKey::kVersion:
        TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadUint(&m.version), "suit-manifest-version"));
        // manifest-37 §8.4.1: "suit-manifest-version ... MUST be 1".
        if (m.version != 1) {
          return Error(Errc::kUnsupportedVersion,
                       "suit-manifest-version " + std::to_string(m.version), at);
        }
        have_version = true;
        break;
      case ManifestKey::kSequenceNumber:
        TEEPNET_RETURN_IF_ERROR(
            Wrap(r.ReadUint(&m.sequence_number), "suit-manifest-sequence-number"));
        have_sequence = true;
        break;
      case ManifestKey::kCommon: {
        ByteView common;
        TEEPNET_RETURN_IF_ERROR(ReadWrappedBstr(r, "suit-common", &common));
        auto decoded = DecodeCommon(common, limits);
        if (!decoded.ok()) return decoded.error().WithOffsetBase(at);
        m.common = std::move(decoded).value();
        have_common = true;
        break;
      }
      case ManifestKey::kReferenceUri: {
        std::string_view uri;
        TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadText(&uri), "suit-reference-uri"));
        m.reference_uri = std::string(uri);
        break;
      }
      case ManifestKey::kManifestComponentId: {
        TEEPNET_ASSIGN_OR_RETURN(ComponentId id, ReadComponentId(r));
        m.manifest_component_id = std::move(id);
        break;
      }
      case ManifestKey::kValidate:
      case ManifestKey::kLoad:
      case ManifestKey::kInvoke:
      case ManifestKey::kUninstall:
      case ManifestKey::kDependencyResolution:
      case ManifestKey::kPayloadFetch:
      case ManifestKey::kCandidateVerification:
      case ManifestKey::kInstall:
      case ManifestKey::kText: {
        Member member;
        TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, PeekType(r, ManifestKeyName(key)));
        if (type == cbor::ItemType::kArray && IsSeverable(key)) {
          // A severed member: only its SUIT_Digest stays in the manifest (§8.4.11).
          TEEPNET_ASSIGN_OR_RETURN(Digest d, ReadDigest(r));
          member.severed_digest = d;
        } else {
          ByteView contents;
          TEEPNET_RETURN_IF_ERROR(ReadWrappedBstr(r, ManifestKeyName(key), &contents));
          member.contents = contents;
        }
        m.members.emplace(key, member);
        break;
      }
      default: return Error(Errc::kUnknownMember, "SUIT_Manifest key " + std::to_string(key), at);
    }
  }
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Manifest"));
  // manifest-37 §8.4: version, sequence number and common are mandatory.
  if (!have_version) return Error(Errc::kMalformed, "no suit-manifest-version", 0);
  if (!have_sequence) return Error(Errc::kMalformed, "no suit-manifest-sequence-number", 0);
  if (!have_common) return Error(Errc::kMalformed, "no suit-common", 0);
  return m;
}

}  // namespace teepnet::suit
