// The TAM's EvidenceAppraiser (tam/evidence_appraiser.h) for the Agent Evidence of
// teep_evidence.h, in the background-check model (DESIGN §5): the TAM is the Verifier.
//
// Steps (any failure is a refusal — an Appraisal with affirming = false and the reason — not
// an error):
//  1. attestation-payload-format must be kTeepEvidenceMediaType (digest §4.1: evidence is
//     always labelled);
//  2. the EAT's COSE_Sign1 verifies with the key that verified the TEEP message, and its
//     cnf kid is that key's RFC 9679 thumbprint (digest §4.3 step 2);
//  3. eat_nonce equals the QueryRequest challenge (freshness);
//  4. the platform evidence is appraised by attest::Verifier with expected report data = the
//     SHA-512 binding recomputed from the received claims (evidence from another device, or
//     over other keys, fails here);
//  5. an EAR (draft-ietf-rats-ear) is issued as an ES256 JWT signed with the M/OC's key: one
//     submodule named after the architecture with the verdict's trust vector and policy, the
//     TEEP claims, the evidence digest, and as attested keys (SubjectPublicKeyInfo DER) the
//     Agent's TEEP key and its HPKE key(s), and, for affirming or warning evidence, the TA
//     instances the evidence lists (65103, keys as SubjectPublicKeyInfo DER) and the Agent's
//     teepnet_capacity claim (65104). Steps 2-4 failing after the EAT parsed still yield an
//     EAR, contraindicated, so the operator sees what was refused.
// affirming is true when the EAR status is affirming or warning.
#ifndef TEEPNET_EVIDENCE_TAM_APPRAISER_H_
#define TEEPNET_EVIDENCE_TAM_APPRAISER_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/clock.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/tam/evidence_appraiser.h"

namespace teepnet::evidence {

// Where the appraiser gets its Verifier: a fixed one, or one rebuilt when the endorsements
// change (EndorsementDirectory below).
class VerifierSource {
 public:
  virtual ~VerifierSource() = default;
  virtual Result<std::shared_ptr<const attest::Verifier>> Current() = 0;
};

class FixedVerifier final : public VerifierSource {
 public:
  explicit FixedVerifier(std::shared_ptr<const attest::Verifier> v) : v_(std::move(v)) {}
  Result<std::shared_ptr<const attest::Verifier>> Current() override { return v_; }

 private:
  std::shared_ptr<const attest::Verifier> v_;
};

// Reads VerifierConfig::FromDirectory(path) and reloads it when any file under `path` changed
// (name, size or mtime), so endorsements a manufacturer adds while the M/OC runs are used
// without a restart. Thread-safe.
class EndorsementDirectory final : public VerifierSource {
 public:
  explicit EndorsementDirectory(std::string path) : path_(std::move(path)) {}
  Result<std::shared_ptr<const attest::Verifier>> Current() override;

 private:
  std::string path_;
  std::mutex mu_;
  std::string fingerprint_;
  std::shared_ptr<const attest::Verifier> verifier_;
};

class TeepEvidenceAppraiser final : public tam::EvidenceAppraiser {
 public:
  // `ear_key` must be P-256 (ES256). References must outlive the appraiser.
  TeepEvidenceAppraiser(VerifierSource& verifiers, crypto::PrivateKey ear_key, const Clock& clock,
                        int64_t ear_lifetime_seconds = 24 * 3600);
  Result<tam::Appraisal> Appraise(const tam::AttestationInput& input) override;

 private:
  VerifierSource& verifiers_;
  crypto::PrivateKey ear_key_;
  const Clock& clock_;
  int64_t ear_lifetime_seconds_;
};

}  // namespace teepnet::evidence

#endif  // TEEPNET_EVIDENCE_TAM_APPRAISER_H_
