// HPKE identifiers (RFC 9180 §7) and the sizes each algorithm implies.
//
// An enum class can hold any value of its underlying type, so every entry point that takes a
// Suite validates it (the Lookup* functions below) before using it.
#ifndef TEEPNET_HPKE_SUITE_H_
#define TEEPNET_HPKE_SUITE_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::hpke {

// Values from https://www.rfc-editor.org/rfc/rfc9180.html#section-5-10 (Table 1).
enum class Mode : uint8_t { kBase = 0x00, kPsk = 0x01, kAuth = 0x02, kAuthPsk = 0x03 };

// Values from https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1 (Table 2).
enum class KemId : uint16_t {
  kP256HkdfSha256 = 0x0010,
  kP384HkdfSha384 = 0x0011,
  kP521HkdfSha512 = 0x0012,
  kX25519HkdfSha256 = 0x0020,
};

// Values from https://www.rfc-editor.org/rfc/rfc9180.html#section-7.2 (Table 3).
enum class KdfId : uint16_t { kHkdfSha256 = 0x0001, kHkdfSha384 = 0x0002, kHkdfSha512 = 0x0003 };

// Values from https://www.rfc-editor.org/rfc/rfc9180.html#section-7.3 (Table 5).
enum class AeadId : uint16_t {
  kAes128Gcm = 0x0001,
  kAes256Gcm = 0x0002,
  kChaCha20Poly1305 = 0x0003,
  kExportOnly = 0xFFFF,
};

struct Suite {
  KemId kem;
  KdfId kdf;
  AeadId aead;
};

// Wire values to identifiers; kUnsupportedMode / kUnsupportedSuite for anything else.
Result<Mode> ModeFromWire(uint8_t mode);
Result<Suite> SuiteFromWire(uint16_t kem_id, uint16_t kdf_id, uint16_t aead_id);

bool UsesPsk(Mode mode);   // psk, auth_psk
bool UsesAuth(Mode mode);  // auth, auth_psk

struct KemInfo {
  crypto::KeyType key_type;
  crypto::HashAlgorithm hash;  // the KEM's own KDF (DHKEM(P-256, HKDF-SHA256) ...)
  size_t n_secret;             // Nsecret
  size_t n_enc;                // Nenc
  size_t n_pk;                 // Npk
  size_t n_sk;                 // Nsk
  uint8_t bitmask;             // §7.1.3 DeriveKeyPair mask for the first candidate byte
};

struct KdfInfo {
  crypto::HashAlgorithm hash;
  size_t n_h;  // Nh
};

struct AeadInfo {
  std::optional<crypto::AeadAlgorithm> algorithm;  // empty for export-only
  size_t n_k;                                      // Nk
  size_t n_n;                                      // Nn
  size_t n_t;                                      // Nt
};

Result<KemInfo> LookupKem(KemId kem);
Result<KdfInfo> LookupKdf(KdfId kdf);
Result<AeadInfo> LookupAead(AeadId aead);
// All three at once: fails with kUnsupportedSuite unless every identifier is known.
Status ValidateSuite(const Suite& suite);

// suite_id for the KEM (§4.1): "KEM" || I2OSP(kem_id, 2).
Bytes KemSuiteId(KemId kem);
// suite_id for the key schedule (§5.1): "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) ||
// I2OSP(aead_id, 2).
Bytes HpkeSuiteId(const Suite& suite);

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_SUITE_H_
