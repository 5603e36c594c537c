// EAR: EAT Attestation Results (draft-ietf-rats-ear), the signed verdict a Verifier (the TAM)
// hands a Relying Party. The model covers the claims of vectors/ear/ear.cddl and
// ear-appraisal.cddl, the TEEP extension (ext-teep.cddl, 65000 / "ear_teep_claims") and two
// teepnet extensions in each submodule appraisal:
//   65101 / "teepnet_evidence_digest": SHA-256 of the appraised evidence (bstr / base64url);
//   65102 / "teepnet_attested_keys":   SubjectPublicKeyInfo DER of the public keys the
//                                      evidence binds, which a Relying Party may encrypt to
//                                      ([+ bstr] / [+ base64url]);
//   65103 / "teepnet_instances":       the TA instances the Agent holds keys for (USE-CASES
//                                      "TA instances"): [+ {"name": tstr, "measurement":
//                                      bstr, "hpke_key": bstr, "proof_key": bstr}], keys as
//                                      SubjectPublicKeyInfo DER (base64url in JSON; text map
//                                      keys in CBOR too).
//   65104 / "teepnet_capacity":        what the attested Agent claimed it can start
//                                      (evidence/teep_evidence.h teepnet_capacity):
//                                      {"slots": uint, "instance_types": [+ tstr]} (text map
//                                      keys in CBOR too); the M/OC places on it (USE-CASES
//                                      "Device capacity").
// All use private-use labels (RFC 9711 §7.3.1 leaves >65535 ... to private agreements; these
// sit in the 65000 block EAR extensions use) and are ignored by other EAR consumers.
//
// JSON reading accepts the current names (ear_status, ...) and the legacy Veraison ones
// (ear.status, ear.trustworthiness-vector, ear.appraisal-policy-id as one string,
// ear.verifier-id, ear.raw-evidence); writing always uses the current names.
#ifndef TEEPNET_EAT_EAR_H_
#define TEEPNET_EAT_EAR_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/value.h"
#include "teepnet/eat/teep_eat_claims.h"

namespace teepnet::eat {

inline constexpr char kEarProfile[] = "tag:ietf.org,2026:rats/ear#03";
inline constexpr char kEarLegacyProfile[] = "tag:github.com,2023:veraison/ear";

// EAR CBOR labels (ear.cddl, ear-appraisal.cddl, ext-teep.cddl).
namespace ear_label {
inline constexpr int64_t kIat = 6;
inline constexpr int64_t kNonce = 10;
inline constexpr int64_t kProfile = 265;
inline constexpr int64_t kSubmods = 266;
inline constexpr int64_t kStatus = 1000;
inline constexpr int64_t kTrustVector = 1001;
inline constexpr int64_t kRawEvidence = 1002;
inline constexpr int64_t kPolicyIds = 1003;
inline constexpr int64_t kVerifierId = 1004;
inline constexpr int64_t kTeepClaims = 65000;
inline constexpr int64_t kEvidenceDigest = 65101;
inline constexpr int64_t kAttestedKeys = 65102;
inline constexpr int64_t kInstances = 65103;
inline constexpr int64_t kCapacity = 65104;
}  // namespace ear_label

// ar4si.trustworthiness-tier: none 0, affirming 2, warning 32, contraindicated 96.
int8_t StatusValue(attest::Tier tier);
const char* StatusName(attest::Tier tier);

// One attested TA instance: its name (evidence/instance_keyring.h), the SHA-256 of its
// executable, and its public keys as SubjectPublicKeyInfo DER.
struct EarInstance {
  std::string name;
  Bytes measurement;
  Bytes hpke_key;   // X25519: what a Network User seals the instance's PD to
  Bytes proof_key;  // Ed25519: verifies the instance's delivery receipts

  friend bool operator==(const EarInstance&, const EarInstance&) = default;
};

// The attested Agent's capacity claim: instance types by name ("process", ...) and slots.
struct EarCapacity {
  std::vector<std::string> instance_types;
  uint64_t slots = 0;

  friend bool operator==(const EarCapacity&, const EarCapacity&) = default;
};

struct EarAppraisal {
  attest::Tier status = attest::Tier::kNone;
  attest::TrustVector trust;  // claims equal to 0 are absent
  std::vector<std::string> policy_ids;
  std::optional<TeepEatClaims> teep;
  std::optional<Bytes> evidence_digest;
  std::vector<Bytes> attested_keys;
  std::vector<EarInstance> instances;
  std::optional<EarCapacity> capacity;
};

struct Ear {
  std::string profile = kEarProfile;
  int64_t iat = 0;
  std::optional<int64_t> exp;
  std::string verifier_developer;
  std::string verifier_build;
  std::optional<Bytes> nonce;
  std::optional<Bytes> raw_evidence;
  std::map<std::string, EarAppraisal> submods;

  // Builds a submodule appraisal from an attest::Appraisal (status = its overall tier).
  static EarAppraisal FromAppraisal(const attest::Appraisal& appraisal, std::string policy_id);
};

// CBOR claims map (a Value with map entries in label order).
cbor::Value EarToCbor(const Ear& ear);
Result<Ear> EarFromCbor(const cbor::Value& map);
// JSON claims object.
nlohmann::json EarToJson(const Ear& ear);
Result<Ear> EarFromJson(const nlohmann::json& object);

}  // namespace teepnet::eat

#endif  // TEEPNET_EAT_EAR_H_
