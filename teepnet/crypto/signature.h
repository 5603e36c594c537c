// Signatures. ECDSA signatures cross this API in the raw r||s form that COSE (RFC 9053 §2.1),
// JWS and TEE reports use, each half CoordinateSize() bytes; DER conversion happens inside.
#ifndef TEEPNET_CRYPTO_SIGNATURE_H_
#define TEEPNET_CRYPTO_SIGNATURE_H_

#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::crypto {

enum class SignatureAlgorithm : uint8_t {
  kEcdsaSha256,  // the hash comes from the algorithm, not the curve (ES512 on P-256 exists)
  kEcdsaSha384,
  kEcdsaSha512,
  kEd25519,
  kRsaPssSha256,  // salt length = hash length (X.509 chains, AMD KDS)
  kRsaPssSha384,
  kRsaPssSha512,
  kRsaPkcs1Sha256,
  kSm2Sm3,  // SM2 with the default distinguishing ID "1234567812345678" unless one is given
};

std::string_view SignatureAlgorithmName(SignatureAlgorithm alg);

// Signs `message` (hashing it with the algorithm's hash). ECDSA output is raw r||s.
Result<Bytes> Sign(const PrivateKey& key, SignatureAlgorithm alg, ByteView message);

// Verifies over exactly `message`. Fails with kSignatureInvalid for any bad signature
// (including a wrong-length one), kKeyTypeMismatch when the key cannot do `alg`.
Status Verify(const PublicKey& key, SignatureAlgorithm alg, ByteView message, ByteView signature);

// SM2 with an explicit distinguishing identifier (Hygon certificates carry their own).
// SM2 signatures cross this API as raw r||s (32 + 32 bytes), like ECDSA.
Status VerifySm2(const PublicKey& key, ByteView user_id, ByteView message, ByteView signature);
// The signing counterpart (simulated Hygon platforms sign with their own identifiers).
Result<Bytes> SignSm2(const PrivateKey& key, ByteView user_id, ByteView message);

// Raw r||s <-> DER ECDSA-Sig-Value. `coordinate_size` is CoordinateSize() of the curve.
Result<Bytes> EcdsaRawToDer(ByteView raw);
Result<Bytes> EcdsaDerToRaw(ByteView der, size_t coordinate_size);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_SIGNATURE_H_
