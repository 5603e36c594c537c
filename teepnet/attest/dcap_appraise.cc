#include "teepnet/attest/dcap_appraise.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/dcap_tcb.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

namespace {

using crypto::Certificate;
using crypto::SignatureAlgorithm;

// Lowers a claim to `value` when that is worse (higher tier) than what it holds.
void Worsen(int8_t& claim, int8_t value) {
  if (claim == ar4si::kNoClaim || TierOf(value) > TierOf(claim)) claim = value;
}

struct Ctx {
  Appraisal& a;
  void Fail(int8_t TrustVector::*claim, int8_t value, std::string note) {
    Worsen(a.trust.*claim, value);
    a.notes.push_back(std::move(note));
  }
};

// Cache keys are the deciding inputs themselves, length-prefixed (comparing a few KiB in the
// map is cheaper than hashing them on every appraisal; the PCK chain's key, PckChainKey, is
// compared as views so a hit copies none of it).
Bytes CacheKey(std::initializer_list<ByteView> parts, int64_t at) {
  ByteWriter key;
  for (ByteView p : parts) {
    key.WriteBeU64(p.size());
    key.WriteBytes(p);
  }
  key.WriteBeU64(static_cast<uint64_t>(at));
  return std::move(key).Take();
}

// The pinned trust anchor among the certificates we were given.
const Certificate* FindPinnedRoot(const DcapEndorsements& e, const std::vector<Certificate>& more) {
  const auto& pin = e.parts().root_sha256;
  for (const auto* list : {&e.parts().extra_roots, &e.parts().tcb_signing_chain, &more}) {
    for (const Certificate& c : *list) {
      if (Equal(crypto::Sha256(c.der()), pin)) return &c;
    }
  }
  return nullptr;
}

// CRLs must be current at the evaluation time, or revocation says nothing.
bool CrlsCurrent(const DcapEndorsements& e, int64_t at, std::string* why) {
  for (const auto& crl : e.parts().crls) {
    if (crl.this_update() > at || (crl.next_update() != 0 && crl.next_update() < at)) {
      *why = "CRL of " + crl.issuer() + " is not current at the evaluation time";
      return false;
    }
  }
  return true;
}

// Steps 4-5: PCK chain to the pinned root, with CRLs, and the leaf's SGX extension.
VerifiedPckChain VerifyPckChain(ByteView pem, const DcapEndorsements& e, bool require_crls,
                                int64_t at) {
  VerifiedPckChain out;
  auto chain = Certificate::ParsePemBundle(AsChars(pem));
  if (!chain.ok() || chain->size() < 2) {
    out.why = "PCK certification data is not a PEM chain of at least two certificates";
    return out;
  }
  const Certificate* root = FindPinnedRoot(e, *chain);
  if (root == nullptr) {
    out.why = "no certificate matches the pinned root CA fingerprint";
    return out;
  }
  std::vector<Certificate> intermediates;
  for (size_t i = 1; i < chain->size(); ++i) {
    if (!Equal((*chain)[i].der(), root->der())) intermediates.push_back((*chain)[i]);
  }
  std::string why;
  if (!CrlsCurrent(e, at, &why)) {
    out.why = why;
    return out;
  }
  crypto::ChainOptions options;
  options.at_unix_time = at;
  options.crls = e.parts().crls;
  options.require_crls = require_crls;
  Status chain_ok = crypto::VerifyChain(chain->front(), intermediates, {*root}, options);
  if (!chain_ok.ok()) {
    out.why = "PCK chain: " + chain_ok.error().ToString();
    return out;
  }
  auto key = chain->front().public_key();
  auto ext_der = chain->front().Extension(kSgxExtensionOid);
  if (!key.ok() || key->type() != crypto::KeyType::kP256 || !ext_der) {
    out.why = "PCK leaf has no P-256 key or no SGX extension";
    return out;
  }
  auto ext = ParsePckExtension(*ext_der);
  if (!ext.ok()) {
    out.why = "PCK SGX extension: " + ext.error().ToString();
    return out;
  }
  out.ok = true;
  out.leaf_key = *key;
  out.extension = *ext;
  out.issuer = chain->front().issuer();
  return out;
}

// Step 6 (signatures and signing chain) and the parse of both documents. Parse failures of
// signed collateral are reported as errors by the caller.
Result<VerifiedCollateral> VerifyCollateral(const DcapEndorsements& e, int64_t at) {
  VerifiedCollateral out;
  const auto& p = e.parts();
  out.tcb_info_sha256 = crypto::Sha256(p.tcb_info);
  out.qe_identity_sha256 = crypto::Sha256(p.qe_identity);
  TEEPNET_ASSIGN_OR_RETURN(TcbInfo info, ParseTcbInfo(p.tcb_info));
  TEEPNET_ASSIGN_OR_RETURN(QeIdentity qe, ParseQeIdentity(p.qe_identity));
  out.tcb_info = std::move(info);
  out.qe_identity = std::move(qe);
  const Certificate* root = FindPinnedRoot(e, {});
  if (p.tcb_signing_chain.empty() || root == nullptr) {
    out.why = "TCB signing chain does not reach the pinned root CA";
    return out;
  }
  std::vector<Certificate> intermediates;
  for (size_t i = 1; i < p.tcb_signing_chain.size(); ++i) {
    if (!Equal(p.tcb_signing_chain[i].der(), root->der())) {
      intermediates.push_back(p.tcb_signing_chain[i]);
    }
  }
  crypto::ChainOptions options;
  options.at_unix_time = at;
  options.crls = p.crls;
  Status chain = crypto::VerifyChain(p.tcb_signing_chain.front(), intermediates, {*root}, options);
  if (!chain.ok()) {
    out.why = "TCB signing chain: " + chain.error().ToString();
    return out;
  }
  auto key = p.tcb_signing_chain.front().public_key();
  if (!key.ok()) {
    out.why = "TCB signing certificate has no usable key";
    return out;
  }
  //= evidence-formats.md §2.3 step 6
  //# Verify each signature: ECDSA P-256, hex r||s in "signature", over the exact bytes of the
  //# tcbInfo / enclaveIdentity JSON value as received. Never re-serialize the JSON.
  if (!crypto::Verify(*key, SignatureAlgorithm::kEcdsaSha256, p.tcb_info, p.tcb_info_signature)
           .ok()) {
    out.why = "TCB Info signature does not verify";
    return out;
  }
  if (!crypto::Verify(*key, SignatureAlgorithm::kEcdsaSha256, p.qe_identity,
                      p.qe_identity_signature)
           .ok()) {
    out.why = "QE Identity signature does not verify";
    return out;
  }
  out.ok = true;
  return out;
}

std::string Hex(ByteView b) {
  return ToHex(b);
}

std::string JoinAdvisories(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

// Steps 1-7 shared by SGX and TDX. Fills claims and trust; returns an error only when the
// collateral JSON does not parse.
Status AppraiseCommon(const DcapQuote& q, ByteView evidence, const DcapEndorsements& e,
                      const DcapCommonPolicy& policy, int64_t at, DcapVerificationCache* cache,
                      Appraisal& a) {
  Ctx ctx{a};
  a.evidence_digest = crypto::Sha256(evidence);
  a.claims["version"] = std::to_string(q.version);
  a.claims["tee_type"] = q.td ? "tdx" : "sgx";

  // Step 1: the quote signature over header + body with the attestation key (imported once
  // per distinct key when there is a cache).
  auto att_key = cache != nullptr ? cache->AttestationKey(q.attestation_key)
                                  : crypto::PublicKey::FromCoordinates(crypto::KeyType::kP256,
                                                                       q.attestation_key.first(32),
                                                                       q.attestation_key.last(32));
  if (!att_key.ok() || !crypto::Verify(*att_key, SignatureAlgorithm::kEcdsaSha256, q.signed_region,
                                       q.quote_signature)
                            .ok()) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kCryptoValidationFailed,
             "quote signature does not verify with the attestation key");
  }
  if (!Equal(q.qe_vendor_id, kIntelQeVendorId)) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kUnrecognizedInstance,
             "QE vendor id is not Intel's");
  }

  // Steps 4-5 (cached): PCK chain and SGX extension.
  std::shared_ptr<const VerifiedPckChain> pck;
  if (q.cert_data_type != kDcapCertDataPckChainPem) {
    auto none = std::make_shared<VerifiedPckChain>();
    none->why = "certification data type " + std::to_string(q.cert_data_type) +
                " carries no PCK chain (only type 5 is supported)";
    pck = none;
  } else {
    const PckChainKey key{q.cert_data, e.digest(), at * 2 + (policy.require_crls ? 1 : 0)};
    if (cache != nullptr) pck = cache->FindPck(key);
    if (!pck) {
      pck = std::make_shared<const VerifiedPckChain>(
          VerifyPckChain(q.cert_data, e, policy.require_crls, at));
      if (cache != nullptr) cache->PutPck(key, pck);
    }
  }
  if (!pck->ok) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kCryptoValidationFailed, pck->why);
  } else {
    a.claims["pck_issuer"] = pck->issuer;
    const PckExtension& ext = *pck->extension;
    a.claims["fmspc"] = Hex(ext.fmspc);
    a.claims["pcesvn"] = std::to_string(ext.pcesvn);
    a.claims["cpusvn"] = Hex(ext.cpusvn);
    // Step 2: the QE report is signed by the PCK leaf key.
    if (!crypto::Verify(*pck->leaf_key, SignatureAlgorithm::kEcdsaSha256, q.qe_report.raw,
                        q.qe_report_signature)
             .ok()) {
      ctx.Fail(&TrustVector::instance_identity, ar4si::kCryptoValidationFailed,
               "QE report signature does not verify with the PCK leaf key");
    }
  }

  // Step 3: QE REPORT_DATA = SHA-256(attestation key || QE auth data) || 32 zero bytes.
  crypto::Hasher h(crypto::HashAlgorithm::kSha256);
  h.Update(q.attestation_key);
  h.Update(q.qe_auth_data);
  Bytes expected = h.Finish();
  ByteView rd(q.qe_report.report_data);
  bool tail_zero = std::all_of(rd.begin() + 32, rd.end(), [](uint8_t b) { return b == 0; });
  if (!crypto::ConstantTimeEqual(rd.first(32), expected) || !tail_zero) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kCryptoValidationFailed,
             "QE report does not bind the attestation key");
  }

  // Step 6 (cached): collateral signatures and signing chain.
  std::shared_ptr<const VerifiedCollateral> col;
  Bytes col_key = CacheKey({e.digest()}, at);
  if (cache != nullptr) col = cache->FindCollateral(col_key);
  if (!col) {
    TEEPNET_ASSIGN_OR_RETURN(VerifiedCollateral verified, VerifyCollateral(e, at));
    col = std::make_shared<const VerifiedCollateral>(std::move(verified));
    if (cache != nullptr) cache->PutCollateral(col_key, col);
  }
  a.claims["tcb_info_sha256"] = Hex(col->tcb_info_sha256);
  a.claims["qe_identity_sha256"] = Hex(col->qe_identity_sha256);
  if (!col->ok) {
    ctx.Fail(&TrustVector::hardware, ar4si::kCryptoValidationFailed, col->why);
    return OkStatus();
  }
  const TcbInfo& info = *col->tcb_info;
  const QeIdentity& qe = *col->qe_identity;
  bool fresh = info.issue_date <= at && at <= info.next_update && qe.issue_date <= at &&
               at <= qe.next_update;
  if (!fresh) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "TCB Info or QE Identity is not valid at the evaluation time");
  }
  if (info.is_tdx != q.td.has_value() || qe.id != (q.td ? "TD_QE" : "QE")) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "collateral is for the other TEE type (TCB Info " + info.id + ", QE Identity " +
                 qe.id + ")");
    return OkStatus();
  }
  TcbMatch qe_match = MatchQeIdentity(qe, q.qe_report);
  if (!qe_match.status) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kUnrecognizedInstance, qe_match.why);
    return OkStatus();
  }
  a.claims["qe_tcb_status"] = TcbStatusName(*qe_match.status);
  if (!pck->ok) return OkStatus();
  const PckExtension& ext = *pck->extension;
  if (!Equal(ext.fmspc, info.fmspc) || !Equal(ext.pce_id, info.pce_id)) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "TCB Info is for FMSPC " + Hex(info.fmspc) + ", the PCK certificate says " +
                 Hex(ext.fmspc));
    return OkStatus();
  }

  // Step 7: TCB levels and the combined status.
  const TdReportBody* td = q.td ? &*q.td : nullptr;
  TcbMatch platform = MatchPlatformTcb(info, ext, td);
  if (!platform.status) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated, platform.why);
    return OkStatus();
  }
  a.claims["platform_tcb_status"] = TcbStatusName(*platform.status);
  std::vector<std::string> advisories = platform.advisory_ids;
  TcbStatus status = *platform.status;
  if (td != nullptr) {
    TcbMatch module = MatchTdxModule(info, *td);
    if (!module.status) {
      ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated, module.why);
      return OkStatus();
    }
    a.claims["tdx_module_tcb_status"] = TcbStatusName(*module.status);
    status = CombineTcbStatus(status, *module.status);
    advisories.insert(advisories.end(), module.advisory_ids.begin(), module.advisory_ids.end());
  }
  status = CombineTcbStatus(status, *qe_match.status);
  advisories.insert(advisories.end(), qe_match.advisory_ids.begin(), qe_match.advisory_ids.end());
  a.claims["tcb_status"] = TcbStatusName(status);
  a.claims["tcb_evaluation_data_number"] = std::to_string(info.tcb_evaluation_data_number);
  a.claims["advisory_ids"] = JoinAdvisories(advisories);
  bool accepted =
      status != TcbStatus::kRevoked &&
      std::find(policy.accepted_tcb_statuses.begin(), policy.accepted_tcb_statuses.end(), status) !=
          policy.accepted_tcb_statuses.end();
  if (!accepted) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "TCB status " + std::string(TcbStatusName(status)) + " is not accepted by policy");
  } else if (status != TcbStatus::kUpToDate) {
    ctx.Fail(&TrustVector::hardware, ar4si::kHardwareUnsafe,
             "TCB status " + std::string(TcbStatusName(status)));
  } else {
    Worsen(a.trust.hardware, ar4si::kHardwareGenuine);
  }
  return OkStatus();
}

// The explicit rule for bytes after the signature data (see dcap_policy.h "trailing_bytes").
void ApplyTrailingRule(const DcapQuote& q, TrailingBytesRule rule, Appraisal& a) {
  Ctx ctx{a};
  a.claims["trailing_bytes"] =
      std::to_string(q.trailing.size()) + (q.trailing_all_zero ? " zero" : " non-zero");
  if (q.trailing.empty()) return;
  if (rule == TrailingBytesRule::kReject) {
    ctx.Fail(&TrustVector::configuration, ar4si::kContraindicated,
             "bytes after the quote's signature data (policy rejects any)");
  } else if (!q.trailing_all_zero) {
    if (rule == TrailingBytesRule::kWarn) {
      ctx.Fail(&TrustVector::configuration, ar4si::kWarning,
               "unsigned non-zero bytes after the quote's signature data");
    } else {
      ctx.Fail(&TrustVector::configuration, ar4si::kContraindicated,
               "non-zero bytes after the quote's signature data (only zero padding is accepted)");
    }
  }
}

void ApplyDebugAndReportData(bool debug, ByteView report_data, const DcapCommonPolicy& p,
                             Appraisal& a) {
  Ctx ctx{a};
  a.claims["debug"] = debug ? "true" : "false";
  a.report_data = ToBytes(report_data);
  a.claims["report_data"] = Hex(report_data);
  if (debug && !p.allow_debug) {
    ctx.Fail(&TrustVector::configuration, ar4si::kUnsafeConfig,
             "debug is enabled and the policy forbids it");
  } else if (debug) {
    ctx.Fail(&TrustVector::configuration, ar4si::kWarning, "debug is enabled");
  }
  if (p.report_data && !Equal(*p.report_data, report_data)) {
    ctx.Fail(&TrustVector::instance_identity, ar4si::kContraindicated,
             "REPORT_DATA is not the expected value");
  }
  Worsen(a.trust.configuration, ar4si::kAffirming);
}

template <size_t N>
bool AnyOf(const std::vector<std::array<uint8_t, N>>& allowed, const std::array<uint8_t, N>& v) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

void FinishIdentity(Appraisal& a) {
  // Instance identity is affirmed only when no signature/chain check contraindicated it.
  Worsen(a.trust.instance_identity, ar4si::kAffirming);
}

}  // namespace

Result<Appraisal> AppraiseSgx(ByteView evidence, const DcapEndorsements& endorsements,
                              const SgxPolicy& policy, int64_t at, DcapVerificationCache* cache) {
  TEEPNET_ASSIGN_OR_RETURN(DcapQuote q, ParseDcapQuote(evidence));
  if (!q.sgx)
    return Error(Errc::kDcapUnsupportedTeeType, "a TDX quote given to the SGX appraiser", 4);
  Appraisal a{Architecture::kSgx, EvidenceFormat::kSgxQuoteV3, {}, {}, {}, {}, {}};
  TEEPNET_RETURN_IF_ERROR(AppraiseCommon(q, evidence, endorsements, policy.common, at, cache, a));
  ApplyTrailingRule(q, policy.common.trailing_bytes, a);
  const SgxReportBody& b = *q.sgx;
  a.claims["mrenclave"] = Hex(b.mrenclave);
  a.claims["measurement"] = Hex(b.mrenclave);
  a.claims["mrsigner"] = Hex(b.mrsigner);
  a.claims["isvprodid"] = std::to_string(b.isvprodid);
  a.claims["isvsvn"] = std::to_string(b.isvsvn);
  a.claims["attributes"] = Hex(b.attributes);
  a.claims["miscselect"] = std::to_string(b.miscselect);
  // SGX ATTRIBUTES.DEBUG is bit 1 of byte 0 (evidence-formats.md §2.2).
  ApplyDebugAndReportData((b.attributes[0] & 0x02) != 0, b.report_data, policy.common, a);
  bool named = !policy.mrenclave.empty() || !policy.mrsigner.empty() || policy.isvprodid ||
               policy.min_isvsvn;
  if (named) {
    bool match = AnyOf(policy.mrenclave, b.mrenclave) && AnyOf(policy.mrsigner, b.mrsigner) &&
                 (!policy.isvprodid || *policy.isvprodid == b.isvprodid) &&
                 (!policy.min_isvsvn || b.isvsvn >= *policy.min_isvsvn);
    if (match) {
      Worsen(a.trust.executables, ar4si::kAffirming);
    } else {
      Ctx{a}.Fail(&TrustVector::executables, ar4si::kContraindicatedExecutables,
                  "enclave identity does not match the policy's reference values");
    }
  }
  FinishIdentity(a);
  return a;
}

Result<Appraisal> AppraiseTdx(ByteView evidence, const DcapEndorsements& endorsements,
                              const TdxPolicy& policy, int64_t at, DcapVerificationCache* cache) {
  TEEPNET_ASSIGN_OR_RETURN(DcapQuote q, ParseDcapQuote(evidence));
  if (!q.td)
    return Error(Errc::kDcapUnsupportedTeeType, "an SGX quote given to the TDX appraiser", 4);
  Appraisal a{Architecture::kTdx, EvidenceFormat::kTdxQuote, {}, {}, {}, {}, {}};
  TEEPNET_RETURN_IF_ERROR(AppraiseCommon(q, evidence, endorsements, policy.common, at, cache, a));
  ApplyTrailingRule(q, policy.common.trailing_bytes, a);
  const TdReportBody& b = *q.td;
  a.claims["mrtd"] = Hex(b.mrtd);
  a.claims["measurement"] = Hex(b.mrtd);
  for (size_t i = 0; i < 4; ++i) a.claims["rtmr" + std::to_string(i)] = Hex(b.rtmr[i]);
  a.claims["mrconfigid"] = Hex(b.mrconfigid);
  a.claims["mrowner"] = Hex(b.mrowner);
  a.claims["mrownerconfig"] = Hex(b.mrownerconfig);
  a.claims["mrseam"] = Hex(b.mrseam);
  a.claims["mrsignerseam"] = Hex(b.mrsignerseam);
  a.claims["td_attributes"] = Hex(b.td_attributes);
  a.claims["xfam"] = Hex(b.xfam);
  a.claims["tee_tcb_svn"] = Hex(b.tee_tcb_svn);
  if (b.td15) a.claims["mrservicetd"] = Hex(b.mrservicetd);
  // TD_ATTRIBUTES.DEBUG is bit 0 of byte 0 (evidence-formats.md §2.2).
  ApplyDebugAndReportData((b.td_attributes[0] & 0x01) != 0, b.report_data, policy.common, a);
  bool named =
      !policy.mrtd.empty() || !policy.mrconfigid.empty() || !policy.mrowner.empty() ||
      policy.min_tee_tcb_svn ||
      std::any_of(policy.rtmr.begin(), policy.rtmr.end(), [](const auto& l) { return !l.empty(); });
  if (named) {
    bool match = AnyOf(policy.mrtd, b.mrtd) && AnyOf(policy.mrconfigid, b.mrconfigid) &&
                 AnyOf(policy.mrowner, b.mrowner);
    for (size_t i = 0; i < 4; ++i) match = match && AnyOf(policy.rtmr[i], b.rtmr[i]);
    if (policy.min_tee_tcb_svn) {
      for (size_t i = 0; i < 16; ++i)
        match = match && b.tee_tcb_svn[i] >= (*policy.min_tee_tcb_svn)[i];
    }
    if (match) {
      Worsen(a.trust.executables, ar4si::kAffirming);
    } else {
      Ctx{a}.Fail(&TrustVector::executables, ar4si::kContraindicatedExecutables,
                  "TD measurements do not match the policy's reference values");
    }
  }
  FinishIdentity(a);
  return a;
}

}  // namespace teepnet::attest
