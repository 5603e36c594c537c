// COSE_Mac0 (RFC 9052 §6.2): decode, verify (tag compared in constant time) and create.
//
// WARNING: a decoded message borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_COSE_MAC0_H_
#define TEEPNET_COSE_MAC0_H_

#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/header_map.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/message.h"

namespace teepnet::cose {

class Mac0Message {
 public:
  static Result<Mac0Message> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                    const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  const AlgorithmInfo& algorithm() const { return *alg_; }
  std::optional<ByteView> payload() const { return payload_; }
  ByteView tag() const { return tag_; }

  // Verifies the tag over MAC_structure ["MAC0", protected as received, external_aad,
  // payload] and returns the payload. kTagInvalid on mismatch.
  Result<ByteView> Verify(ByteView key, ByteView external_aad = {}) const;
  Result<ByteView> VerifyDetached(ByteView key, ByteView detached_payload,
                                  ByteView external_aad = {}) const;

 private:
  Mac0Message() = default;
  Headers headers_;
  const AlgorithmInfo* alg_ = nullptr;
  std::optional<ByteView> payload_;
  ByteView tag_;
};

struct Mac0Options {
  Algorithm alg = Algorithm::kHmac256_256;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;
  ByteView external_aad;
  bool detached = false;
  bool tagged = true;
};

Result<Bytes> CreateMac0(ByteView key, ByteView payload, const Mac0Options& options);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_MAC0_H_
