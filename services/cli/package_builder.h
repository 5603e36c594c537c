// The Trusted Component packages a Network User uploads (cases 2 and 3): a signed SUIT envelope
// (draft-ietf-suit-manifest-37) that carries its executable as an integrated payload and whose
// install sequence fetches that payload into the component and checks its digest and size.
//
//   envelope = #6.107({ 2: bstr .cbor [bstr .cbor SUIT_Digest, bstr .cbor COSE_Sign1],
//                       3: bstr .cbor manifest,
//                       "#tc": bstr payload })
//   manifest install = [ override-parameters {image-digest, image-size, uri: "#tc"},
//                        directive-fetch, condition-image-match ]
//
// The Agent stores the fetched bytes as the component; the TA instance started from it is
// measured over exactly those bytes (USE-CASES "TA instances"), so the measurement a user
// expects is the SHA-256 of the payload.
#ifndef TEEPNET_SERVICES_CLI_PACKAGE_BUILDER_H_
#define TEEPNET_SERVICES_CLI_PACKAGE_BUILDER_H_

#include <cstdint>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::cli {

// The integrated payload's envelope key and the URI the manifest fetches it from
// (manifest-37 §7.5: "#name" names an integrated payload).
inline constexpr char kPayloadKey[] = "#tc";

struct PackageSpec {
  suit::ComponentId component;
  uint64_t sequence_number = 1;
  Bytes payload;  // the executable; must not be empty
};

// The component a package named `name` installs: ["TEEP-Device", "SecureFS", name], the layout
// of the TEEP draft's examples.
suit::ComponentId PackageComponent(const std::string& name);

// A tagged envelope signed with `signer` (COSE_Sign1 over the manifest digest: ESP256 for a
// P-256 key, EdDSA for Ed25519).
Result<Bytes> BuildPackage(const PackageSpec& spec, const crypto::PrivateKey& signer);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_PACKAGE_BUILDER_H_
