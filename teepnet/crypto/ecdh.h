// Diffie-Hellman on the NIST curves (the x-coordinate, SEC1 §3.3.1) and X25519 (RFC 7748).
#ifndef TEEPNET_CRYPTO_ECDH_H_
#define TEEPNET_CRYPTO_ECDH_H_

#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::crypto {

// Fails with kKeyTypeMismatch unless both keys are of the same DH-capable type, and with
// kBadKey for an all-zero X25519 result (RFC 7748 §6.1 / RFC 9180 §7.1.4).
Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& theirs);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_ECDH_H_
