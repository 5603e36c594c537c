// The Agent's EvidenceProvider (agent/evidence_provider.h) backed by an attest::Platform: on a
// QueryRequest with the attestation bit it builds the TEEP Evidence of teep_evidence.h — the
// challenge as eat_nonce, the Agent's identity claims, the installed TCs as manifests, the
// Agent TEEP key as cnf, its HPKE public key(s) and, with a keyring, one identity per installed
// TC (teepnet_instances) — and has the platform bind them.
// Runs inside the Agent (the TEE side): the Broker never sees the platform.
#ifndef TEEPNET_EVIDENCE_AGENT_EVIDENCE_H_
#define TEEPNET_EVIDENCE_AGENT_EVIDENCE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/agent/evidence_provider.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/attest/appraisal.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/evidence/teep_evidence.h"

namespace teepnet::evidence {

struct AgentIdentity {
  Bytes oemid;  // 16 bytes (RFC 9711 §4.2.3 random OEM id) or a 3-byte OUI
  Bytes hwmodel;
  std::string hwversion;
};

class PlatformEvidenceProvider final : public agent::EvidenceProvider {
 public:
  // All references must outlive the provider. `hpke_keys`: the X25519 public keys whose
  // private halves this Agent holds. `instances` (optional): where the TA instance identities
  // live; each installed TC gets one (Ensure with the TC's first component) when evidence is
  // built, so an identity exists from the first evidence after the install.
  PlatformEvidenceProvider(attest::Platform& platform, const agent::TcStore& store,
                           const crypto::PrivateKey& agent_key,
                           std::vector<crypto::PublicKey> hpke_keys, AgentIdentity identity,
                           InstanceKeyring* instances = nullptr);

  // What the Agent offers to run (teepnet_capacity); without it the evidence claims none.
  // CheckCapacityClaim must accept it. Set before the first Collect.
  void SetCapacity(CapacityClaim capacity) { capacity_ = std::move(capacity); }

  // kFailedPrecondition without a challenge: only the nonce freshness mechanism is offered.
  Result<agent::Evidence> Collect(const agent::EvidenceRequest& request) override;

  // The bound claims for `nonce` (exposed for tests).
  Result<BoundClaims> ClaimsFor(ByteView nonce) const;

 private:
  Result<std::vector<InstanceClaim>> InstanceClaims() const;

  attest::Platform& platform_;
  const agent::TcStore& store_;
  const crypto::PrivateKey& agent_key_;
  std::vector<crypto::PublicKey> hpke_keys_;
  AgentIdentity identity_;
  InstanceKeyring* instances_;
  std::optional<CapacityClaim> capacity_;
  // Instance name -> the manifest digest its identity was last measured under. The manifest
  // commits to the component's digest, so while it is unchanged the component need not be
  // read and hashed again for every evidence (MiBs per TA, every QueryResponse).
  mutable std::map<std::string, Bytes, std::less<>> measured_under_;
};

}  // namespace teepnet::evidence

#endif  // TEEPNET_EVIDENCE_AGENT_EVIDENCE_H_
