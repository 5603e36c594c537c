#include "teepnet/workloads/onprem_verifier/appraise.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"
#include "teepnet/workloads/onprem_verifier/errc.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

Error BadMaterial(std::string what, const Error& cause) {
  return Error(Errc::kBadVendorMaterial,
               "onprem-verifier: " + std::move(what) + ": " + std::string(cause.reason_name()));
}

Result<std::vector<crypto::Certificate>> Certificates(const std::vector<Bytes>& ders,
                                                      const char* what) {
  std::vector<crypto::Certificate> out;
  out.reserve(ders.size());
  for (size_t i = 0; i < ders.size(); ++i) {
    auto cert = crypto::Certificate::FromDer(ders[i]);
    if (!cert.ok()) return BadMaterial(std::string(what) + " #" + std::to_string(i), cert.error());
    out.push_back(*std::move(cert));
  }
  return out;
}

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence (the decoder on the
// other side requires valid UTF-8).
std::string Truncated(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::vector<std::string> BoundedNotes(const std::vector<std::string>& notes) {
  std::vector<std::string> out;
  for (size_t i = 0; i < notes.size() && out.size() < kMaxNotes; ++i) {
    if (out.size() + 1 == kMaxNotes && notes.size() > kMaxNotes) {
      out.push_back("and " + std::to_string(notes.size() - i) + " more findings");
      break;
    }
    out.push_back(Truncated(notes[i], kMaxNoteBytes));
  }
  return out;
}

// Evidence the Verifier refused to appraise at all: a verdict nonetheless, contraindicated on
// instance identity (AR4SI: 97 "unrecognized" when no endorsement covers its format, 99
// "cryptographic validation failed" when it does not even parse).
RouterResult Unappraisable(const RouterEvidence& router, const Error& why) {
  RouterResult res;
  res.name = router.name;
  auto format = attest::DetectFormat(router.evidence);
  if (format.ok()) res.format = std::string(attest::EvidenceFormatName(*format));
  attest::TrustVector trust;
  trust.instance_identity = why.Is(attest::Errc::kNoEndorsements)
                                ? attest::ar4si::kUnrecognizedInstance
                                : attest::ar4si::kCryptoValidationFailed;
  res.trust = ClaimsOf(trust);
  res.status = StatusOfTier(trust.Overall());
  res.notes.push_back(
      Truncated("evidence not appraised: " + std::string(why.reason_name()), kMaxNoteBytes));
  res.evidence_digest = crypto::Sha256(router.evidence);
  return res;
}

}  // namespace

Result<attest::VerifierConfig> VerifierConfigOf(const VendorInput& vendor) {
  attest::VerifierConfig config;
  if (!vendor.psa_anchors.empty() || !vendor.psa_references.empty() || !vendor.corims.empty()) {
    attest::PsaEndorsements psa;
    for (size_t i = 0; i < vendor.psa_anchors.size(); ++i) {
      const PsaAnchor& a = vendor.psa_anchors[i];
      auto key = crypto::PublicKey::FromSpkiDer(a.key_spki);
      if (!key.ok()) return BadMaterial("PSA anchor #" + std::to_string(i), key.error());
      psa.AddTrustAnchor(attest::PsaTrustAnchor{a.implementation_id, a.instance_id, *key});
    }
    for (const PsaReference& ref : vendor.psa_references) {
      psa.AddSwReference(attest::PsaSwReference{ref.implementation_id, ref.type, ref.version,
                                                ref.signer_id, ref.measurement});
    }
    for (size_t i = 0; i < vendor.corims.size(); ++i) {
      if (Status s = psa.AddCorim(vendor.corims[i]); !s.ok()) {
        return BadMaterial("CoRIM #" + std::to_string(i), s.error());
      }
    }
    config.psa = std::move(psa);
  }
  if (!vendor.snp_roots.empty()) {
    attest::SnpTrust snp;
    TEEPNET_ASSIGN_OR_RETURN(snp.roots, Certificates(vendor.snp_roots, "SEV-SNP trust anchor"));
    TEEPNET_ASSIGN_OR_RETURN(snp.intermediates,
                             Certificates(vendor.snp_intermediates, "SEV-SNP intermediate"));
    TEEPNET_ASSIGN_OR_RETURN(snp.leaves,
                             Certificates(vendor.snp_leaves, "SEV-SNP chip endorsement"));
    config.snp = std::move(snp);
  }
  for (const auto& [name, json] : vendor.policies) {
    std::optional<attest::EvidenceFormat> format = attest::EvidenceFormatFromName(name);
    if (!format) {
      return Error(Errc::kBadVendorMaterial,
                   "onprem-verifier: a policy for an unknown evidence format");
    }
    config.policies.emplace(*format, json);
  }
  return config;
}

Result<attest::Verifier> MakeVerifier(const VendorInput& vendor) {
  TEEPNET_ASSIGN_OR_RETURN(attest::VerifierConfig config, VerifierConfigOf(vendor));
  auto verifier = attest::Verifier::Create(std::move(config));
  if (!verifier.ok()) return BadMaterial("policy", verifier.error());
  return verifier;
}

Appraised AppraiseBatch(const attest::Verifier& verifier, const IspInput& batch, int64_t now_unix) {
  Appraised out;
  out.isp.results.reserve(batch.routers.size());
  const auto start = std::chrono::steady_clock::now();
  for (const RouterEvidence& router : batch.routers) {
    // The nonce the ISP gave this router is the report data its evidence must carry: evidence
    // bound to any other value (a replayed or stale report) is contraindicated by the Verifier.
    Result<attest::Verdict> verdict =
        verifier.Verify(router.evidence, std::nullopt, ByteView(router.nonce), now_unix);
    if (!verdict.ok()) {
      out.isp.results.push_back(Unappraisable(router, verdict.error()));
      continue;
    }
    const attest::Appraisal& a = verdict->appraisal;
    RouterResult res;
    res.name = router.name;
    res.format = std::string(attest::EvidenceFormatName(a.format));
    res.trust = ClaimsOf(a.trust);
    res.status = StatusOfTier(a.trust.Overall());
    res.notes = BoundedNotes(a.notes);
    res.evidence_digest = a.evidence_digest;
    out.isp.policy_refs.emplace(res.format, Truncated(verdict->PolicyRef(), kMaxPolicyRefBytes));
    out.isp.results.push_back(std::move(res));
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  out.isp.appraisal_nanos =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
  out.vendor.appraised = out.isp.results.size();
  return out;
}

Result<EncodedOutputs> Compute(ByteView vendor_input, ByteView isp_input, int64_t now_unix) {
  TEEPNET_ASSIGN_OR_RETURN(VendorInput vendor, DecodeVendorInput(vendor_input));
  TEEPNET_ASSIGN_OR_RETURN(IspInput batch, DecodeIspInput(isp_input));
  TEEPNET_ASSIGN_OR_RETURN(attest::Verifier verifier, MakeVerifier(vendor));
  Appraised appraised = AppraiseBatch(verifier, batch, now_unix);
  EncodedOutputs out;
  TEEPNET_ASSIGN_OR_RETURN(out.isp, EncodeIspOutput(appraised.isp));
  TEEPNET_ASSIGN_OR_RETURN(out.vendor, EncodeVendorOutput(appraised.vendor));
  return out;
}

}  // namespace teepnet::workloads::onprem_verifier
