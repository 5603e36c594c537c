#include "teepnet/attest/csv_appraiser.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {
namespace {

void Worsen(int8_t& claim, int8_t value) {
  if (claim == ar4si::kNoClaim || TierOf(value) > TierOf(claim)) claim = value;
}

class Findings {
 public:
  explicit Findings(Appraisal& a) : a_(a) {}
  void Set(int8_t TrustVector::*claim, int8_t value, std::string note) {
    Worsen(a_.trust.*claim, value);
    a_.notes.push_back(std::move(note));
  }
  void Affirm(int8_t TrustVector::*claim, int8_t value) {
    if (a_.trust.*claim == ar4si::kNoClaim) a_.trust.*claim = value;
  }

 private:
  Appraisal& a_;
};

bool OneOf(const std::vector<Bytes>& allowed, ByteView value) {
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const Bytes& b) { return Equal(b, value); });
}

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

// A link of the chain: `child_body`/`sig` signed by `signer` under its own user_id.
bool Link(const std::optional<crypto::PublicKey>& signer, const std::string& signer_uid,
          ByteView child_body, const CsvSignature* sig) {
  return signer && sig != nullptr && VerifyCsvSignature(*signer, signer_uid, child_body, *sig).ok();
}

void PolicyChecks(const CsvReport& r, const CsvPolicy& p, Findings& f) {
  if ((r.policy & kCsvPolicyNoDebug) == 0 && !p.allow_debug) {
    f.Set(&TrustVector::configuration, ar4si::kUnsafeConfig,
          "guest policy NODBG is clear (debug enabled) and policy forbids debug");
  }
  if (!p.measurements.empty()) {
    if (OneOf(p.measurements, r.measure)) {
      f.Affirm(&TrustVector::executables, ar4si::kAffirming);
    } else {
      f.Set(&TrustVector::executables, ar4si::kContraindicatedExecutables,
            "MEASURE is not a reference value");
    }
  }
  if (p.report_data && !crypto::ConstantTimeEqual(*p.report_data, r.report_data)) {
    f.Set(&TrustVector::instance_identity, ar4si::kContraindicated,
          "REPORT_DATA does not equal the expected binding");
  }
  if (p.user_pubkey_digest && !Equal(*p.user_pubkey_digest, r.user_pubkey_digest)) {
    f.Set(&TrustVector::configuration, ar4si::kContraindicated,
          "USER_PUBKEY_DIGEST differs from the policy");
  }
  if (!p.vm_ids.empty() && !OneOf(p.vm_ids, r.vm_id)) {
    f.Set(&TrustVector::configuration, ar4si::kContraindicated, "VM_ID is not allowed");
  }
}

void FillClaims(const CsvReport& r, Appraisal& a) {
  auto& c = a.claims;
  c["version"] = std::to_string(r.version);
  c["measurement"] = ToHex(r.measure);
  c["report_data"] = ToHex(r.report_data);
  c["user_pubkey_digest"] = ToHex(r.user_pubkey_digest);
  c["vm_id"] = ToHex(r.vm_id);
  c["vm_version"] = ToHex(r.vm_version);
  c["mnonce"] = ToHex(r.mnonce);
  c["policy"] = Hex32(r.policy);
  c["debug"] = (r.policy & kCsvPolicyNoDebug) == 0 ? "true" : "false";
  c["chip_serial"] = r.chip_serial;
  c["firmware"] = std::to_string(r.pek.fw_major) + "." + std::to_string(r.pek.fw_minor);
  a.report_data.assign(r.report_data.begin(), r.report_data.end());
}

// Identifies a chain for the cache by its exact bytes (length-prefixed, so no two differ only
// in where one certificate ends); comparing 6 KB is far cheaper than re-verifying.
Bytes ChainKey(const CsvEndorsements& e, const CsvCert& pek) {
  Bytes key;
  key.reserve(e.hrk.size() + e.hsk.size() + e.cek.size() + pek.raw.size() + 16);
  for (ByteView part : {ByteView(e.hrk), ByteView(e.hsk), ByteView(e.cek), ByteView(pek.raw)}) {
    const uint32_t n = static_cast<uint32_t>(part.size());
    for (int i = 0; i < 4; ++i) key.push_back(static_cast<uint8_t>(n >> (8 * i)));
    Append(key, part);
  }
  return key;
}

}  // namespace

Result<CsvEndorsements> CsvEndorsements::FromHrkAndHskCek(ByteView hrk, ByteView hsk_cek) {
  CsvEndorsements e;
  e.hrk = ToBytes(hrk);
  if (hsk_cek.empty()) return e;
  if (hsk_cek.size() != kCsvCaCertSize + kCsvCertSize) {
    return Error(Errc::kBadEndorsement, "hsk_cek must be HSK (832) followed by CEK (2084)",
                 std::min(hsk_cek.size(), kCsvCaCertSize + kCsvCertSize));
  }
  e.hsk = ToBytes(hsk_cek.first(kCsvCaCertSize));
  e.cek = ToBytes(hsk_cek.subspan(kCsvCaCertSize));
  return e;
}

CsvVerifier::ChainResult CsvVerifier::CheckChain(const CsvEndorsements& e, const CsvCert& pek,
                                                 bool use_cache) {
  Bytes key;
  if (use_cache) {
    key = ChainKey(e, pek);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  std::optional<crypto::PublicKey> pek_key = pek.key ? pek.key : CsvParseKey(pek.key_fields);
  ChainResult result = [&]() -> ChainResult {
    if (pek.usage != static_cast<uint32_t>(CsvUsage::kPek) || !pek_key) {
      return {ChainState::kBroken, "report signer certificate is not a usable PEK", std::nullopt};
    }
    auto hrk = DecodeCsvCaCert(e.hrk);
    if (!hrk.ok() || hrk->usage != static_cast<uint32_t>(CsvUsage::kHrk) ||
        hrk->key_id != hrk->signing_key_id ||
        !Link(hrk->key, hrk->user_id, hrk->signed_body, &hrk->signature)) {
      return {ChainState::kBroken, "HRK trust anchor is missing, malformed or not self-signed",
              std::nullopt};
    }
    if (e.hsk.empty() && e.cek.empty()) {
      return {ChainState::kUnendorsed,
              "no HSK/CEK for this chip: the PEK is not endorsed by Hygon hardware offline"};
    }
    auto hsk = DecodeCsvCaCert(e.hsk);
    if (!hsk.ok() || hsk->usage != static_cast<uint32_t>(CsvUsage::kHsk) ||
        hsk->signing_key_id != hrk->key_id ||
        !Link(hrk->key, hrk->user_id, hsk->signed_body, &hsk->signature)) {
      return {ChainState::kBroken, "HSK is not signed by the HRK", std::nullopt};
    }
    auto cek = DecodeCsvCert(e.cek);
    if (!cek.ok() || cek->usage != static_cast<uint32_t>(CsvUsage::kCek) ||
        cek->sid != hsk->key_id ||
        !Link(hsk->key, hsk->user_id, cek->signed_body, cek->SlotFor(CsvUsage::kHsk))) {
      return {ChainState::kBroken, "CEK is not signed by the HSK", std::nullopt};
    }
    if (!Link(cek->key, cek->user_id, pek.signed_body, pek.SlotFor(CsvUsage::kCek))) {
      return {ChainState::kBroken, "PEK is not signed by this chip's CEK", std::nullopt};
    }
    return {ChainState::kVerified, "", std::nullopt};
  }();
  result.pek_key = std::move(pek_key);
  if (use_cache) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCachedChains && cache_.find(key) == cache_.end()) {
      cache_.erase(cache_.begin());
    }
    cache_.insert_or_assign(std::move(key), result);
  }
  return result;
}

Result<Appraisal> CsvVerifier::AppraiseImpl(ByteView evidence, const CsvEndorsements& e,
                                            const CsvPolicy& policy, int64_t /*at*/,
                                            bool use_cache) {
  TEEPNET_ASSIGN_OR_RETURN(CsvReport report, DecodeCsvReport(evidence));
  Appraisal a{Architecture::kCsv, EvidenceFormat::kCsvReport, {}, {}, {}, {}, {}};
  a.evidence_digest = crypto::Sha256(evidence);
  Findings f(a);
  auto id = &TrustVector::instance_identity;
  if (!report.reserved_zero) {
    f.Set(id, ar4si::kCryptoValidationFailed, "reserved or padding bytes are not zero");
  }
  const ChainResult chain = CheckChain(e, report.pek, use_cache);
  switch (chain.state) {
    case ChainState::kVerified: a.claims["endorsement"] = "hrk-hsk-cek-pek"; break;
    case ChainState::kUnendorsed:
      a.claims["endorsement"] = "pek-only";
      f.Set(&TrustVector::hardware,
            policy.require_endorsed_pek ? ar4si::kHardwareContraindicated : ar4si::kHardwareUnsafe,
            chain.note);
      break;
    case ChainState::kBroken:
      a.claims["endorsement"] = "broken";
      f.Set(id, ar4si::kCryptoValidationFailed, chain.note);
      Worsen(a.trust.hardware, ar4si::kHardwareContraindicated);
      break;
  }
  if (report.sig_usage != static_cast<uint32_t>(CsvUsage::kPek)) {
    f.Set(id, ar4si::kCryptoValidationFailed, "report sig_usage is not PEK");
  }
  if (!chain.pek_key ||
      !VerifyCsvSignature(*chain.pek_key, report.pek.user_id, report.signed_body, report.signature)
           .ok()) {
    f.Set(id, ar4si::kCryptoValidationFailed, "report signature does not verify with the PEK");
  }
  PolicyChecks(report, policy, f);
  FillClaims(report, a);
  f.Affirm(id, ar4si::kAffirming);
  f.Affirm(&TrustVector::configuration, ar4si::kAffirming);
  f.Affirm(&TrustVector::hardware, ar4si::kHardwareGenuine);
  return a;
}

Result<Appraisal> CsvVerifier::Appraise(ByteView evidence, const CsvEndorsements& e,
                                        const CsvPolicy& policy, int64_t at_unix_time) {
  return AppraiseImpl(evidence, e, policy, at_unix_time, /*use_cache=*/true);
}

size_t CsvVerifier::cached_chains() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

Result<Appraisal> AppraiseCsv(ByteView evidence, const CsvEndorsements& e, const CsvPolicy& policy,
                              int64_t at_unix_time) {
  CsvVerifier once;
  return once.AppraiseImpl(evidence, e, policy, at_unix_time, /*use_cache=*/false);
}

}  // namespace teepnet::attest
