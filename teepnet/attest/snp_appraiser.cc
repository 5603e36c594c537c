#include "teepnet/attest/snp_appraiser.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_tcb.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

constexpr size_t kP384Size = 48;

bool IsZero(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

// Lowers one trust-vector claim to `value` unless it already holds a worse tier.
void Worsen(int8_t& claim, int8_t value) {
  if (claim == ar4si::kNoClaim || TierOf(value) > TierOf(claim)) claim = value;
}

class Findings {
 public:
  explicit Findings(Appraisal& a) : a_(a) {}
  void Contra(int8_t TrustVector::*claim, int8_t value, std::string note) {
    Worsen(a_.trust.*claim, value);
    a_.notes.push_back(std::move(note));
  }
  // Sets a claim to affirming if nothing has contraindicated it.
  void Affirm(int8_t TrustVector::*claim, int8_t value) {
    if (a_.trust.*claim == ar4si::kNoClaim) a_.trust.*claim = value;
  }

 private:
  Appraisal& a_;
};

// The signature is R then S, each 72 bytes little-endian with the top 24 bytes zero for P-384
// (evidence-formats.md §1); returns big-endian r||s, or nothing when padding is not zero.
std::optional<Bytes> RawSignature(const SnpReport& r) {
  Bytes out;
  out.reserve(2 * kP384Size);
  for (const auto* part : {&r.sig_r, &r.sig_s}) {
    if (!IsZero(ByteView(*part).subspan(kP384Size))) return std::nullopt;
    for (size_t i = kP384Size; i-- > 0;) out.push_back((*part)[i]);
  }
  return out;
}

void StructureChecks(const SnpReport& r, Findings& f) {
  auto id = &TrustVector::instance_identity;
  if (r.version != 2 && r.version != 3 && r.version != 5) {
    f.Contra(id, ar4si::kCryptoValidationFailed,
             "report VERSION " + std::to_string(r.version) + " is not 2, 3 or 5");
  }
  if (r.signature_algo != kSnpSigAlgoEcdsaP384Sha384) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "SIGNATURE_ALGO is not 1 (ECDSA P-384/SHA-384)");
  }
  // ABI spec 56860, ATTESTATION_REPORT: reserved fields "MBZ" (must be zero).
  if (!r.reserved_all_zero) {
    f.Contra(
        id, ar4si::kCryptoValidationFailed,
        "reserved byte at offset " + std::to_string(r.nonzero_reserved_offset) + " is not zero");
  }
  if (!r.signature_padding_zero) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "signature field padding after S is not zero");
  }
  if (r.version < 3 && (r.cpuid_fam_id | r.cpuid_mod_id | r.cpuid_step) != 0) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "CPUID bytes set in a version 2 report");
  }
  if (r.version < 5 && (r.launch_mit_vector | r.current_mit_vector) != 0) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "mitigation vectors set before version 5");
  }
  if ((r.signer_info & ~uint32_t{0x1F}) != 0) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "signer-info reserved bits are not zero");
  }
  // Guest policy bit 17 is reserved and must be one (ABI spec, Guest Policy Structure).
  if ((r.policy & snp_policy_bits::kReservedOne) == 0) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "GUEST_POLICY bit 17 (reserved, MB1) is clear");
  }
}

SnpProduct ResolveProduct(const SnpReport& r, const SnpVcekInfo* info, const SnpPolicy& p,
                          Findings& f) {
  const SnpProduct from_cert =
      info != nullptr ? SnpProductFromName(info->product_name) : SnpProduct::kUnknown;
  SnpProduct product = p.product;
  if (r.version >= 3) {
    product = SnpProductFromCpuid(r.cpuid_fam_id, r.cpuid_mod_id);
  } else if (from_cert != SnpProduct::kUnknown) {
    product = from_cert;
  }
  if (product == SnpProduct::kUnknown) {
    f.Contra(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "product line unknown: the TCB_VERSION layout cannot be interpreted");
  } else if (from_cert != SnpProduct::kUnknown && from_cert != product) {
    f.Contra(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "report CPUID product differs from the certificate productName");
  }
  return product;
}

void LeafBindingChecks(const SnpReport& r, const SnpVcekInfo& info, SnpProduct product,
                       Findings& f) {
  auto id = &TrustVector::instance_identity;
  const bool cert_is_vlek = info.csp_id.has_value() || !info.hw_id.has_value();
  if (r.signing_key() == SnpSigningKey::kVcek) {
    if (cert_is_vlek) f.Contra(id, ar4si::kUnrecognizedInstance, "VCEK report, VLEK certificate");
    // VCEK spec 57230: hwID is the CHIP_ID of the chip the VCEK was derived on; Turin VCEKs
    // carry only the 8 meaningful bytes.
    if (info.hw_id) {
      const size_t n = product == SnpProduct::kTurin ? 8 : r.chip_id.size();
      if (IsZero(r.chip_id) ||
          !Equal(*info.hw_id, ByteView(r.chip_id).first(std::min(n, info.hw_id->size()))) ||
          info.hw_id->size() != n) {
        f.Contra(id, ar4si::kUnrecognizedInstance, "VCEK hwID does not equal CHIP_ID");
      }
    }
  } else if (r.signing_key() == SnpSigningKey::kVlek && !cert_is_vlek) {
    f.Contra(id, ar4si::kUnrecognizedInstance, "VLEK report, VCEK certificate");
  }
  // evidence-formats.md §1: "the extension SPLs equal REPORTED_TCB".
  if (product != SnpProduct::kUnknown &&
      !info.MatchesTcb(DecodeSnpTcb(r.reported_tcb, product), product)) {
    f.Contra(id, ar4si::kUnrecognizedInstance,
             "certificate TCB extensions differ from REPORTED_TCB");
  }
}

bool OneOf(const std::vector<Bytes>& allowed, ByteView value) {
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const Bytes& b) { return Equal(b, value); });
}

void PolicyChecks(const SnpReport& r, SnpProduct product, const SnpPolicy& p, Findings& f) {
  auto config = &TrustVector::configuration;
  auto exec = &TrustVector::executables;
  if ((r.policy & snp_policy_bits::kDebug) != 0 && !p.allow_debug) {
    f.Contra(config, ar4si::kUnsafeConfig, "GUEST_POLICY.DEBUG is set and policy forbids debug");
  }
  if ((r.policy & snp_policy_bits::kMigrateMa) != 0 && !p.allow_migration_agent) {
    f.Contra(config, ar4si::kUnsafeConfig, "GUEST_POLICY.MIGRATE_MA is set");
  }
  if ((r.policy & snp_policy_bits::kSmt) != 0 && !p.allow_smt) {
    f.Contra(config, ar4si::kUnsafeConfig, "GUEST_POLICY.SMT is set and policy forbids SMT");
  }
  if (p.vmpl && r.vmpl != *p.vmpl) {
    f.Contra(config, ar4si::kContraindicated, "VMPL " + std::to_string(r.vmpl) + " not expected");
  }
  if (p.host_data && !Equal(*p.host_data, r.host_data)) {
    f.Contra(config, ar4si::kContraindicated, "HOST_DATA differs from the reference value");
  }
  if (!p.measurements.empty()) {
    if (OneOf(p.measurements, r.measurement)) {
      f.Affirm(exec, ar4si::kAffirming);
    } else {
      f.Contra(exec, ar4si::kContraindicatedExecutables, "MEASUREMENT is not a reference value");
    }
  }
  if (!p.id_key_digests.empty() && !OneOf(p.id_key_digests, r.id_key_digest)) {
    f.Contra(exec, ar4si::kContraindicatedExecutables, "ID_KEY_DIGEST is not an allowed signer");
  }
  if (r.guest_svn < p.min_guest_svn) {
    f.Contra(exec, ar4si::kContraindicatedExecutables, "GUEST_SVN below the policy minimum");
  }
  if (p.report_data && !crypto::ConstantTimeEqual(*p.report_data, r.report_data)) {
    f.Contra(&TrustVector::instance_identity, ar4si::kContraindicated,
             "REPORT_DATA does not equal the expected binding");
  }
  if (product != SnpProduct::kUnknown &&
      !DecodeSnpTcb(r.reported_tcb, product).AtLeast(p.min_tcb)) {
    f.Contra(&TrustVector::hardware, ar4si::kHardwareContraindicated,
             "REPORTED_TCB is below the policy minimum");
  }
  const SnpSigningKey key = r.signing_key();
  if ((key == SnpSigningKey::kVcek && !p.allow_vcek) ||
      (key == SnpSigningKey::kVlek && !p.allow_vlek)) {
    f.Contra(&TrustVector::instance_identity, ar4si::kContraindicated,
             "signing key kind not allowed by policy");
  }
}

std::string_view SigningKeyName(SnpSigningKey k) {
  switch (k) {
    case SnpSigningKey::kVcek: return "vcek";
    case SnpSigningKey::kVlek: return "vlek";
    case SnpSigningKey::kNone: return "none";
  }
  return "reserved";
}

std::string PolicyHex(uint64_t policy) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(policy));
  return buf;
}

void FillClaims(const SnpReport& r, SnpProduct product, Appraisal& a) {
  auto& c = a.claims;
  c["version"] = std::to_string(r.version);
  c["product"] = std::string(SnpProductName(product));
  c["policy"] = PolicyHex(r.policy);
  c["debug"] = (r.policy & snp_policy_bits::kDebug) != 0 ? "true" : "false";
  c["vmpl"] = std::to_string(r.vmpl);
  c["signing_key"] = std::string(SigningKeyName(r.signing_key()));
  c["measurement"] = ToHex(r.measurement);
  c["host_data"] = ToHex(r.host_data);
  c["report_data"] = ToHex(r.report_data);
  c["chip_id"] = ToHex(r.chip_id);
  c["tcb"] = DecodeSnpTcb(r.reported_tcb, product).ToString();
  c["current_tcb"] = DecodeSnpTcb(r.current_tcb, product).ToString();
  c["guest_svn"] = std::to_string(r.guest_svn);
  c["family_id"] = ToHex(r.family_id);
  c["image_id"] = ToHex(r.image_id);
  c["id_key_digest"] = ToHex(r.id_key_digest);
  c["firmware"] = std::to_string(r.current_major) + "." + std::to_string(r.current_minor) + "." +
                  std::to_string(r.current_build);
  a.report_data.assign(r.report_data.begin(), r.report_data.end());
}

// Identifies a set of endorsements for the cache: every certificate's DER and every CRL's
// issuer and thisUpdate, length-prefixed so no two sets collide.
Bytes CacheKey(const SnpEndorsements& e) {
  crypto::Hasher h(crypto::HashAlgorithm::kSha256);
  auto add = [&h](ByteView b) {
    ByteWriter w;
    w.WriteBeU64(b.size());
    h.Update(std::move(w).Take());
    h.Update(b);
  };
  add(e.leaf->der());
  for (const auto& c : e.intermediates) add(c.der());
  add(Bytes{0xFF});
  for (const auto& c : e.roots) add(c.der());
  add(Bytes{0xFE});
  for (const auto& crl : e.crls) {
    add(AsBytes(crl.issuer()));
    ByteWriter w;
    w.WriteBeU64(static_cast<uint64_t>(crl.this_update()));
    add(std::move(w).Take());
  }
  return h.Finish();
}

}  // namespace

Result<SnpEndorsements> SnpEndorsements::FromLeafAndChain(ByteView leaf,
                                                          std::string_view chain_pem) {
  SnpEndorsements e;
  auto cert = crypto::Certificate::FromDer(leaf);
  if (!cert.ok()) cert = crypto::Certificate::FromPem(AsChars(leaf));
  if (!cert.ok()) return Error(Errc::kBadEndorsement, "VCEK/VLEK is neither DER nor PEM");
  e.leaf = std::move(cert).value();
  auto bundle = crypto::Certificate::ParsePemBundle(chain_pem);
  if (!bundle.ok() || bundle->size() != 2) {
    return Error(Errc::kBadEndorsement, "AMD chain must hold the ASK/ASVK then the ARK");
  }
  e.intermediates.push_back((*bundle)[0]);
  e.roots.push_back((*bundle)[1]);
  return e;
}

Result<SnpVerifier::Leaf> SnpVerifier::VerifiedLeaf(const SnpEndorsements& e, int64_t at,
                                                    bool use_cache) {
  if (!e.leaf) return Error(Errc::kBadEndorsement, "no VCEK or VLEK certificate was supplied");
  Bytes key;
  if (use_cache) {
    key = CacheKey(e);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && at >= it->second.valid_from && at <= it->second.valid_until) {
      return it->second;
    }
  }
  crypto::ChainOptions options;
  options.at_unix_time = at;
  options.crls = e.crls;
  TEEPNET_RETURN_IF_ERROR(crypto::VerifyChain(*e.leaf, e.intermediates, e.roots, options));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey pub, e.leaf->public_key());
  if (pub.type() != crypto::KeyType::kP384) {
    return Error(Errc::kBadEndorsement, "VCEK/VLEK key is not EC P-384");
  }
  TEEPNET_ASSIGN_OR_RETURN(SnpVcekInfo info, ReadSnpVcekInfo(*e.leaf));
  Leaf leaf{pub, std::move(info), e.leaf->not_before(), e.leaf->not_after()};
  auto narrow = [&leaf](const crypto::Certificate& c) {
    leaf.valid_from = std::max(leaf.valid_from, c.not_before());
    leaf.valid_until = std::min(leaf.valid_until, c.not_after());
  };
  for (const auto& c : e.intermediates) narrow(c);
  for (const auto& c : e.roots) narrow(c);
  for (const auto& crl : e.crls) {
    leaf.valid_from = std::max(leaf.valid_from, crl.this_update());
    if (crl.next_update() != 0) leaf.valid_until = std::min(leaf.valid_until, crl.next_update());
  }
  if (use_cache) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCachedChains && cache_.find(key) == cache_.end()) {
      cache_.erase(cache_.begin());
    }
    cache_.insert_or_assign(std::move(key), leaf);
  }
  return leaf;
}

bool SnpVerifier::DerLess::operator()(ByteView a, ByteView b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

bool SnpVerifier::LeafMatchesChip(const crypto::Certificate& leaf, ByteView chip_id) {
  const ByteView der = leaf.der();
  std::optional<Bytes> hw_id;
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = leaf_hw_ids_.find(der);
    if (it != leaf_hw_ids_.end()) {
      hw_id = it->second;
      known = true;
    }
  }
  if (!known) {
    auto info = ReadSnpVcekInfo(leaf);
    if (info.ok()) hw_id = std::move(info->hw_id);
    std::lock_guard<std::mutex> lock(mu_);
    if (leaf_hw_ids_.size() >= kMaxCachedLeaves) leaf_hw_ids_.erase(leaf_hw_ids_.begin());
    leaf_hw_ids_.emplace(Bytes(der.begin(), der.end()), hw_id);
  }
  // VCEK spec 57230 §3: Turin hwIDs are 8 bytes, the first 8 bytes of CHIP_ID.
  if (!hw_id || hw_id->empty() || hw_id->size() > chip_id.size()) return false;
  return std::equal(hw_id->begin(), hw_id->end(), chip_id.begin());
}

size_t SnpVerifier::cached_leaves() const {
  std::lock_guard<std::mutex> lock(mu_);
  return leaf_hw_ids_.size();
}

Result<Appraisal> SnpVerifier::AppraiseImpl(ByteView evidence, const SnpEndorsements& e,
                                            const SnpPolicy& policy, int64_t at, bool use_cache) {
  TEEPNET_ASSIGN_OR_RETURN(SnpReport report, DecodeSnpReport(evidence));
  Appraisal a{Architecture::kSevSnp, EvidenceFormat::kSevSnpReport, {}, {}, {}, {}, {}};
  a.evidence_digest = crypto::Sha256(evidence);
  Findings f(a);
  StructureChecks(report, f);

  auto id = &TrustVector::instance_identity;
  Result<Leaf> leaf = VerifiedLeaf(e, at, use_cache);
  if (!leaf.ok()) {
    f.Contra(id, ar4si::kCryptoValidationFailed,
             "endorsement chain rejected: " + leaf.error().ToString());
    Worsen(a.trust.hardware, ar4si::kHardwareContraindicated);
  }
  if (report.signing_key() != SnpSigningKey::kVcek &&
      report.signing_key() != SnpSigningKey::kVlek) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "report is not signed by a VCEK or VLEK");
  } else if (report.mask_chip_key()) {
    f.Contra(id, ar4si::kCryptoValidationFailed, "MASK_CHIP_KEY is set: the report is unsigned");
  }
  std::optional<Bytes> sig = RawSignature(report);
  if (!sig) f.Contra(id, ar4si::kCryptoValidationFailed, "signature R/S padding is not zero");
  if (leaf.ok() && sig) {
    Status verified = crypto::Verify(leaf->key, crypto::SignatureAlgorithm::kEcdsaSha384,
                                     evidence.first(kSnpSignedSize), *sig);
    if (!verified.ok()) {
      f.Contra(id, ar4si::kCryptoValidationFailed, "report signature does not verify");
    }
  }
  const SnpProduct product = ResolveProduct(report, leaf.ok() ? &leaf->info : nullptr, policy, f);
  // ABI spec, TCB_VERSION: the bytes a product does not define are reserved (zero).
  if (product != SnpProduct::kUnknown) {
    for (uint64_t tcb :
         {report.current_tcb, report.reported_tcb, report.committed_tcb, report.launch_tcb}) {
      if (!SnpTcbReservedZero(tcb, product)) {
        f.Contra(id, ar4si::kCryptoValidationFailed, "a TCB_VERSION has non-zero reserved bytes");
        break;
      }
    }
  }
  if (leaf.ok()) LeafBindingChecks(report, leaf->info, product, f);
  PolicyChecks(report, product, policy, f);
  FillClaims(report, product, a);

  f.Affirm(id, ar4si::kAffirming);
  f.Affirm(&TrustVector::configuration, ar4si::kAffirming);
  f.Affirm(&TrustVector::hardware, ar4si::kHardwareGenuine);
  return a;
}

Result<Appraisal> SnpVerifier::Appraise(ByteView evidence, const SnpEndorsements& e,
                                        const SnpPolicy& policy, int64_t at_unix_time) {
  return AppraiseImpl(evidence, e, policy, at_unix_time, /*use_cache=*/true);
}

size_t SnpVerifier::cached_chains() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

Result<Appraisal> AppraiseSnp(ByteView evidence, const SnpEndorsements& e, const SnpPolicy& policy,
                              int64_t at_unix_time) {
  SnpVerifier once;
  return once.AppraiseImpl(evidence, e, policy, at_unix_time, /*use_cache=*/false);
}

}  // namespace teepnet::attest
