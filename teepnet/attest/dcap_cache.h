// Verified-chain cache for DCAP appraisal. A verifier sees the same few PCK chains and one
// collateral set per platform type over and over; re-validating X.509 chains and collateral
// signatures for every quote would cost several times the two ECDSA verifications that are
// unique to each quote. Entries are keyed by everything that decides the outcome
// (the chain bytes, the endorsements' digest, which includes the root pin and CRLs, and the
// evaluation time), so a hit can only return what a fresh verification would. Thread-safe;
// bounded (cleared when full).
//
// It also keeps attestation keys as imported from quotes, keyed by their exact 64 bytes: a
// platform's QE signs every quote with the same key, and importing and validating the point
// (with a fresh OpenSSL key and verify context) cost a sixth of the two verifications. What a
// quote's key is trusted for is still decided per quote (QE report binding, step 3).
#ifndef TEEPNET_ATTEST_DCAP_CACHE_H_
#define TEEPNET_ATTEST_DCAP_CACHE_H_

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
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

// What decides the outcome of a PCK chain check: the certification data as received, the
// digest of the endorsement set (root pin, CRLs, collateral) and the evaluation time with the
// CRL requirement folded in. Looked up as views: a hit copies none of the PEM chain.
struct PckChainKey {
  ByteView cert_data;
  ByteView endorsements_digest;
  int64_t at_and_flags = 0;
};

class DcapVerificationCache {
 public:
  static constexpr size_t kMaxEntries = 1024;
  static constexpr size_t kAttestationKeySize = 64;  // P-256 X || Y

  std::shared_ptr<const VerifiedPckChain> FindPck(const PckChainKey& key) const;
  void PutPck(const PckChainKey& key, std::shared_ptr<const VerifiedPckChain> value);
  std::shared_ptr<const VerifiedCollateral> FindCollateral(const Bytes& key) const;
  void PutCollateral(const Bytes& key, std::shared_ptr<const VerifiedCollateral> value);
  // The P-256 key whose coordinates are `x_y` (kAttestationKeySize bytes), imported and
  // validated once; an error when the bytes are no point of the curve (not cached).
  Result<crypto::PublicKey> AttestationKey(ByteView x_y);

 private:
  using RawKey = std::array<uint8_t, kAttestationKeySize>;
  struct StoredPckKey {
    Bytes cert_data;
    Bytes endorsements_digest;
    int64_t at_and_flags;
  };
  // Orders stored keys and views alike (field by field), so FindPck searches with the views.
  struct PckKeyLess {
    using is_transparent = void;
    bool operator()(const StoredPckKey& a, const StoredPckKey& b) const;
    bool operator()(const StoredPckKey& a, const PckChainKey& b) const;
    bool operator()(const PckChainKey& a, const StoredPckKey& b) const;
  };
  mutable std::mutex mu_;
  std::map<StoredPckKey, std::shared_ptr<const VerifiedPckChain>, PckKeyLess> pck_;
  std::map<Bytes, std::shared_ptr<const VerifiedCollateral>> collateral_;
  std::map<RawKey, crypto::PublicKey> attestation_keys_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_CACHE_H_
