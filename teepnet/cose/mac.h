// COSE_Mac (RFC 9052 §6.1): a MAC under a key that recipients recover (recipient.h).
//
// WARNING: a decoded message borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_COSE_MAC_H_
#define TEEPNET_COSE_MAC_H_

#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/headers.h"
#include "teepnet/cose/message.h"
#include "teepnet/cose/recipient.h"

namespace teepnet::cose {

class MacMessage {
 public:
  static Result<MacMessage> Decode(ByteView input, Tagging tagging = Tagging::kOptional,
                                   const HeaderPolicy& policy = HeaderPolicy());

  const Headers& headers() const { return headers_; }
  const AlgorithmInfo& algorithm() const { return *alg_; }
  std::optional<ByteView> payload() const { return payload_; }
  ByteView tag() const { return tag_; }
  const std::vector<Recipient>& recipients() const { return recipients_; }

  // Recovers the MAC key through a recipient, checks the tag over
  // ["MAC", protected as received, external_aad, payload], returns the payload.
  Result<ByteView> Verify(const RecipientKey& key, ByteView external_aad = {}) const;
  Result<ByteView> VerifyWithKey(ByteView mac_key, ByteView external_aad = {}) const;

 private:
  MacMessage() = default;
  Headers headers_;
  const AlgorithmInfo* alg_ = nullptr;
  std::optional<ByteView> payload_;
  ByteView tag_;
  std::vector<Recipient> recipients_;
};

struct MacOptions {
  Algorithm alg = Algorithm::kHmac256_256;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;
  ByteView external_aad;
  bool tagged = true;
};

// Random draws: the MAC key (unless a direct method derives it), then recipient material.
Result<Bytes> CreateMac(ByteView payload, const MacOptions& options,
                        const std::vector<RecipientSpec>& recipients, Random& random);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_MAC_H_
