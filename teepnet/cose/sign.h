// COSE_Sign (RFC 9052 §4.1): one payload, several signers. Verify one chosen signer or
// require all of them.
//
// WARNING: a decoded message borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_COSE_SIGN_H_
#define TEEPNET_COSE_SIGN_H_

#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/message.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

struct Signer {
  Headers headers;
  const AlgorithmInfo* alg = nullptr;
  ByteView signature;
};

class SignMessage {
 public:
  static Result<SignMessage> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                    const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  std::optional<ByteView> payload() const { return payload_; }
  const std::vector<Signer>& signers() const { return signers_; }

  // Verifies signer `index` over ["Signature", body_protected, sign_protected, external_aad,
  // payload]; kNoSuchSigner for a bad index. Returns the payload.
  Result<ByteView> VerifySigner(size_t index, const crypto::PublicKey& key,
                                ByteView external_aad = {},
                                std::optional<ByteView> detached_payload = std::nullopt) const;
  // Every signer must verify with the key at the same position in `keys`.
  Result<ByteView> VerifyAll(const std::vector<crypto::PublicKey>& keys,
                             ByteView external_aad = {}) const;

 private:
  SignMessage() = default;
  Headers headers_;
  std::optional<ByteView> payload_;
  std::vector<Signer> signers_;
};

struct SignerSpec {
  const crypto::PrivateKey* key = nullptr;
  Algorithm alg = Algorithm::kESP256;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;
};

struct SignOptions {
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;
  ByteView external_aad;
  bool detached = false;
  bool tagged = true;
};

Result<Bytes> CreateSign(ByteView payload, const SignOptions& options,
                         const std::vector<SignerSpec>& signers);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_SIGN_H_
