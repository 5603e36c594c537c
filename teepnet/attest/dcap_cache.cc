#include "teepnet/attest/dcap_cache.h"

namespace teepnet::attest {

std::shared_ptr<const VerifiedPckChain> DcapVerificationCache::FindPck(const Bytes& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pck_.find(key);
  return it == pck_.end() ? nullptr : it->second;
}

void DcapVerificationCache::PutPck(const Bytes& key,
                                   std::shared_ptr<const VerifiedPckChain> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (pck_.size() >= kMaxEntries) pck_.clear();
  pck_[key] = std::move(value);
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

}  // namespace teepnet::attest
