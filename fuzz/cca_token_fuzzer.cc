// deps: teepnet_attest_cca_psa
// Fuzzes the CCA token collection, both token parsers and the appraiser. The platform key is
// the published TF-RMM test CPAK (shared/vectors/attestation/cca), so mutations of the genuine
// seeds reach the realm checks. Properties: no crash; parse failures are attest:: reasons; no
// mutated token is ever affirming (the endorsements carry no reference values, so even the
// genuine token can reach only "warning").
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/cca_token.h"

using namespace teepnet;
using namespace teepnet::attest;

namespace {
constexpr char kTfRmmCpak[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEIShnxS4rlQiwpCCpBWDzlNLfqiG911FP\n"
    "8akBr+fh94uxHU5m+Kijivp2r2oxxN6MhM4tr8mWQli1P61xh3T0ViDREbF26DGO\n"
    "EYfbAjWjGNN7pZf+6A4OTHYqEryz6m7U\n"
    "-----END PUBLIC KEY-----\n";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PublicKey kCpak = *crypto::PublicKey::FromPem(kTfRmmCpak);
  ByteView input(data, size);
  auto token = ParseCcaToken(input);
  if (!token.ok()) {
    if (token.error().domain() != Domain::kAttest) abort();
    return 0;
  }
  (void)RealmPublicKey(token->realm_claims);
  CcaEndorsements e;
  e.AddTrustAnchor(PsaTrustAnchor{token->platform_claims.implementation_id,
                                  token->platform_claims.instance_id, kCpak});
  auto a = AppraiseCca(input, e, CcaPolicy(), 1800000000);
  if (!a.ok() || a->Overall() == Tier::kAffirming) abort();
  return 0;
}
