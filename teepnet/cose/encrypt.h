// COSE_Encrypt (RFC 9052 §5.1): content encrypted under a CEK that one or more recipients
// recover (recipient.h lists the methods).
//
// WARNING: a decoded message borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_COSE_ENCRYPT_H_
#define TEEPNET_COSE_ENCRYPT_H_

#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/recipient.h"

namespace teepnet::cose {

class EncryptMessage {
 public:
  static Result<EncryptMessage> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                       const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  const AlgorithmInfo& algorithm() const { return *alg_; }
  std::optional<ByteView> ciphertext() const { return ciphertext_; }
  const std::vector<Recipient>& recipients() const { return recipients_; }

  // Recovers the CEK through the first recipient `key` opens, then decrypts with
  // aad = Enc_structure ["Encrypt", protected as received, external_aad].
  Result<SecretBytes> Decrypt(const RecipientKey& key, const DecryptOptions& options = {}) const;
  // Decrypts with a CEK the caller already has (tests, multi-layer processing).
  Result<SecretBytes> DecryptWithCek(ByteView cek, const DecryptOptions& options = {}) const;

 private:
  EncryptMessage() = default;
  Headers headers_;
  const AlgorithmInfo* alg_ = nullptr;
  std::optional<ByteView> ciphertext_;
  std::vector<Recipient> recipients_;
};

struct EncryptOptions {
  Algorithm alg = Algorithm::kA128GCM;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;  // the IV is added here
  ByteView external_aad;
  bool tagged = true;
};

// Random draws, in order: for a direct method, the recipient's ephemeral key, then the IV;
// otherwise the CEK, the IV, then each recipient's ephemeral material.
Result<Bytes> CreateEncrypt(ByteView plaintext, const EncryptOptions& options,
                            const std::vector<RecipientSpec>& recipients, Random& random);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_ENCRYPT_H_
