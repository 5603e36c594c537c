#include "teepnet/hpke/suite.h"

#include <string>

#include "teepnet/base/byte_writer.h"
#include "teepnet/hpke/errc.h"

namespace teepnet::hpke {

namespace {

Error Unsupported(std::string_view what, uint16_t id) {
  return Error(Errc::kUnsupportedSuite,
               std::string(what) + " id " + std::to_string(id) + " is not supported");
}

}  // namespace

Result<Mode> ModeFromWire(uint8_t mode) {
  if (mode > static_cast<uint8_t>(Mode::kAuthPsk)) {
    return Error(Errc::kUnsupportedMode, "mode " + std::to_string(mode) + " is not defined");
  }
  return static_cast<Mode>(mode);
}

Result<Suite> SuiteFromWire(uint16_t kem_id, uint16_t kdf_id, uint16_t aead_id) {
  Suite suite{static_cast<KemId>(kem_id), static_cast<KdfId>(kdf_id), static_cast<AeadId>(aead_id)};
  TEEPNET_RETURN_IF_ERROR(ValidateSuite(suite));
  return suite;
}

bool UsesPsk(Mode mode) {
  return mode == Mode::kPsk || mode == Mode::kAuthPsk;
}
bool UsesAuth(Mode mode) {
  return mode == Mode::kAuth || mode == Mode::kAuthPsk;
}

Result<KemInfo> LookupKem(KemId kem) {
  using crypto::HashAlgorithm;
  using crypto::KeyType;
  // Sizes from RFC 9180 §7.1 Table 2. P-curve encodings are uncompressed SEC1 points
  // (§7.1.1), so Npk = 1 + 2 * field size; Nsk is the field size.
  switch (kem) {
    case KemId::kP256HkdfSha256:
      return KemInfo{KeyType::kP256, HashAlgorithm::kSha256, 32, 65, 65, 32, 0xff};
    case KemId::kP384HkdfSha384:
      return KemInfo{KeyType::kP384, HashAlgorithm::kSha384, 48, 97, 97, 48, 0xff};
    case KemId::kP521HkdfSha512:
      return KemInfo{KeyType::kP521, HashAlgorithm::kSha512, 64, 133, 133, 66, 0x01};
    case KemId::kX25519HkdfSha256:
      return KemInfo{KeyType::kX25519, HashAlgorithm::kSha256, 32, 32, 32, 32, 0xff};
  }
  return Unsupported("KEM", static_cast<uint16_t>(kem));
}

Result<KdfInfo> LookupKdf(KdfId kdf) {
  switch (kdf) {
    case KdfId::kHkdfSha256: return KdfInfo{crypto::HashAlgorithm::kSha256, 32};
    case KdfId::kHkdfSha384: return KdfInfo{crypto::HashAlgorithm::kSha384, 48};
    case KdfId::kHkdfSha512: return KdfInfo{crypto::HashAlgorithm::kSha512, 64};
  }
  return Unsupported("KDF", static_cast<uint16_t>(kdf));
}

Result<AeadInfo> LookupAead(AeadId aead) {
  using crypto::AeadAlgorithm;
  switch (aead) {
    case AeadId::kAes128Gcm: return AeadInfo{AeadAlgorithm::kAes128Gcm, 16, 12, 16};
    case AeadId::kAes256Gcm: return AeadInfo{AeadAlgorithm::kAes256Gcm, 32, 12, 16};
    case AeadId::kChaCha20Poly1305: return AeadInfo{AeadAlgorithm::kChaCha20Poly1305, 32, 12, 16};
    // §7.3: the export-only identifier has no key, nonce or tag (N/A in Table 5).
    case AeadId::kExportOnly: return AeadInfo{std::nullopt, 0, 0, 0};
  }
  return Unsupported("AEAD", static_cast<uint16_t>(aead));
}

Status ValidateSuite(const Suite& suite) {
  TEEPNET_RETURN_IF_ERROR(LookupKem(suite.kem));
  TEEPNET_RETURN_IF_ERROR(LookupKdf(suite.kdf));
  TEEPNET_RETURN_IF_ERROR(LookupAead(suite.aead));
  return OkStatus();
}

Bytes KemSuiteId(KemId kem) {
  ByteWriter w(5);
  w.WriteBytes(AsBytes("KEM"));
  w.WriteBeU16(static_cast<uint16_t>(kem));
  return std::move(w).Take();
}

Bytes HpkeSuiteId(const Suite& suite) {
  ByteWriter w(10);
  w.WriteBytes(AsBytes("HPKE"));
  w.WriteBeU16(static_cast<uint16_t>(suite.kem));
  w.WriteBeU16(static_cast<uint16_t>(suite.kdf));
  w.WriteBeU16(static_cast<uint16_t>(suite.aead));
  return std::move(w).Take();
}

}  // namespace teepnet::hpke
