// VerifierConfig::FromDirectory: the on-disk layout documented in verifier.h.
#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "teepnet/attest/csv_cert.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/verifier.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {
namespace {

namespace fs = std::filesystem;

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// Regular files directly in `dir` whose names end with one of `suffixes`, sorted so the
// result does not depend on directory order.
std::vector<fs::path> FilesIn(const fs::path& dir,
                              std::initializer_list<std::string_view> suffixes) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    for (std::string_view s : suffixes) {
      if (name.ends_with(s)) {
        out.push_back(it->path());
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Error BadFile(const fs::path& p, const std::string& what) {
  return Error(Errc::kBadEndorsement, p.string() + ": " + what);
}

// Every certificate in a DER file or a PEM bundle.
Result<std::vector<crypto::Certificate>> Certificates(const fs::path& p) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(p.string()));
  auto der = crypto::Certificate::FromDer(raw);
  if (der.ok()) return std::vector<crypto::Certificate>{std::move(der).value()};
  auto pem = crypto::Certificate::ParsePemBundle(AsChars(raw));
  if (!pem.ok() || pem->empty()) return BadFile(p, "not a DER or PEM certificate");
  return std::move(pem).value();
}

Result<crypto::Crl> CrlFile(const fs::path& p) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(p.string()));
  auto der = crypto::Crl::FromDer(raw);
  if (der.ok()) return der;
  auto pem = crypto::Crl::FromPem(AsChars(raw));
  if (!pem.ok()) return BadFile(p, "not a DER or PEM CRL");
  return pem;
}

Result<SnpTrust> LoadSnp(const fs::path& dir) {
  SnpTrust t;
  std::vector<crypto::Certificate> chain;
  for (const char* name : {"chain.pem", "ask.pem", "ark.pem"}) {
    if (!Exists(dir / name)) continue;
    TEEPNET_ASSIGN_OR_RETURN(auto certs, Certificates(dir / name));
    chain.insert(chain.end(), certs.begin(), certs.end());
  }
  // Self-signed certificates (the ARK) are the trust anchors; the rest are ASK / ASVK.
  for (auto& c : chain) {
    (c.subject() == c.issuer() ? t.roots : t.intermediates).push_back(c);
  }
  for (const auto& p : FilesIn(dir / "vcek", {".der", ".pem", ".crt", ".cert"})) {
    TEEPNET_ASSIGN_OR_RETURN(auto certs, Certificates(p));
    t.leaves.insert(t.leaves.end(), certs.begin(), certs.end());
  }
  for (const auto& p : FilesIn(dir / "crl", {".der", ".pem", ".crl"})) {
    TEEPNET_ASSIGN_OR_RETURN(auto crl, CrlFile(p));
    t.crls.push_back(std::move(crl));
  }
  if (t.roots.empty()) return BadFile(dir, "no self-signed ARK in chain.pem / ark.pem");
  return t;
}

Result<DcapEndorsements> LoadDcap(const fs::path& dir) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile((dir / "collateral.json").string()));
  TEEPNET_ASSIGN_OR_RETURN(DcapEndorsements e, DcapEndorsements::FromCollateralJson(json));
  for (const char* name : {"root.der", "root.pem"}) {
    if (!Exists(dir / name)) continue;
    TEEPNET_ASSIGN_OR_RETURN(auto certs, Certificates(dir / name));
    DcapEndorsements::Parts parts = e.parts();
    Bytes pin = crypto::Sha256(certs.front().der());
    std::copy(pin.begin(), pin.end(), parts.root_sha256.begin());
    parts.extra_roots.push_back(certs.front());
    return DcapEndorsements::FromParts(std::move(parts));
  }
  return e;
}

Result<CsvEndorsements> LoadCsv(const fs::path& dir) {
  CsvEndorsements e;
  TEEPNET_ASSIGN_OR_RETURN(e.hrk, ReadFile((dir / "hrk.cert").string()));
  if (Exists(dir / "hsk.cert")) {
    TEEPNET_ASSIGN_OR_RETURN(e.hsk, ReadFile((dir / "hsk.cert").string()));
  }
  if (Exists(dir / "cek.cert")) {
    TEEPNET_ASSIGN_OR_RETURN(e.cek, ReadFile((dir / "cek.cert").string()));
  }
  return e;
}

Result<PsaEndorsements> LoadPsa(const fs::path& dir) {
  PsaEndorsements e;
  for (const auto& p : FilesIn(dir, {".cbor"})) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes corim, ReadFile(p.string()));
    Status st = e.AddCorim(corim);
    if (!st.ok()) return st.error().WithContext(p.string() + ": ");
  }
  if (Exists(dir / "trust-anchors.json")) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile((dir / "trust-anchors.json").string()));
    TEEPNET_RETURN_IF_ERROR(e.AddTrustAnchorsJson(AsChars(json)));
  }
  if (Exists(dir / "reference-values.json")) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile((dir / "reference-values.json").string()));
    TEEPNET_RETURN_IF_ERROR(e.AddReferenceValuesJson(AsChars(json)));
  }
  return e;
}

}  // namespace

Result<VerifierConfig> VerifierConfig::FromDirectory(const std::string& path) {
  const fs::path root(path);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return Error(Errc::kBadEndorsement, path + " is not a directory");
  }
  VerifierConfig c;
  if (Exists(root / "snp")) {
    TEEPNET_ASSIGN_OR_RETURN(c.snp, LoadSnp(root / "snp"));
  }
  if (Exists(root / "sgx")) {
    TEEPNET_ASSIGN_OR_RETURN(c.sgx, LoadDcap(root / "sgx"));
  }
  if (Exists(root / "tdx")) {
    TEEPNET_ASSIGN_OR_RETURN(c.tdx, LoadDcap(root / "tdx"));
  }
  if (Exists(root / "csv")) {
    TEEPNET_ASSIGN_OR_RETURN(c.csv, LoadCsv(root / "csv"));
  }
  if (Exists(root / "psa")) {
    TEEPNET_ASSIGN_OR_RETURN(c.psa, LoadPsa(root / "psa"));
  }
  if (Exists(root / "cca")) {
    TEEPNET_ASSIGN_OR_RETURN(c.cca, LoadPsa(root / "cca"));
  }
  for (const auto& p : FilesIn(root / "policy", {".json"})) {
    auto format = EvidenceFormatFromName(p.stem().string());
    if (!format) {
      return Error(Errc::kBadPolicy, p.string() + ": not named after a format (snp, sgx, ...)");
    }
    TEEPNET_ASSIGN_OR_RETURN(Bytes json, ReadFile(p.string()));
    std::string text(AsChars(json));
    // Refuse a policy that does not parse now rather than at the first Verify().
    TEEPNET_RETURN_IF_ERROR(IdentifyPolicy(*format, text));
    c.policies[*format] = std::move(text);
  }
  TEEPNET_ASSIGN_OR_RETURN(Verifier v, Verifier::Create(c));
  (void)v;
  return c;
}

}  // namespace teepnet::attest
