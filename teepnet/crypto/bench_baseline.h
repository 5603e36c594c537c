// Bare OpenSSL reference operations for benchmarks. Each does the same algorithm on the same
// input as the teepnet call it is compared with, but straight against EVP with no teepnet
// wrapper (no Result, no raw<->DER conversion, no key-type checks) in the hot path, so a bench
// can report "teepnet cost / OpenSSL floor". Not for production use: failures are just false.
#ifndef TEEPNET_CRYPTO_BENCH_BASELINE_H_
#define TEEPNET_CRYPTO_BENCH_BASELINE_H_

#include <memory>

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::crypto::baseline {

// Holds its own reference to the key's EVP_PKEY and one reusable EVP_MD_CTX.
class BareVerifier {
 public:
  // `hash` is the ECDSA/RSA digest (SM2 keys always use SM3); ignored for Ed25519 keys.
  BareVerifier(const PublicKey& key, HashAlgorithm hash);
  // An SM2 key whose signatures carry the distinguishing identifier `sm2_id` (GM/T 0003.2:
  // hashed into the Z value before the message), as crypto::VerifySm2 checks them.
  BareVerifier(const PublicKey& key, ByteView sm2_id);
  ~BareVerifier();
  BareVerifier(const BareVerifier&) = delete;
  BareVerifier& operator=(const BareVerifier&) = delete;
  // EVP_DigestVerifyInit + EVP_DigestVerify over `msg`; `der_sig` is an ECDSA-Sig-Value.
  bool VerifyDer(ByteView msg, ByteView der_sig);
  // The same for Ed25519 (64-byte signature, no pre-hash).
  bool VerifyEd25519(ByteView msg, ByteView sig);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class BareSigner {
 public:
  BareSigner(const PrivateKey& key, HashAlgorithm hash);
  ~BareSigner();
  BareSigner(const BareSigner&) = delete;
  BareSigner& operator=(const BareSigner&) = delete;
  // EVP_DigestSignInit + EVP_DigestSign; `out` receives DER (ECDSA) or 64 bytes (Ed25519).
  bool Sign(ByteView msg, Bytes& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An AEAD with one reusable EVP_CIPHER_CTX. `out` receives ciphertext || 16-byte tag.
class BareAead {
 public:
  explicit BareAead(AeadAlgorithm alg);
  ~BareAead();
  BareAead(const BareAead&) = delete;
  BareAead& operator=(const BareAead&) = delete;
  bool Seal(ByteView key, ByteView nonce, ByteView aad, ByteView pt, Bytes& out);
  bool Open(ByteView key, ByteView nonce, ByteView aad, ByteView ct_and_tag, Bytes& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// AES-GCM seal (key size selects AES-128/192/256) with a per-thread reusable context.
bool BareAesGcmSeal(ByteView key, ByteView nonce, ByteView aad, ByteView pt, Bytes& out);

// EVP_Digest into `out` (resized to the digest size).
bool BareDigest(HashAlgorithm hash, ByteView data, Bytes& out);

// HKDF (RFC 5869) extract-and-expand in one EVP_KDF_derive, with the KDF fetched once;
// `out` is filled to its current size (the L of RFC 5869).
bool BareHkdf(HashAlgorithm hash, ByteView salt, ByteView ikm, ByteView info, Bytes& out);

// EVP_PKEY_derive with a fresh EVP_PKEY_CTX, as ECDH/X25519 does. The peer is not validated
// again (EVP_PKEY_derive_set_peer_ex(..., 0)), as in `openssl speed ecdhp256`: the floor is
// the scalar multiplication, and a PublicKey was already validated when it was imported.
bool BareDerive(const PrivateKey& mine, const PublicKey& theirs, Bytes& out);

}  // namespace teepnet::crypto::baseline

#endif  // TEEPNET_CRYPTO_BENCH_BASELINE_H_
