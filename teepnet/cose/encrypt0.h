// COSE_Encrypt0 (RFC 9052 §5.2) with a key known to the recipient: AEAD (AES-GCM,
// ChaCha20/Poly1305) or AES-CTR (RFC 9459), IV or Partial IV + context IV.
// COSE-HPKE integrated encryption over the same message type is in hpke_cose.h.
//
// WARNING: a decoded message borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_COSE_ENCRYPT0_H_
#define TEEPNET_COSE_ENCRYPT0_H_

#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/header_map.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/message.h"

namespace teepnet::cose {

struct DecryptOptions {
  ByteView external_aad;
  // Context IV (the key's Base IV, COSE_Key label 5) for messages with a Partial IV.
  ByteView context_iv;
  // The ciphertext when the message carries nil (detached ciphertext, RFC 9052 §5.2).
  std::optional<ByteView> detached_ciphertext;
};

class Encrypt0Message {
 public:
  static Result<Encrypt0Message> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                        const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  const AlgorithmInfo& algorithm() const { return *alg_; }
  std::optional<ByteView> ciphertext() const { return ciphertext_; }

  // Decrypts with aad = Enc_structure ["Encrypt0", protected as received, external_aad].
  // kDecryptFailed for any authentication failure.
  Result<SecretBytes> Decrypt(ByteView key, const DecryptOptions& options = {}) const;

 private:
  Encrypt0Message() = default;
  Headers headers_;
  const AlgorithmInfo* alg_ = nullptr;
  std::optional<ByteView> ciphertext_;
};

struct Encrypt0Options {
  Algorithm alg = Algorithm::kA128GCM;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;  // the generated IV is added here
  ByteView external_aad;
  bool tagged = true;
};

// Draws the IV from `random` (ContentIvSize bytes), then encrypts.
Result<Bytes> CreateEncrypt0(ByteView key, ByteView plaintext, const Encrypt0Options& options,
                             Random& random);

// Helpers shared with COSE_Encrypt.
Result<ByteView> CiphertextFor(const std::optional<ByteView>& carried,
                               const DecryptOptions& options);
// RFC 9459 §4: AES-CTR layers must have an empty protected bucket.
Status CheckCtrProtected(const AlgorithmInfo& info, const Headers& headers);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_ENCRYPT0_H_
