#include "teepnet/evidence/tam_appraiser.h"

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "teepnet/attest/verifier_ear.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/evidence/teep_evidence.h"

namespace teepnet::evidence {
namespace {

constexpr int kMaxReloadAttempts = 5;

tam::Appraisal Refuse(std::string why) {
  return tam::Appraisal{false, std::move(why), {}};
}

// Names, sizes and modification times of every file under `path`: changes when a file is
// added, removed or rewritten.
std::string Fingerprint(const std::string& path) {
  namespace fs = std::filesystem;
  std::string out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto size = it->file_size(ec);
    auto mtime = it->last_write_time(ec).time_since_epoch().count();
    out += it->path().string() + '\0' + std::to_string(size) + '\0' + std::to_string(mtime) + '\n';
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const attest::Verifier>> EndorsementDirectory::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string fingerprint = Fingerprint(path_);
  if (verifier_ && fingerprint == fingerprint_) return verifier_;
  // A manufacturer may be writing the directory while we read it: a load is only believed
  // when nothing changed during it.
  for (int attempt = 0;; ++attempt) {
    auto config = attest::VerifierConfig::FromDirectory(path_);
    std::string after = Fingerprint(path_);
    if (after != fingerprint && attempt < kMaxReloadAttempts) {
      fingerprint = std::move(after);
      continue;
    }
    if (!config.ok()) return config.error();
    TEEPNET_ASSIGN_OR_RETURN(attest::Verifier verifier,
                             attest::Verifier::Create(*std::move(config)));
    verifier_ = std::make_shared<const attest::Verifier>(std::move(verifier));
    fingerprint_ = std::move(fingerprint);
    return verifier_;
  }
}

TeepEvidenceAppraiser::TeepEvidenceAppraiser(VerifierSource& verifiers, crypto::PrivateKey ear_key,
                                             const Clock& clock, int64_t ear_lifetime_seconds)
    : verifiers_(verifiers),
      ear_key_(std::move(ear_key)),
      clock_(clock),
      ear_lifetime_seconds_(ear_lifetime_seconds) {}

Result<tam::Appraisal> TeepEvidenceAppraiser::Appraise(const tam::AttestationInput& input) {
  // digest §4.1: "Any other value means Evidence"; we appraise only our own Evidence profile.
  if (!input.format || *input.format != kTeepEvidenceMediaType) {
    return Refuse("attestation-payload-format is not " + std::string(kTeepEvidenceMediaType));
  }
  if (input.agent_key == nullptr) return Error(Code::kInvalidArgument, "no Agent key to bind to");
  auto eat = VerifyTeepEvidence(input.payload, *input.agent_key);
  if (!eat.ok()) return Refuse("evidence refused: " + eat.error().ToString());
  auto format = attest::EvidenceFormatFromName(eat->platform_format);
  if (!format) return Refuse("unknown platform evidence format " + eat->platform_format);
  // An unusable Verifier (endorsements that do not load) is an error: appraisal did not run.
  TEEPNET_ASSIGN_OR_RETURN(std::shared_ptr<const attest::Verifier> verifier, verifiers_.Current());

  const int64_t now = clock_.NowUnixSeconds();
  auto verdict = verifier->Verify(eat->platform_evidence, *format, ByteView(eat->binding), now);
  if (!verdict.ok()) return Refuse("platform evidence refused: " + verdict.error().ToString());
  attest::Appraisal appraisal = verdict->appraisal;

  // The TEEP-level checks lower instance-identity: the evidence is not this device's, or not
  // fresh (draft-ietf-rats-ar4si §2.3.1: 96 "contraindicated" for an unexpected identity).
  auto contraindicate = [&](std::string note) {
    appraisal.trust.instance_identity = attest::ar4si::kContraindicated;
    appraisal.notes.push_back(std::move(note));
  };
  TEEPNET_ASSIGN_OR_RETURN(Bytes thumbprint, KeyThumbprint(*input.agent_key));
  // digest §4.3 step 2: cnf must name the key that verified this TEEP message.
  if (*eat->claims.cnf_kid != thumbprint) {
    contraindicate("cnf does not name the key that signed the TEEP message");
  }
  if (!input.challenge || ToBytes(*input.challenge) != *eat->claims.nonce) {
    contraindicate("eat_nonce is not the QueryRequest challenge");
  }
  // The Verifier already compared report data; compare again so the binding never depends
  // on one component alone.
  if (appraisal.report_data != eat->binding) {
    contraindicate("the platform evidence does not bind these EAT claims and keys");
  }

  // The EAR of the (possibly lowered) verdict: attest/verifier_ear.h's shape, plus the TEEP
  // claims. The keys a Relying Party may rely on are the Agent's TEEP key and its HPKE keys
  // (DESIGN §5: "the EAR names the attested public keys").
  attest::Verdict lowered = *verdict;
  lowered.appraisal = appraisal;
  attest::EarIssueOptions options;
  options.iat = now;
  options.exp = now + ear_lifetime_seconds_;
  if (input.challenge) options.nonce = ToBytes(*input.challenge);
  options.verifier_build = "teepnet-moc";
  options.attested_keys.push_back(input.agent_key->ToSpkiDer());
  for (const crypto::PublicKey& key : eat->hpke_keys) {
    options.attested_keys.push_back(key.ToSpkiDer());
  }
  eat::Ear ear = attest::EarFromVerdict(lowered, options);
  // cnf and manifests have no JSON form in the EAR's TEEP extension; the rest is echoed.
  eat::TeepEatClaims teep = eat->claims;
  teep.cnf_kid.reset();
  teep.manifests.reset();
  for (auto& [name, sub] : ear.submods) sub.teep = teep;
  const attest::Tier tier = appraisal.Overall();
  const bool affirming = tier == attest::Tier::kAffirming || tier == attest::Tier::kWarning;
  // USE-CASES "TA instances": the instances' keys are named only when the evidence that binds
  // them was accepted, so a Network User never seals a PD to a key of refused evidence.
  if (affirming) {
    for (auto& [name, sub] : ear.submods) {
      for (const VerifiedInstance& i : eat->instances) {
        sub.instances.push_back(
            eat::EarInstance{i.name, i.measurement, i.hpke.ToSpkiDer(), i.proof.ToSpkiDer()});
      }
      // USE-CASES "Device capacity": the M/OC places on what the attested Agent claimed, so
      // the claim is carried only for evidence that was accepted.
      if (eat->capacity) {
        sub.capacity = eat::EarCapacity{eat->capacity->instance_types, eat->capacity->slots};
      }
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(std::string jwt, eat::IssueEarJwt(ear, ear_key_));

  std::string reason = eat::StatusName(tier);
  for (size_t i = 0; i < appraisal.notes.size(); ++i) {
    reason += (i == 0 ? ": " : "; ") + appraisal.notes[i];
  }
  return tam::Appraisal{affirming, std::move(reason), ToBytes(AsBytes(jwt))};
}

}  // namespace teepnet::evidence
