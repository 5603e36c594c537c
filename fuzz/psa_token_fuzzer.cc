// deps: teepnet_attest_cca_psa
// Fuzzes the PSA token parser and appraiser (RFC 9783). Properties: no crash; a parse failure
// is an attest:: reason; claims that decode re-encode to claims that decode to the same
// values; an appraisal against a key that did not sign the token is never affirming.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_token.h"

using namespace teepnet;
using namespace teepnet::attest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PublicKey kOtherKey =
      crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key();
  ByteView input(data, size);
  auto token = ParsePsaToken(input);
  if (!token.ok()) {
    if (token.error().domain() != Domain::kAttest) abort();
    return 0;
  }
  auto again =
      DecodePsaClaims(EncodePsaClaims(token->claims, PsaClaimsKind::kPsa), PsaClaimsKind::kPsa);
  if (!again.ok() || again->nonce != token->claims.nonce ||
      again->sw_components.size() != token->claims.sw_components.size()) {
    abort();
  }
  PsaEndorsements e;
  e.AddTrustAnchor(
      PsaTrustAnchor{token->claims.implementation_id, token->claims.instance_id, kOtherKey});
  auto a = AppraisePsa(input, e, PsaPolicy(), 1800000000);
  if (!a.ok() || a->Overall() != Tier::kContraindicated) abort();
  return 0;
}
