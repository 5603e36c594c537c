// SUIT_Manifest (draft-ietf-suit-manifest-37 §8.4) with the trust-domains-11 additions
// (manifest-component-id, dependencies, dependency-resolution, candidate-verification,
// uninstall), decoded into a typed model.
//
// Decode this only from manifest bytes whose digest has been authenticated (envelope.h does
// that first: manifest-37 §8.3 "the digest ... MUST be verified before the manifest is
// parsed").
//
// WARNING: a decoded Manifest borrows the manifest bytes (views into them); they must
// outlive it.
#ifndef TEEPNET_SUIT_MANIFEST_H_
#define TEEPNET_SUIT_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/ids.h"
#include "teepnet/suit/limits.h"

namespace teepnet::suit {

// One SUIT_Dependencies entry (trust-domains-11 §6.1): the component index that names the
// dependency, and the dependency-prefix, which in TEEP is where the dependency manifest lives
// (it equals that manifest's manifest-component-id).
struct Dependency {
  uint64_t index = 0;
  std::optional<ComponentId> prefix;
};

struct Common {
  std::vector<Dependency> dependencies;
  std::vector<ComponentId> components;
  std::optional<ByteView> shared_sequence;  // contents of the bstr
};

// A manifest member that holds a command sequence (or, for text, a map): present inline, or
// severed (only the SUIT_Digest of the envelope member is in the manifest, §8.4.11).
struct Member {
  std::optional<ByteView> contents;  // inline: the bstr contents
  std::optional<Digest> severed_digest;
};

struct Manifest {
  uint64_t version = 0;
  uint64_t sequence_number = 0;
  Common common;
  std::optional<std::string> reference_uri;
  std::optional<ComponentId> manifest_component_id;
  // validate, load, invoke, dependency-resolution, payload-fetch, candidate-verification,
  // install, text, uninstall, keyed by ManifestKey.
  std::map<int64_t, Member> members;

  bool IsDependencyIndex(uint64_t index) const;
  const Dependency* FindDependency(uint64_t index) const;
  // Valid component indices are those of suit-components and the keys of suit-dependencies
  // (the published trust-domains and TEEP examples number dependencies after the components).
  bool IsValidIndex(uint64_t index) const;
};

// True for the members that may be severed (manifest-37 §8.4.11, trust-domains-11 §5).
bool IsSeverable(int64_t key);

// Decodes the manifest map (the contents of the envelope's manifest bstr).
Result<Manifest> DecodeManifest(ByteView encoded, const Limits& limits = Limits());

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_MANIFEST_H_
