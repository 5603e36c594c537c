#include "teepnet/suit/encryption.h"

#include <optional>

#include "teepnet/cose/encrypt.h"
#include "teepnet/cose/errc.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {
namespace {

cose::RecipientKey SuitRecipientKey() {
  cose::RecipientKey key;
  // firmware-encryption-24 §6.2.2: "other" is the bstr "SUIT Payload Encryption" (a tstr
  // makes the key unwrap fail, checked against the draft's examples).
  key.kdf.supp_pub_other = ToBytes(kSuitPayloadKdfOther);
  return key;
}

// Keeps the most telling failure: a key of the wrong kind for the recipient says less than
// a key of the right kind that failed to unwrap.
void Remember(std::optional<Error>& last, Error e) {
  if (!last || !e.Is(cose::Errc::kWrongKeyType)) last = std::move(e);
}

}  // namespace

Result<SecretBytes> DecryptPayload(ByteView encryption_info, ByteView ciphertext,
                                   const PayloadKeys& keys) {
  // firmware-encryption-24 §5: SUIT_Encryption_Info = COSE_Encrypt_Tagged (tag 96). The
  // content layer of an AES-CTR message carries alg unprotected (RFC 9459 §4 requires an
  // empty protected bucket); cose/ enforces that, and AEAD content keeps alg protected.
  auto message = cose::EncryptMessage::Decode(encryption_info, cose::Tagging::kRequired);
  if (!message.ok()) {
    return Error(Errc::kMalformed, "suit-parameter-encryption-info: " + message.error().ToString());
  }
  // §5: "the ciphertext ... MUST be detached"; the payload travels separately.
  if (message->ciphertext().has_value()) {
    return Error(Errc::kMalformed, "suit-parameter-encryption-info must have nil ciphertext");
  }
  cose::DecryptOptions options;
  options.detached_ciphertext = ciphertext;
  std::optional<Error> last;
  for (const SecretBytes& kek : keys.key_wrap_keys) {
    cose::RecipientKey key = SuitRecipientKey();
    key.secret = kek.Clone();
    auto plaintext = message->Decrypt(key, options);
    if (plaintext.ok()) return plaintext;
    Remember(last, std::move(plaintext).TakeError());
  }
  for (const crypto::PrivateKey& private_key : keys.private_keys) {
    cose::RecipientKey key = SuitRecipientKey();
    key.private_key = private_key;
    auto plaintext = message->Decrypt(key, options);
    if (plaintext.ok()) return plaintext;
    Remember(last, std::move(plaintext).TakeError());
  }
  return Error(Errc::kDecryptionFailed,
               last ? "no key opens the payload: " + last->ToString() : "no payload keys");
}

}  // namespace teepnet::suit
