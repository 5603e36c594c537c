#include "teepnet/attest/verifier_ear.h"

#include "teepnet/eat/ear_token.h"

namespace teepnet::attest {

eat::Ear EarFromVerdict(const Verdict& verdict, const EarIssueOptions& options) {
  eat::Ear ear;
  ear.iat = options.iat;
  ear.exp = options.exp;
  ear.nonce = options.nonce;
  ear.verifier_developer = options.verifier_developer;
  ear.verifier_build = options.verifier_build;
  eat::EarAppraisal a = eat::Ear::FromAppraisal(verdict.appraisal, verdict.PolicyRef());
  a.attested_keys = options.attested_keys;
  std::string name = options.submod.empty()
                         ? std::string(ArchitectureName(verdict.appraisal.architecture))
                         : options.submod;
  ear.submods.emplace(std::move(name), std::move(a));
  return ear;
}

Result<std::string> IssueVerdictEarJwt(const Verdict& verdict, const EarIssueOptions& options,
                                       const crypto::PrivateKey& key) {
  return eat::IssueEarJwt(EarFromVerdict(verdict, options), key);
}

Result<Bytes> IssueVerdictEarCwt(const Verdict& verdict, const EarIssueOptions& options,
                                 const crypto::PrivateKey& key) {
  return eat::IssueEarCwt(EarFromVerdict(verdict, options), key);
}

}  // namespace teepnet::attest
