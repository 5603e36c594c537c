// COSE_Sign1 (RFC 9052 §4.2): decode, verify (attached or detached payload, external_aad)
// and create.
//
//   TEEPNET_ASSIGN_OR_RETURN(auto msg, cose::Sign1Message::Decode(bytes));
//   TEEPNET_ASSIGN_OR_RETURN(ByteView payload, msg.Verify(public_key));
//
// WARNING: a decoded message borrows `input`; the input must outlive the message and every
// view it returns (headers' protected bytes, payload, signature).
#ifndef TEEPNET_COSE_SIGN1_H_
#define TEEPNET_COSE_SIGN1_H_

#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/header_map.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/message.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

class Sign1Message {
 public:
  // Well-formedness and the RFC 9052 §3 header rules; alg presence and protection (per
  // `policy`) too, so a decoded message always names a known algorithm.
  static Result<Sign1Message> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                     const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  const AlgorithmInfo& algorithm() const { return *alg_; }
  // nullopt when the payload is detached (nil).
  std::optional<ByteView> payload() const { return payload_; }
  ByteView signature() const { return signature_; }

  // Verifies over the Sig_structure built from the received protected bytes and returns the
  // payload. kMissingPayload if the payload is detached.
  Result<ByteView> Verify(const crypto::PublicKey& key, ByteView external_aad = {}) const;
  // For a detached payload (RFC 9052 §2: payload nil, "transported separately").
  // kMissingPayload if the message carries its own payload.
  Result<ByteView> VerifyDetached(const crypto::PublicKey& key, ByteView detached_payload,
                                  ByteView external_aad = {}) const;

 private:
  Sign1Message() = default;
  Headers headers_;
  const AlgorithmInfo* alg_ = nullptr;
  std::optional<ByteView> payload_;
  ByteView signature_;
};

struct Sign1Options {
  Algorithm alg = Algorithm::kESP256;
  HeaderMap protected_headers;    // alg is added here
  HeaderMap unprotected_headers;  // e.g. kid
  ByteView external_aad;
  bool detached = false;  // payload sent as nil
  bool tagged = true;
};

Result<Bytes> CreateSign1(const crypto::PrivateKey& key, ByteView payload,
                          const Sign1Options& options);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_SIGN1_H_
