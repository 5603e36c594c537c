// How an installed Trusted Component appears in a QueryResponse tc-list, shared by the Agent
// (which writes it) and the TAM (which reads it to compute an Update).
//
// draft-ietf-teep-protocol §"QueryResponse Message": each tc-list entry is a SUIT report
// `system-property-claims` map: system-component-id (key 0) plus SUIT parameters. This project
// reports one entry per installed *manifest*:
//   0    system-component-id   the manifest's own component id (the id unneeded-manifest-list
//                              and requested-tc-list use, draft §"Update Message")
//   3    image-digest          bstr .cbor SUIT_Digest of the manifest, as in the draft's example
//   -257 manifest sequence no. uint; a project-defined claim (no SUIT parameter carries a
//                              manifest-sequence-number). A TAM that sees no such claim falls back
//                              to comparing digests.
#ifndef TEEPNET_AGENT_TC_CLAIMS_H_
#define TEEPNET_AGENT_TC_CLAIMS_H_

#include <cstdint>
#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/teep/types.h"

namespace teepnet::agent {

// SUIT parameter suit-parameter-image-digest (draft-ietf-suit-manifest-37 §8.4.8).
inline constexpr int64_t kClaimImageDigest = 3;
// Project-defined claim key for the installed manifest's sequence number (see above).
inline constexpr int64_t kClaimManifestSequenceNumber = -257;

struct InstalledTc {
  suit::ComponentId manifest_id;
  std::optional<uint64_t> sequence_number;
  Bytes manifest_digest;  // encoded SUIT_Digest; empty when not reported

  friend bool operator==(const InstalledTc&, const InstalledTc&) = default;
};

// The two spellings of SUIT_Component_Identifier used by suit/ and teep/.
teep::ComponentId ToTeepId(const suit::ComponentId& id);
suit::ComponentId FromTeepId(const teep::ComponentId& id);

// Encodes one tc-list entry.
teep::SystemPropertyClaims ToClaims(const InstalledTc& tc);
// Reads one tc-list entry. Unknown parameters are ignored; a known claim with the wrong CBOR
// type fails with teep::Errc::kWrongFieldType.
Result<InstalledTc> FromClaims(const teep::SystemPropertyClaims& claims);

}  // namespace teepnet::agent

#endif  // TEEPNET_AGENT_TC_CLAIMS_H_
