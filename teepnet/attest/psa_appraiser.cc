#include "teepnet/attest/psa_appraiser.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/psa_token.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {
namespace {

// AR4SI claims only get worse: a later check never raises a value an earlier one lowered.
void Lower(int8_t& claim, int8_t value) {
  if (TierOf(value) > TierOf(claim) || claim == ar4si::kNoClaim) claim = value;
}

bool Matches(const PsaSwReference& ref, const PsaSwComponent& c, ByteView implementation_id) {
  // The public labels first: most references are for another component, and a label
  // mismatch settles that without the constant-time comparisons below.
  if (!ref.type.empty() && !c.type.empty() && ref.type != c.type) return false;
  if (!ref.version.empty() && !c.version.empty() && ref.version != c.version) return false;
  if (!ref.implementation_id.empty() &&
      !crypto::ConstantTimeEqual(ref.implementation_id, implementation_id)) {
    return false;
  }
  if (!ref.signer_id.empty() && !c.signer_id.empty() &&
      !crypto::ConstantTimeEqual(ref.signer_id, c.signer_id)) {
    return false;
  }
  return crypto::ConstantTimeEqual(ref.measurement, c.measurement);
}

}  // namespace

Bytes CompositeMeasurement(const std::vector<PsaSwComponent>& components) {
  crypto::Hasher h(crypto::HashAlgorithm::kSha256);
  for (const PsaSwComponent& c : components) h.Update(c.measurement);
  return h.Finish();
}

void AppraisePlatformClaims(const PsaClaims& claims, const PsaEndorsements& endorsements,
                            const PsaPolicy& policy, int64_t at_unix_time, Appraisal& out) {
  TrustVector& tv = out.trust;
  Lower(tv.instance_identity, ar4si::kAffirming);
  Lower(tv.hardware, ar4si::kHardwareGenuine);

  // Configuration: profile, lifecycle, implementation.
  Lower(tv.configuration, ar4si::kAffirming);
  if (std::find(policy.profiles.begin(), policy.profiles.end(), claims.profile) ==
      policy.profiles.end()) {
    Lower(tv.configuration, ar4si::kContraindicated);
    out.notes.push_back("profile " + claims.profile + " is not accepted by the policy");
  }
  const PsaLifecycle state = LifecycleOf(claims.lifecycle);
  //= https://www.rfc-editor.org/rfc/rfc9783#section-4.2.1
  //# A verifier ... should accept only tokens from devices in the secured state
  if (policy.debug_forbidden && IsDebugLifecycle(state)) {
    Lower(tv.configuration, ar4si::kUnsafeConfig);
    out.notes.push_back(std::string("debug lifecycle state ") + LifecycleName(state) +
                        " under a no-debug policy");
  } else if (policy.secured_lifecycle_only && state != PsaLifecycle::kSecured) {
    Lower(tv.configuration, ar4si::kUnsafeConfig);
    out.notes.push_back(std::string("lifecycle ") + LifecycleName(state) + " is not secured");
  }
  if (!policy.implementation_ids.empty() &&
      std::none_of(policy.implementation_ids.begin(), policy.implementation_ids.end(),
                   [&](const Bytes& id) { return id == claims.implementation_id; })) {
    Lower(tv.configuration, ar4si::kContraindicated);
    out.notes.push_back("implementation-id not allowed by the policy");
  }

  // Executables: every software component must match a reference value.
  size_t unmatched = 0;
  for (const PsaSwComponent& c : claims.sw_components) {
    const auto& refs = endorsements.sw_references();
    if (std::none_of(refs.begin(), refs.end(), [&](const PsaSwReference& r) {
          return r.validity.ValidAt(at_unix_time) && Matches(r, c, claims.implementation_id);
        })) {
      ++unmatched;
      out.notes.push_back("software component " + (c.type.empty() ? "?" : c.type) +
                          " measurement " + ToHex(c.measurement) + " matches no reference value");
    }
  }
  if (unmatched == 0) {
    Lower(tv.executables, ar4si::kAffirming);
  } else {
    Lower(tv.executables, policy.require_reference_values ? ar4si::kContraindicatedExecutables
                                                          : ar4si::kUnrecognizedExecutables);
  }

  // Freshness: the nonce the relying party asked for.
  if (policy.nonce && !crypto::ConstantTimeEqual(*policy.nonce, claims.nonce)) {
    Lower(tv.instance_identity, ar4si::kContraindicated);
    out.notes.push_back("nonce does not match the expected one (stale or replayed)");
  }

  out.claims["profile"] = claims.profile;
  out.claims["implementation_id"] = ToHex(claims.implementation_id);
  out.claims["instance_id"] = ToHex(claims.instance_id);
  out.claims["lifecycle"] = LifecycleName(state);
  out.claims["debug"] = IsDebugLifecycle(state) ? "true" : "false";
  out.claims["nonce"] = ToHex(claims.nonce);
  if (claims.client_id) out.claims["client_id"] = std::to_string(*claims.client_id);
  for (size_t i = 0; i < claims.sw_components.size(); ++i) {
    const PsaSwComponent& c = claims.sw_components[i];
    out.claims["sw." + std::to_string(i) + "." + c.type] = ToHex(c.measurement);
  }
  out.claims["measurement"] = ToHex(CompositeMeasurement(claims.sw_components));
}

Result<Appraisal> AppraisePsa(ByteView evidence, const PsaEndorsements& endorsements,
                              const PsaPolicy& policy, int64_t at_unix_time) {
  TEEPNET_ASSIGN_OR_RETURN(PsaToken token, ParsePsaToken(evidence));
  Appraisal out{Architecture::kTrustZone, EvidenceFormat::kPsaToken, {}, {}, {}, {}, {}};
  out.evidence_digest = crypto::Sha256(evidence);
  out.report_data = token.claims.nonce;
  out.claims["evaluated_at"] = std::to_string(at_unix_time);
  out.claims["policy_id"] = policy.policy_id;

  const PsaTrustAnchor* anchor = endorsements.FindTrustAnchor(
      token.claims.implementation_id, token.claims.instance_id, at_unix_time);
  if (anchor == nullptr) {
    out.trust.instance_identity = ar4si::kUnrecognizedInstance;
    out.notes.push_back("no IAK endorsed for instance-id " + ToHex(token.claims.instance_id));
    return out;
  }
  if (!token.sign1.Verify(anchor->key).ok()) {
    out.trust.instance_identity = ar4si::kCryptoValidationFailed;
    out.notes.push_back("PSA token signature does not verify with the endorsed IAK");
    return out;
  }
  AppraisePlatformClaims(token.claims, endorsements, policy, at_unix_time, out);
  return out;
}

}  // namespace teepnet::attest
