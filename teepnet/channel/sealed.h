// The sealed channel from a Network User to an attested TEE (DESIGN §5, seed §5 steps "secure
// channel to the Agent / to the TA"): one-shot HPKE (RFC 9180) in COSE-HPKE integrated mode
// (a tagged COSE_Encrypt0, draft-ietf-cose-hpke), sealed to the public key that an EAR names as
// attested. Only the holder of the matching private key inside the TEE can open it; the
// Broker, the UA, the M/OC and the TAM only relay bytes.
//
// Wire form:
//   COSE_Encrypt0 (tag 16)
//     protected   { 1 (alg): HPKE-3 (X25519 recipient) | HPKE-0 (P-256 recipient),
//                   4 (kid): RFC 9679 SHA-256 thumbprint of the recipient's COSE_Key }
//     unprotected { -4 (ek): the HPKE encapsulated key }
//     ciphertext  = HPKE Seal(aad = Enc_structure with external_aad = EncodeBinding(binding))
//   plaintext = deterministic CBOR map { 1: message id (bstr .size 16), 2: sent_at (uint,
//               unix seconds), 3: content (bstr) }
//
// The binding (request, device, instance, purpose) is never sent: both ends compute it, so a
// message sealed for one request, device, instance or purpose fails authentication anywhere
// else. Replays of an accepted message are refused by message id within the acceptance window,
// and anything older than the window is refused as stale, so the replay memory stays bounded.
#ifndef TEEPNET_CHANNEL_SEALED_H_
#define TEEPNET_CHANNEL_SEALED_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/channel/replay_guard.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::channel {

// A PD or bundle is at most this large; the sealed form adds headers, ek and the tag.
inline constexpr size_t kMaxContentBytes = size_t{64} << 20;
inline constexpr size_t kMaxSealedBytes = kMaxContentBytes + 1024;
inline constexpr size_t kMessageIdSize = 16;

// What a sealed message is for; fed to the AEAD as external AAD.
struct Binding {
  std::string request_id;  // the M/OC request the user created
  Bytes device_id;         // RFC 9679 thumbprint of the Agent's TEEP key (the device)
  std::string instance;    // "" when sealed to the Agent itself (cases 1, 4), else the TA instance
  std::string purpose;     // "bundle" (case 1), "pd" (cases 2, 3), "ta+pd" (case 4)
};

// ["teepnet/channel/v1", request_id, device_id, instance, purpose], deterministic CBOR.
Bytes EncodeBinding(const Binding& binding);

// Seals `content` to `recipient` (X25519 or P-256) for `binding`, stamped with `now_unix`.
Result<Bytes> Seal(const crypto::PublicKey& recipient, ByteView content, const Binding& binding,
                   int64_t now_unix, Random& random);

struct OpenPolicy {
  int64_t now_unix = 0;
  // sent_at must lie in [now - max_age, now + max_skew]; the replay guard remembers accepted
  // ids until sent_at + max_age, after which the staleness check refuses them anyway.
  int64_t max_age_seconds = 600;
  int64_t max_skew_seconds = 60;
};

struct Opened {
  Bytes message_id;
  int64_t sent_at = 0;
  SecretBytes content;
};

// Opens a sealed message addressed to `key`. Checks, in order: size, COSE structure and
// headers (kMalformed), kid = our thumbprint (kWrongRecipient), HPKE open with the binding
// (kOpenFailed), plaintext structure (kMalformed), freshness (kStale), and only then records
// the message id (kReplayed if already there) — unauthenticated input never touches `guard`.
Result<Opened> Open(ByteView sealed, const crypto::PrivateKey& key, const Binding& binding,
                    const OpenPolicy& policy, ReplayGuard& guard);

// The kid a message sealed to `recipient` carries (RFC 9679 SHA-256 thumbprint).
Result<Bytes> RecipientKid(const crypto::PublicKey& recipient);

}  // namespace teepnet::channel

#endif  // TEEPNET_CHANNEL_SEALED_H_
