// Authentication of a SUIT envelope (draft-ietf-suit-manifest-37 §8.3, §6.2) and resolution
// of its severed members (§8.4.11). The order is the one the draft requires:
//   1. verify a COSE_Sign1 / COSE_Mac0 over the detached payload = the encoded SUIT_Digest;
//   2. recompute the digest over the manifest bstr *as received, head included*, and compare;
//   3. only then parse the manifest;
//   4. check every severed member present in the envelope against the digest the manifest
//      holds for it, again over the whole encoded bstr.
#ifndef TEEPNET_SUIT_AUTHENTICATOR_H_
#define TEEPNET_SUIT_AUTHENTICATOR_H_

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/limits.h"
#include "teepnet/suit/manifest.h"

namespace teepnet::suit {

// The keys a recipient trusts to authorise manifests.
struct TrustAnchors {
  std::vector<crypto::PublicKey> signing_keys;  // COSE_Sign1 (ESP256/ES256, Ed25519/EdDSA)
  std::vector<SecretBytes> mac_keys;            // COSE_Mac0 (HMAC 256/256)
#ifdef TEEPNET_FUZZING_BUILD
  // Fuzz builds only: skip the signature and digest comparisons (the structures are still
  // decoded) so inputs reach the manifest decoder and the processor. Never compiled into
  // production or test builds.
  bool fuzzing_accept_unauthenticated = false;
#endif
};

// Verifies steps 1 and 2. kNoAuthentication when the wrapper holds only the digest,
// kUnsupportedAuthentication for a block that is neither COSE_Sign1 nor COSE_Mac0,
// kSignatureInvalid when no block verifies with any trusted key, kDigestMismatch when the
// manifest bytes do not hash to the signed digest.
Status AuthenticateEnvelope(const Envelope& envelope, const TrustAnchors& anchors);

// A manifest whose envelope authenticated, with every command sequence resolved to bytes.
// Borrows the envelope's input.
struct VerifiedManifest {
  Manifest manifest;
  // Member bytes (bstr contents) by ManifestKey: inline members, and severed members whose
  // envelope copy matched its digest.
  std::map<int64_t, ByteView> sections;
  // Severed members whose bytes the envelope does not carry (e.g. text dropped in transit).
  std::set<int64_t> absent_severed;
};

// Steps 1-4. kSeveredDigestMismatch when a severed member does not match,
// kUnexpectedSeveredMember when the envelope carries a member the manifest does not sever.
Result<VerifiedManifest> OpenEnvelope(const Envelope& envelope, const TrustAnchors& anchors,
                                      const Limits& limits = Limits());

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_AUTHENTICATOR_H_
