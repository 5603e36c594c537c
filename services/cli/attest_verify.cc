// `teepnet attest verify`: appraise one piece of evidence with the endorsements, reference
// values and policy given on the command line, print the verdict, optionally write an EAR.
#include "services/cli/attest_verify.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/csv_cert.h"
#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/attest/verifier_ear.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/jwk.h"

namespace teepnet::cli {
namespace {

constexpr const char* kUsage =
    "usage: teepnet attest verify --evidence FILE [options]\n"
    "  Appraises attestation evidence and prints ear.status (affirming, warning or\n"
    "  contraindicated), the trust vector, the identity fields and the appraiser's notes.\n"
    "  Exit status: 0 affirming or warning, 1 contraindicated, 2 unusable input.\n"
    "  --evidence FILE          the evidence: SEV-SNP report, SGX/TDX quote, Hygon CSV report\n"
    "                           (or Trustee's CSV evidence JSON), PSA or CCA token; binary or hex\n"
    "  --format NAME            auto (default), snp, sgx, tdx, csv, psa or cca\n"
    "  --cert FILE              repeatable. snp: VCEK/VLEK, ASK/ASVK and ARK (DER or PEM; AMD\n"
    "                           cert_chain bundles accepted; self-signed = trust anchor).\n"
    "                           sgx/tdx: a root certificate to pin instead of Intel's SGX Root "
    "CA.\n"
    "                           csv: Hygon HRK (trust anchor), HSK, CEK, or the KDS HSK|CEK blob.\n"
    "                           psa/cca: a PEM public key (IAK/CPAK) trusted for the token's\n"
    "                           implementation-id and instance-id\n"
    "  --collateral FILE        sgx/tdx: collateral in dcap-qvl / PCCS QuoteCollateralV3 JSON\n"
    "  --endorsements PATH      repeatable. A directory laid out as teepnet/attest/verifier.h\n"
    "                           documents, or for psa/cca a CoRIM (CBOR) or a Trustee "
    "trust-anchor\n"
    "                           store (JSON array)\n"
    "  --reference-values FILE  psa/cca: CoRIM or Trustee reference-value store (JSON). Other\n"
    "                           formats take reference measurements in --policy\n"
    "  --policy FILE            appraisal policy JSON for the format (see the *_policy.h "
    "headers);\n"
    "                           its id and SHA-256 are printed and go into the EAR\n"
    "  --at RFC3339             evaluation time, e.g. 2025-06-01T00:00:00Z (default: now);\n"
    "                           certificates, CRLs and collateral must be valid at that time\n"
    "  --nonce HEX              expected report data (REPORT_DATA / nonce / challenge), up to 64\n"
    "                           bytes, zero-padded to the field; a mismatch is contraindicated\n"
    "  --ear-out FILE           write a signed EAR (JWT, ES256) of the verdict\n"
    "  --ear-key FILE           P-256 private key (PEM) to sign the EAR. Without it an ephemeral\n"
    "                           key is generated: its public key is written to FILE.pub.pem and\n"
    "                           printed as a JWK (the EAR's policy id carries the policy hash:\n"
    "                           \"<policy-id>@sha256:<hex>\")\n"
    "  --json                   print one JSON object instead of text\n";

int Usage(const char* problem) {
  std::fprintf(stderr, "teepnet attest verify: %s\n%s", problem, kUsage);
  return kExitUsageOrBadInput;
}

int Unusable(const std::string& what, const Error& e) {
  std::string reason(e.reason_name().empty() ? CodeName(e.code()) : e.reason_name());
  std::fprintf(stderr, "teepnet attest verify: %s: %s%s%s\n", what.c_str(), reason.c_str(),
               e.message().empty() ? "" : ": ", e.message().c_str());
  return kExitUsageOrBadInput;
}

struct Options {
  std::string evidence;
  std::string format = "auto";
  std::vector<std::string> certs;
  std::optional<std::string> collateral;
  std::vector<std::string> endorsements;
  std::optional<std::string> reference_values;
  std::optional<std::string> policy;
  std::optional<std::string> at;
  std::optional<std::string> nonce;
  std::optional<std::string> ear_out;
  std::optional<std::string> ear_key;
  bool json = false;
};

// Parses flags; returns an exit status when parsing ends the run (help, error).
std::optional<int> Parse(std::span<char* const> args, Options& o) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (a == "--json") {
      o.json = true;
      continue;
    }
    if (i + 1 >= args.size()) return Usage(("missing value after " + a).c_str());
    std::string v = args[++i];
    if (a == "--evidence") {
      o.evidence = v;
    } else if (a == "--format") {
      o.format = v;
    } else if (a == "--cert") {
      o.certs.push_back(v);
    } else if (a == "--collateral") {
      o.collateral = v;
    } else if (a == "--endorsements") {
      o.endorsements.push_back(v);
    } else if (a == "--reference-values") {
      o.reference_values = v;
    } else if (a == "--policy") {
      o.policy = v;
    } else if (a == "--at") {
      o.at = v;
    } else if (a == "--nonce") {
      o.nonce = v;
    } else if (a == "--ear-out") {
      o.ear_out = v;
    } else if (a == "--ear-key") {
      o.ear_key = v;
    } else {
      return Usage(("unknown option " + a).c_str());
    }
  }
  if (o.evidence.empty()) return Usage("--evidence is required");
  return std::nullopt;
}

Result<std::vector<crypto::Certificate>> CertsIn(const std::string& path) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path));
  auto der = crypto::Certificate::FromDer(raw);
  if (der.ok()) return std::vector<crypto::Certificate>{std::move(der).value()};
  auto pem = crypto::Certificate::ParsePemBundle(AsChars(raw));
  if (!pem.ok() || pem->empty()) {
    return Error(attest::Errc::kBadEndorsement, path + " holds no DER or PEM certificate");
  }
  return std::move(pem).value();
}

Status AddSnpCerts(const std::vector<std::string>& files, attest::VerifierConfig& c) {
  if (!c.snp) c.snp.emplace();
  for (const auto& f : files) {
    TEEPNET_ASSIGN_OR_RETURN(auto certs, CertsIn(f));
    for (auto& cert : certs) {
      if (cert.subject() == cert.issuer()) {
        c.snp->roots.push_back(cert);
      } else if (cert.is_ca()) {
        c.snp->intermediates.push_back(cert);
      } else {
        c.snp->leaves.push_back(cert);
      }
    }
  }
  return OkStatus();
}

Status AddCsvCerts(const std::vector<std::string>& files, attest::VerifierConfig& c) {
  if (!c.csv) c.csv.emplace();
  for (const auto& f : files) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(f));
    if (raw.size() == attest::kCsvCaCertSize + attest::kCsvCertSize) {
      TEEPNET_ASSIGN_OR_RETURN(auto e, attest::CsvEndorsements::FromHrkAndHskCek({}, raw));
      c.csv->hsk = e.hsk;
      c.csv->cek = e.cek;
    } else if (raw.size() == attest::kCsvCertSize) {
      c.csv->cek = raw;
    } else {
      TEEPNET_ASSIGN_OR_RETURN(attest::CsvCaCert ca, attest::DecodeCsvCaCert(raw));
      (ca.usage == static_cast<uint32_t>(attest::CsvUsage::kHrk) ? c.csv->hrk : c.csv->hsk) = raw;
    }
  }
  if (c.csv->hrk.empty()) {
    return Error(attest::Errc::kNoEndorsements, "csv needs the Hygon HRK as --cert");
  }
  return OkStatus();
}

Status AddDcap(const Options& o, std::optional<attest::DcapEndorsements>& slot) {
  if (o.collateral) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile(*o.collateral));
    TEEPNET_ASSIGN_OR_RETURN(slot, attest::DcapEndorsements::FromCollateralJson(json));
  }
  if (!o.certs.empty()) {
    if (!slot) return Error(attest::Errc::kNoEndorsements, "sgx/tdx need --collateral");
    TEEPNET_ASSIGN_OR_RETURN(auto certs, CertsIn(o.certs.front()));
    attest::DcapEndorsements::Parts parts = slot->parts();
    Bytes pin = crypto::Sha256(certs.front().der());
    std::copy(pin.begin(), pin.end(), parts.root_sha256.begin());
    parts.extra_roots.push_back(certs.front());
    slot = attest::DcapEndorsements::FromParts(std::move(parts));
  }
  return OkStatus();
}

// A PSA/CCA endorsement file: CoRIM (CBOR), a trust-anchor store (JSON array) or a
// reference-value store (JSON object).
Status AddPsaFile(const std::string& path, attest::PsaEndorsements& e) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path));
  size_t i = 0;
  while (i < raw.size() && std::isspace(raw[i])) ++i;
  if (i < raw.size() && raw[i] == '[') return e.AddTrustAnchorsJson(AsChars(raw));
  if (i < raw.size() && raw[i] == '{') return e.AddReferenceValuesJson(AsChars(raw));
  return e.AddCorim(raw);
}

// A PEM key trusted for the identity the token itself claims: TF-RMM and similar projects
// publish only the CPAK/IAK, so the operator vouches for the binding by passing the key.
Status AddPsaKeys(const Options& o, ByteView evidence, attest::EvidenceFormat f,
                  attest::PsaEndorsements& e) {
  if (o.certs.empty()) return OkStatus();
  Bytes impl, inst;
  if (f == attest::EvidenceFormat::kCcaToken) {
    TEEPNET_ASSIGN_OR_RETURN(auto t, attest::ParseCcaToken(evidence));
    impl = t.platform_claims.implementation_id;
    inst = t.platform_claims.instance_id;
  } else {
    TEEPNET_ASSIGN_OR_RETURN(auto t, attest::ParsePsaToken(evidence));
    impl = t.claims.implementation_id;
    inst = t.claims.instance_id;
  }
  for (const auto& path : o.certs) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes pem, ReadFile(path));
    auto key = crypto::PublicKey::FromPem(AsChars(pem));
    if (!key.ok()) {
      return Error(attest::Errc::kBadEndorsement, path + " is not a PEM public key");
    }
    e.AddTrustAnchor(attest::PsaTrustAnchor{impl, inst, *key});
  }
  return OkStatus();
}

Result<attest::VerifierConfig> BuildConfig(const Options& o, ByteView evidence,
                                           attest::EvidenceFormat f) {
  attest::VerifierConfig c;
  std::vector<std::string> endorsement_files;
  for (const auto& path : o.endorsements) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      TEEPNET_ASSIGN_OR_RETURN(c, attest::VerifierConfig::FromDirectory(path));
    } else {
      endorsement_files.push_back(path);
    }
  }
  using F = attest::EvidenceFormat;
  switch (f) {
    case F::kSevSnpReport:
      if (!o.certs.empty()) TEEPNET_RETURN_IF_ERROR(AddSnpCerts(o.certs, c));
      break;
    case F::kSgxQuoteV3: TEEPNET_RETURN_IF_ERROR(AddDcap(o, c.sgx)); break;
    case F::kTdxQuote: TEEPNET_RETURN_IF_ERROR(AddDcap(o, c.tdx)); break;
    case F::kCsvReport:
      if (!o.certs.empty()) TEEPNET_RETURN_IF_ERROR(AddCsvCerts(o.certs, c));
      break;
    case F::kPsaToken:
    case F::kCcaToken: {
      auto& slot = f == F::kPsaToken ? c.psa : c.cca;
      if (!slot && (endorsement_files.size() + o.certs.size() > 0 || o.reference_values)) {
        slot.emplace();
      }
      for (const auto& path : endorsement_files) TEEPNET_RETURN_IF_ERROR(AddPsaFile(path, *slot));
      if (o.reference_values) TEEPNET_RETURN_IF_ERROR(AddPsaFile(*o.reference_values, *slot));
      if (slot) TEEPNET_RETURN_IF_ERROR(AddPsaKeys(o, evidence, f, *slot));
      break;
    }
  }
  if (o.policy) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile(*o.policy));
    c.policies[f] = std::string(AsChars(json));
  }
  return c;
}

// Signs the EAR; returns the JSON describing where it went and which key verifies it.
Result<nlohmann::json> WriteEar(const Options& o, const attest::Verdict& v,
                                const std::optional<Bytes>& nonce) {
  std::optional<crypto::PrivateKey> key;
  bool ephemeral = !o.ear_key;
  if (o.ear_key) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes pem, ReadFile(*o.ear_key));
    TEEPNET_ASSIGN_OR_RETURN(key, crypto::PrivateKey::FromPem(AsChars(pem)));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(key, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  }
  attest::EarIssueOptions eo;
  eo.iat = SystemClock().NowUnixSeconds();
  eo.nonce = nonce;
  TEEPNET_ASSIGN_OR_RETURN(std::string jwt, attest::IssueVerdictEarJwt(v, eo, *key));
  TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(*o.ear_out, AsBytes(jwt)));
  nlohmann::json out = {{"file", *o.ear_out},
                        {"public_jwk", eat::PublicKeyToJwk(key->public_key())}};
  if (ephemeral) {
    std::string pub = *o.ear_out + ".pub.pem";
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(pub, AsBytes(key->public_key().ToPem())));
    out["public_key_file"] = pub;
  }
  return out;
}

}  // namespace

int RunAttest(std::span<char* const> args) {
  static constexpr const char* kAttestUsage =
      "usage: teepnet attest <verify|verify-ear> [options]   (--help after either for flags)\n";
  if (args.empty()) {
    std::fputs(kAttestUsage, stderr);
    return kExitUsageOrBadInput;
  }
  std::string sub = args[0];
  if (sub == "verify") return RunAttestVerify(args.subspan(1));
  if (sub == "verify-ear") return RunAttestVerifyEar(args.subspan(1));
  if (sub == "--help" || sub == "-h") {
    std::fputs(kAttestUsage, stdout);
    return kExitOk;
  }
  std::fprintf(stderr, "teepnet attest: unknown subcommand '%s'\n%s", sub.c_str(), kAttestUsage);
  return kExitUsageOrBadInput;
}

int RunAttestVerify(std::span<char* const> args) {
  Options o;
  if (auto done = Parse(args, o)) return *done;

  auto evidence = ReadEvidenceFile(o.evidence);
  if (!evidence.ok()) return Unusable("reading " + o.evidence, evidence.error());

  std::optional<attest::EvidenceFormat> format;
  if (o.format != "auto") {
    format = attest::EvidenceFormatFromName(o.format);
    if (!format) return Usage(("unknown --format " + o.format).c_str());
  } else {
    auto detected = attest::DetectFormat(*evidence);
    if (!detected.ok()) return Unusable(o.evidence, detected.error());
    format = *detected;
  }

  int64_t at = SystemClock().NowUnixSeconds();
  if (o.at) {
    auto t = attest::ParseUtcTime(*o.at);
    if (!t.ok()) return Usage("--at must look like 2025-06-01T00:00:00Z");
    at = *t;
  }
  std::optional<Bytes> nonce;
  if (o.nonce) {
    auto n = FromHex(*o.nonce);
    if (!n.ok()) return Usage("--nonce must be hex");
    nonce = std::move(n).value();
  }

  auto config = BuildConfig(o, *evidence, *format);
  if (!config.ok()) return Unusable("endorsements", config.error());
  auto verifier = attest::Verifier::Create(std::move(config).value());
  if (!verifier.ok()) return Unusable("policy", verifier.error());
  std::optional<ByteView> expected;
  if (nonce) expected = ByteView(*nonce);
  auto verdict = verifier->Verify(*evidence, format, expected, at);
  if (!verdict.ok()) return Unusable(o.evidence, verdict.error());

  nlohmann::json ear;
  if (o.ear_out) {
    auto written = WriteEar(o, *verdict, nonce);
    if (!written.ok()) return Unusable("writing the EAR", written.error());
    ear = std::move(written).value();
  }
  if (o.json) {
    nlohmann::json j = VerdictToJson(*verdict);
    if (!ear.is_null()) j["ear"] = ear;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::fputs(VerdictToText(*verdict).c_str(), stdout);
    if (!ear.is_null()) {
      std::printf("EAR (JWT) written to %s; verify with key %s\n",
                  ear["file"].get<std::string>().c_str(), ear["public_jwk"].dump().c_str());
    }
  }
  attest::Tier tier = verdict->appraisal.Overall();
  return tier == attest::Tier::kAffirming || tier == attest::Tier::kWarning ? kExitOk
                                                                            : kExitFailure;
}

}  // namespace teepnet::cli
