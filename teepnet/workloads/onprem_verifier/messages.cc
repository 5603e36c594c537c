#include "teepnet/workloads/onprem_verifier/messages.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/workloads/onprem_verifier/errc.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

constexpr size_t kVendorInputKeys = 8;
constexpr size_t kIspInputKeys = 2;
constexpr size_t kIspOutputKeys = 3;
constexpr size_t kVendorOutputKeys = 1;
constexpr size_t kAnchorFields = 3;
constexpr size_t kReferenceFields = 5;
constexpr size_t kRouterFields = 3;
constexpr size_t kResultFields = 6;

Error Malformed(std::string what, size_t offset = kNoOffset) {
  return Error(Errc::kMalformed, "onprem-verifier: " + std::move(what), offset);
}

Error TooLarge(std::string what, size_t offset = kNoOffset) {
  return Error(Errc::kTooLarge, "onprem-verifier: " + std::move(what), offset);
}

// ----- decoding -------------------------------------------------------------------------------

// A map of exactly `keys` entries whose keys are 1..keys in ascending order: the deterministic
// order of RFC 8949 §4.2.1 for small unsigned keys (the pull Reader does not sort-check keys).
Status ReadMapHead(cbor::Reader& r, const char* what, size_t keys) {
  const size_t at = r.offset();
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || n != keys) {
    return Malformed(std::string(what) + " is a map of keys 1.." + std::to_string(keys), at);
  }
  return OkStatus();
}

Status ReadKey(cbor::Reader& r, const char* what, uint64_t expected) {
  const size_t at = r.offset();
  uint64_t key = 0;
  if (!r.ReadUint(&key).ok() || key != expected) {
    return Malformed(std::string(what) + ": expected key " + std::to_string(expected), at);
  }
  return OkStatus();
}

Status ReadArray(cbor::Reader& r, const char* what, size_t max, size_t* n) {
  const size_t at = r.offset();
  if (!r.ReadArrayHeader(n).ok()) return Malformed(std::string(what) + " must be an array", at);
  if (*n > max) {
    return TooLarge(std::string(what) + " holds more than " + std::to_string(max) + " items", at);
  }
  return OkStatus();
}

Status ReadTuple(cbor::Reader& r, const char* what, size_t fields) {
  const size_t at = r.offset();
  size_t n = 0;
  if (!r.ReadArrayHeader(&n).ok() || n != fields) {
    return Malformed(std::string(what) + " is an array of " + std::to_string(fields), at);
  }
  return OkStatus();
}

Status ReadBstr(cbor::Reader& r, const char* what, size_t min, size_t max, Bytes* out) {
  const size_t at = r.offset();
  ByteView b;
  if (!r.ReadBytes(&b).ok()) return Malformed(std::string(what) + " must be a bstr", at);
  if (b.size() > max) {
    return TooLarge(std::string(what) + " is longer than " + std::to_string(max) + " bytes", at);
  }
  if (b.size() < min) {
    return Malformed(std::string(what) + " is shorter than " + std::to_string(min) + " bytes", at);
  }
  *out = ToBytes(b);
  return OkStatus();
}

Status ReadTstr(cbor::Reader& r, const char* what, size_t max, std::string* out) {
  const size_t at = r.offset();
  std::string_view t;
  if (!r.ReadText(&t).ok()) return Malformed(std::string(what) + " must be a tstr", at);
  if (t.size() > max) {
    return TooLarge(std::string(what) + " is longer than " + std::to_string(max) + " bytes", at);
  }
  *out = std::string(t);
  return OkStatus();
}

Status ReadBstrList(cbor::Reader& r, const char* what, size_t max_items, size_t max_bytes,
                    std::vector<Bytes>* out) {
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, what, max_items, &n));
  out->resize(n);
  for (Bytes& b : *out) TEEPNET_RETURN_IF_ERROR(ReadBstr(r, what, 1, max_bytes, &b));
  return OkStatus();
}

// {* tstr => tstr} with keys unique and in deterministic order (shorter first, then bytewise).
Status ReadTextMap(cbor::Reader& r, const char* what, size_t max_pairs, size_t max_key,
                   size_t max_value, std::map<std::string, std::string>* out) {
  const size_t at = r.offset();
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok()) return Malformed(std::string(what) + " must be a map", at);
  if (n > max_pairs) {
    return TooLarge(std::string(what) + " holds more than " + std::to_string(max_pairs), at);
  }
  std::string previous;
  for (size_t i = 0; i < n; ++i) {
    const size_t key_at = r.offset();
    std::string key, value;
    TEEPNET_RETURN_IF_ERROR(ReadTstr(r, what, max_key, &key));
    if (key.empty()) return Malformed(std::string(what) + ": empty key", key_at);
    // RFC 8949 §4.2.1: keys sorted by their encodings; for text keys of up to 23 bytes that
    // is length first, then bytewise.
    if (i > 0 &&
        (key.size() < previous.size() || (key.size() == previous.size() && key <= previous))) {
      return Malformed(std::string(what) + ": keys out of deterministic order or repeated", key_at);
    }
    TEEPNET_RETURN_IF_ERROR(ReadTstr(r, what, max_value, &value));
    previous = key;
    out->emplace(std::move(key), std::move(value));
  }
  return OkStatus();
}

Status ReadSmallUint(cbor::Reader& r, const char* what, uint64_t max, uint64_t* out) {
  const size_t at = r.offset();
  if (!r.ReadUint(out).ok()) return Malformed(std::string(what) + " must be a uint", at);
  if (*out > max) return Malformed(std::string(what) + " out of range", at);
  return OkStatus();
}

Status ExpectEnd(cbor::Reader& r, const char* what) {
  const size_t at = r.offset();
  if (!r.ExpectEnd().ok()) return Malformed(std::string("bytes after the ") + what, at);
  return OkStatus();
}

Status ReadRouter(cbor::Reader& r, RouterEvidence* out) {
  TEEPNET_RETURN_IF_ERROR(ReadTuple(r, "router-evidence", kRouterFields));
  const size_t name_at = r.offset();
  TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "router name", kMaxRouterNameBytes, &out->name));
  if (!IsValidRouterName(out->name)) {
    return Malformed(
        "router name is not 1.." + std::to_string(kMaxRouterNameBytes) + " of [A-Za-z0-9._-]",
        name_at);
  }
  TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "nonce", kMinNonceBytes, kMaxNonceBytes, &out->nonce));
  return ReadBstr(r, "evidence", 1, kMaxEvidenceBytes, &out->evidence);
}

Status ReadResult(cbor::Reader& r, RouterResult* out) {
  TEEPNET_RETURN_IF_ERROR(ReadTuple(r, "router-result", kResultFields));
  const size_t name_at = r.offset();
  TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "router name", kMaxRouterNameBytes, &out->name));
  if (!IsValidRouterName(out->name)) return Malformed("invalid router name", name_at);
  uint64_t status = 0;
  TEEPNET_RETURN_IF_ERROR(
      ReadSmallUint(r, "status", static_cast<uint64_t>(RouterStatus::kContraindicated), &status));
  out->status = static_cast<RouterStatus>(status);
  TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "format", kMaxFormatNameBytes, &out->format));
  const size_t trust_at = r.offset();
  TEEPNET_RETURN_IF_ERROR(ReadTuple(r, "trust vector", kTrustClaims));
  for (int8_t& claim : out->trust) {
    const size_t at = r.offset();
    int64_t v = 0;
    if (!r.ReadInt(&v).ok() || v < -128 || v > 127) {
      return Malformed("a trust claim is an int in -128..127", at);
    }
    claim = static_cast<int8_t>(v);
  }
  if (StatusOfTier(TrustVectorOf(out->trust).Overall()) != out->status) {
    return Error(Errc::kInconsistent, "onprem-verifier: status is not the tier of the trust vector",
                 trust_at);
  }
  size_t notes = 0;
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, "notes", kMaxNotes, &notes));
  out->notes.resize(notes);
  for (std::string& note : out->notes) {
    TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "note", kMaxNoteBytes, &note));
  }
  return ReadBstr(r, "evidence digest", kDigestBytes, kDigestBytes, &out->evidence_digest);
}

// ----- encoding -------------------------------------------------------------------------------

Status CheckBstr(ByteView b, const char* what, size_t min, size_t max) {
  if (b.size() > max) return TooLarge(std::string(what) + " is too long");
  if (b.size() < min) return Malformed(std::string(what) + " is too short");
  return OkStatus();
}

Status CheckText(std::string_view t, const char* what, size_t max) {
  if (t.size() > max) return TooLarge(std::string(what) + " is too long");
  return OkStatus();
}

Status WriteBstrList(cbor::Writer& w, const std::vector<Bytes>& list, const char* what,
                     size_t max_items, size_t max_bytes) {
  if (list.size() > max_items) return TooLarge(std::string(what) + ": too many items");
  w.WriteArrayHeader(list.size());
  for (const Bytes& b : list) {
    TEEPNET_RETURN_IF_ERROR(CheckBstr(b, what, 1, max_bytes));
    w.WriteBytes(b);
  }
  return OkStatus();
}

// std::map orders keys bytewise; deterministic CBOR orders text keys by length first.
Status WriteTextMap(cbor::Writer& w, const std::map<std::string, std::string>& m, const char* what,
                    size_t max_pairs, size_t max_key, size_t max_value) {
  if (m.size() > max_pairs) return TooLarge(std::string(what) + ": too many entries");
  std::vector<const std::pair<const std::string, std::string>*> sorted;
  for (const auto& entry : m) {
    if (entry.first.empty()) return Malformed(std::string(what) + ": empty key");
    TEEPNET_RETURN_IF_ERROR(CheckText(entry.first, what, max_key));
    TEEPNET_RETURN_IF_ERROR(CheckText(entry.second, what, max_value));
    sorted.push_back(&entry);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->first.size() < b->first.size(); });
  w.WriteMapHeader(sorted.size());
  for (const auto* entry : sorted) {
    w.WriteText(entry->first);
    w.WriteText(entry->second);
  }
  return OkStatus();
}

}  // namespace

bool IsValidRouterName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRouterNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view RouterStatusName(RouterStatus status) {
  switch (status) {
    case RouterStatus::kNone: return "none";
    case RouterStatus::kAffirming: return "affirming";
    case RouterStatus::kWarning: return "warning";
    case RouterStatus::kContraindicated: return "contraindicated";
  }
  return "unknown";
}

RouterStatus StatusOfTier(attest::Tier tier) {
  switch (tier) {
    case attest::Tier::kNone: return RouterStatus::kNone;
    case attest::Tier::kAffirming: return RouterStatus::kAffirming;
    case attest::Tier::kWarning: return RouterStatus::kWarning;
    case attest::Tier::kContraindicated: return RouterStatus::kContraindicated;
  }
  return RouterStatus::kContraindicated;
}

TrustClaims ClaimsOf(const attest::TrustVector& t) {
  return {t.instance_identity, t.configuration,  t.executables,    t.file_system,
          t.hardware,          t.runtime_opaque, t.storage_opaque, t.sourced_data};
}

attest::TrustVector TrustVectorOf(const TrustClaims& c) {
  attest::TrustVector t;
  t.instance_identity = c[0];
  t.configuration = c[1];
  t.executables = c[2];
  t.file_system = c[3];
  t.hardware = c[4];
  t.runtime_opaque = c[5];
  t.storage_opaque = c[6];
  t.sourced_data = c[7];
  return t;
}

Result<Bytes> EncodeVendorInput(const VendorInput& in) {
  TEEPNET_RETURN_IF_ERROR(CheckText(in.label, "label", kMaxLabelBytes));
  if (in.psa_anchors.size() > kMaxPsaAnchors) return TooLarge("too many PSA anchors");
  if (in.psa_references.size() > kMaxPsaReferences) return TooLarge("too many PSA references");
  cbor::Writer w;
  w.WriteMapHeader(kVendorInputKeys);
  w.WriteUint(1);
  w.WriteText(in.label);
  w.WriteUint(2);
  w.WriteArrayHeader(in.psa_anchors.size());
  for (const PsaAnchor& a : in.psa_anchors) {
    TEEPNET_RETURN_IF_ERROR(CheckBstr(a.implementation_id, "implementation-id", 1, kMaxIdBytes));
    TEEPNET_RETURN_IF_ERROR(CheckBstr(a.instance_id, "instance-id", 1, kMaxIdBytes));
    TEEPNET_RETURN_IF_ERROR(CheckBstr(a.key_spki, "IAK", 1, kMaxKeyBytes));
    w.WriteArrayHeader(kAnchorFields);
    w.WriteBytes(a.implementation_id);
    w.WriteBytes(a.instance_id);
    w.WriteBytes(a.key_spki);
  }
  w.WriteUint(3);
  w.WriteArrayHeader(in.psa_references.size());
  for (const PsaReference& ref : in.psa_references) {
    TEEPNET_RETURN_IF_ERROR(CheckBstr(ref.implementation_id, "implementation-id", 0, kMaxIdBytes));
    TEEPNET_RETURN_IF_ERROR(CheckText(ref.type, "component type", kMaxComponentTextBytes));
    TEEPNET_RETURN_IF_ERROR(CheckText(ref.version, "component version", kMaxComponentTextBytes));
    TEEPNET_RETURN_IF_ERROR(CheckBstr(ref.signer_id, "signer-id", 0, kMaxIdBytes));
    TEEPNET_RETURN_IF_ERROR(CheckBstr(ref.measurement, "measurement", 1, kMaxMeasurementBytes));
    w.WriteArrayHeader(kReferenceFields);
    w.WriteBytes(ref.implementation_id);
    w.WriteText(ref.type);
    w.WriteText(ref.version);
    w.WriteBytes(ref.signer_id);
    w.WriteBytes(ref.measurement);
  }
  w.WriteUint(4);
  TEEPNET_RETURN_IF_ERROR(WriteBstrList(w, in.corims, "CoRIM", kMaxCorims, kMaxCorimBytes));
  w.WriteUint(5);
  TEEPNET_RETURN_IF_ERROR(WriteBstrList(w, in.snp_roots, "SEV-SNP trust anchor", kMaxCertificates,
                                        kMaxCertificateBytes));
  w.WriteUint(6);
  TEEPNET_RETURN_IF_ERROR(WriteBstrList(w, in.snp_intermediates, "SEV-SNP intermediate",
                                        kMaxCertificates, kMaxCertificateBytes));
  w.WriteUint(7);
  TEEPNET_RETURN_IF_ERROR(WriteBstrList(w, in.snp_leaves, "SEV-SNP chip endorsement",
                                        kMaxCertificates, kMaxCertificateBytes));
  w.WriteUint(8);
  TEEPNET_RETURN_IF_ERROR(
      WriteTextMap(w, in.policies, "policies", kMaxPolicies, kMaxFormatNameBytes, kMaxPolicyBytes));
  return std::move(w).Take();
}

Result<VendorInput> DecodeVendorInput(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  VendorInput out;
  TEEPNET_RETURN_IF_ERROR(ReadMapHead(r, "vendor-input", kVendorInputKeys));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 1));
  TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "label", kMaxLabelBytes, &out.label));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 2));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, "PSA anchors", kMaxPsaAnchors, &n));
  out.psa_anchors.resize(n);
  for (PsaAnchor& a : out.psa_anchors) {
    TEEPNET_RETURN_IF_ERROR(ReadTuple(r, "psa-anchor", kAnchorFields));
    TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "implementation-id", 1, kMaxIdBytes, &a.implementation_id));
    TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "instance-id", 1, kMaxIdBytes, &a.instance_id));
    TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "IAK", 1, kMaxKeyBytes, &a.key_spki));
  }
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 3));
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, "PSA references", kMaxPsaReferences, &n));
  out.psa_references.resize(n);
  for (PsaReference& ref : out.psa_references) {
    TEEPNET_RETURN_IF_ERROR(ReadTuple(r, "psa-reference", kReferenceFields));
    TEEPNET_RETURN_IF_ERROR(
        ReadBstr(r, "implementation-id", 0, kMaxIdBytes, &ref.implementation_id));
    TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "component type", kMaxComponentTextBytes, &ref.type));
    TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "component version", kMaxComponentTextBytes, &ref.version));
    TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "signer-id", 0, kMaxIdBytes, &ref.signer_id));
    TEEPNET_RETURN_IF_ERROR(ReadBstr(r, "measurement", 1, kMaxMeasurementBytes, &ref.measurement));
  }
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 4));
  TEEPNET_RETURN_IF_ERROR(ReadBstrList(r, "CoRIMs", kMaxCorims, kMaxCorimBytes, &out.corims));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 5));
  TEEPNET_RETURN_IF_ERROR(ReadBstrList(r, "SEV-SNP trust anchors", kMaxCertificates,
                                       kMaxCertificateBytes, &out.snp_roots));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 6));
  TEEPNET_RETURN_IF_ERROR(ReadBstrList(r, "SEV-SNP intermediates", kMaxCertificates,
                                       kMaxCertificateBytes, &out.snp_intermediates));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 7));
  TEEPNET_RETURN_IF_ERROR(ReadBstrList(r, "SEV-SNP chip endorsements", kMaxCertificates,
                                       kMaxCertificateBytes, &out.snp_leaves));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-input", 8));
  TEEPNET_RETURN_IF_ERROR(ReadTextMap(r, "policies", kMaxPolicies, kMaxFormatNameBytes,
                                      kMaxPolicyBytes, &out.policies));
  TEEPNET_RETURN_IF_ERROR(ExpectEnd(r, "vendor-input"));
  return out;
}

Result<Bytes> EncodeIspInput(const IspInput& in) {
  TEEPNET_RETURN_IF_ERROR(CheckText(in.label, "label", kMaxLabelBytes));
  if (in.routers.empty()) return Malformed("a batch holds at least one router");
  if (in.routers.size() > kMaxRouters) return TooLarge("too many routers in one batch");
  std::set<std::string_view> names;
  cbor::Writer w;
  w.WriteMapHeader(kIspInputKeys);
  w.WriteUint(1);
  w.WriteText(in.label);
  w.WriteUint(2);
  w.WriteArrayHeader(in.routers.size());
  for (const RouterEvidence& router : in.routers) {
    if (!IsValidRouterName(router.name)) return Malformed("invalid router name");
    if (!names.insert(router.name).second) {
      return Error(Errc::kDuplicateName, "onprem-verifier: a router name appears twice");
    }
    TEEPNET_RETURN_IF_ERROR(CheckBstr(router.nonce, "nonce", kMinNonceBytes, kMaxNonceBytes));
    TEEPNET_RETURN_IF_ERROR(CheckBstr(router.evidence, "evidence", 1, kMaxEvidenceBytes));
    w.WriteArrayHeader(kRouterFields);
    w.WriteText(router.name);
    w.WriteBytes(router.nonce);
    w.WriteBytes(router.evidence);
  }
  return std::move(w).Take();
}

Result<IspInput> DecodeIspInput(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  IspInput out;
  TEEPNET_RETURN_IF_ERROR(ReadMapHead(r, "isp-input", kIspInputKeys));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "isp-input", 1));
  TEEPNET_RETURN_IF_ERROR(ReadTstr(r, "label", kMaxLabelBytes, &out.label));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "isp-input", 2));
  const size_t list_at = r.offset();
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, "routers", kMaxRouters, &n));
  if (n == 0) return Malformed("a batch holds at least one router", list_at);
  out.routers.resize(n);
  std::set<std::string> names;
  for (RouterEvidence& router : out.routers) {
    const size_t at = r.offset();
    TEEPNET_RETURN_IF_ERROR(ReadRouter(r, &router));
    if (!names.insert(router.name).second) {
      // The message names no router: names are the ISP's, and errors reach logs.
      return Error(Errc::kDuplicateName, "onprem-verifier: a router name appears twice", at);
    }
  }
  TEEPNET_RETURN_IF_ERROR(ExpectEnd(r, "isp-input"));
  return out;
}

Result<Bytes> EncodeIspOutput(const IspOutput& out) {
  if (out.results.size() > kMaxRouters) return TooLarge("too many results");
  cbor::Writer w;
  w.WriteMapHeader(kIspOutputKeys);
  w.WriteUint(1);
  w.WriteArrayHeader(out.results.size());
  for (const RouterResult& res : out.results) {
    if (!IsValidRouterName(res.name)) return Malformed("invalid router name");
    if (StatusOfTier(TrustVectorOf(res.trust).Overall()) != res.status) {
      return Error(Errc::kInconsistent, "onprem-verifier: status is not the trust vector's tier");
    }
    TEEPNET_RETURN_IF_ERROR(CheckText(res.format, "format", kMaxFormatNameBytes));
    if (res.notes.size() > kMaxNotes) return TooLarge("too many notes");
    TEEPNET_RETURN_IF_ERROR(
        CheckBstr(res.evidence_digest, "evidence digest", kDigestBytes, kDigestBytes));
    w.WriteArrayHeader(kResultFields);
    w.WriteText(res.name);
    w.WriteUint(static_cast<uint64_t>(res.status));
    w.WriteText(res.format);
    w.WriteArrayHeader(kTrustClaims);
    for (int8_t claim : res.trust) w.WriteInt(claim);
    w.WriteArrayHeader(res.notes.size());
    for (const std::string& note : res.notes) {
      TEEPNET_RETURN_IF_ERROR(CheckText(note, "note", kMaxNoteBytes));
      w.WriteText(note);
    }
    w.WriteBytes(res.evidence_digest);
  }
  w.WriteUint(2);
  TEEPNET_RETURN_IF_ERROR(WriteTextMap(w, out.policy_refs, "policy references", kMaxPolicies,
                                       kMaxFormatNameBytes, kMaxPolicyRefBytes));
  w.WriteUint(3);
  w.WriteUint(out.appraisal_nanos);
  return std::move(w).Take();
}

Result<IspOutput> DecodeIspOutput(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  IspOutput out;
  TEEPNET_RETURN_IF_ERROR(ReadMapHead(r, "isp-output", kIspOutputKeys));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "isp-output", 1));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(ReadArray(r, "results", kMaxRouters, &n));
  out.results.resize(n);
  for (RouterResult& res : out.results) TEEPNET_RETURN_IF_ERROR(ReadResult(r, &res));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "isp-output", 2));
  TEEPNET_RETURN_IF_ERROR(ReadTextMap(r, "policy references", kMaxPolicies, kMaxFormatNameBytes,
                                      kMaxPolicyRefBytes, &out.policy_refs));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "isp-output", 3));
  const size_t at = r.offset();
  if (!r.ReadUint(&out.appraisal_nanos).ok()) return Malformed("nanoseconds must be a uint", at);
  TEEPNET_RETURN_IF_ERROR(ExpectEnd(r, "isp-output"));
  return out;
}

Result<Bytes> EncodeVendorOutput(const VendorOutput& out) {
  cbor::Writer w;
  w.WriteMapHeader(kVendorOutputKeys);
  w.WriteUint(1);
  w.WriteUint(out.appraised);
  return std::move(w).Take();
}

Result<VendorOutput> DecodeVendorOutput(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  VendorOutput out;
  TEEPNET_RETURN_IF_ERROR(ReadMapHead(r, "vendor-output", kVendorOutputKeys));
  TEEPNET_RETURN_IF_ERROR(ReadKey(r, "vendor-output", 1));
  TEEPNET_RETURN_IF_ERROR(ReadSmallUint(r, "appraised", kMaxRouters, &out.appraised));
  TEEPNET_RETURN_IF_ERROR(ExpectEnd(r, "vendor-output"));
  return out;
}

}  // namespace teepnet::workloads::onprem_verifier
