// Reasons for channel/ failures: the sealed channel between a Network User (Relying Party) and
// an attested Agent or TA (DESIGN §5).
#ifndef TEEPNET_CHANNEL_ERRC_H_
#define TEEPNET_CHANNEL_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::channel {

enum class Errc : uint16_t {
  kMalformed = 1,     // not a sealed message of this profile (bad CBOR, wrong headers)
  kTooLarge,          // beyond kMaxSealedBytes / kMaxContentBytes
  kWrongRecipient,    // the message names another recipient key (kid)
  kOpenFailed,        // HPKE/AEAD authentication failed: tampered, or sealed for another binding
  kReplayed,          // a message id the recipient has already accepted
  kStale,             // sent_at outside the recipient's acceptance window
  kNoAttestedKey,     // the EAR names no key usable as HPKE recipient
  kDeviceMismatch,    // the EAR does not name the device the user asked for
  kInstanceMismatch,  // the EAR does not name the instance key the user asked for
  kNotAttested,       // the EAR was refused (signature, status, freshness, nonce)
  kBadReceipt,        // a receipt's signature, kid or algorithm does not match the key
  kWrongContext,      // a receipt payload with another context string than kReceiptContext
};

}  // namespace teepnet::channel

namespace teepnet {
template <>
struct ErrcTraits<channel::Errc> {
  static constexpr Domain kDomain = Domain::kChannel;
  static Code CodeOf(channel::Errc e) {
    switch (e) {
      case channel::Errc::kOpenFailed: return Code::kUnauthenticated;
      case channel::Errc::kReplayed: return Code::kAlreadyExists;
      case channel::Errc::kStale:
      case channel::Errc::kNoAttestedKey:
      case channel::Errc::kDeviceMismatch:
      case channel::Errc::kInstanceMismatch:
      case channel::Errc::kNotAttested: return Code::kFailedPrecondition;
      case channel::Errc::kBadReceipt: return Code::kUnauthenticated;
      case channel::Errc::kTooLarge: return Code::kResourceExhausted;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(channel::Errc e) {
    switch (e) {
      case channel::Errc::kMalformed: return "malformed";
      case channel::Errc::kTooLarge: return "too-large";
      case channel::Errc::kWrongRecipient: return "wrong-recipient";
      case channel::Errc::kOpenFailed: return "open-failed";
      case channel::Errc::kReplayed: return "replayed";
      case channel::Errc::kStale: return "stale";
      case channel::Errc::kNoAttestedKey: return "no-attested-key";
      case channel::Errc::kDeviceMismatch: return "device-mismatch";
      case channel::Errc::kInstanceMismatch: return "instance-mismatch";
      case channel::Errc::kNotAttested: return "not-attested";
      case channel::Errc::kBadReceipt: return "bad-receipt";
      case channel::Errc::kWrongContext: return "wrong-context";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_CHANNEL_ERRC_H_
