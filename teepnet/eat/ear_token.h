// Signed EARs: as a JWT (RFC 7519; compact JWS, RFC 7515 §7.1, ES256/ES384/ES512 with raw
// r||s signatures per RFC 7518 §3.4) and as a CWT (RFC 8392: a COSE_Sign1 over the CBOR claims
// map), and the Relying Party's acceptance check.
#ifndef TEEPNET_EAT_EAR_TOKEN_H_
#define TEEPNET_EAT_EAR_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/ear.h"

namespace teepnet::eat {

// The JWS alg follows the key: P-256 -> ES256, P-384 -> ES384, P-521 -> ES512.
Result<std::string> IssueEarJwt(const Ear& ear, const crypto::PrivateKey& key);
Result<Bytes> IssueEarCwt(const Ear& ear, const crypto::PrivateKey& key);

// Signature check and decode. kBadJws / kUnsupportedAlg / kSignatureInvalid, then claim
// errors. A "jwk" header is never trusted: the key is the caller's.
Result<Ear> VerifyEarJwt(std::string_view jwt, const crypto::PublicKey& key);
Result<Ear> VerifyEarCwt(ByteView cwt, const crypto::PublicKey& key);

struct RelyingPartyPolicy {
  int64_t now = 0;
  int64_t max_age_seconds = 300;  // iat must be in [now - max_age, now + max_skew]
  int64_t max_skew_seconds = 30;
  std::optional<Bytes> nonce;  // eat_nonce must equal it when set
  attest::Tier worst_accepted = attest::Tier::kAffirming;
  std::vector<std::string> profiles = {kEarProfile, kEarLegacyProfile};
};

// Verifies, then applies the policy: kWrongProfile, kStale (iat outside the window, or exp
// passed), kNonceMismatch, kNotAffirming (any submodule's status worse than accepted).
Result<Ear> AcceptEarJwt(std::string_view jwt, const crypto::PublicKey& key,
                         const RelyingPartyPolicy& policy);
Result<Ear> AcceptEarCwt(ByteView cwt, const crypto::PublicKey& key,
                         const RelyingPartyPolicy& policy);
Status CheckEar(const Ear& ear, const RelyingPartyPolicy& policy);

}  // namespace teepnet::eat

#endif  // TEEPNET_EAT_EAR_TOKEN_H_
