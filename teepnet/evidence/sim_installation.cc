#include "teepnet/evidence/sim_installation.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "teepnet/attest/cca_sim_platform.h"
#include "teepnet/attest/csv_sim_platform.h"
#include "teepnet/attest/dcap_sim_pki.h"
#include "teepnet/attest/dcap_sim_platform.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/eat/jwk.h"

namespace teepnet::evidence {
namespace {

using attest::Errc;

constexpr size_t kMaxStateBytes = 1 << 20;
// PSA lifecycle "non-PSA-RoT debug" (RFC 9783 §4.2.1), contraindicated by default policy.
constexpr int64_t kPsaLifecycleDebug = 0x4000;
// Simulated collateral is issued for 30 days; refresh it well before.
constexpr int64_t kCollateralRefreshSeconds = 7 * 86400;

Error StateError(std::string message) {
  return Error(Errc::kBadState, std::move(message));
}

Status MakeDir(const std::string& path, unsigned mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return StateError("cannot create " + path + ": " + ec.message());
  if (::chmod(path.c_str(), mode) != 0) return StateError("cannot chmod " + path);
  return OkStatus();
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Exclusive lock for the duration of OpenSimPlatform (released on close).
class DirLock {
 public:
  static Result<DirLock> Acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return StateError("cannot open " + path + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd);
        return StateError("cannot lock " + path);
      }
    }
    return DirLock(fd);
  }
  DirLock(DirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  DirLock& operator=(DirLock&&) = delete;
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

Result<nlohmann::json> ReadJsonOr(const std::string& path, nlohmann::json fallback) {
  if (!Exists(path)) return fallback;
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
  auto j = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return StateError(path + " is not JSON");
  return j;
}

Status WriteJson(const std::string& path, const nlohmann::json& j, unsigned mode) {
  return WriteFileAtomic(path, AsBytes(j.dump(2) + "\n"), mode);
}

Status WriteIfAbsent(const std::string& path, ByteView data) {
  if (Exists(path)) return OkStatus();
  return WriteFileAtomic(path, data, 0644);
}

// Runs `fill` on DIR/name. The first time, it fills a hidden staging directory and renames it
// into place, so a Verifier reading the directory concurrently never sees a half-written
// architecture (FromDirectory refuses e.g. sgx/ without its collateral). Later calls update
// files in place, each replaced atomically.
Status Publish(const std::string& pub, const std::string& name,
               const std::function<Status(const std::string& dir)>& fill) {
  const std::string dir = pub + "/" + name;
  if (Exists(dir)) return fill(dir);
  const std::string staging = pub + "/." + name + ".staging";
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);
  TEEPNET_RETURN_IF_ERROR(MakeDir(staging, 0755));
  TEEPNET_RETURN_IF_ERROR(fill(staging));
  if (::rename(staging.c_str(), dir.c_str()) != 0) {
    return StateError("cannot publish " + dir + ": " + std::strerror(errno));
  }
  return OkStatus();
}

void AppendUnique(nlohmann::json& array, nlohmann::json entry) {
  for (const nlohmann::json& e : array) {
    if (e == entry) return;
  }
  array.push_back(std::move(entry));
}

// The manufacturer provisions a PSA / CCA attester's key and reference values into the
// rust-ccatoken JSON stores the Verifier reads (psa_endorsements.h).
Status ExportPsaStores(const std::string& dir, const attest::PsaEndorsements& e) {
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json anchors,
                           ReadJsonOr(dir + "/trust-anchors.json", nlohmann::json::array()));
  if (!anchors.is_array()) return StateError(dir + "/trust-anchors.json is not an array");
  for (const attest::PsaTrustAnchor& a : e.trust_anchors()) {
    AppendUnique(anchors, {{"pkey", eat::PublicKeyToJwk(a.key)},
                           {"implementation-id", ToHex(a.implementation_id)},
                           {"instance-id", ToHex(a.instance_id)}});
  }
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json refs,
                           ReadJsonOr(dir + "/reference-values.json", nlohmann::json::object()));
  if (!refs.is_object()) return StateError(dir + "/reference-values.json is not an object");
  if (!e.sw_references().empty()) {
    nlohmann::json components = nlohmann::json::array();
    for (const attest::PsaSwReference& r : e.sw_references()) {
      nlohmann::json c = {{"measurement-value", ToHex(r.measurement)}, {"component-type", r.type}};
      if (!r.signer_id.empty()) c["signer-id"] = ToHex(r.signer_id);
      if (!r.version.empty()) c["version"] = r.version;
      components.push_back(std::move(c));
    }
    if (!refs.contains("platform")) refs["platform"] = nlohmann::json::array();
    AppendUnique(refs["platform"],
                 {{"implementation-id", ToHex(e.sw_references().front().implementation_id)},
                  {"sw-components", std::move(components)}});
  }
  for (const attest::CcaRealmReference& r : e.realm_references()) {
    nlohmann::json entry = {{"initial-measurement", ToHex(r.initial_measurement)}};
    if (!r.personalization_value.empty()) {
      entry["personalization-value"] = ToHex(r.personalization_value);
    }
    if (r.extensible_measurements.size() == 4) {
      nlohmann::json rems = nlohmann::json::array();
      for (const Bytes& rem : r.extensible_measurements) rems.push_back(ToHex(rem));
      entry["extensible-measurements"] = std::move(rems);
    }
    if (!refs.contains("realm")) refs["realm"] = nlohmann::json::array();
    AppendUnique(refs["realm"], std::move(entry));
  }
  TEEPNET_RETURN_IF_ERROR(WriteJson(dir + "/trust-anchors.json", anchors, 0644));
  return WriteJson(dir + "/reference-values.json", refs, 0644);
}

// A device's persistent guest identity (DEVICE/platform.json): random on first use.
struct GuestIdentity {
  bool debug = false;
  Bytes measurement;
  Bytes signer;
};

Result<GuestIdentity> LoadOrCreateIdentity(const SimPlatformOptions& o, size_t measurement_size,
                                           size_t signer_size) {
  const std::string path = o.device_dir + "/platform.json";
  GuestIdentity id;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(nlohmann::json j, ReadJsonOr(path, nullptr));
    if (!j.is_object() || !j.contains("platform") || j["platform"] != o.platform ||
        !j.contains("measurement") || !j["measurement"].is_string() || !j.contains("debug") ||
        !j["debug"].is_boolean()) {
      return StateError(path + " does not describe a " + o.platform + " guest");
    }
    id.debug = j["debug"].get<bool>();
    TEEPNET_ASSIGN_OR_RETURN(id.measurement, FromHex(j["measurement"].get<std::string>()));
    if (j.contains("signer") && j["signer"].is_string()) {
      TEEPNET_ASSIGN_OR_RETURN(id.signer, FromHex(j["signer"].get<std::string>()));
    }
    if (id.measurement.size() != measurement_size || id.signer.size() != signer_size) {
      return StateError(path + ": identity of the wrong size");
    }
    return id;
  }
  id.debug = o.debug;
  TEEPNET_ASSIGN_OR_RETURN(id.measurement, crypto::RandomBytes(measurement_size));
  if (signer_size > 0) {
    TEEPNET_ASSIGN_OR_RETURN(id.signer, crypto::RandomBytes(signer_size));
  }
  nlohmann::json j = {
      {"platform", o.platform}, {"debug", id.debug}, {"measurement", ToHex(id.measurement)}};
  if (!id.signer.empty()) j["signer"] = ToHex(id.signer);
  TEEPNET_RETURN_IF_ERROR(WriteJson(path, j, 0600));
  return id;
}

// --- PSA / CCA: per-device attestation keys, provisioned to the public stores ---------------

Result<std::unique_ptr<attest::Platform>> OpenPsa(const SimPlatformOptions& o,
                                                  const std::string& pub) {
  const std::string path = o.device_dir + "/platform.state";
  std::unique_ptr<attest::SimPsaPlatform> p;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
    TEEPNET_ASSIGN_OR_RETURN(attest::SimPsaPlatform loaded, attest::SimPsaPlatform::Load(raw));
    p = std::make_unique<attest::SimPsaPlatform>(std::move(loaded));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(attest::SimPsaPlatform created, attest::SimPsaPlatform::Create());
    p = std::make_unique<attest::SimPsaPlatform>(std::move(created));
    if (o.debug) p->set_lifecycle(kPsaLifecycleDebug);
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, p->Serialize().view(), 0600));
  }
  TEEPNET_RETURN_IF_ERROR(Publish(
      pub, "psa", [&](const std::string& dir) { return ExportPsaStores(dir, p->Endorsements()); }));
  return std::unique_ptr<attest::Platform>(std::move(p));
}

Result<std::unique_ptr<attest::Platform>> OpenCca(const SimPlatformOptions& o,
                                                  const std::string& pub) {
  const std::string path = o.device_dir + "/platform.state";
  std::unique_ptr<attest::SimCcaPlatform> p;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
    TEEPNET_ASSIGN_OR_RETURN(attest::SimCcaPlatform loaded, attest::SimCcaPlatform::Load(raw));
    p = std::make_unique<attest::SimCcaPlatform>(std::move(loaded));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(attest::SimCcaPlatform created, attest::SimCcaPlatform::Create());
    p = std::make_unique<attest::SimCcaPlatform>(std::move(created));
    if (o.debug) p->set_lifecycle(kPsaLifecycleDebug);
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, p->Serialize().view(), 0600));
  }
  TEEPNET_RETURN_IF_ERROR(Publish(
      pub, "cca", [&](const std::string& dir) { return ExportPsaStores(dir, p->Endorsements()); }));
  return std::unique_ptr<attest::Platform>(std::move(p));
}

// --- Intel: one simulated manufacturer and chip; each device is an enclave / TD on it -------

class IntelGuest final : public attest::Platform {
 public:
  explicit IntelGuest(std::unique_ptr<attest::SimIntelManufacturer> intel)
      : intel_(std::move(intel)) {}
  attest::Architecture architecture() const override { return inner_->architecture(); }
  attest::EvidenceFormat format() const override { return inner_->format(); }
  Result<Bytes> GetEvidence(ByteView report_data) override {
    return inner_->GetEvidence(report_data);
  }
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override {
    return inner_->GetGuestEvidence(report_data, launch_measurement);
  }
  std::string measurement_hex() const override { return inner_->measurement_hex(); }

  const attest::SimIntelManufacturer& intel() const { return *intel_; }
  void set_inner(std::unique_ptr<attest::Platform> inner) { inner_ = std::move(inner); }

 private:
  std::unique_ptr<attest::SimIntelManufacturer> intel_;  // the inner platform points into it
  std::unique_ptr<attest::Platform> inner_;
};

Status ExportIntelCollateral(const attest::SimIntelManufacturer& intel, const std::string& dir,
                             bool tdx, int64_t now);

Status ExportIntel(const attest::SimIntelManufacturer& intel, const std::string& pub, bool tdx,
                   int64_t now) {
  const std::string name = tdx ? "tdx" : "sgx";
  TEEPNET_RETURN_IF_ERROR(MakeDir(pub + "/policy", 0755));
  // The simulated PKI issues CRLs, but crypto::Crl does not hand back its DER, so the
  // exported collateral carries none and the policy does not require them.
  TEEPNET_RETURN_IF_ERROR(
      WriteIfAbsent(pub + "/policy/" + name + ".json", AsBytes("{\"require_crls\": false}\n")));
  return Publish(pub, name, [&](const std::string& dir) -> Status {
    return ExportIntelCollateral(intel, dir, tdx, now);
  });
}

Status ExportIntelCollateral(const attest::SimIntelManufacturer& intel, const std::string& dir,
                             bool tdx, int64_t now) {
  const std::string collateral = dir + "/collateral.json";
  struct stat st;
  if (::stat(collateral.c_str(), &st) == 0 && now - st.st_mtime < kCollateralRefreshSeconds) {
    return WriteIfAbsent(dir + "/root.der", intel.root().der());
  }
  TEEPNET_ASSIGN_OR_RETURN(attest::DcapEndorsements e, intel.Endorsements(tdx, now));
  const attest::DcapEndorsements::Parts& p = e.parts();
  std::string chain;
  for (const crypto::Certificate& c : p.tcb_signing_chain) chain += attest::CertificatePem(c.der());
  // dcap-qvl / PCCS QuoteCollateralV3 JSON (dcap_endorsements.h).
  nlohmann::json j = {{"tcb_info", std::string(AsChars(p.tcb_info))},
                      {"tcb_info_signature", ToHex(p.tcb_info_signature)},
                      {"tcb_info_issuer_chain", chain},
                      {"qe_identity", std::string(AsChars(p.qe_identity))},
                      {"qe_identity_signature", ToHex(p.qe_identity_signature)},
                      {"qe_identity_issuer_chain", chain}};
  TEEPNET_RETURN_IF_ERROR(WriteJson(collateral, j, 0644));
  return WriteIfAbsent(dir + "/root.der", intel.root().der());
}

Result<std::unique_ptr<attest::Platform>> OpenIntel(const SimPlatformOptions& o,
                                                    const std::string& priv, const std::string& pub,
                                                    bool tdx) {
  const std::string path = priv + "/intel.state";
  std::unique_ptr<attest::SimIntelManufacturer> intel;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
    TEEPNET_ASSIGN_OR_RETURN(attest::SimIntelManufacturer m,
                             attest::SimIntelManufacturer::Load(raw));
    intel = std::make_unique<attest::SimIntelManufacturer>(std::move(m));
  } else {
    // Valid from an hour back, so a Verifier on this machine never sees it "not yet valid".
    TEEPNET_ASSIGN_OR_RETURN(attest::SimIntelManufacturer m,
                             attest::SimIntelManufacturer::Create(o.now - 3600));
    intel = std::make_unique<attest::SimIntelManufacturer>(std::move(m));
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, intel->Serialize().view(), 0600));
  }
  TEEPNET_RETURN_IF_ERROR(ExportIntel(*intel, pub, tdx, o.now - 3600));
  auto guest = std::make_unique<IntelGuest>(std::move(intel));
  if (tdx) {
    TEEPNET_ASSIGN_OR_RETURN(GuestIdentity id, LoadOrCreateIdentity(o, 48, 0));
    attest::SimTdIdentity td;
    std::copy(id.measurement.begin(), id.measurement.end(), td.mrtd.begin());
    td.debug = id.debug;
    TEEPNET_ASSIGN_OR_RETURN(attest::SimTdxPlatform p,
                             attest::SimTdxPlatform::Create(guest->intel(), td));
    guest->set_inner(std::make_unique<attest::SimTdxPlatform>(std::move(p)));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(GuestIdentity id, LoadOrCreateIdentity(o, 32, 32));
    attest::SimSgxIdentity enclave;
    std::copy(id.measurement.begin(), id.measurement.end(), enclave.mrenclave.begin());
    std::copy(id.signer.begin(), id.signer.end(), enclave.mrsigner.begin());
    enclave.debug = id.debug;
    TEEPNET_ASSIGN_OR_RETURN(attest::SimSgxPlatform p,
                             attest::SimSgxPlatform::Create(guest->intel(), enclave));
    guest->set_inner(std::make_unique<attest::SimSgxPlatform>(std::move(p)));
  }
  return std::unique_ptr<attest::Platform>(std::move(guest));
}

// --- SEV-SNP: one simulated host (AMD hierarchy + chip); each device is a guest on it ------

class SnpGuest final : public attest::Platform {
 public:
  SnpGuest(std::unique_ptr<attest::SimSevSnpPlatform> host, GuestIdentity id)
      : host_(std::move(host)), id_(std::move(id)) {}
  attest::Architecture architecture() const override { return attest::Architecture::kSevSnp; }
  attest::EvidenceFormat format() const override { return attest::EvidenceFormat::kSevSnpReport; }
  // The host's secure processor signs a report carrying this guest's launch measurement and
  // policy (ABI spec: MEASUREMENT and POLICY are per guest).
  Result<Bytes> GetEvidence(ByteView report_data) override {
    TEEPNET_ASSIGN_OR_RETURN(attest::SnpReport report, host_->UnsignedReport(report_data));
    std::copy(id_.measurement.begin(), id_.measurement.end(), report.measurement.begin());
    if (id_.debug) report.policy |= attest::snp_policy_bits::kDebug;
    return host_->SignReport(std::move(report));
  }
  std::string measurement_hex() const override { return ToHex(id_.measurement); }
  // A confidential VM this host launched: its own MEASUREMENT (the launch digest), the guest
  // policy of this device, signed by the same VCEK.
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override {
    TEEPNET_ASSIGN_OR_RETURN(attest::SnpReport report, host_->UnsignedReport(report_data));
    TEEPNET_ASSIGN_OR_RETURN(Bytes measurement,
                             attest::PadMeasurement(launch_measurement, report.measurement.size()));
    std::copy(measurement.begin(), measurement.end(), report.measurement.begin());
    if (id_.debug) report.policy |= attest::snp_policy_bits::kDebug;
    return host_->SignReport(std::move(report));
  }

 private:
  std::unique_ptr<attest::SimSevSnpPlatform> host_;
  GuestIdentity id_;
};

Result<std::unique_ptr<attest::Platform>> OpenSnp(const SimPlatformOptions& o,
                                                  const std::string& priv, const std::string& pub) {
  const std::string path = priv + "/snp-host.state";
  std::unique_ptr<attest::SimSevSnpPlatform> host;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
    TEEPNET_ASSIGN_OR_RETURN(host, attest::SimSevSnpPlatform::Load(raw));
  } else {
    attest::SimSevSnpOptions options;
    options.not_before = o.now - 3600;
    TEEPNET_ASSIGN_OR_RETURN(host, attest::SimSevSnpPlatform::Create(options));
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, host->Serialize().view(), 0600));
  }
  auto fill_snp = [&](const std::string& dir) -> Status {
    TEEPNET_RETURN_IF_ERROR(MakeDir(dir + "/vcek", 0755));
    // AMD's cert_chain layout: the ASK first, then the self-signed ARK (the trust anchor).
    const std::string chain =
        attest::CertificatePem(host->ask().der()) + attest::CertificatePem(host->ark().der());
    TEEPNET_RETURN_IF_ERROR(WriteIfAbsent(dir + "/chain.pem", AsBytes(chain)));
    return WriteIfAbsent(dir + "/vcek/" + ToHex(ByteView(host->chip_id()).first(8)) + ".der",
                         host->vcek().der());
  };
  TEEPNET_RETURN_IF_ERROR(Publish(pub, "snp", fill_snp));
  TEEPNET_ASSIGN_OR_RETURN(GuestIdentity id, LoadOrCreateIdentity(o, 48, 0));
  return std::unique_ptr<attest::Platform>(
      std::make_unique<SnpGuest>(std::move(host), std::move(id)));
}

// --- Hygon CSV: one simulated host -----------------------------------------------------------

Result<std::unique_ptr<attest::Platform>> OpenCsv(const SimPlatformOptions& o,
                                                  const std::string& priv, const std::string& pub) {
  if (o.debug) {
    return Error(Errc::kBadState, "sim-csv guests share the host's policy: no debug variant");
  }
  const std::string path = priv + "/csv-host.state";
  std::unique_ptr<attest::SimCsvPlatform> host;
  if (Exists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxStateBytes));
    TEEPNET_ASSIGN_OR_RETURN(host, attest::SimCsvPlatform::Load(raw));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(host, attest::SimCsvPlatform::Create(attest::SimCsvOptions{}));
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, host->Serialize().view(), 0600));
  }
  const attest::CsvEndorsements e = host->endorsements();
  auto fill_csv = [&](const std::string& dir) -> Status {
    TEEPNET_RETURN_IF_ERROR(WriteIfAbsent(dir + "/hrk.cert", e.hrk));
    if (!e.hsk.empty()) TEEPNET_RETURN_IF_ERROR(WriteIfAbsent(dir + "/hsk.cert", e.hsk));
    if (!e.cek.empty()) TEEPNET_RETURN_IF_ERROR(WriteIfAbsent(dir + "/cek.cert", e.cek));
    return OkStatus();
  };
  TEEPNET_RETURN_IF_ERROR(Publish(pub, "csv", fill_csv));
  return std::unique_ptr<attest::Platform>(std::move(host));
}

std::string_view Canonical(std::string_view name) {
  return name == "sim-sev-snp" ? std::string_view("sim-snp") : name;
}

}  // namespace

bool IsSimPlatform(std::string_view name) {
  name = Canonical(name);
  return name == "sim-trustzone" || name == "sim-sgx" || name == "sim-snp" || name == "sim-cca" ||
         name == "sim-tdx" || name == "sim-csv";
}

Result<std::unique_ptr<attest::Platform>> OpenSimPlatform(const SimPlatformOptions& in) {
  SimPlatformOptions o = in;
  o.platform = std::string(Canonical(o.platform));
  if (!IsSimPlatform(o.platform)) return StateError("not a simulated platform: " + o.platform);
  const std::string priv = o.vendors_dir + "/private";
  const std::string pub = o.vendors_dir + "/public";
  TEEPNET_RETURN_IF_ERROR(MakeDir(o.vendors_dir, 0755));
  TEEPNET_RETURN_IF_ERROR(MakeDir(priv, 0700));
  TEEPNET_RETURN_IF_ERROR(MakeDir(pub, 0755));
  TEEPNET_RETURN_IF_ERROR(MakeDir(o.device_dir, 0700));
  TEEPNET_ASSIGN_OR_RETURN(DirLock lock, DirLock::Acquire(priv + "/lock"));
  if (o.platform == "sim-trustzone") return OpenPsa(o, pub);
  if (o.platform == "sim-cca") return OpenCca(o, pub);
  if (o.platform == "sim-sgx") return OpenIntel(o, priv, pub, /*tdx=*/false);
  if (o.platform == "sim-tdx") return OpenIntel(o, priv, pub, /*tdx=*/true);
  if (o.platform == "sim-snp") return OpenSnp(o, priv, pub);
  return OpenCsv(o, priv, pub);
}

}  // namespace teepnet::evidence
