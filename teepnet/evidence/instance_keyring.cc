#include "teepnet/evidence/instance_keyring.h"

#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/manifest.h"

namespace teepnet::evidence {

std::string InstanceNameOf(const suit::ComponentId& id) {
  // ComponentId::Encode writes definite lengths and preferred heads: the deterministic
  // encoding (RFC 8949 §4.2.1) of `[* bstr]`, so every party computes the same name.
  return kInstanceNamePrefix + ToHex(id.Encode());
}

Result<suit::ComponentId> FirstComponentOfEnvelope(ByteView suit_envelope) {
  TEEPNET_ASSIGN_OR_RETURN(suit::Envelope envelope, suit::DecodeEnvelope(suit_envelope));
  TEEPNET_ASSIGN_OR_RETURN(suit::Manifest manifest, suit::DecodeManifest(envelope.manifest));
  if (manifest.common.components.empty()) {
    return Error(Code::kInvalidArgument, "the manifest lists no component");
  }
  return manifest.common.components.front();
}

Result<std::string> InstanceNameOfEnvelope(ByteView suit_envelope) {
  TEEPNET_ASSIGN_OR_RETURN(suit::ComponentId id, FirstComponentOfEnvelope(suit_envelope));
  return InstanceNameOf(id);
}

Bytes MeasureImage(ByteView image) {
  return crypto::Sha256(image);
}

Result<const InstanceIdentity*> InMemoryInstanceKeyring::Ensure(const suit::ComponentId& id,
                                                                ByteView image) {
  std::string name = InstanceNameOf(id);
  Bytes measurement = MeasureImage(image);
  auto it = identities_.find(name);
  if (it != identities_.end() && it->second->measurement == measurement) return it->second.get();
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey hpke,
                           crypto::PrivateKey::Generate(crypto::KeyType::kX25519));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey proof,
                           crypto::PrivateKey::Generate(crypto::KeyType::kEd25519));
  auto identity = std::make_unique<InstanceIdentity>(
      InstanceIdentity{name, std::move(measurement), std::move(hpke), std::move(proof)});
  const InstanceIdentity* out = identity.get();
  identities_[name] = std::move(identity);
  return out;
}

const InstanceIdentity* InMemoryInstanceKeyring::Find(std::string_view name) const {
  auto it = identities_.find(name);
  return it == identities_.end() ? nullptr : it->second.get();
}

}  // namespace teepnet::evidence
