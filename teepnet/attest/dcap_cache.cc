#include "teepnet/attest/dcap_cache.h"

#include <algorithm>
#include <cstring>

#include "teepnet/attest/errc.h"

namespace teepnet::attest {

namespace {

int Compare(ByteView a, ByteView b) {
  const size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool Less(const PckChainKey& a, const PckChainKey& b) {
  if (int c = Compare(a.cert_data, b.cert_data); c != 0) return c < 0;
  if (int c = Compare(a.endorsements_digest, b.endorsements_digest); c != 0) return c < 0;
  return a.at_and_flags < b.at_and_flags;
}

}  // namespace

bool DcapVerificationCache::PckKeyLess::operator()(const StoredPckKey& a,
                                                   const StoredPckKey& b) const {
  return Less({a.cert_data, a.endorsements_digest, a.at_and_flags},
              {b.cert_data, b.endorsements_digest, b.at_and_flags});
}
bool DcapVerificationCache::PckKeyLess::operator()(const StoredPckKey& a,
                                                   const PckChainKey& b) const {
  return Less({a.cert_data, a.endorsements_digest, a.at_and_flags}, b);
}
bool DcapVerificationCache::PckKeyLess::operator()(const PckChainKey& a,
                                                   const StoredPckKey& b) const {
  return Less(a, {b.cert_data, b.endorsements_digest, b.at_and_flags});
}

std::shared_ptr<const VerifiedPckChain> DcapVerificationCache::FindPck(
    const PckChainKey& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pck_.find(key);
  return it == pck_.end() ? nullptr : it->second;
}

void DcapVerificationCache::PutPck(const PckChainKey& key,
                                   std::shared_ptr<const VerifiedPckChain> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (pck_.size() >= kMaxEntries) pck_.clear();
  pck_.insert_or_assign(
      StoredPckKey{ToBytes(key.cert_data), ToBytes(key.endorsements_digest), key.at_and_flags},
      std::move(value));
}

std::shared_ptr<const VerifiedCollateral> DcapVerificationCache::FindCollateral(
    const Bytes& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = collateral_.find(key);
  return it == collateral_.end() ? nullptr : it->second;
}

void DcapVerificationCache::PutCollateral(const Bytes& key,
                                          std::shared_ptr<const VerifiedCollateral> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (collateral_.size() >= kMaxEntries) collateral_.clear();
  collateral_[key] = std::move(value);
}

Result<crypto::PublicKey> DcapVerificationCache::AttestationKey(ByteView x_y) {
  if (x_y.size() != kAttestationKeySize) {
    return Error(Errc::kDcapUnsupportedKeyType, "attestation key is not 64 bytes (P-256 X || Y)");
  }
  RawKey raw;
  std::copy(x_y.begin(), x_y.end(), raw.begin());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = attestation_keys_.find(raw);
    if (it != attestation_keys_.end()) return it->second;
  }
  TEEPNET_ASSIGN_OR_RETURN(
      crypto::PublicKey key,
      crypto::PublicKey::FromCoordinates(crypto::KeyType::kP256, x_y.first(32), x_y.last(32)));
  std::lock_guard<std::mutex> lock(mu_);
  if (attestation_keys_.size() >= kMaxEntries) attestation_keys_.clear();
  attestation_keys_.insert_or_assign(raw, key);
  return key;
}

}  // namespace teepnet::attest
