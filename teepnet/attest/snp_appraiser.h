// Appraisal of AMD SEV-SNP attestation reports: the one code path for genuine reports from
// real machines and for reports from SimSevSnpPlatform.
//
// Steps (evidence-formats.md §1, AMD ABI spec 56860 and VCEK spec 57230):
//  1. decode the 1184-byte report (the only step that can return an error);
//  2. structure: version 2/3/5, SIGNATURE_ALGO 1, reserved bytes zero, unsigned padding zero;
//  3. endorsement chain VCEK|VLEK → ASK|ASVK → ARK at `at_unix_time` (RSASSA-PSS), the ARK
//     being one of the caller's trust anchors;
//  4. the ECDSA P-384/SHA-384 signature over bytes 0x000..0x29F with the leaf key;
//  5. the leaf's TCB extensions equal REPORTED_TCB and its hwID equals CHIP_ID (Turin: the
//     first 8 bytes), the signing key kind matches the certificate kind;
//  6. the policy (SnpPolicy).
// Any failure in 2..6 yields an Appraisal whose trust vector is contraindicated, with a note.
//
// Claims set: "version", "product", "policy", "debug", "vmpl", "signing_key", "measurement",
// "host_data", "report_data", "chip_id", "tcb", "current_tcb", "guest_svn", "family_id",
// "image_id", "id_key_digest", "firmware".
#ifndef TEEPNET_ATTEST_SNP_APPRAISER_H_
#define TEEPNET_ATTEST_SNP_APPRAISER_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/snp_policy.h"
#include "teepnet/attest/snp_vcek.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

struct SnpEndorsements {
  std::optional<crypto::Certificate> leaf;         // the VCEK or VLEK
  std::vector<crypto::Certificate> intermediates;  // ASK (VCEK) or ASVK (VLEK)
  std::vector<crypto::Certificate> roots;          // ARK trust anchors (exact DER match)
  std::vector<crypto::Crl> crls;                   // optional ARK/ASK CRLs

  // A leaf certificate (DER or PEM) plus an AMD cert_chain / ask_ark PEM bundle, which holds
  // the ASK (or ASVK) first and the self-signed ARK second. The ARK becomes the trust anchor:
  // callers that pin ARK fingerprints compare roots[0] before appraising.
  static Result<SnpEndorsements> FromLeafAndChain(ByteView leaf, std::string_view chain_pem);
};

// Appraises one report without caching (see SnpVerifier for the cached form).
Result<Appraisal> AppraiseSnp(ByteView evidence, const SnpEndorsements& endorsements,
                              const SnpPolicy& policy, int64_t at_unix_time);

// An appraiser that remembers verified endorsement chains: a chain is verified once, and later
// reports that present the same certificates are checked against the cached leaf key while
// `at_unix_time` lies inside every certificate's (and CRL's) validity period. Thread-safe.
//
// Both caches are bounded: at most kMaxCachedChains chains and kMaxCachedLeaves leaf
// certificates; when one is full an arbitrary entry makes room (it is verified or read again
// if it comes back).
class SnpVerifier {
 public:
  static constexpr size_t kMaxCachedChains = 256;
  static constexpr size_t kMaxCachedLeaves = 4096;

  Result<Appraisal> Appraise(ByteView evidence, const SnpEndorsements& endorsements,
                             const SnpPolicy& policy, int64_t at_unix_time);
  size_t cached_chains() const;

  // Whether `leaf` carries an hwID that is this CHIP_ID (VCEK spec 57230 §3: Turin hwIDs are
  // the first 8 bytes of CHIP_ID); false for a VLEK, a certificate without hwID or one whose
  // extensions do not read. The hwID is read once per certificate and kept with it, keyed by
  // the exact DER, so picking the leaf for a report among many parses no extension again.
  bool LeafMatchesChip(const crypto::Certificate& leaf, ByteView chip_id);
  size_t cached_leaves() const;

 private:
  // Orders DER byte strings, and lets the caches be searched with a view (no key copy).
  struct DerLess {
    using is_transparent = void;
    bool operator()(ByteView a, ByteView b) const;
  };
  struct Leaf {
    crypto::PublicKey key;
    SnpVcekInfo info;
    int64_t valid_from;
    int64_t valid_until;
  };
  // The verified leaf, or the reason the chain failed (as an Error).
  Result<Leaf> VerifiedLeaf(const SnpEndorsements& e, int64_t at_unix_time, bool use_cache);
  friend Result<Appraisal> AppraiseSnp(ByteView, const SnpEndorsements&, const SnpPolicy&, int64_t);
  Result<Appraisal> AppraiseImpl(ByteView evidence, const SnpEndorsements& e,
                                 const SnpPolicy& policy, int64_t at_unix_time, bool use_cache);

  mutable std::mutex mu_;
  std::map<Bytes, Leaf> cache_;
  // Per leaf certificate (exact DER): its hwID, nullopt when it has none or does not read.
  std::map<Bytes, std::optional<Bytes>, DerLess> leaf_hw_ids_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_APPRAISER_H_
