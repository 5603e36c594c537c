// The Agent's hook for attesting the TAM (digest §6.2 step 2.2: "If a payload came: classify
// it as AR or Evidence (Evidence goes to a Verifier), then validate the AR, checking that cnf
// equals the hash of the TAM key"). AgentCore calls it when AgentConfig::
// require_tam_attestation is set and a QueryRequest carries an attestation-payload; the
// freshness check (eat_nonce = a challenge this Agent issued) stays in the core.
#ifndef TEEPNET_AGENT_TAM_ATTESTATION_VERIFIER_H_
#define TEEPNET_AGENT_TAM_ATTESTATION_VERIFIER_H_

#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::agent {

// Views borrow the QueryRequest being processed; valid only during the call.
struct TamAttestationInput {
  ByteView payload;                        // the QueryRequest's attestation-payload
  std::optional<std::string_view> format;  // attestation-payload-format; absent = AR in the
                                           // TEEP EAT profile (digest §4.1)
  // The TAM key that verified the QueryRequest: an AR's `cnf` must name it (digest §4.3 step
  // 2, "checking that cnf equals the hash of the TAM key"). Checking it is the verifier's job.
  const crypto::PublicKey* tam_key = nullptr;
};

struct TamAttestationVerdict {
  bool affirming = false;
  // The eat_nonce of the verified claims. The core accepts the payload only when it equals a
  // challenge the Agent sent this TAM in an ERR_ATTESTATION_REQUIRED Error.
  std::optional<Bytes> eat_nonce;
  std::string reason;  // the verifier's status, or why the payload was refused
};

class TamAttestationVerifier {
 public:
  virtual ~TamAttestationVerifier() = default;
  // A refused payload is a verdict with affirming = false, not an error. An error means the
  // verification could not run (a remote Verifier unreachable): the Agent then answers
  // ERR_TEMPORARY_ERROR.
  virtual Result<TamAttestationVerdict> Verify(const TamAttestationInput& input) = 0;
};

}  // namespace teepnet::agent

#endif  // TEEPNET_AGENT_TAM_ATTESTATION_VERIFIER_H_
