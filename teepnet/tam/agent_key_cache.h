// AgentKeyCache: enrolled Agent keys (COSE_Key bytes as the store holds them) parsed once.
//
// Every Agent message the TAM receives is verified with the device's enrolled key. Decoding the
// COSE_Key and importing the point into a crypto::PublicKey (which validates it is on the
// curve) per message cost more than the signature check's own overhead, and a fresh key object
// also defeats crypto::Verify's per-thread context for the last key. The cache is keyed by the
// exact encoded bytes, so a device re-enrolled with another key misses and gets the new one;
// an entry never outlives a change of the bytes it was parsed from.
//
// Thread-safe. Bounded: when kMaxAgentKeyCacheEntries keys are held, the cache is emptied
// before the next insert (cheap, and a working set that large re-parses at the old cost).
#ifndef TEEPNET_TAM_AGENT_KEY_CACHE_H_
#define TEEPNET_TAM_AGENT_KEY_CACHE_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::tam {

inline constexpr size_t kMaxAgentKeyCacheEntries = 4096;

class AgentKeyCache {
 public:
  // The public key of an encoded COSE_Key (cose::CoseKey::DecodePublic, then ToPublicKey);
  // errors from either are returned and nothing is cached for them.
  Result<crypto::PublicKey> Get(ByteView cose_key);

  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, crypto::PublicKey> keys_;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_AGENT_KEY_CACHE_H_
