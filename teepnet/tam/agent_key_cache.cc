#include "teepnet/tam/agent_key_cache.h"

#include "teepnet/cose/cose_key.h"

namespace teepnet::tam {

Result<crypto::PublicKey> AgentKeyCache::Get(ByteView cose_key) {
  std::string id(reinterpret_cast<const char*>(cose_key.data()), cose_key.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(id);
    if (it != keys_.end()) return it->second;
  }
  // Parsed outside the lock: two threads may both parse a new key; the second insert is a no-op.
  TEEPNET_ASSIGN_OR_RETURN(cose::CoseKey decoded, cose::CoseKey::DecodePublic(cose_key));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey key, decoded.ToPublicKey());
  std::lock_guard<std::mutex> lock(mu_);
  if (keys_.size() >= kMaxAgentKeyCacheEntries) keys_.clear();
  keys_.emplace(std::move(id), key);
  return key;
}

size_t AgentKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

}  // namespace teepnet::tam
