// Endorsements for PSA and CCA appraisal: the verification keys of attesters (IAK for PSA,
// CPAK for a CCA platform) keyed by implementation-id + instance-id, and reference values for
// software components and realms.
//
// Two input forms are read:
//  - CoRIM (draft-ietf-rats-corim) as Veraison provisions it: an unsigned CoRIM (tag 501)
//    or a signed one (tag 502 COSE_Sign1, verified with a caller-supplied key), holding CoMIDs
//    (tag 506). Read are attest-key triples (key 3: environment {class-id tag 600 =
//    implementation-id, instance tag 550 = UEID} -> PEM key tag 554) and reference triples
//    (key 0: measurements with a PSA refval-id tag 601 {1 label, 4 version, 5 signer-id} and
//    digests {2: [[alg, bytes]]}; and CCA realm references: environment instance tag 560 =
//    RIM, mval {4: raw-value tag 560 = personalization value, 14: integrity registers
//    {"rim", "rem0".."rem3": [[alg, digest]]}}). The CoRIM validity (key 4) is kept on every
//    entry. Other triples and measurement kinds are skipped.
//  - the rust-ccatoken JSON stores Trustee ships: a trust-anchor store
//      [{"pkey": <EC JWK>, "implementation-id": hex, "instance-id": hex}]
//    and a reference-value store
//      {"platform": [{"implementation-id": hex, "sw-components": [{"measurement-value": hex,
//        "signer-id": hex, "component-type": text}]}],
//       "realm": [{"initial-measurement": hex, "extensible-measurements": [hex x4],
//        "personalization-value": hex, "rak-hash-algorithm": text}]}
#ifndef TEEPNET_ATTEST_PSA_ENDORSEMENTS_H_
#define TEEPNET_ATTEST_PSA_ENDORSEMENTS_H_

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

// When an endorsement may be used: a CoRIM's validity (draft-ietf-rats-corim §4.1.3,
// not-before / not-after as epoch seconds). JSON stores and simulated platforms have none.
struct EndorsementValidity {
  int64_t not_before = std::numeric_limits<int64_t>::min();
  int64_t not_after = std::numeric_limits<int64_t>::max();
  bool ValidAt(int64_t t) const { return not_before <= t && t <= not_after; }
};

struct PsaTrustAnchor {
  Bytes implementation_id;
  Bytes instance_id;
  crypto::PublicKey key;
  EndorsementValidity validity = {};
};

struct PsaSwReference {
  Bytes implementation_id;  // which platform class the value belongs to (may be empty: any)
  std::string type;         // component label, e.g. "BL"
  std::string version;      // may be empty
  Bytes signer_id;          // may be empty
  Bytes measurement;
  EndorsementValidity validity = {};
};

struct CcaRealmReference {
  Bytes initial_measurement;
  std::vector<Bytes> extensible_measurements;  // empty: not constrained
  Bytes personalization_value;                 // empty: not constrained
  EndorsementValidity validity = {};
};

class PsaEndorsements {
 public:
  // kPsaBadCorim when the CoRIM does not parse; kBadEndorsement for a signed CoRIM without a
  // verification key or whose signature fails.
  Status AddCorim(ByteView corim, const crypto::PublicKey* signer = nullptr);
  // kBadEndorsement when the JSON does not match the store format above.
  Status AddTrustAnchorsJson(std::string_view json);
  Status AddReferenceValuesJson(std::string_view json);

  void AddTrustAnchor(PsaTrustAnchor anchor) { anchors_.push_back(std::move(anchor)); }
  void AddSwReference(PsaSwReference ref) { sw_refs_.push_back(std::move(ref)); }
  void AddRealmReference(CcaRealmReference ref) { realm_refs_.push_back(std::move(ref)); }

  // The key registered for exactly this implementation-id and instance-id and valid at
  // `at_unix_time`; nullptr if none.
  const PsaTrustAnchor* FindTrustAnchor(ByteView implementation_id, ByteView instance_id,
                                        int64_t at_unix_time) const;
  const std::vector<PsaTrustAnchor>& trust_anchors() const { return anchors_; }
  const std::vector<PsaSwReference>& sw_references() const { return sw_refs_; }
  const std::vector<CcaRealmReference>& realm_references() const { return realm_refs_; }

 private:
  std::vector<PsaTrustAnchor> anchors_;
  std::vector<PsaSwReference> sw_refs_;
  std::vector<CcaRealmReference> realm_refs_;
};

// A CCA appraisal needs the same material: CPAKs as trust anchors, platform software
// references and realm references.
using CcaEndorsements = PsaEndorsements;

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_ENDORSEMENTS_H_
