// Symmetric ciphers: AEADs (ciphertext = encrypted bytes || 16-byte tag), AES key wrap
// (RFC 3394) and AES-CTR (SUIT firmware encryption A128CTR/A256CTR).
#ifndef TEEPNET_CRYPTO_CIPHER_H_
#define TEEPNET_CRYPTO_CIPHER_H_

#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::crypto {

enum class AeadAlgorithm : uint8_t { kAes128Gcm, kAes192Gcm, kAes256Gcm, kChaCha20Poly1305 };

std::string_view AeadName(AeadAlgorithm alg);
size_t AeadKeySize(AeadAlgorithm alg);    // 16, 24, 32, 32
size_t AeadNonceSize(AeadAlgorithm alg);  // 12 (the standard size)
constexpr size_t kAeadTagSize = 16;

// GCM also accepts other IV lengths (1..64 bytes, e.g. the 16-byte IVs some COSE-HPKE
// vectors use); ChaCha20-Poly1305 requires exactly 12. Key size must match exactly.
Result<Bytes> AeadSeal(AeadAlgorithm alg, ByteView key, ByteView nonce, ByteView aad,
                       ByteView plaintext);
// Fails with kAuthenticationFailed on any tag mismatch; nothing is returned then.
Result<SecretBytes> AeadOpen(AeadAlgorithm alg, ByteView key, ByteView nonce, ByteView aad,
                             ByteView ciphertext_and_tag);

// RFC 3394 with the default IV; kek of 16, 24 or 32 bytes; key a multiple of 8, >= 16 bytes.
Result<Bytes> AesKeyWrap(ByteView kek, ByteView key);
// Fails with kAuthenticationFailed when the integrity check value does not match.
Result<SecretBytes> AesKeyUnwrap(ByteView kek, ByteView wrapped);

// AES-CTR with a 16-byte initial counter block; encrypt and decrypt are the same operation.
Result<Bytes> AesCtr(ByteView key, ByteView iv, ByteView data);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_CIPHER_H_
