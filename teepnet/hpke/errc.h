// Reasons for hpke/ failures (RFC 9180). Open failures are one coarse reason on purpose: RFC 9180
// §5.2 raises a single OpenError, so no caller can learn which part of a ciphertext was wrong.
#ifndef TEEPNET_HPKE_ERRC_H_
#define TEEPNET_HPKE_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::hpke {

enum class Errc : uint16_t {
  kUnsupportedSuite = 1,  // a KEM, KDF or AEAD identifier this implementation does not offer
  kUnsupportedMode,       // a mode byte outside 0x00..0x03
  kBadPsk,                // psk/psk_id rules of RFC 9180 §5.1 violated
  kBadSenderKey,          // auth modes without a sender key, or a sender key in other modes
  kKeyTypeMismatch,       // a key's curve does not match the KEM
  kBadPublicKey,          // pkR or pkS does not deserialize or yields an invalid DH result
  kBadPrivateKey,         // a serialized private key of the wrong size or out of range
  kBadEncapsulatedKey,    // enc of the wrong size, off the curve, or of low order
  kBadIkm,                // DeriveKeyPair input shorter than Nsk bytes
  kDeriveKeyPairFailed,   // rejection sampling found no scalar in 256 candidates (§7.1.3)
  kOpenFailed,            // the AEAD rejected a ciphertext (tampered ct, aad, key or nonce)
  kMessageLimitReached,   // the sequence number would overflow (§5.2)
  kExportOnly,            // Seal or Open on a context whose AEAD is export-only (0xFFFF)
  kBadExportLength,       // Export length above 255 * Nh (§5.3)
};

}  // namespace teepnet::hpke

namespace teepnet {
template <>
struct ErrcTraits<hpke::Errc> {
  static constexpr Domain kDomain = Domain::kHpke;
  static Code CodeOf(hpke::Errc e) {
    switch (e) {
      case hpke::Errc::kUnsupportedSuite:
      case hpke::Errc::kUnsupportedMode: return Code::kUnimplemented;
      case hpke::Errc::kOpenFailed: return Code::kUnauthenticated;
      case hpke::Errc::kMessageLimitReached: return Code::kResourceExhausted;
      case hpke::Errc::kExportOnly: return Code::kFailedPrecondition;
      case hpke::Errc::kDeriveKeyPairFailed: return Code::kInternal;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(hpke::Errc e) {
    switch (e) {
      case hpke::Errc::kUnsupportedSuite: return "unsupported-suite";
      case hpke::Errc::kUnsupportedMode: return "unsupported-mode";
      case hpke::Errc::kBadPsk: return "bad-psk";
      case hpke::Errc::kBadSenderKey: return "bad-sender-key";
      case hpke::Errc::kKeyTypeMismatch: return "key-type-mismatch";
      case hpke::Errc::kBadPublicKey: return "bad-public-key";
      case hpke::Errc::kBadPrivateKey: return "bad-private-key";
      case hpke::Errc::kBadEncapsulatedKey: return "bad-encapsulated-key";
      case hpke::Errc::kBadIkm: return "bad-ikm";
      case hpke::Errc::kDeriveKeyPairFailed: return "derive-key-pair-failed";
      case hpke::Errc::kOpenFailed: return "open-failed";
      case hpke::Errc::kMessageLimitReached: return "message-limit-reached";
      case hpke::Errc::kExportOnly: return "export-only";
      case hpke::Errc::kBadExportLength: return "bad-export-length";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_HPKE_ERRC_H_
