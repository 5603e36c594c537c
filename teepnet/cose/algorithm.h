// The COSE algorithm registry: every algorithm number this project knows, in ONE place, so a
// draft value (COSE-HPKE, fully-specified algorithms) can be changed by editing this header.
//
// Values from the IANA "COSE Algorithms" registry
// (https://www.iana.org/assignments/cose/cose.xhtml#algorithms), RFC 9053 §2-§6,
// RFC 9864 (fully-specified algorithms), RFC 9459 (AES-CTR), draft-ietf-cose-hpke.
#ifndef TEEPNET_COSE_ALGORITHM_H_
#define TEEPNET_COSE_ALGORITHM_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::cose {

enum class Algorithm : int64_t {
  // Signatures. RFC 9053 §2.1 (ECDSA), §2.2 (EdDSA); RFC 9864 §2 (fully specified).
  kES256 = -7,
  kES384 = -35,
  kES512 = -36,
  kEdDSA = -8,
  kESP256 = -9,
  kESP384 = -51,
  kESP512 = -52,
  kEd25519 = -19,
  kEd448 = -53,
  kPS256 = -37,  // RSASSA-PSS, RFC 8230; registered but not implemented
  kPS384 = -38,
  kPS512 = -39,
  // MACs. RFC 9053 §3.1 (HMAC), §3.2 (AES-CBC-MAC, not implemented).
  kHmac256_64 = 4,
  kHmac256_256 = 5,
  kHmac384_384 = 6,
  kHmac512_512 = 7,
  kAesMac128_64 = 14,
  kAesMac256_64 = 15,
  kAesMac128_128 = 25,
  kAesMac256_128 = 26,
  // Content encryption. RFC 9053 §4.1 (AES-GCM), §4.2 (AES-CCM, not implemented), §4.3.
  kA128GCM = 1,
  kA192GCM = 2,
  kA256GCM = 3,
  kAesCcm16_64_128 = 10,
  kAesCcm16_64_256 = 11,
  kAesCcm64_64_128 = 12,
  kAesCcm64_64_256 = 13,
  kAesCcm16_128_128 = 30,
  kAesCcm16_128_256 = 31,
  kAesCcm64_128_128 = 32,
  kAesCcm64_128_256 = 33,
  kChaCha20Poly1305 = 24,
  // Non-AEAD content encryption for SUIT, RFC 9459 §4.
  kA128CTR = -65534,
  kA192CTR = -65533,
  kA256CTR = -65532,
  // Key distribution. RFC 9053 §6.1 (direct), §6.2 (AES-KW), §6.3 (direct+HKDF),
  // §6.4 (ECDH direct and ECDH with key wrap).
  kDirect = -6,
  kDirectHkdfSha256 = -10,
  kDirectHkdfSha512 = -11,
  kA128KW = -3,
  kA192KW = -4,
  kA256KW = -5,
  kEcdhEsHkdf256 = -25,
  kEcdhEsHkdf512 = -26,
  kEcdhSsHkdf256 = -27,
  kEcdhSsHkdf512 = -28,
  kEcdhEsA128KW = -29,
  kEcdhEsA192KW = -30,
  kEcdhEsA256KW = -31,
  kEcdhSsA128KW = -32,
  kEcdhSsA192KW = -33,
  kEcdhSsA256KW = -34,
  kRsaOaepSha1 = -40,  // registered but not implemented
  kRsaOaepSha256 = -41,
  kRsaOaepSha512 = -42,
  // COSE-HPKE, draft-ietf-cose-hpke ("assumed" values, not yet final).
  // Integrated encryption (COSE_Encrypt0):
  kHpke0 = 35,  // DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM
  kHpke1 = 37,  // DHKEM(P-384, HKDF-SHA384), HKDF-SHA384, AES-256-GCM
  kHpke2 = 39,  // DHKEM(P-521, HKDF-SHA512), HKDF-SHA512, AES-256-GCM
  kHpke3 = 41,  // DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM
  kHpke4 = 42,  // DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305
  kHpke5 = 43,  // DHKEM(X448, HKDF-SHA512), HKDF-SHA512, AES-256-GCM
  kHpke6 = 44,  // DHKEM(X448, HKDF-SHA512), HKDF-SHA512, ChaCha20Poly1305
  kHpke7 = 45,  // DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
  // Key encryption (COSE_recipient), same suites in the same order:
  kHpke0KE = 46,
  kHpke1KE = 47,
  kHpke2KE = 48,
  kHpke3KE = 49,
  kHpke4KE = 50,
  kHpke5KE = 51,
  kHpke6KE = 52,
  kHpke7KE = 53,
};

// Header labels used by the HPKE modes (draft-ietf-cose-hpke), also draft values.
inline constexpr int64_t kHeaderLabelHpkeEk = -4;
inline constexpr int64_t kHeaderLabelHpkePskId = -5;

enum class AlgorithmKind : uint8_t {
  kSignature,
  kMac,
  kAead,
  kCtr,                // AES-CTR content encryption (no integrity)
  kDirect,             // the shared key is the CEK
  kDirectHkdf,         // CEK = HKDF(shared key, COSE_KDF_Context)
  kKeyWrap,            // CEK wrapped with AES-KW under a known KEK
  kEcdhDirect,         // CEK = HKDF(ECDH Z, COSE_KDF_Context)
  kEcdhKeyWrap,        // KEK = HKDF(ECDH Z, context); CEK wrapped with AES-KW
  kHpkeIntegrated,     // COSE_Encrypt0 sealed with HPKE
  kHpkeKeyEncryption,  // COSE_recipient whose ciphertext is the HPKE-sealed CEK
};

// What is known about one algorithm. Fields that do not apply to `kind` are zero.
struct AlgorithmInfo {
  Algorithm id;
  std::string_view name;  // IANA name ("ES256", "A128GCM", "HPKE-0-KE")
  AlgorithmKind kind;
  bool implemented;  // false: registered, recognised, refused as unsupported
  // kSignature
  crypto::SignatureAlgorithm signature = crypto::SignatureAlgorithm::kEcdsaSha256;
  // Fully-specified algorithms pin one key type; polymorphic ones (ES256, EdDSA) leave it empty.
  std::optional<crypto::KeyType> required_key_type = std::nullopt;
  // kMac, kDirectHkdf, kEcdh*: the hash of HMAC / HKDF.
  crypto::HashAlgorithm hash = crypto::HashAlgorithm::kSha256;
  size_t tag_size = 0;  // kMac: tag bytes (HMAC 256/64 truncates to 8)
  // kAead / kCtr
  crypto::AeadAlgorithm aead = crypto::AeadAlgorithm::kAes128Gcm;
  // Key size in bytes: content key (kMac, kAead, kCtr) or KEK (kKeyWrap, kEcdhKeyWrap).
  size_t key_size = 0;
  bool static_sender = false;  // ECDH-SS rather than ECDH-ES
  // kHpke*: RFC 9180 identifiers.
  uint16_t hpke_kem = 0;
  uint16_t hpke_kdf = 0;
  uint16_t hpke_aead = 0;
};

// Looks up a registered value; nullptr for a number this project has never heard of.
const AlgorithmInfo* FindAlgorithm(int64_t value);
// Same, by IANA name.
const AlgorithmInfo* FindAlgorithmByName(std::string_view name);

// For ECDH-* with key wrap: the AES-KW algorithm whose id goes into COSE_KDF_Context
// (RFC 9053 §5.2: "AlgorithmID ... the algorithm the derived key will be used for").
Algorithm KeyWrapOf(Algorithm ecdh_wrap);

// True when a key of `type` can be used with signature algorithm `info`.
bool SignatureKeyFits(const AlgorithmInfo& info, crypto::KeyType type);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_ALGORITHM_H_
