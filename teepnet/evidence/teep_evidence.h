// The TEEP Agent's Evidence: an EAT (RFC 9711) in the TEEP profile that carries the platform's
// own evidence (SGX/TDX quote, SNP/CSV report, PSA/CCA token) and binds it to the EAT claims.
//
// Wire form: a COSE_Sign1 (RFC 9052 §4.2) signed with the Agent's TEEP key, whose payload is a
// deterministically encoded claims map (RFC 8949 §4.2.1; TEEP EAT profile: "definite-length
// ... preferred serialization ... no CBOR tags"):
//   8 cnf {3: kid}           kid = RFC 9679 thumbprint of the Agent's TEEP key (digest §4.3)
//   10 eat_nonce             the TAM's QueryRequest challenge
//   256 ueid                 0x01 (RAND) || the 32-byte thumbprint of the Agent key
//   258 oemid                16 bytes
//   259 hwmodel, 260 hwversion
//   272 manifests            [+ [kSuitReferenceContentFormat, SUIT_Reference]] for each
//                            installed TC; absent when nothing is installed ([+ ...] cannot
//                            be empty, the same conflict tc-list has)
//   -70002 teepnet_hpke_keys [+ bstr .cbor COSE_Key]  the Agent's HPKE public keys
//   -70003 teepnet_instances [+ {1: name tstr, 2: measurement bstr .size 32,
//                               3: hpke bstr .cbor COSE_Key, 4: proof bstr .cbor COSE_Key}]
//                            the TA instances' keys (USE-CASES "TA instances"); absent when
//                            nothing is installed
//   -70004 teepnet_capacity  {1: [+ tstr], 2: uint}  what the Agent can start: the instance
//                            types ("process", "container", "vm"; each at most once) and its
//                            slot count (issue 5 item 2; USE-CASES "Device capacity"); absent
//                            when the Agent was not configured to offer any
//   -70001 teepnet_platform_evidence [format tstr, evidence bstr]
// The teepnet claims use CWT private-use keys (RFC 8392 §9.1: "Integer values less than
// -65536 are marked as Private Use"). The platform evidence is a private claim rather than a
// submods entry because RFC 9711 §4.2.18 submodules are claims-sets or nested *EATs*, and an
// SGX quote or SNP report is neither.
//
// Binding: report_data = SHA-512 over the deterministic encoding of the claims map without
// the platform-evidence claim (the "bound claims"). SHA-512 fills the 64-byte report-data
// field of every supported format exactly, so no format pads or truncates it. The platform
// evidence's report-data (PSA nonce, CCA realm challenge, SNP/SGX/TDX/CSV REPORT_DATA) must
// equal it. The verifier hashes the bound entries as received (raw bytes of each map entry),
// which equals the encoding the Agent hashed because the payload must be deterministic.
#ifndef TEEPNET_EVIDENCE_TEEP_EVIDENCE_H_
#define TEEPNET_EVIDENCE_TEEP_EVIDENCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/teep_eat_claims.h"

namespace teepnet::evidence {

inline constexpr int64_t kClaimPlatformEvidence = -70001;
inline constexpr int64_t kClaimHpkeKeys = -70002;
inline constexpr int64_t kClaimInstances = -70003;
inline constexpr int64_t kClaimCapacity = -70004;
// teepnet_capacity bounds: the three instance types of seed Figure 2, and the M/OC's largest
// slot count (services/moc/capacity_api.cc).
inline constexpr size_t kMaxCapacityTypes = 3;
inline constexpr uint32_t kMaxCapacitySlots = 65536;
// Instances one Evidence may list, and the longest instance name ("tc-" + hex of a component
// id): bounds for what the verifier decodes.
inline constexpr size_t kMaxInstanceClaims = 256;
inline constexpr size_t kMaxInstanceNameBytes = 1024;
// CoAP content-format for a SUIT_Reference manifests entry: no number is registered yet, so
// one from the experimental range (RFC 7252 §12.3: 65000-65535 "Experimental use").
inline constexpr int64_t kSuitReferenceContentFormat = 65000;
// attestation-payload-format of this Evidence. It must differ from the TEEP AR default
// (teep-protocol digest §4.1: "Any other value means Evidence") — an EAT in a CWT (RFC 9782
// application/eat+cwt) with this project's evidence profile.
inline constexpr char kTeepEvidenceMediaType[] =
    "application/eat+cwt; eat_profile=\"tag:teepnet.invalid,2026:teep-evidence#1\"";
inline constexpr size_t kReportDataSize = 64;
inline constexpr size_t kMaxEvidenceBytes = 256 * 1024;

struct ManifestRef {
  std::string uri;  // SUIT_Reference uri
  Bytes digest;     // encoded SUIT_Digest
};

// One teepnet_instances entry as the Agent writes it.
struct InstanceClaim {
  std::string name;
  Bytes measurement;  // SHA-256 of the component's bytes
  Bytes hpke_key;     // encoded COSE_Key (public, X25519)
  Bytes proof_key;    // encoded COSE_Key (public, Ed25519)
};

// One teepnet_capacity claim: the instance types by their API names and the slots.
struct CapacityClaim {
  std::vector<std::string> instance_types;
  uint32_t slots = 0;

  friend bool operator==(const CapacityClaim&, const CapacityClaim&) = default;
};
// kBadClaim unless the types are 1 to kMaxCapacityTypes distinct names of "process",
// "container", "vm" and the slots 1 to kMaxCapacitySlots.
Status CheckCapacityClaim(const CapacityClaim& claim);

// The claims the platform evidence binds.
struct BoundClaims {
  Bytes nonce;
  Bytes ueid;
  Bytes oemid;
  Bytes hwmodel;
  std::string hwversion;
  std::vector<ManifestRef> manifests;
  Bytes cnf_kid;
  std::vector<Bytes> hpke_keys;  // encoded COSE_Keys (public)
  std::vector<InstanceClaim> instances;
  std::optional<CapacityClaim> capacity;
};

// Deterministic CBOR of the bound claims (the map the EAT payload holds, minus the evidence).
Bytes EncodeBoundClaims(const BoundClaims& claims);
// SHA-512 of EncodeBoundClaims.
Bytes BindingOf(const BoundClaims& claims);

// Asks `platform` for evidence over BindingOf(claims) and signs the EAT with `agent_key`
// (P-256: ESP256, Ed25519: EdDSA; kid = thumbprint).
Result<Bytes> BuildTeepEvidence(const BoundClaims& claims, attest::Platform& platform,
                                const crypto::PrivateKey& agent_key);

// A teepnet_instances entry as the verifier decoded it.
struct VerifiedInstance {
  std::string name;
  Bytes measurement;
  crypto::PublicKey hpke;   // X25519
  crypto::PublicKey proof;  // Ed25519
};

struct VerifiedTeepEvidence {
  eat::TeepEatClaims claims;                 // the TEEP profile claims as received
  std::vector<crypto::PublicKey> hpke_keys;  // decoded teepnet_hpke_keys
  std::vector<VerifiedInstance> instances;   // decoded teepnet_instances
  std::optional<CapacityClaim> capacity;     // decoded teepnet_capacity
  std::string platform_format;               // attest::EvidenceFormatName spelling
  Bytes platform_evidence;
  Bytes binding;  // SHA-512 over the bound entries as received
};

// Verifies the COSE_Sign1 with `agent_key` (eat::Errc::kSignatureInvalid), requires a
// deterministic payload, decodes the claims (kBadClaim / kMissingClaim: cnf, eat_nonce and the
// platform evidence are mandatory) and computes the binding. It does not compare nonce, cnf or
// binding with anything: that is the appraiser's verdict.
Result<VerifiedTeepEvidence> VerifyTeepEvidence(ByteView eat, const crypto::PublicKey& agent_key);
// The claims-map step of VerifyTeepEvidence, for a payload whose signature was checked.
Result<VerifiedTeepEvidence> DecodeTeepEvidencePayload(ByteView payload);

// RFC 9679 thumbprint of a public key (the cnf kid and device id).
Result<Bytes> KeyThumbprint(const crypto::PublicKey& key);

}  // namespace teepnet::evidence

#endif  // TEEPNET_EVIDENCE_TEEP_EVIDENCE_H_
