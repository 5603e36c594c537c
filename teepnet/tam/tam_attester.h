// The TAM's hook for attesting itself to an Agent (digest §6.1: on "ERR_ATTESTATION_REQUIRED
// from the Agent: the TAM MUST send a new QueryRequest with its own attestation-payload. Use
// the challenge from the Error for eat_nonce"). TamCore calls it when an Agent answers a
// QueryRequest with that Error.
#ifndef TEEPNET_TAM_TAM_ATTESTER_H_
#define TEEPNET_TAM_TAM_ATTESTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::tam {

// Views borrow the Error being processed; valid only during the call.
struct TamAttestationRequest {
  std::optional<ByteView> challenge;  // the Error's challenge: copy into eat_nonce
  // The Agent's supported-freshness-mechanisms (empty: nonce only).
  const std::vector<uint64_t>* freshness_mechanisms = nullptr;
  ByteView device_id;  // the Agent asking (RFC 9679 thumbprint of its key)
  // The TAM key that signs the new QueryRequest: the EAT's cnf names it (digest §4.3).
  const crypto::PublicKey* tam_key = nullptr;
};

struct TamAttestation {
  Bytes payload;
  // Media type; absent only for an AR in the TEEP EAT profile. Evidence must always be
  // labelled (digest §8 pitfall 6).
  std::optional<std::string> format;
};

class TamAttester {
 public:
  virtual ~TamAttester() = default;
  virtual Result<TamAttestation> Attest(const TamAttestationRequest& request) = 0;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_TAM_ATTESTER_H_
