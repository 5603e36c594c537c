// The attestation hook of the Agent (draft §"QueryRequest Message" processing: "the TEEP
// Agent ... includes Evidence in the attestation-payload"). Attestation proper arrives in a
// later issue; AgentCore calls this when a QueryRequest sets the attestation bit.
#ifndef TEEPNET_AGENT_EVIDENCE_PROVIDER_H_
#define TEEPNET_AGENT_EVIDENCE_PROVIDER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::agent {

// Views borrow the QueryRequest being processed; valid only during the call.
struct EvidenceRequest {
  std::optional<ByteView> challenge;  // copy into eat_nonce (nonce freshness)
  std::optional<ByteView> token;      // the QueryRequest token
  uint64_t freshness_mechanism = 0;   // the negotiated mechanism (0 nonce, 1 timestamp)
  // The Agent's TEEP key: the EAT's cnf names it (digest §4.3).
  const crypto::PublicKey* agent_key = nullptr;
};

struct Evidence {
  Bytes payload;
  // Media type; absent only for an AR in the TEEP EAT profile. Evidence must always be
  // labelled (digest §8 pitfall 6).
  std::optional<std::string> format;
};

class EvidenceProvider {
 public:
  virtual ~EvidenceProvider() = default;
  virtual Result<Evidence> Collect(const EvidenceRequest& request) = 0;
};

}  // namespace teepnet::agent

#endif  // TEEPNET_AGENT_EVIDENCE_PROVIDER_H_
