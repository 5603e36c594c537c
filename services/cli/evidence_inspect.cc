// Field-by-field listings of evidence and EARs for `teepnet inspect`.
#include "services/cli/evidence_inspect.h"

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/verifier.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/x509.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear.h"

namespace teepnet::cli {
namespace {

// Collects "name  value" rows under section headings.
class Listing {
 public:
  void Section(const std::string& title) { out_ += title + ":\n"; }
  void Row(const std::string& name, const std::string& value) {
    char pad[64];
    std::snprintf(pad, sizeof pad, "  %-26s ", name.c_str());
    out_ += pad + value + "\n";
  }
  void Hex(const std::string& name, ByteView value) { Row(name, ToHex(value)); }
  void Num(const std::string& name, uint64_t value) { Row(name, std::to_string(value)); }
  void NumHex(const std::string& name, uint64_t value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
    Row(name, buf);
  }
  void Text(const std::string& s) { out_ += s; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string Tcb(uint64_t tcb) {
  // Raw TCB_VERSION bytes; their meaning depends on the product (evidence-formats.md §1).
  char buf[64];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(tcb));
  return buf;
}

std::string Snp(ByteView input) {
  auto r = attest::DecodeSnpReport(input);
  if (!r.ok()) return "";
  Listing l;
  l.Section("SEV-SNP ATTESTATION_REPORT (AMD 56860), 1184 bytes; signed bytes 0x000..0x29F");
  l.Num("VERSION", r->version);
  l.Num("GUEST_SVN", r->guest_svn);
  l.NumHex("POLICY", r->policy);
  l.Row("  debug (bit 19)", (r->policy & attest::snp_policy_bits::kDebug) ? "yes" : "no");
  l.Row("  migrate_ma (bit 18)", (r->policy & attest::snp_policy_bits::kMigrateMa) ? "yes" : "no");
  l.Row("  smt (bit 16)", (r->policy & attest::snp_policy_bits::kSmt) ? "allowed" : "no");
  l.Hex("FAMILY_ID", r->family_id);
  l.Hex("IMAGE_ID", r->image_id);
  l.Num("VMPL", r->vmpl);
  l.Num("SIGNATURE_ALGO", r->signature_algo);
  l.Row("CURRENT_TCB", Tcb(r->current_tcb));
  l.NumHex("PLATFORM_INFO", r->platform_info);
  const char* key = r->signing_key() == attest::SnpSigningKey::kVcek   ? "VCEK"
                    : r->signing_key() == attest::SnpSigningKey::kVlek ? "VLEK"
                    : r->signing_key() == attest::SnpSigningKey::kNone ? "none"
                                                                       : "reserved";
  l.Row("SIGNING_KEY", key);
  l.Row("MASK_CHIP_KEY", r->mask_chip_key() ? "yes" : "no");
  l.Row("AUTHOR_KEY_EN", r->author_key_en() ? "yes" : "no");
  l.Hex("REPORT_DATA", r->report_data);
  l.Hex("MEASUREMENT", r->measurement);
  l.Hex("HOST_DATA", r->host_data);
  l.Hex("ID_KEY_DIGEST", r->id_key_digest);
  l.Hex("AUTHOR_KEY_DIGEST", r->author_key_digest);
  l.Hex("REPORT_ID", r->report_id);
  l.Hex("REPORT_ID_MA", r->report_id_ma);
  l.Row("REPORTED_TCB", Tcb(r->reported_tcb));
  char cpuid[48];
  std::snprintf(cpuid, sizeof cpuid, "family 0x%x model 0x%x stepping 0x%x", r->cpuid_fam_id,
                r->cpuid_mod_id, r->cpuid_step);
  l.Row("CPUID", cpuid);
  l.Hex("CHIP_ID", r->chip_id);
  l.Row("COMMITTED_TCB", Tcb(r->committed_tcb));
  char fw[64];
  std::snprintf(fw, sizeof fw, "%u.%u.%u / %u.%u.%u", r->current_major, r->current_minor,
                r->current_build, r->committed_major, r->committed_minor, r->committed_build);
  l.Row("FIRMWARE current/committed", fw);
  l.Row("LAUNCH_TCB", Tcb(r->launch_tcb));
  l.NumHex("LAUNCH_MIT_VECTOR", r->launch_mit_vector);
  l.NumHex("CURRENT_MIT_VECTOR", r->current_mit_vector);
  l.Row("reserved bytes zero", r->reserved_all_zero ? "yes" : "no");
  l.Section("SIGNATURE (ECDSA P-384 / SHA-384, little-endian R and S)");
  l.Hex("R", r->sig_r);
  l.Hex("S", r->sig_s);
  l.Row("padding zero", r->signature_padding_zero ? "yes" : "no");
  return l.Take();
}

void SgxBody(Listing& l, const attest::SgxReportBody& b) {
  l.Hex("CPUSVN", b.cpusvn);
  l.NumHex("MISCSELECT", b.miscselect);
  l.Hex("ATTRIBUTES", b.attributes);
  l.Row("  debug", (b.attributes[0] & 0x02) ? "yes" : "no");
  l.Hex("MRENCLAVE", b.mrenclave);
  l.Hex("MRSIGNER", b.mrsigner);
  l.Num("ISVPRODID", b.isvprodid);
  l.Num("ISVSVN", b.isvsvn);
  l.Hex("REPORT_DATA", b.report_data);
}

std::string Dcap(ByteView input) {
  auto q = attest::ParseDcapQuote(input);
  if (!q.ok()) return "";
  Listing l;
  l.Section("DCAP quote header (48 bytes)");
  l.Num("version", q->version);
  l.Row("att_key_type", q->att_key_type == 2 ? "2 (ECDSA-256-with-P-256)" : "?");
  l.Row("tee_type", q->tee_type == attest::kDcapTeeTypeTdx ? "0x81 (TDX)" : "0x0 (SGX)");
  if (q->version == 3) {
    l.Num("qe_svn", q->qe_svn);
    l.Num("pce_svn", q->pce_svn);
  }
  l.Hex("qe_vendor_id", q->qe_vendor_id);
  l.Hex("user_data", q->user_data);
  if (q->sgx) {
    l.Section("SGX report body (384 bytes)");
    SgxBody(l, *q->sgx);
  }
  if (q->td) {
    const attest::TdReportBody& t = *q->td;
    l.Section(t.td15 ? "TD report body (TD 1.5, 648 bytes)" : "TD report body (TD 1.0, 584 bytes)");
    l.Hex("TEE_TCB_SVN", t.tee_tcb_svn);
    l.Hex("MRSEAM", t.mrseam);
    l.Hex("MRSIGNERSEAM", t.mrsignerseam);
    l.Hex("SEAMATTRIBUTES", t.seam_attributes);
    l.Hex("TDATTRIBUTES", t.td_attributes);
    l.Row("  debug", (t.td_attributes[0] & 0x01) ? "yes" : "no");
    l.Hex("XFAM", t.xfam);
    l.Hex("MRTD", t.mrtd);
    l.Hex("MRCONFIGID", t.mrconfigid);
    l.Hex("MROWNER", t.mrowner);
    l.Hex("MROWNERCONFIG", t.mrownerconfig);
    for (size_t i = 0; i < t.rtmr.size(); ++i) l.Hex("RTMR" + std::to_string(i), t.rtmr[i]);
    l.Hex("REPORTDATA", t.report_data);
    if (t.td15) {
      l.Hex("TEE_TCB_SVN2", t.tee_tcb_svn2);
      l.Hex("MRSERVICETD", t.mrservicetd);
    }
  }
  l.Section("Signature data (ECDSA P-256)");
  l.Hex("quote signature (r||s)", q->quote_signature);
  l.Hex("attestation key (X||Y)", q->attestation_key);
  l.Section("QE report (SGX report body of the Quoting Enclave)");
  SgxBody(l, q->qe_report);
  l.Hex("QE report signature", q->qe_report_signature);
  l.Hex("QE auth data", q->qe_auth_data);
  l.Num("certification data type", q->cert_data_type);
  if (q->cert_data_type == attest::kDcapCertDataPckChainPem) {
    auto certs = crypto::Certificate::ParsePemBundle(AsChars(q->cert_data));
    if (certs.ok()) {
      for (const auto& c : *certs) l.Row("PCK chain", c.subject());
    }
  }
  l.Num("trailing bytes", q->trailing.size());
  if (!q->trailing.empty()) l.Row("  all zero", q->trailing_all_zero ? "yes" : "no");
  return l.Take();
}

std::string Csv(ByteView input) {
  Bytes wrapper;
  ByteView bytes = input;
  if (!input.empty() && input.front() == '{') {
    auto w = attest::CsvWrapperFromTrusteeJson(AsChars(input));
    if (!w.ok()) return "";
    wrapper = std::move(w).value();
    bytes = wrapper;
  }
  auto r = attest::DecodeCsvReport(bytes);
  if (!r.ok()) return "";
  Listing l;
  l.Section("Hygon CSV attestation report (4116-byte wrapper, fields unmasked with ANONCE)");
  l.Num("version", r->version);
  l.NumHex("flags", r->flags);
  l.NumHex("ANONCE", r->anonce);
  l.Hex("USER_PUBKEY_DIGEST", r->user_pubkey_digest);
  l.Hex("VM_ID", r->vm_id);
  l.Hex("VM_VERSION", r->vm_version);
  l.Hex("REPORT_DATA", r->report_data);
  l.Hex("MNONCE", r->mnonce);
  l.Hex("MEASURE", r->measure);
  l.NumHex("POLICY", r->policy);
  l.Row("  debug allowed", (r->policy & attest::kCsvPolicyNoDebug) ? "no (NODBG)" : "yes");
  l.NumHex("SIG_USAGE", r->sig_usage);
  l.NumHex("SIG_ALGO", r->sig_algo);
  l.Row("CHIP_SERIAL", r->chip_serial);
  l.Hex("MAC", r->mac);
  l.Row("reserved bytes zero", r->reserved_zero ? "yes" : "no");
  return l.Take();
}

void PsaClaimRows(Listing& l, const attest::PsaClaims& c) {
  l.Row("eat_profile (265)", c.profile);
  l.Hex("nonce / challenge (10)", c.nonce);
  l.Hex("instance-id / ueid (256)", c.instance_id);
  if (c.client_id) l.Row("client-id (2394)", std::to_string(*c.client_id));
  char lc[64];
  std::snprintf(lc, sizeof lc, "0x%04llx (%s)", static_cast<unsigned long long>(c.lifecycle),
                attest::LifecycleName(attest::LifecycleOf(c.lifecycle)));
  l.Row("security-lifecycle (2395)", lc);
  l.Hex("implementation-id (2396)", c.implementation_id);
  if (!c.boot_seed.empty()) l.Hex("boot-seed (2397)", c.boot_seed);
  if (!c.certification_reference.empty()) {
    l.Row("certification-ref (2398)", c.certification_reference);
  }
  if (!c.verification_service.empty()) l.Row("verification-svc (2400)", c.verification_service);
  if (!c.platform_config.empty()) l.Hex("platform-config (2401)", c.platform_config);
  if (!c.hash_alg_id.empty()) l.Row("hash-algo-id (2402)", c.hash_alg_id);
  for (size_t i = 0; i < c.sw_components.size(); ++i) {
    const auto& s = c.sw_components[i];
    std::string p = "sw-component[" + std::to_string(i) + "]";
    l.Row(p + " type (1)", s.type);
    l.Hex(p + " measurement (2)", s.measurement);
    if (!s.version.empty()) l.Row(p + " version (4)", s.version);
    if (!s.signer_id.empty()) l.Hex(p + " signer-id (5)", s.signer_id);
    if (!s.description.empty()) l.Row(p + " desc (6)", s.description);
  }
}

std::string Psa(ByteView input) {
  auto t = attest::ParsePsaToken(input);
  if (!t.ok()) return "";
  Listing l;
  l.Section("PSA attestation token (RFC 9783): COSE_Sign1, signature not checked here");
  PsaClaimRows(l, t->claims);
  return l.Take();
}

std::string Cca(ByteView input) {
  auto t = attest::ParseCcaToken(input);
  if (!t.ok()) return "";
  Listing l;
  l.Section("CCA platform token (44234): COSE_Sign1 signed by the CPAK, not checked here");
  PsaClaimRows(l, t->platform_claims);
  const attest::CcaRealmClaims& r = t->realm_claims;
  l.Section("CCA realm token (44241): COSE_Sign1 signed by the RAK, not checked here");
  l.Row("profile (265)", r.profile.empty() ? "(original profile)" : r.profile);
  l.Hex("challenge (10)", r.challenge);
  l.Hex("personalization (44235)", r.personalization_value);
  l.Row("hash-algo-id (44236)", r.hash_alg);
  l.Hex("public-key (44237)", r.public_key_claim);
  l.Row("  encoding",
        r.key_encoding == attest::RealmKeyEncoding::kCoseKey ? "COSE_Key" : "SEC1 point");
  l.Hex("initial-measurement (44238)", r.initial_measurement);
  for (size_t i = 0; i < r.extensible_measurements.size(); ++i) {
    l.Hex("REM" + std::to_string(i) + " (44239)", r.extensible_measurements[i]);
  }
  l.Row("pubkey-hash-algo (44240)", r.public_key_hash_alg);
  return l.Take();
}

std::string EarListing(const char* form, const nlohmann::json& header, const eat::Ear& ear) {
  std::string out = std::string("EAR (draft-ietf-rats-ear) as ") + form +
                    "; signature not checked here (use `teepnet attest verify-ear`)\n";
  if (!header.is_null()) out += "header: " + header.dump() + "\n";
  out += "claims:\n" + eat::EarToJson(ear).dump(2) + "\n";
  return out;
}

std::optional<std::string> EarJwt(ByteView input) {
  std::string text(AsChars(input));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t d1 = text.find('.');
  size_t d2 = d1 == std::string::npos ? d1 : text.find('.', d1 + 1);
  if (d2 == std::string::npos || text.find('.', d2 + 1) != std::string::npos) return std::nullopt;
  auto header = eat::Base64UrlDecode(text.substr(0, d1));
  auto payload = eat::Base64UrlDecode(text.substr(d1 + 1, d2 - d1 - 1));
  if (!header.ok() || !payload.ok()) return std::nullopt;
  auto h = nlohmann::json::parse(AsChars(*header), nullptr, /*allow_exceptions=*/false);
  auto p = nlohmann::json::parse(AsChars(*payload), nullptr, /*allow_exceptions=*/false);
  if (h.is_discarded() || p.is_discarded() || !p.is_object()) return std::nullopt;
  auto ear = eat::EarFromJson(p);
  if (!ear.ok()) return std::nullopt;
  return EarListing("JWT", h, *ear);
}

std::optional<std::string> EarCwt(ByteView input) {
  auto msg = cose::Sign1Message::Decode(input);
  if (!msg.ok() || !msg->payload()) return std::nullopt;
  auto claims = cbor::Decode(*msg->payload());
  if (!claims.ok()) return std::nullopt;
  auto ear = eat::EarFromCbor(*claims);
  if (!ear.ok()) return std::nullopt;
  return EarListing("CWT (COSE_Sign1)", nullptr, *ear);
}

}  // namespace

std::optional<EvidenceListing> InspectEvidence(ByteView input) {
  auto format = attest::DetectFormat(input);
  if (format.ok()) {
    std::string text;
    bool is_cbor = false;
    switch (*format) {
      case attest::EvidenceFormat::kSevSnpReport: text = Snp(input); break;
      case attest::EvidenceFormat::kSgxQuoteV3:
      case attest::EvidenceFormat::kTdxQuote: text = Dcap(input); break;
      case attest::EvidenceFormat::kCsvReport: text = Csv(input); break;
      case attest::EvidenceFormat::kPsaToken:
        text = Psa(input);
        is_cbor = true;
        break;
      case attest::EvidenceFormat::kCcaToken:
        text = Cca(input);
        is_cbor = true;
        break;
    }
    if (!text.empty()) return EvidenceListing{std::move(text), is_cbor};
  }
  if (auto jwt = EarJwt(input)) return EvidenceListing{std::move(*jwt), false};
  if (auto cwt = EarCwt(input)) return EvidenceListing{std::move(*cwt), true};
  return std::nullopt;
}

}  // namespace teepnet::cli
