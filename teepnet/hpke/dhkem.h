// DHKEM (RFC 9180 §4.1) over the NIST curves and X25519: key derivation, (de)serialization
// and the four encapsulation functions.
//
// The ephemeral key pair is an argument of Encap/AuthEncap rather than being drawn inside, so
// that the caller decides where randomness comes from: GenerateKeyPair(random) in production,
// DeriveKeyPair(ikmE) to reproduce the RFC 9180 Appendix A vectors.
#ifndef TEEPNET_HPKE_DHKEM_H_
#define TEEPNET_HPKE_DHKEM_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/hpke/labeled_kdf.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

struct KeyPair {
  crypto::PrivateKey private_key;
  crypto::PublicKey public_key;
};

struct Encapsulation {
  SecretBytes shared_secret;  // Nsecret bytes
  Bytes enc;                  // Nenc bytes, sent to the recipient
};

class Dhkem {
 public:
  static Result<Dhkem> Create(KemId kem);

  KemId id() const { return id_; }
  const KemInfo& info() const { return info_; }

  // §7.1.3. Deterministic; `ikm` must hold at least Nsk bytes (the RFC's SHOULD, enforced
  // so a short seed cannot silently weaken a key): kBadIkm otherwise.
  Result<KeyPair> DeriveKeyPair(ByteView ikm) const;
  // A fresh key pair: DeriveKeyPair over Nsk bytes drawn from `random`, which §7.1.3 allows
  // as GenerateKeyPair and which makes replayed randomness reproduce the vectors.
  Result<KeyPair> GenerateKeyPair(Random& random) const;

  // §7.1.1: uncompressed SEC1 point for the P-curves, the 32 raw bytes for X25519.
  Result<Bytes> SerializePublicKey(const crypto::PublicKey& key) const;
  // Exactly Npk bytes; P-curve points must be uncompressed and on the curve. Fails with
  // kBadPublicKey.
  Result<crypto::PublicKey> DeserializePublicKey(ByteView bytes) const;
  // §7.1.2: the Nsk-byte big-endian scalar, or the 32 raw X25519 bytes.
  Result<SecretBytes> SerializePrivateKey(const crypto::PrivateKey& key) const;
  Result<crypto::PrivateKey> DeserializePrivateKey(ByteView bytes) const;

  // §4.1 Encap(pkR) and Decap(enc, skR).
  Result<Encapsulation> Encap(const crypto::PublicKey& recipient, const KeyPair& ephemeral) const;
  // Fails with kBadEncapsulatedKey when `enc` does not deserialize or gives an invalid DH.
  Result<SecretBytes> Decap(ByteView enc, const crypto::PrivateKey& recipient) const;
  // §4.1 AuthEncap(pkR, skS) and AuthDecap(enc, skR, pkS): the sender's static key is mixed
  // into the shared secret, so only the holder of skS can produce an enc that decapsulates
  // to the same secret.
  Result<Encapsulation> AuthEncap(const crypto::PublicKey& recipient,
                                  const crypto::PrivateKey& sender, const KeyPair& ephemeral) const;
  Result<SecretBytes> AuthDecap(ByteView enc, const crypto::PrivateKey& recipient,
                                const crypto::PublicKey& sender) const;

 private:
  Dhkem(KemId id, KemInfo info, LabeledKdf kdf) : id_(id), info_(info), kdf_(std::move(kdf)) {}

  Status CheckType(crypto::KeyType type, Errc reason) const;
  Result<SecretBytes> ExtractAndExpand(ByteView dh, ByteView kem_context) const;
  Result<SecretBytes> DeriveScalar(ByteView dkp_prk) const;

  KemId id_;
  KemInfo info_;
  LabeledKdf kdf_;
};

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_DHKEM_H_
