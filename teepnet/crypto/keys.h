// Asymmetric keys. PublicKey and PrivateKey are cheap to copy (they share one immutable
// OpenSSL key object). Raw private bytes are reachable only through RawPrivate(), which
// returns SecretBytes.
#ifndef TEEPNET_CRYPTO_KEYS_H_
#define TEEPNET_CRYPTO_KEYS_H_

#include <memory>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::crypto {

enum class KeyType : uint8_t {
  kP256,     // secp256r1
  kP384,     // secp384r1
  kP521,     // secp521r1
  kEd25519,  // RFC 8032
  kX25519,   // RFC 7748
  kSm2,      // GM/T 0003 (Hygon CSV chains)
  kRsa,      // verification only (AMD ARK/ASK use RSA-PSS)
};

std::string_view KeyTypeName(KeyType type);
bool IsEc(KeyType type);   // P-256/384/521, SM2
bool IsOkp(KeyType type);  // Ed25519, X25519
// Field-element size in bytes: 32, 48, 66 for the NIST curves and SM2; 32 for OKP.
size_t CoordinateSize(KeyType type);

struct KeyHandle;  // opaque OpenSSL key, defined in crypto/

class PublicKey {
 public:
  // EC: SEC1 uncompressed (0x04||x||y) or compressed point. OKP: the 32-byte key.
  static Result<PublicKey> FromRaw(KeyType type, ByteView raw);
  // EC from affine coordinates, each exactly CoordinateSize() bytes (COSE_Key -2/-3, JWK x/y).
  static Result<PublicKey> FromCoordinates(KeyType type, ByteView x, ByteView y);
  // SubjectPublicKeyInfo, DER or PEM.
  static Result<PublicKey> FromSpkiDer(ByteView der);
  static Result<PublicKey> FromPem(std::string_view pem);

  KeyType type() const { return type_; }
  // EC: uncompressed SEC1 point; OKP: the 32 raw bytes; RSA: empty (use ToSpkiDer).
  Bytes RawPublic() const;
  // EC only: x and y, each CoordinateSize() bytes, left-padded.
  Bytes X() const;
  Bytes Y() const;
  Bytes ToSpkiDer() const;
  std::string ToPem() const;
  bool Equals(const PublicKey& other) const;

  const KeyHandle& handle() const { return *handle_; }
  explicit PublicKey(KeyType type, std::shared_ptr<const KeyHandle> handle)
      : type_(type), handle_(std::move(handle)) {}

 private:
  KeyType type_;
  std::shared_ptr<const KeyHandle> handle_;
};

class PrivateKey {
 public:
  // Fresh key from OpenSSL's CSPRNG.
  static Result<PrivateKey> Generate(KeyType type);
  // EC: the big-endian scalar d (CoordinateSize() bytes). OKP: the 32-byte private key.
  static Result<PrivateKey> FromRaw(KeyType type, ByteView d);
  // PKCS#8, DER or PEM (also accepts SEC1 "EC PRIVATE KEY" PEM).
  static Result<PrivateKey> FromPkcs8Der(ByteView der);
  static Result<PrivateKey> FromPem(std::string_view pem);

  KeyType type() const { return type_; }
  PublicKey public_key() const;
  SecretBytes RawPrivate() const;
  SecretBytes ToPkcs8Der() const;
  // PKCS#8 PEM. The string holds secret material; callers write it to 0600 files only.
  std::string ToPem() const;

  const KeyHandle& handle() const { return *handle_; }
  explicit PrivateKey(KeyType type, std::shared_ptr<const KeyHandle> handle)
      : type_(type), handle_(std::move(handle)) {}

 private:
  KeyType type_;
  std::shared_ptr<const KeyHandle> handle_;
};

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_KEYS_H_
