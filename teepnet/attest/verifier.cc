#include "teepnet/attest/verifier.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/csv_policy.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_cache.h"
#include "teepnet/attest/dcap_policy.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_policy.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/attest/snp_policy.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_vcek.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {
namespace {

using Json = nlohmann::json;

// The width of the report-data field the caller's expected value is compared with.
constexpr size_t kReportDataWidth = 64;

bool IsSnpReport(ByteView evidence) {
  // AMD 56860, ATTESTATION_REPORT: fixed 1184 bytes, VERSION (u32 LE) at 0x000 is 2, 3 or 5.
  if (evidence.size() != kSnpReportSize) return false;
  ByteReader r(evidence);
  uint32_t version = 0;
  if (!r.ReadLeU32(&version)) return false;
  return version == 2 || version == 3 || version == 5;
}

std::optional<EvidenceFormat> DcapFormat(ByteView evidence) {
  // DCAP quote header (48 bytes): version u16, att_key_type u16, tee_type u32 (reserved and
  // zero in v3), qe_svn u16, pce_svn u16, qe_vendor_id[16], user_data[20].
  ByteReader r(evidence);
  uint16_t version = 0, key_type = 0;
  uint32_t tee_type = 0;
  ByteView vendor;
  if (!r.ReadLeU16(&version) || !r.ReadLeU16(&key_type) || !r.ReadLeU32(&tee_type) || !r.Skip(4) ||
      !r.ReadBytes(kIntelQeVendorId.size(), &vendor)) {
    return std::nullopt;
  }
  if (key_type != kDcapAttestationKeyEcdsaP256) return std::nullopt;
  if (!std::equal(vendor.begin(), vendor.end(), kIntelQeVendorId.begin())) return std::nullopt;
  if (evidence.size() < kDcapHeaderSize + kSgxReportBodySize) return std::nullopt;
  if (version == 3) {
    return tee_type == kDcapTeeTypeSgx ? std::optional(EvidenceFormat::kSgxQuoteV3) : std::nullopt;
  }
  if (version == 4 || version == 5) {
    if (tee_type == kDcapTeeTypeTdx) return EvidenceFormat::kTdxQuote;
    // SGX bodies in v4/v5 quotes appraise with the SGX appraiser (dcap_appraise.h).
    if (tee_type == kDcapTeeTypeSgx) return EvidenceFormat::kSgxQuoteV3;
  }
  return std::nullopt;
}

bool IsCsvWrapper(ByteView evidence) {
  // The CSV_GET_REPORT wrapper is exactly 4116 bytes; its magic is all zero (V1) or starts
  // with "ATTESTATION_EXT" (V2/V3, which the appraiser reports as unsupported).
  if (evidence.size() != kCsvWrapperSize) return false;
  ByteReader r(evidence);
  ByteView magic;
  if (!r.ReadBytes(16, &magic)) return false;
  bool zero = std::all_of(magic.begin(), magic.end(), [](uint8_t b) { return b == 0; });
  static constexpr std::string_view kExt = "ATTESTATION_EXT";
  bool ext = std::equal(kExt.begin(), kExt.end(), magic.begin(),
                        [](char c, uint8_t b) { return static_cast<uint8_t>(c) == b; });
  return zero || ext;
}

bool IsTrusteeCsvJson(ByteView evidence) {
  if (evidence.empty() || evidence.front() != '{') return false;
  Json doc = Json::parse(AsChars(evidence), nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("attestation_report") &&
         doc["attestation_report"].is_object() && doc["attestation_report"].contains("data");
}

bool IsCcaCollection(ByteView evidence) {
  // CBOR tag 399 (0xd9 0x01 0x8f) or the CMW collection tag 907 (0xd9 0x03 0x8b) followed by
  // a map (major type 5).
  ByteReader r(evidence);
  uint8_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  if (!r.ReadU8(&b0) || !r.ReadU8(&b1) || !r.ReadU8(&b2) || !r.ReadU8(&b3)) return false;
  bool tag = b0 == 0xd9 && ((b1 == 0x01 && b2 == 0x8f) || (b1 == 0x03 && b2 == 0x8b));
  return tag && (b3 >> 5) == 5;
}

std::string DefaultPolicyId(EvidenceFormat format) {
  switch (format) {
    case EvidenceFormat::kSevSnpReport: return "teepnet/sev-snp/default";
    case EvidenceFormat::kSgxQuoteV3: return "teepnet/sgx/default";
    case EvidenceFormat::kTdxQuote: return "teepnet/tdx/default";
    case EvidenceFormat::kCsvReport: return "teepnet/csv/default";
    case EvidenceFormat::kPsaToken: return "teepnet/psa/default";
    case EvidenceFormat::kCcaToken: return "teepnet/cca/default";
  }
  return "teepnet/unknown/default";
}

constexpr EvidenceFormat kAllFormats[] = {
    EvidenceFormat::kSevSnpReport, EvidenceFormat::kSgxQuoteV3, EvidenceFormat::kTdxQuote,
    EvidenceFormat::kCsvReport,    EvidenceFormat::kPsaToken,   EvidenceFormat::kCcaToken};

// The per-format policy structs, parsed once.
struct ParsedPolicies {
  std::optional<SnpPolicy> snp;
  std::optional<SgxPolicy> sgx;
  std::optional<TdxPolicy> tdx;
  std::optional<CsvPolicy> csv;
  std::optional<PsaPolicy> psa;
  std::optional<CcaPolicy> cca;
};

// Parses `json` as the policy of `format` into `out`. The "policy-id" member belongs to the
// facade for the formats whose own policy schema has no such member (they refuse unknown
// members), so it is removed before their FromJson sees the document.
Status ParsePolicy(EvidenceFormat format, std::string_view json, ParsedPolicies& out) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(Errc::kBadPolicy,
                 "policy for " + std::string(EvidenceFormatName(format)) + " is not a JSON object");
  }
  std::string stripped = [&] {
    Json copy = doc;
    copy.erase("policy-id");
    return copy.dump();
  }();
  switch (format) {
    case EvidenceFormat::kSevSnpReport: {
      TEEPNET_ASSIGN_OR_RETURN(out.snp, SnpPolicy::FromJson(stripped));
      break;
    }
    case EvidenceFormat::kSgxQuoteV3: {
      TEEPNET_ASSIGN_OR_RETURN(out.sgx, SgxPolicy::FromJson(stripped));
      break;
    }
    case EvidenceFormat::kTdxQuote: {
      TEEPNET_ASSIGN_OR_RETURN(out.tdx, TdxPolicy::FromJson(stripped));
      break;
    }
    case EvidenceFormat::kCsvReport: {
      TEEPNET_ASSIGN_OR_RETURN(out.csv, CsvPolicy::FromJson(stripped));
      break;
    }
    case EvidenceFormat::kPsaToken: {
      TEEPNET_ASSIGN_OR_RETURN(out.psa, PsaPolicy::FromJson(json));
      break;
    }
    case EvidenceFormat::kCcaToken: {
      TEEPNET_ASSIGN_OR_RETURN(out.cca, CcaPolicy::FromJson(json));
      break;
    }
  }
  return Status();
}

}  // namespace

Result<EvidenceFormat> DetectFormat(ByteView evidence) {
  if (IsSnpReport(evidence)) return EvidenceFormat::kSevSnpReport;
  if (IsCsvWrapper(evidence) || IsTrusteeCsvJson(evidence)) return EvidenceFormat::kCsvReport;
  if (auto dcap = DcapFormat(evidence)) return *dcap;
  if (IsCcaCollection(evidence)) return EvidenceFormat::kCcaToken;
  // A COSE_Sign1 is not enough: EAR CWTs and other signed CBOR share the envelope, so only a
  // payload that decodes as PSA claims makes it a PSA token.
  if (!evidence.empty() && (evidence.front() == 0xd2 || evidence.front() == 0x84) &&
      ParsePsaToken(evidence).ok()) {
    return EvidenceFormat::kPsaToken;
  }
  return Error(Errc::kUnknownEvidenceFormat,
               "evidence is none of: SEV-SNP report, DCAP quote, CSV report, CCA token, PSA token");
}

std::optional<EvidenceFormat> EvidenceFormatFromName(std::string_view name) {
  for (EvidenceFormat f : kAllFormats) {
    if (EvidenceFormatName(f) == name) return f;
  }
  return std::nullopt;
}

void SnpTrust::Add(const SnpEndorsements& e) {
  if (e.leaf) leaves.push_back(*e.leaf);
  intermediates.insert(intermediates.end(), e.intermediates.begin(), e.intermediates.end());
  roots.insert(roots.end(), e.roots.begin(), e.roots.end());
  crls.insert(crls.end(), e.crls.begin(), e.crls.end());
}

std::string Verdict::PolicyRef() const {
  return policy_id + "@sha256:" + ToHex(policy_hash);
}

Result<PolicyIdentity> IdentifyPolicy(EvidenceFormat format, std::string_view json) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(Errc::kBadPolicy,
                 "policy for " + std::string(EvidenceFormatName(format)) + " is not a JSON object");
  }
  PolicyIdentity id;
  id.id = DefaultPolicyId(format);
  auto it = doc.find("policy-id");
  if (it != doc.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Error(Errc::kBadPolicy, "\"policy-id\" must be a non-empty string");
    }
    id.id = it->get<std::string>();
  }
  id.canonical = doc.dump();
  id.sha256 = crypto::Sha256(AsBytes(id.canonical));
  return id;
}

struct Verifier::State {
  VerifierConfig config;
  ParsedPolicies policies;
  std::map<EvidenceFormat, Result<PolicyIdentity>> identities;
  std::map<EvidenceFormat, Status> policy_status;
  mutable SnpVerifier snp;
  mutable CsvVerifier csv;
  mutable DcapVerificationCache dcap;
};

Verifier::Verifier(VerifierConfig config) : state_(std::make_unique<State>()) {
  state_->config = std::move(config);
  for (EvidenceFormat f : kAllFormats) {
    auto it = state_->config.policies.find(f);
    std::string text = it == state_->config.policies.end() ? "{}" : it->second;
    Result<PolicyIdentity> id = IdentifyPolicy(f, text);
    Status parsed = id.ok() ? ParsePolicy(f, text, state_->policies) : Status(id.error());
    state_->identities.emplace(f, std::move(id));
    state_->policy_status.emplace(f, std::move(parsed));
  }
}

Result<Verifier> Verifier::Create(VerifierConfig config) {
  Verifier v(std::move(config));
  for (const auto& [format, status] : v.state_->policy_status) {
    if (!status.ok()) return status.error();
  }
  return v;
}

Verifier::~Verifier() = default;
Verifier::Verifier(Verifier&&) noexcept = default;
Verifier& Verifier::operator=(Verifier&&) noexcept = default;

Result<PolicyIdentity> Verifier::Policy(EvidenceFormat format) const {
  const Status& st = state_->policy_status.at(format);
  if (!st.ok()) return st.error();
  return state_->identities.at(format);
}

Result<Verdict> Verifier::Verify(ByteView evidence, std::optional<EvidenceFormat> format,
                                 std::optional<ByteView> expected_report_data,
                                 int64_t at_unix) const {
  EvidenceFormat f{};
  if (format) {
    f = *format;
  } else {
    TEEPNET_ASSIGN_OR_RETURN(f, DetectFormat(evidence));
  }
  TEEPNET_ASSIGN_OR_RETURN(PolicyIdentity identity, Policy(f));

  // The caller's binding, zero-padded to the width of the format's field (PSA: the smallest
  // nonce size RFC 9783 §4.1.1 allows that holds it).
  std::optional<Bytes> expected;
  if (expected_report_data) {
    if (expected_report_data->size() > kReportDataWidth) {
      return Error(Errc::kReportDataTooLong, "expected report data is longer than 64 bytes");
    }
    expected = f == EvidenceFormat::kPsaToken ? PadTo(*expected_report_data, {32, 48, 64})
                                              : PadTo(*expected_report_data, {kReportDataWidth});
  }

  const VerifierConfig& c = state_->config;
  const ParsedPolicies& p = state_->policies;
  auto missing = [&] {
    return Error(Errc::kNoEndorsements, "this verifier holds no endorsements for " +
                                            std::string(EvidenceFormatName(f)) + " evidence");
  };
  Result<Appraisal> appraisal = Error(Errc::kUnknownEvidenceFormat, "unreachable");
  switch (f) {
    case EvidenceFormat::kSevSnpReport: {
      if (!c.snp) return missing();
      TEEPNET_ASSIGN_OR_RETURN(SnpReport report, DecodeSnpReport(evidence));
      SnpPolicy policy = *p.snp;
      if (expected) policy.report_data = *expected;
      // Leaves whose hwID is this report's CHIP_ID go first; more than one (several TCB
      // versions of the same chip) are tried in turn and the first that appraises without
      // contraindication wins.
      std::vector<const crypto::Certificate*> candidates;
      for (const auto& leaf : c.snp->leaves) {
        if (state_->snp.LeafMatchesChip(leaf, report.chip_id)) candidates.push_back(&leaf);
      }
      if (candidates.empty()) {
        for (const auto& leaf : c.snp->leaves) candidates.push_back(&leaf);
      }
      SnpEndorsements e;
      e.intermediates = c.snp->intermediates;
      e.roots = c.snp->roots;
      e.crls = c.snp->crls;
      if (candidates.empty()) {
        appraisal = state_->snp.Appraise(evidence, e, policy, at_unix);
        break;
      }
      for (const crypto::Certificate* leaf : candidates) {
        e.leaf = *leaf;
        Result<Appraisal> a = state_->snp.Appraise(evidence, e, policy, at_unix);
        bool first = leaf == candidates.front();
        if (!a.ok()) {
          if (first) appraisal = std::move(a);
          continue;
        }
        bool good = a->Overall() != Tier::kContraindicated;
        if (first || good) appraisal = std::move(a);
        if (good) break;
      }
      break;
    }
    case EvidenceFormat::kSgxQuoteV3:
    case EvidenceFormat::kTdxQuote: {
      bool tdx = f == EvidenceFormat::kTdxQuote;
      const std::optional<DcapEndorsements>& e = tdx ? c.tdx : c.sgx;
      if (!e) return missing();
      if (tdx) {
        TdxPolicy policy = *p.tdx;
        if (expected) {
          policy.common.report_data.emplace();
          std::copy(expected->begin(), expected->end(), policy.common.report_data->begin());
        }
        appraisal = AppraiseTdx(evidence, *e, policy, at_unix, &state_->dcap);
      } else {
        SgxPolicy policy = *p.sgx;
        if (expected) {
          policy.common.report_data.emplace();
          std::copy(expected->begin(), expected->end(), policy.common.report_data->begin());
        }
        appraisal = AppraiseSgx(evidence, *e, policy, at_unix, &state_->dcap);
      }
      break;
    }
    case EvidenceFormat::kCsvReport: {
      if (!c.csv) return missing();
      // Trustee's CSV attester sends the wrapper inside JSON; appraise the wrapper.
      Bytes wrapper;
      ByteView report = evidence;
      if (IsTrusteeCsvJson(evidence)) {
        TEEPNET_ASSIGN_OR_RETURN(wrapper, CsvWrapperFromTrusteeJson(AsChars(evidence)));
        report = wrapper;
      }
      CsvPolicy policy = *p.csv;
      if (expected) policy.report_data = *expected;
      appraisal = state_->csv.Appraise(report, *c.csv, policy, at_unix);
      break;
    }
    case EvidenceFormat::kPsaToken: {
      if (!c.psa) return missing();
      PsaPolicy policy = *p.psa;
      if (expected) policy.nonce = *expected;
      appraisal = AppraisePsa(evidence, *c.psa, policy, at_unix);
      break;
    }
    case EvidenceFormat::kCcaToken: {
      if (!c.cca) return missing();
      CcaPolicy policy = *p.cca;
      if (expected) policy.challenge = *expected;
      appraisal = AppraiseCca(evidence, *c.cca, policy, at_unix);
      break;
    }
  }
  if (!appraisal.ok()) return appraisal.error();

  Verdict v;
  v.appraisal = std::move(appraisal).value();
  // The digest names the bytes the caller received; for Trustee's CSV JSON that is the JSON,
  // not the report wrapper the appraiser saw inside it.
  v.appraisal.evidence_digest = crypto::Sha256(evidence);
  // Every appraiser checks the binding through its policy; this re-check makes the facade's
  // promise independent of how each one reports it.
  if (expected && v.appraisal.report_data != *expected &&
      TierOf(v.appraisal.trust.instance_identity) != Tier::kContraindicated) {
    v.appraisal.trust.instance_identity = ar4si::kContraindicated;
    v.appraisal.notes.push_back("report data does not equal the expected value");
  }
  v.policy_id = identity.id;
  v.policy_hash = identity.sha256;
  return v;
}

}  // namespace teepnet::attest
