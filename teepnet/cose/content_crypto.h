// The content-layer primitives shared by the single- and multi-recipient messages: MAC tags
// (RFC 9053 §3.1), AEAD and AES-CTR content encryption (RFC 9053 §4, RFC 9459) and the IV
// rules of RFC 9052 §3.1.
#ifndef TEEPNET_COSE_CONTENT_CRYPTO_H_
#define TEEPNET_COSE_CONTENT_CRYPTO_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/headers.h"

namespace teepnet::cose {

// Refuses an algorithm that is not a MAC, not implemented, or a key of the wrong size.
Status CheckMacAlgorithm(const AlgorithmInfo& info, size_t key_size);
Result<Bytes> ComputeMacTag(const AlgorithmInfo& info, ByteView key, ByteView mac_structure);
// Compares in constant time; kTagInvalid on any mismatch (including a wrong tag length).
Status VerifyMacTag(const AlgorithmInfo& info, ByteView key, ByteView mac_structure, ByteView tag);

// True for the algorithms that can protect content (AEADs and AES-CTR).
bool IsContentEncryption(const AlgorithmInfo& info);
Status CheckContentAlgorithm(const AlgorithmInfo& info, size_t key_size);

// The IV of a layer: the IV header (5), or the Partial IV (6) left-padded to the context IV's
// length and XORed into it (RFC 9052 §3.1). kBadIv if both are present or the lengths do not
// fit; kMissingIv if neither is (or a Partial IV comes without a context IV).
Result<Bytes> ResolveIv(const Headers& headers, ByteView context_iv);

// AEAD open with aad = Enc_structure; AES-CTR ignores aad (RFC 9459 §4: protected must be
// empty, checked by the caller). Any failure is kDecryptFailed.
Result<SecretBytes> DecryptContent(const AlgorithmInfo& info, ByteView key, ByteView iv,
                                   ByteView aad, ByteView ciphertext);
Result<Bytes> EncryptContent(const AlgorithmInfo& info, ByteView key, ByteView iv, ByteView aad,
                             ByteView plaintext);
// Nonce size to generate for a fresh IV (12 for the AEADs, 16 for AES-CTR).
size_t ContentIvSize(const AlgorithmInfo& info);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_CONTENT_CRYPTO_H_
