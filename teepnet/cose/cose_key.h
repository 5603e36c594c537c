// COSE_Key (RFC 9052 §7, RFC 9053 §7) for EC2 (P-256/384/521), OKP (X25519, Ed25519) and
// Symmetric keys, conversion to and from crypto/ keys, and RFC 9679 thumbprints.
#ifndef TEEPNET_COSE_COSE_KEY_H_
#define TEEPNET_COSE_COSE_KEY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

// RFC 9053 §7 / IANA "COSE Key Types".
enum class KeyKty : int64_t { kOkp = 1, kEc2 = 2, kSymmetric = 4 };
// IANA "COSE Elliptic Curves" (RFC 9053 §7.1).
enum class Curve : int64_t {
  kP256 = 1,
  kP384 = 2,
  kP521 = 3,
  kX25519 = 4,
  kX448 = 5,
  kEd25519 = 6,
  kEd448 = 7,
};

class CoseKey {
 public:
  // Reads one COSE_Key map. Unknown labels are skipped; duplicate labels are refused
  // (kDuplicateLabel); required members missing fail with kMissingKeyParameter.
  static Result<CoseKey> Read(cbor::Reader& r);
  // Exactly one COSE_Key, no trailing bytes.
  static Result<CoseKey> Decode(ByteView encoded);
  // As Decode, but refuses a key that carries private material (d or k) with
  // kPrivateKeyPresent: for places where only a public key may appear (epk, static key).
  static Result<CoseKey> DecodePublic(ByteView encoded);

  static CoseKey FromPublicKey(const crypto::PublicKey& key);
  static CoseKey FromPrivateKey(const crypto::PrivateKey& key);
  static CoseKey FromSymmetric(ByteView k);

  CoseKey() = default;
  CoseKey(CoseKey&&) = default;
  CoseKey& operator=(CoseKey&&) = default;

  KeyKty kty() const { return kty_; }
  std::optional<Curve> curve() const { return crv_; }
  const std::optional<Bytes>& kid() const { return kid_; }
  const std::optional<int64_t>& alg() const { return alg_; }
  const std::vector<int64_t>& key_ops() const { return key_ops_; }
  bool has_private() const { return !d_.empty() || !k_.empty(); }
  ByteView x() const { return x_; }
  ByteView y() const { return y_; }
  ByteView symmetric_key() const { return k_.view(); }

  CoseKey& set_kid(ByteView kid) {
    kid_ = ToBytes(kid);
    return *this;
  }
  CoseKey& set_alg(int64_t alg) {
    alg_ = alg;
    return *this;
  }
  CoseKey& set_key_ops(std::vector<int64_t> ops) {
    key_ops_ = std::move(ops);
    return *this;
  }

  // The crypto/ key type for this kty/crv (kUnsupportedAlgorithm for X448/Ed448).
  Result<crypto::KeyType> KeyType() const;
  Result<crypto::PublicKey> ToPublicKey() const;
  Result<crypto::PrivateKey> ToPrivateKey() const;

  // Writes the key in deterministic order; private members only when `include_private`.
  void WriteTo(cbor::Writer& w, bool include_private) const;
  Bytes Encode(bool include_private) const;

  // RFC 9679 §3: SHA-256 over the deterministic encoding of the required members only
  // (EC2: kty, crv, x, y; OKP: kty, crv, x; Symmetric: kty, k).
  Result<Bytes> Thumbprint() const;

 private:
  KeyKty kty_ = KeyKty::kEc2;
  std::optional<Curve> crv_;
  std::optional<Bytes> kid_;
  std::optional<int64_t> alg_;
  std::vector<int64_t> key_ops_;
  Bytes x_;
  Bytes y_;
  std::optional<bool> y_sign_;  // EC2 compressed form: y given as a bool sign bit
  SecretBytes d_;
  SecretBytes k_;
};

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_COSE_KEY_H_
