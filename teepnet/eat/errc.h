// Reasons for eat/ failures: EAT claims sets (RFC 9711), EAR attestation results
// (draft-ietf-rats-ear) and their JWT / CWT envelopes.
#ifndef TEEPNET_EAT_ERRC_H_
#define TEEPNET_EAT_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::eat {

enum class Errc : uint16_t {
  kBadBase64 = 1,     // base64url text with a character outside the alphabet or bad length
  kBadJwk,            // a JWK that is not an EC P-256/384/521 public key
  kBadJson,           // JSON text that does not parse or is not an object where one is needed
  kBadClaim,          // a claim of the wrong type or value
  kMissingClaim,      // a mandatory claim is absent
  kBadJws,            // compact JWS not three base64url parts, or a header we refuse
  kUnsupportedAlg,    // a JWS/COSE alg other than ES256/ES384/ES512
  kSignatureInvalid,  // the EAR signature did not verify
  kStale,             // iat outside the Relying Party's freshness window
  kNonceMismatch,     // eat_nonce absent or not the one the Relying Party sent
  kNotAffirming,      // a submodule's ear.status is worse than the Relying Party accepts
  kWrongProfile,      // eat_profile is not one the Relying Party accepts
};

}  // namespace teepnet::eat

namespace teepnet {
template <>
struct ErrcTraits<eat::Errc> {
  static constexpr Domain kDomain = Domain::kEat;
  static Code CodeOf(eat::Errc e) {
    switch (e) {
      case eat::Errc::kSignatureInvalid: return Code::kUnauthenticated;
      case eat::Errc::kStale:
      case eat::Errc::kNonceMismatch:
      case eat::Errc::kNotAffirming:
      case eat::Errc::kWrongProfile: return Code::kFailedPrecondition;
      case eat::Errc::kUnsupportedAlg: return Code::kUnimplemented;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(eat::Errc e) {
    switch (e) {
      case eat::Errc::kBadBase64: return "bad-base64";
      case eat::Errc::kBadJwk: return "bad-jwk";
      case eat::Errc::kBadJson: return "bad-json";
      case eat::Errc::kBadClaim: return "bad-claim";
      case eat::Errc::kMissingClaim: return "missing-claim";
      case eat::Errc::kBadJws: return "bad-jws";
      case eat::Errc::kUnsupportedAlg: return "unsupported-alg";
      case eat::Errc::kSignatureInvalid: return "signature-invalid";
      case eat::Errc::kStale: return "stale";
      case eat::Errc::kNonceMismatch: return "nonce-mismatch";
      case eat::Errc::kNotAffirming: return "not-affirming";
      case eat::Errc::kWrongProfile: return "wrong-profile";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_EAT_ERRC_H_
