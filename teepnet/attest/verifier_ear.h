// EAR issuance from a Verifier verdict (draft-ietf-rats-ear): the signed attestation result a
// Relying Party consumes. One submodule per verdict, named after the architecture
// ("sev-snp", "sgx", "tdx", "csv", "trustzone", "cca"), carrying ear.status (the overall
// tier), the trust vector, the evidence digest, the attested keys and the policy.
//
// Policy hash in the EAR: ear.appraisal-policy-id is one string per policy, so the hash is put
// inside it as "<policy-id>@sha256:<hex of the canonical policy bytes>" (Verdict::PolicyRef();
// e.g. "teepnet/sev-snp/default@sha256:44136f..."). A Relying Party that knows the policy it
// requires compares the whole string; one that only knows ids can split at "@sha256:". This
// keeps the value a plain policy id for EAR consumers that know nothing of teepnet, where a
// private claim would be silently dropped.
//
// Dependency direction: teepnet_attest_verifier -> teepnet_eat -> teepnet_attest_core.
#ifndef TEEPNET_ATTEST_VERIFIER_EAR_H_
#define TEEPNET_ATTEST_VERIFIER_EAR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/ear.h"

namespace teepnet::attest {

struct EarIssueOptions {
  int64_t iat = 0;                   // issuance time (Unix seconds)
  std::optional<int64_t> exp;        // optional expiry
  std::optional<Bytes> nonce;        // eat_nonce echoed to the Relying Party
  std::vector<Bytes> attested_keys;  // SubjectPublicKeyInfo DER of the keys the evidence binds
  std::string verifier_developer = "teepnet";
  std::string verifier_build = "teepnet-verifier";
  std::string submod;  // empty: the architecture name
};

// The EAR claims for `verdict` (unsigned).
eat::Ear EarFromVerdict(const Verdict& verdict, const EarIssueOptions& options);
// Signed forms: JWT (ES256 for a P-256 key, per eat::IssueEarJwt) and CWT (COSE_Sign1).
Result<std::string> IssueVerdictEarJwt(const Verdict& verdict, const EarIssueOptions& options,
                                       const crypto::PrivateKey& key);
Result<Bytes> IssueVerdictEarCwt(const Verdict& verdict, const EarIssueOptions& options,
                                 const crypto::PrivateKey& key);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_VERIFIER_EAR_H_
