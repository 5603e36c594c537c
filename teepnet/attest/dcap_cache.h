// Verified-chain cache for DCAP appraisal. A verifier sees the same few PCK chains and one
// collateral set per platform type over and over; re-validating X.509 chains and collateral
// signatures for every quote would cost several times the two ECDSA verifications that are
// unique to each quote. Entries are keyed by everything that decides the outcome
// (the chain bytes, the endorsements' digest, which includes the root pin and CRLs, and the
// evaluation time), so a hit can only return what a fresh verification would. Thread-safe;
// bounded (cleared when full).
#ifndef TEEPNET_ATTEST_DCAP_CACHE_H_
#define TEEPNET_ATTEST_DCAP_CACHE_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/base/bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

// The outcome of steps 4-5 for one PCK chain.
struct VerifiedPckChain {
  bool ok = false;
  std::string why;  // when !ok
  std::optional<crypto::PublicKey> leaf_key;
  std::optional<PckExtension> extension;
  std::string issuer;  // subject of the CA that issued the PCK leaf
};

// The outcome of step 6's signature and chain checks for one endorsement set.
struct VerifiedCollateral {
  bool ok = false;
  std::string why;
  std::optional<TcbInfo> tcb_info;
  std::optional<QeIdentity> qe_identity;
  Bytes tcb_info_sha256;
  Bytes qe_identity_sha256;
};

class DcapVerificationCache {
 public:
  static constexpr size_t kMaxEntries = 1024;

  std::shared_ptr<const VerifiedPckChain> FindPck(const Bytes& key) const;
  void PutPck(const Bytes& key, std::shared_ptr<const VerifiedPckChain> value);
  std::shared_ptr<const VerifiedCollateral> FindCollateral(const Bytes& key) const;
  void PutCollateral(const Bytes& key, std::shared_ptr<const VerifiedCollateral> value);

 private:
  mutable std::mutex mu_;
  std::map<Bytes, std::shared_ptr<const VerifiedPckChain>> pck_;
  std::map<Bytes, std::shared_ptr<const VerifiedCollateral>> collateral_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_CACHE_H_
