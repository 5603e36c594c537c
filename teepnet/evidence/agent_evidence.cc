#include "teepnet/evidence/agent_evidence.h"

#include <utility>

#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"

namespace teepnet::evidence {

PlatformEvidenceProvider::PlatformEvidenceProvider(
    attest::Platform& platform, const agent::TcStore& store, const crypto::PrivateKey& agent_key,
    std::vector<crypto::PublicKey> hpke_keys, AgentIdentity identity, InstanceKeyring* instances)
    : platform_(platform),
      store_(store),
      agent_key_(agent_key),
      hpke_keys_(std::move(hpke_keys)),
      identity_(std::move(identity)),
      instances_(instances) {}

// USE-CASES "TA instances": every installed TC gets an identity the first time evidence is
// built after its install, named after the first component of its manifest and measured over
// that component's bytes. A manifest whose component holds no bytes (a dependency-only
// manifest) has nothing to run, so no instance.
Result<std::vector<InstanceClaim>> PlatformEvidenceProvider::InstanceClaims() const {
  std::vector<InstanceClaim> out;
  for (const suit::ManifestRecord& m : store_.ListManifests()) {
    // The store keeps only envelopes the Agent authenticated before installing them.
    TEEPNET_ASSIGN_OR_RETURN(suit::ComponentId id, FirstComponentOfEnvelope(m.envelope));
    // The Agent checked the component against the manifest's image digest when it installed
    // it, and checks the measurement again when it starts the instance (delivery.cc).
    const InstanceIdentity* identity = nullptr;
    if (auto known = measured_under_.find(InstanceNameOf(id));
        known != measured_under_.end() && !m.digest.empty() && known->second == m.digest) {
      identity = instances_->Find(known->first);
    }
    if (identity == nullptr) {
      std::optional<Bytes> image = store_.ReadComponent(id);
      if (!image) continue;
      TEEPNET_ASSIGN_OR_RETURN(identity, instances_->Ensure(id, *image));
      measured_under_[identity->name] = m.digest;
    }
    out.push_back(InstanceClaim{
        identity->name, identity->measurement,
        cose::CoseKey::FromPublicKey(identity->hpke.public_key()).Encode(/*include_private=*/false),
        cose::CoseKey::FromPublicKey(identity->proof.public_key())
            .Encode(/*include_private=*/false)});
  }
  return out;
}

Result<BoundClaims> PlatformEvidenceProvider::ClaimsFor(ByteView nonce) const {
  BoundClaims c;
  c.nonce = ToBytes(nonce);
  TEEPNET_ASSIGN_OR_RETURN(c.cnf_kid, KeyThumbprint(agent_key_.public_key()));
  // RFC 9711 §4.2.1.1: type 0x01 RAND followed by 16, 24 or 32 random bytes. The thumbprint of
  // the (randomly generated) Agent key is 32 such bytes and stays stable across restarts.
  c.ueid = Bytes{0x01};
  c.ueid.insert(c.ueid.end(), c.cnf_kid.begin(), c.cnf_kid.end());
  c.oemid = identity_.oemid;
  c.hwmodel = identity_.hwmodel;
  c.hwversion = identity_.hwversion;
  for (const suit::ManifestRecord& m : store_.ListManifests()) {
    if (m.digest.empty()) continue;  // SUIT_Reference needs the digest
    // TEEP EAT profile: "manifests bodies are SUIT_Reference". No fetch URI is kept for an
    // installed manifest, so the uri names it by its manifest-component-id.
    c.manifests.push_back(ManifestRef{"urn:teepnet:tc:" + ToHex(m.manifest_id.Encode()), m.digest});
  }
  for (const crypto::PublicKey& key : hpke_keys_) {
    c.hpke_keys.push_back(cose::CoseKey::FromPublicKey(key).Encode(/*include_private=*/false));
  }
  if (instances_ != nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(c.instances, InstanceClaims());
  }
  c.capacity = capacity_;
  return c;
}

Result<agent::Evidence> PlatformEvidenceProvider::Collect(const agent::EvidenceRequest& request) {
  // digest §"QueryRequest": with EAT and the nonce mechanism the Agent copies the challenge into
  // eat_nonce; without a challenge there is nothing to make the evidence fresh.
  if (!request.challenge) {
    return Error(Code::kFailedPrecondition, "attestation requested without a challenge");
  }
  TEEPNET_ASSIGN_OR_RETURN(BoundClaims claims, ClaimsFor(*request.challenge));
  TEEPNET_ASSIGN_OR_RETURN(Bytes eat, BuildTeepEvidence(claims, platform_, agent_key_));
  return agent::Evidence{std::move(eat), std::string(kTeepEvidenceMediaType)};
}

}  // namespace teepnet::evidence
