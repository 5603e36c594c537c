// What crosses the TEE boundary in the on-premises verifier workload (the seed's Appendix B,
// first workload): the router vendor's verifier material, the ISP's batch of router evidence,
// and what each of them gets back. Every message is deterministic CBOR (RFC 8949 §4.2.1) with
// small integer keys, all present and in ascending order:
//
//   vendor-input = {
//     1: tstr,                       ; label (the vendor's own name for this material)
//     2: [* psa-anchor],             ; the PSA Initial Attestation Keys it endorses
//     3: [* psa-reference],          ; golden firmware measurements of its Arm routers
//     4: [* bstr],                   ; CoRIMs (draft-ietf-rats-corim), unsigned or signed
//     5: [* bstr],                   ; SEV-SNP trust anchors (ARK certificates, DER)
//     6: [* bstr],                   ; SEV-SNP intermediates (ASK / ASVK, DER)
//     7: [* bstr],                   ; SEV-SNP chip endorsements (VCEK / VLEK, DER)
//     8: {* tstr => tstr},           ; appraisal policy JSON by evidence format name
//   }                                ;   ("psa", "snp", ...: attest::EvidenceFormatName)
//   psa-anchor    = [implementation-id bstr, instance-id bstr, iak SubjectPublicKeyInfo bstr]
//   psa-reference = [implementation-id bstr, type tstr, version tstr, signer-id bstr,
//                    measurement bstr]
//
//   isp-input  = {1: tstr label, 2: [+ router-evidence]}
//   router-evidence = [name tstr, nonce bstr, evidence bstr]   ; nonce: what the ISP asked for
//
//   isp-output = {1: [+ router-result], 2: {* tstr => tstr}, 3: uint}
//   router-result = [name tstr, status uint, format tstr, trust [8 int], notes [* tstr],
//                    evidence-digest bstr]
//     ; 2: the policy each format was appraised under, "<policy-id>@sha256:<hex>"
//     ; 3: nanoseconds the TA spent appraising the batch (the workload's throughput figure)
//
//   vendor-output = {1: uint}        ; how many pieces of evidence were appraised: the only
//                                    ; thing about the ISP's fleet the vendor learns
//
// Status is the AR4SI tier of the trust vector (draft-ietf-rats-ar4si §2.3); the trust vector
// is in EAR's claim order (instance-identity, configuration, executables, file-system,
// hardware, runtime-opaque, storage-opaque, sourced-data).
#ifndef TEEPNET_WORKLOADS_ONPREM_VERIFIER_MESSAGES_H_
#define TEEPNET_WORKLOADS_ONPREM_VERIFIER_MESSAGES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::workloads::onprem_verifier {

// The workload and role names of the envelope (workload/envelope.h).
inline constexpr std::string_view kWorkloadName = "onprem-verifier";
inline constexpr std::string_view kVendorRole = "vendor";
inline constexpr std::string_view kIspRole = "isp";

// Named limits (errc kTooLarge). The ISP output of a full batch stays below the kit's
// workload::kMaxOutputBytes (96 KiB): kMaxRouters * (name + notes + digest + vector) ~ 80 KiB.
inline constexpr size_t kMaxLabelBytes = 256;
inline constexpr size_t kMaxPsaAnchors = 1024;
inline constexpr size_t kMaxPsaReferences = 4096;
inline constexpr size_t kMaxCorims = 16;
inline constexpr size_t kMaxCorimBytes = size_t{64} << 10;
inline constexpr size_t kMaxCertificates = 1024;  // per list
inline constexpr size_t kMaxCertificateBytes = size_t{8} << 10;
inline constexpr size_t kMaxPolicies = 6;  // one per evidence format
inline constexpr size_t kMaxPolicyBytes = size_t{16} << 10;
inline constexpr size_t kMaxIdBytes = 64;           // implementation-id, instance-id, signer-id
inline constexpr size_t kMaxKeyBytes = 512;         // an SPKI of an EC key
inline constexpr size_t kMaxMeasurementBytes = 64;  // SHA-512
inline constexpr size_t kMaxComponentTextBytes = 64;
inline constexpr size_t kMaxRouters = 128;
inline constexpr size_t kMaxRouterNameBytes = 64;  // [A-Za-z0-9._-]
inline constexpr size_t kMinNonceBytes = 8;
inline constexpr size_t kMaxNonceBytes = 64;  // the report-data field of every format
inline constexpr size_t kMaxEvidenceBytes = size_t{16} << 10;
inline constexpr size_t kMaxNotes = 4;
inline constexpr size_t kMaxNoteBytes = 128;
inline constexpr size_t kMaxFormatNameBytes = 8;
inline constexpr size_t kMaxPolicyRefBytes = 256;
inline constexpr size_t kTrustClaims = 8;
inline constexpr size_t kDigestBytes = 32;

struct PsaAnchor {
  Bytes implementation_id;
  Bytes instance_id;
  Bytes key_spki;  // DER SubjectPublicKeyInfo of the IAK

  friend bool operator==(const PsaAnchor&, const PsaAnchor&) = default;
};

struct PsaReference {
  Bytes implementation_id;
  std::string type;
  std::string version;
  Bytes signer_id;
  Bytes measurement;

  friend bool operator==(const PsaReference&, const PsaReference&) = default;
};

struct VendorInput {
  std::string label;
  std::vector<PsaAnchor> psa_anchors;
  std::vector<PsaReference> psa_references;
  std::vector<Bytes> corims;
  std::vector<Bytes> snp_roots;
  std::vector<Bytes> snp_intermediates;
  std::vector<Bytes> snp_leaves;
  std::map<std::string, std::string> policies;

  friend bool operator==(const VendorInput&, const VendorInput&) = default;
};

struct RouterEvidence {
  std::string name;
  Bytes nonce;
  Bytes evidence;

  friend bool operator==(const RouterEvidence&, const RouterEvidence&) = default;
};

struct IspInput {
  std::string label;
  std::vector<RouterEvidence> routers;  // 1..kMaxRouters, unique names

  friend bool operator==(const IspInput&, const IspInput&) = default;
};

// attest::Tier as it travels.
enum class RouterStatus : uint8_t { kNone = 0, kAffirming = 1, kWarning = 2, kContraindicated = 3 };
std::string_view RouterStatusName(RouterStatus status);  // "none", "affirming", ...
RouterStatus StatusOfTier(attest::Tier tier);

using TrustClaims = std::array<int8_t, kTrustClaims>;
TrustClaims ClaimsOf(const attest::TrustVector& trust);
attest::TrustVector TrustVectorOf(const TrustClaims& claims);

struct RouterResult {
  std::string name;
  RouterStatus status = RouterStatus::kNone;
  std::string format;  // attest::EvidenceFormatName, or "" when the evidence did not parse
  TrustClaims trust{};
  std::vector<std::string> notes;
  Bytes evidence_digest;  // SHA-256 of the evidence as the ISP sent it

  friend bool operator==(const RouterResult&, const RouterResult&) = default;
};

struct IspOutput {
  std::vector<RouterResult> results;  // in the order of the ISP's batch
  std::map<std::string, std::string> policy_refs;
  uint64_t appraisal_nanos = 0;

  friend bool operator==(const IspOutput&, const IspOutput&) = default;
};

struct VendorOutput {
  uint64_t appraised = 0;

  friend bool operator==(const VendorOutput&, const VendorOutput&) = default;
};

// True for 1..kMaxRouterNameBytes of [A-Za-z0-9._-].
bool IsValidRouterName(std::string_view name);

// Encoders check the same limits the decoders enforce, so what one side writes the other reads.
Result<Bytes> EncodeVendorInput(const VendorInput& in);
Result<VendorInput> DecodeVendorInput(ByteView bytes);
Result<Bytes> EncodeIspInput(const IspInput& in);
Result<IspInput> DecodeIspInput(ByteView bytes);
Result<Bytes> EncodeIspOutput(const IspOutput& out);
// Also refuses a result whose status is not the tier of its trust vector (kInconsistent).
Result<IspOutput> DecodeIspOutput(ByteView bytes);
Result<Bytes> EncodeVendorOutput(const VendorOutput& out);
Result<VendorOutput> DecodeVendorOutput(ByteView bytes);

}  // namespace teepnet::workloads::onprem_verifier

#endif  // TEEPNET_WORKLOADS_ONPREM_VERIFIER_MESSAGES_H_
