// Payload decryption for draft-ietf-suit-firmware-encryption-24: parameter encryption-info
// holds a COSE_Encrypt (tag 96) whose ciphertext is detached (nil); the ciphertext is the
// parameter-content (write) or the fetched / copied payload. Recipients: AES-KW (A128KW ...),
// ECDH-ES+A128KW (with the SUIT COSE_KDF_Context, SuppPubInfo.other = bstr
// "SUIT Payload Encryption", §6.2.2), and COSE-HPKE key encryption (HPKE-x-KE, a project
// extension: the draft defines no HPKE variant). Content: A128CTR/A256CTR and AES-GCM.
#ifndef TEEPNET_SUIT_ENCRYPTION_H_
#define TEEPNET_SUIT_ENCRYPTION_H_

#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::suit {

// The keys a recipient device holds for payload decryption.
struct PayloadKeys {
  std::vector<SecretBytes> key_wrap_keys;        // AES-KW KEKs
  std::vector<crypto::PrivateKey> private_keys;  // ECDH-ES / HPKE recipient keys
};

// firmware-encryption-24 §6.2.2: the `other` field of SuppPubInfo for payload encryption.
inline constexpr std::string_view kSuitPayloadKdfOther = "SUIT Payload Encryption";

// Opens `ciphertext` with `encryption_info` (the contents of the parameter's bstr: a
// COSE_Encrypt, tag 96). kMalformed when it is not a COSE_Encrypt with nil ciphertext;
// kDecryptionFailed when no key opens any recipient or the content fails to decrypt.
Result<SecretBytes> DecryptPayload(ByteView encryption_info, ByteView ciphertext,
                                   const PayloadKeys& keys);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_ENCRYPTION_H_
