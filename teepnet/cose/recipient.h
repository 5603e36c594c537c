// COSE_recipient (RFC 9052 §5.1) and the key distribution methods of RFC 9053 §6 / §5:
// direct (-6), direct+HKDF (-10/-11), AES key wrap (-3..-5), ECDH-ES/SS + HKDF direct
// (-25..-28), ECDH-ES/SS + AES-KW (-29..-34), and COSE-HPKE key encryption (46..53).
// Recipients may nest (a key-wrap recipient whose KEK comes from its own recipients,
// RFC 9052 Appendix B).
#ifndef TEEPNET_COSE_RECIPIENT_H_
#define TEEPNET_COSE_RECIPIENT_H_

#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/header_map.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/structures.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

// Maximum nesting of recipients inside recipients (RFC 9052 allows any; we bound it).
inline constexpr size_t kMaxRecipientDepth = 4;

struct Recipient {
  Headers headers;
  const AlgorithmInfo* alg = nullptr;
  std::optional<ByteView> ciphertext;  // borrowed from the message
  std::vector<Recipient> recipients;   // nested layer
};

// Reads `[+ COSE_recipient]`.
Result<std::vector<Recipient>> ReadRecipients(cbor::Reader& r, const HeaderPolicy& policy,
                                              size_t depth = 0);

// COSE-HPKE parameters (draft-ietf-cose-hpke): extra info for the Recipient_structure (KE) or
// the HPKE info (integrated), the HPKE aad (KE only), and the PSK (mode_psk when set).
struct HpkeParams {
  ByteView external_info;
  ByteView hpke_aad;
  std::optional<Bytes> psk;
  std::optional<Bytes> psk_id;
};

// What a recipient holds to open the message.
struct RecipientKey {
  // direct, direct+HKDF, AES-KW: the shared secret.
  std::optional<SecretBytes> secret;
  // ECDH-*, HPKE: the recipient's private key.
  std::optional<crypto::PrivateKey> private_key;
  // ECDH-SS when the sender's static key is identified by kid (-3) rather than carried (-2).
  std::optional<crypto::PublicKey> sender_public_key;
  // When set, only recipients whose kid equals it (or that carry none) are tried.
  std::optional<Bytes> kid;
  KdfExtras kdf;
  HpkeParams hpke;
};

// Recovers the key for the next layer (`next_alg`, `key_size` bytes) from `recipient`.
// Fails with kWrongKeyType when `key` holds nothing usable for the recipient's algorithm,
// kDecryptFailed when unwrapping / opening fails.
Result<SecretBytes> RecoverKey(const Recipient& recipient, const RecipientKey& key,
                               Algorithm next_alg, size_t key_size, size_t depth = 0);

// Tries every recipient in turn; the first one that yields a key that `use` accepts wins.
// `use` returns the layer's result (plaintext or payload).
template <typename T, typename UseKey>
Result<T> TryRecipients(const std::vector<Recipient>& recipients, const RecipientKey& key,
                        Algorithm next_alg, size_t key_size, UseKey use);

// --- Creating recipients -------------------------------------------------------------------

struct RecipientSpec {
  Algorithm alg = Algorithm::kA128KW;
  HeaderMap protected_headers;        // alg goes here for ECDH/HPKE; unprotected for direct/KW
  HeaderMap unprotected_headers;      // e.g. kid
  std::optional<SecretBytes> secret;  // direct / direct+HKDF / AES-KW
  std::optional<crypto::PublicKey> recipient_key;  // ECDH / HPKE
  std::optional<crypto::PrivateKey> sender_key;    // ECDH-SS static key
  bool send_sender_key = true;  // ECDH-SS: put the static public key in header -2
  KdfExtras kdf;
  HpkeParams hpke;
};

// True for methods where the recipient determines the CEK (direct, direct+HKDF, ECDH
// direct): such a message has exactly one recipient and no random CEK.
bool IsDirectMethod(Algorithm alg);

// For direct methods: derives the CEK and writes the recipient. `random` supplies ephemeral
// keys (ECDH-ES) in that order.
Result<SecretBytes> CreateDirectRecipient(const RecipientSpec& spec, Algorithm next_alg,
                                          size_t key_size, Random& random, cbor::Writer& out);
// For key-transport methods (AES-KW, ECDH+KW, HPKE-KE): encrypts `cek` to the recipient.
Status CreateWrappingRecipient(const RecipientSpec& spec, Algorithm next_alg, ByteView cek,
                               Random& random, cbor::Writer& out);

// Hooks for COSE-HPKE key encryption, implemented in hpke_cose.cc.
Result<SecretBytes> OpenHpkeRecipient(const Recipient& recipient, const RecipientKey& key,
                                      Algorithm next_alg);
Result<Bytes> SealHpkeRecipient(const RecipientSpec& spec, ByteView protected_bytes,
                                Algorithm next_alg, ByteView cek, Random& random,
                                HeaderMap& unprotected);

// --- Template definition -------------------------------------------------------------------

template <typename T, typename UseKey>
Result<T> TryRecipients(const std::vector<Recipient>& recipients, const RecipientKey& key,
                        Algorithm next_alg, size_t key_size, UseKey use) {
  std::optional<Error> last;
  for (const Recipient& recipient : recipients) {
    if (key.kid) {
      auto kid = recipient.headers.Kid();
      if (kid.ok() && kid->has_value() && !Equal(**kid, *key.kid)) continue;
    }
    auto cek = RecoverKey(recipient, key, next_alg, key_size);
    if (!cek.ok()) {
      last = std::move(cek).TakeError();
      continue;
    }
    auto result = use(cek->view());
    if (result.ok()) return result;
    last = std::move(result).TakeError();
  }
  if (last) return *last;
  return Error(Errc::kNoMatchingRecipient, "no recipient matches the key");
}

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_RECIPIENT_H_
