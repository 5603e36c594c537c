#include "teepnet/attest/cca_appraiser.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {
namespace {

bool RealmMatches(const CcaRealmReference& ref, const CcaRealmClaims& c) {
  if (!crypto::ConstantTimeEqual(ref.initial_measurement, c.initial_measurement)) return false;
  if (!ref.personalization_value.empty() &&
      !crypto::ConstantTimeEqual(ref.personalization_value, c.personalization_value)) {
    return false;
  }
  if (!ref.extensible_measurements.empty()) {
    if (ref.extensible_measurements.size() != c.extensible_measurements.size()) return false;
    for (size_t i = 0; i < ref.extensible_measurements.size(); ++i) {
      if (!crypto::ConstantTimeEqual(ref.extensible_measurements[i],
                                     c.extensible_measurements[i])) {
        return false;
      }
    }
  }
  return true;
}

void Fail(Appraisal& out, int8_t value, std::string note) {
  out.trust = TrustVector();
  out.trust.instance_identity = value;
  out.notes.push_back(std::move(note));
}

}  // namespace

Result<Appraisal> AppraiseCca(ByteView evidence, const CcaEndorsements& endorsements,
                              const CcaPolicy& policy, int64_t at_unix_time) {
  TEEPNET_ASSIGN_OR_RETURN(CcaToken token, ParseCcaToken(evidence));
  Appraisal out{Architecture::kCca, EvidenceFormat::kCcaToken, {}, {}, {}, {}, {}};
  out.evidence_digest = crypto::Sha256(evidence);
  out.report_data = token.realm_claims.challenge;
  out.claims["evaluated_at"] = std::to_string(at_unix_time);
  out.claims["policy_id"] = policy.policy_id;
  const PsaClaims& pc = token.platform_claims;
  const CcaRealmClaims& rc = token.realm_claims;
  out.claims["platform_instance_id"] = ToHex(pc.instance_id);
  out.claims["platform_implementation_id"] = ToHex(pc.implementation_id);

  // 1. Platform token, signed by the CPAK.
  const PsaTrustAnchor* cpak =
      endorsements.FindTrustAnchor(pc.implementation_id, pc.instance_id, at_unix_time);
  if (cpak == nullptr) {
    Fail(out, ar4si::kUnrecognizedInstance,
         "no CPAK endorsed for instance-id " + ToHex(pc.instance_id));
    return out;
  }
  if (!token.platform.Verify(cpak->key).ok()) {
    Fail(out, ar4si::kCryptoValidationFailed,
         "platform token signature does not verify with the CPAK");
    return out;
  }

  // 2. Realm token, signed by the RAK the platform vouches for.
  auto rak = RealmPublicKey(rc);
  if (!rak.ok()) {
    Fail(out, ar4si::kCryptoValidationFailed, "realm public key: " + rak.error().message());
    return out;
  }
  std::optional<crypto::HashAlgorithm> rak_hash = HashFromName(rc.public_key_hash_alg);
  if (!rak_hash) {
    Fail(out, ar4si::kCryptoValidationFailed,
         "unknown realm public key hash algorithm " + rc.public_key_hash_alg);
    return out;
  }
  //= RMM specification DEN0137 A7.2.3.1
  //# the challenge claim of the CCA platform token is the hash of the realm public key
  //# (claim 44237), computed with the algorithm named by the realm-public-key-hash-algo-id
  if (!crypto::ConstantTimeEqual(crypto::Digest(*rak_hash, rc.public_key_claim), pc.nonce)) {
    Fail(out, ar4si::kCryptoValidationFailed,
         "platform challenge is not the hash of the realm public key (token not bound)");
    return out;
  }
  if (!token.realm.Verify(*rak).ok()) {
    Fail(out, ar4si::kCryptoValidationFailed, "realm token signature does not verify with the RAK");
    return out;
  }

  // 3. Platform claims, as PSA.
  Appraisal platform = out;
  AppraisePlatformClaims(pc, endorsements, policy.platform, at_unix_time, platform);
  out.trust = platform.trust;
  out.notes = platform.notes;
  for (const auto& [k, v] : platform.claims) {
    if (k == "measurement" || k == "evaluated_at" || k == "policy_id" ||
        k.rfind("platform_", 0) == 0) {
      continue;
    }
    out.claims["platform_" + k] = v;
  }
  out.claims["debug"] = platform.claims["debug"];

  // 4. Realm.
  if (std::find(policy.realm_profiles.begin(), policy.realm_profiles.end(), rc.profile) ==
      policy.realm_profiles.end()) {
    out.trust.configuration = std::max<int8_t>(out.trust.configuration, ar4si::kContraindicated);
    out.notes.push_back("realm profile '" + rc.profile + "' is not accepted by the policy");
  }
  const auto& refs = endorsements.realm_references();
  const bool endorsed =
      std::any_of(refs.begin(), refs.end(),
                  [&](const CcaRealmReference& r) {
                    return r.validity.ValidAt(at_unix_time) && RealmMatches(r, rc);
                  }) ||
      std::any_of(
          policy.realm_initial_measurements.begin(), policy.realm_initial_measurements.end(),
          [&](const Bytes& rim) { return crypto::ConstantTimeEqual(rim, rc.initial_measurement); });
  if (!endorsed) {
    out.notes.push_back("realm initial measurement " + ToHex(rc.initial_measurement) +
                        " (with its REMs / personalization value) matches no reference value");
    const int8_t v = policy.require_realm_reference_values ? ar4si::kContraindicatedExecutables
                                                           : ar4si::kUnrecognizedExecutables;
    if (TierOf(v) > TierOf(out.trust.executables)) out.trust.executables = v;
  }

  // 5. Freshness / key binding: the realm challenge is the caller's report data.
  if (policy.challenge && !crypto::ConstantTimeEqual(*policy.challenge, rc.challenge)) {
    if (TierOf(out.trust.instance_identity) < Tier::kContraindicated) {
      out.trust.instance_identity = ar4si::kContraindicated;
    }
    out.notes.push_back("realm challenge does not match the expected one (stale or replayed)");
  }

  out.claims["realm_profile"] = rc.profile;
  out.claims["realm_initial_measurement"] = ToHex(rc.initial_measurement);
  out.claims["measurement"] = ToHex(rc.initial_measurement);
  for (size_t i = 0; i < rc.extensible_measurements.size(); ++i) {
    out.claims["rem" + std::to_string(i)] = ToHex(rc.extensible_measurements[i]);
  }
  out.claims["realm_personalization_value"] = ToHex(rc.personalization_value);
  out.claims["realm_hash_alg"] = rc.hash_alg;
  out.claims["realm_key_encoding"] =
      rc.key_encoding == RealmKeyEncoding::kCoseKey ? "cose-key" : "sec1-point";
  out.claims["realm_public_key"] = ToHex(rak->RawPublic());
  return out;
}

}  // namespace teepnet::attest
