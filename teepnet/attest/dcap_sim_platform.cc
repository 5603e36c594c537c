#include "teepnet/attest/dcap_sim_platform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/dcap_quote_writer.h"
#include "teepnet/attest/dcap_sim_pki.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {

namespace {

using nlohmann::json;

constexpr char kStateFormat[] = "teepnet-sim-intel/1";
constexpr char kOrg[] = "teepnet simulated Intel";
constexpr char kRootCn[] = "Simulated Intel SGX Root CA";
constexpr char kCaCn[] = "Simulated Intel SGX PCK Platform CA";
constexpr char kTcbCn[] = "Simulated Intel SGX TCB Signing";
constexpr char kPckCn[] = "Simulated Intel SGX PCK Certificate";
constexpr int64_t kYear = 365 * 86400;
constexpr int64_t kCollateralValidity = 30 * 86400;
// The simulated QE's identity (the QE Identity document names the same values).
constexpr uint16_t kQeIsvSvn = 8;
constexpr uint8_t kQeAttributes0 = 0x11;  // INIT | MODE64BIT, not DEBUG
// TEE_TCB_SVN of the simulated TDX module: SVN 3, module major version 1, then SEAM SVNs.
constexpr std::array<uint8_t, 16> kTeeTcbSvn = {3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

Error BadState(std::string what) {
  return Error(Errc::kBadState, "sim Intel state: " + what);
}

std::string Iso(int64_t t) {
  // RFC 3339 UTC, the PCS spelling (civil from days, H. Hinnant's public-domain algorithm).
  int64_t days = t / 86400, secs = t % 86400;
  days += 719468;
  int64_t era = days / 146097, doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(y),
                static_cast<int>(m), static_cast<int>(d), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

std::string Components(ByteView svns) {
  std::string out = "[";
  for (size_t i = 0; i < svns.size(); ++i) {
    out += (i ? "," : "") + std::string("{\"svn\":") + std::to_string(svns[i]) + "}";
  }
  return out + "]";
}

std::string UpperHex(ByteView b) {
  std::string h = ToHex(b);
  for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return h;
}

// A PCS response body {"<member>":<value>,"signature":"<hex r||s>"} with `value` signed as is.
Result<Bytes> SignedBody(const char* member, const std::string& value,
                         const crypto::PrivateKey& key) {
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes sig, crypto::Sign(key, crypto::SignatureAlgorithm::kEcdsaSha256, AsBytes(value)));
  return ToBytes("{\"" + std::string(member) + "\":" + value + ",\"signature\":\"" + ToHex(sig) +
                 "\"}");
}

void WriteHeader(ByteWriter& w, uint16_t version, uint32_t tee_type) {
  w.WriteLeU16(version);
  w.WriteLeU16(kDcapAttestationKeyEcdsaP256);
  w.WriteLeU32(tee_type);
  w.WriteLeU16(version == 3 ? kQeIsvSvn : 0);  // v3: QE SVN, v4: reserved
  w.WriteLeU16(version == 3 ? 13 : 0);         // v3: PCE SVN, v4: reserved
  w.WriteBytes(kIntelQeVendorId);
  w.WriteZeros(20);  // user data: QE id (zero for the simulated QE)
}

// The 384-byte SGX report body at the offsets of evidence-formats.md §2.2.
void WriteSgxBody(ByteWriter& w, ByteView cpusvn, uint8_t attributes0, ByteView mrenclave,
                  ByteView mrsigner, uint16_t prodid, uint16_t svn, ByteView report_data) {
  w.WriteBytes(cpusvn);
  w.WriteLeU32(0);   // MISCSELECT
  w.WriteZeros(28);  // reserved, ISVEXTPRODID
  w.WriteU8(attributes0);
  w.WriteZeros(7);
  w.WriteLeU64(0xe7);  // XFRM
  w.WriteBytes(mrenclave);
  w.WriteZeros(32);
  w.WriteBytes(mrsigner);
  w.WriteZeros(96);
  w.WriteLeU16(prodid);
  w.WriteLeU16(svn);
  w.WriteZeros(60);
  w.WriteBytes(report_data);
}

Result<Bytes> Pad64(ByteView report_data) {
  if (report_data.size() > 64) {
    return Error(Errc::kBadEndorsement, "report data longer than 64 bytes");
  }
  Bytes rd(report_data.begin(), report_data.end());
  rd.resize(64, 0);
  return rd;
}

// The simulated QE: signs `signed_region` with the attestation key and issues a QE report
// (signed by the PCK key) whose REPORT_DATA binds that key and the QE auth data.
Result<Bytes> Quote(const SimIntelManufacturer& intel, const crypto::PrivateKey& att_key,
                    uint16_t version, ByteView signed_region, uint16_t qe_prodid) {
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes quote_sig,
      crypto::Sign(att_key, crypto::SignatureAlgorithm::kEcdsaSha256, signed_region));
  Bytes att_pub = att_key.public_key().X();
  Append(att_pub, att_key.public_key().Y());
  Bytes auth_data(32);
  for (size_t i = 0; i < auth_data.size(); ++i) auth_data[i] = static_cast<uint8_t>(i);
  crypto::Hasher h(crypto::HashAlgorithm::kSha256);
  h.Update(att_pub);
  h.Update(auth_data);
  Bytes qe_rd = h.Finish();
  qe_rd.resize(64, 0);
  ByteWriter qe_report;
  std::array<uint8_t, 32> qe_mrenclave{};
  qe_mrenclave.fill(0x5e);
  WriteSgxBody(qe_report, intel.pck_extension().cpusvn, kQeAttributes0, qe_mrenclave,
               intel.qe_mrsigner(), qe_prodid, kQeIsvSvn, qe_rd);
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes qe_sig,
      crypto::Sign(intel.pck_key(), crypto::SignatureAlgorithm::kEcdsaSha256, qe_report.bytes()));
  std::string chain = intel.pck_chain_pem();
  DcapSignatureParts parts{quote_sig,     att_pub,   qe_report.bytes(),
                           qe_sig,        auth_data, kDcapCertDataPckChainPem,
                           AsBytes(chain)};
  return AssembleDcapQuote(version, signed_region, parts);
}

}  // namespace

Result<SimIntelManufacturer> SimIntelManufacturer::Create(int64_t now) {
  SimIntelManufacturer m;
  m.created_ = now;
  TEEPNET_ASSIGN_OR_RETURN(m.root_key_, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(m.ca_key_, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(m.tcb_key_, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(m.pck_key_, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(Bytes rnd, crypto::RandomBytes(16 + 32 + 8));
  ByteView r(rnd);
  std::copy(r.begin(), r.begin() + 16, m.pck_ext_.ppid.begin());
  std::copy(r.begin() + 16, r.begin() + 48, m.qe_mrsigner_.begin());
  m.pck_ext_.comp_svn = {4, 4, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
  m.pck_ext_.pcesvn = 13;
  m.pck_ext_.cpusvn = m.pck_ext_.comp_svn;
  m.pck_ext_.pce_id = {0, 0};
  m.pck_ext_.fmspc = {0x5e, 0xed, 0x00, 0x00, 0x00, 0x00};
  uint64_t serial_base = 0;
  for (uint8_t b : r.last(8)) serial_base = (serial_base << 8) | b;
  serial_base = (serial_base >> 8) | 1;  // positive, non-zero
  auto issue = [&](const char* subject, const char* issuer, uint64_t serial, bool ca,
                   const crypto::PublicKey& key, const crypto::PrivateKey& by,
                   std::vector<std::pair<std::string, Bytes>> ext) {
    SimCertSpec spec;
    spec.organization = kOrg;
    spec.subject_cn = subject;
    spec.issuer_cn = issuer;
    spec.serial = serial_base + serial;
    spec.not_before = now - 86400;
    spec.not_after = now + 20 * kYear;
    spec.is_ca = ca;
    spec.extensions = std::move(ext);
    return IssueSimCertificate(spec, key, by);
  };
  TEEPNET_ASSIGN_OR_RETURN(
      m.root_cert_, issue(kRootCn, kRootCn, 1, true, m.root_key_->public_key(), *m.root_key_, {}));
  TEEPNET_ASSIGN_OR_RETURN(
      m.ca_cert_, issue(kCaCn, kRootCn, 2, true, m.ca_key_->public_key(), *m.root_key_, {}));
  TEEPNET_ASSIGN_OR_RETURN(
      m.tcb_cert_, issue(kTcbCn, kRootCn, 3, false, m.tcb_key_->public_key(), *m.root_key_, {}));
  TEEPNET_ASSIGN_OR_RETURN(
      m.pck_cert_, issue(kPckCn, kCaCn, 4, false, m.pck_key_->public_key(), *m.ca_key_,
                         {{std::string(kSgxExtensionOid), EncodePckExtension(m.pck_ext_)}}));
  return m;
}

std::array<uint8_t, 32> SimIntelManufacturer::root_sha256() const {
  Bytes d = crypto::Sha256(root_cert_->der());
  std::array<uint8_t, 32> out{};
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

std::string SimIntelManufacturer::pck_chain_pem() const {
  return CertificatePem(pck_cert_->der()) + CertificatePem(ca_cert_->der()) +
         CertificatePem(root_cert_->der());
}

SecretBytes SimIntelManufacturer::Serialize() const {
  json state = {
      {"format", kStateFormat},
      {"created", created_},
      {"root_key", root_key_->ToPem()},
      {"ca_key", ca_key_->ToPem()},
      {"tcb_key", tcb_key_->ToPem()},
      {"pck_key", pck_key_->ToPem()},
      {"root_cert", ToHex(root_cert_->der())},
      {"ca_cert", ToHex(ca_cert_->der())},
      {"tcb_cert", ToHex(tcb_cert_->der())},
      {"pck_cert", ToHex(pck_cert_->der())},
      {"qe_mrsigner", ToHex(qe_mrsigner_)},
  };
  std::string text = state.dump();
  SecretBytes out(AsBytes(text));
  std::fill(text.begin(), text.end(), '\0');
  return out;
}

Result<SimIntelManufacturer> SimIntelManufacturer::Load(ByteView bytes) {
  json state = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (state.is_discarded() || !state.is_object()) return BadState("not a JSON object");
  auto str = [&](const char* name) -> Result<std::string> {
    auto it = state.find(name);
    if (it == state.end() || !it->is_string()) return BadState(std::string("no ") + name);
    return it->get<std::string>();
  };
  TEEPNET_ASSIGN_OR_RETURN(std::string format, str("format"));
  if (format != kStateFormat) return BadState("unknown format " + format);
  auto created = state.find("created");
  if (created == state.end() || !created->is_number_integer()) return BadState("no created");
  SimIntelManufacturer m;
  m.created_ = created->get<int64_t>();
  auto key = [&](const char* name) -> Result<crypto::PrivateKey> {
    TEEPNET_ASSIGN_OR_RETURN(std::string pem, str(name));
    auto k = crypto::PrivateKey::FromPem(pem);
    if (!k.ok() || k->type() != crypto::KeyType::kP256) return BadState(std::string("bad ") + name);
    return *k;
  };
  auto cert = [&](const char* name) -> Result<crypto::Certificate> {
    TEEPNET_ASSIGN_OR_RETURN(std::string hex, str(name));
    auto der = FromHex(hex);
    if (!der.ok()) return BadState(std::string("bad ") + name);
    auto c = crypto::Certificate::FromDer(*der);
    if (!c.ok()) return BadState(std::string("bad ") + name);
    return *c;
  };
  TEEPNET_ASSIGN_OR_RETURN(m.root_key_, key("root_key"));
  TEEPNET_ASSIGN_OR_RETURN(m.ca_key_, key("ca_key"));
  TEEPNET_ASSIGN_OR_RETURN(m.tcb_key_, key("tcb_key"));
  TEEPNET_ASSIGN_OR_RETURN(m.pck_key_, key("pck_key"));
  TEEPNET_ASSIGN_OR_RETURN(m.root_cert_, cert("root_cert"));
  TEEPNET_ASSIGN_OR_RETURN(m.ca_cert_, cert("ca_cert"));
  TEEPNET_ASSIGN_OR_RETURN(m.tcb_cert_, cert("tcb_cert"));
  TEEPNET_ASSIGN_OR_RETURN(m.pck_cert_, cert("pck_cert"));
  auto ext_der = m.pck_cert_->Extension(kSgxExtensionOid);
  if (!ext_der) return BadState("PCK certificate lacks the SGX extension");
  auto ext = ParsePckExtension(*ext_der);
  if (!ext.ok()) return BadState("PCK SGX extension does not parse");
  m.pck_ext_ = *ext;
  TEEPNET_ASSIGN_OR_RETURN(std::string mrsigner, str("qe_mrsigner"));
  auto mr = FromHex(mrsigner);
  if (!mr.ok() || mr->size() != 32) return BadState("bad qe_mrsigner");
  std::copy(mr->begin(), mr->end(), m.qe_mrsigner_.begin());
  // The keys must belong to the certificates, or every quote would fail to verify later.
  if (!m.pck_key_->public_key().Equals(*m.pck_cert_->public_key()) ||
      !m.root_key_->public_key().Equals(*m.root_cert_->public_key())) {
    return BadState("keys do not match the certificates");
  }
  return m;
}

Result<DcapEndorsements> SimIntelManufacturer::Endorsements(bool tdx, int64_t issue_time) const {
  const PckExtension& e = pck_ext_;
  std::string issue = Iso(issue_time), next = Iso(issue_time + kCollateralValidity);
  std::array<uint8_t, 16> older = e.comp_svn;
  older[0] = 1;
  std::string tdx_module, up_tdx, old_tdx;
  if (tdx) {
    std::string zeros48(96, '0');
    tdx_module = ",\"tdxModule\":{\"mrsigner\":\"" + zeros48 +
                 "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"}"
                 ",\"tdxModuleIdentities\":[{\"id\":\"TDX_01\",\"mrsigner\":\"" +
                 zeros48 +
                 "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\","
                 "\"tcbLevels\":[{\"tcb\":{\"isvsvn\":3},\"tcbDate\":\"" +
                 issue + "\",\"tcbStatus\":\"UpToDate\"},{\"tcb\":{\"isvsvn\":1},\"tcbDate\":\"" +
                 issue + "\",\"tcbStatus\":\"OutOfDate\"}]}]";
    up_tdx = ",\"tdxtcbcomponents\":" + Components(kTeeTcbSvn);
    old_tdx = ",\"tdxtcbcomponents\":" + Components(std::array<uint8_t, 16>{});
  }
  std::string tcb_info =
      "{\"id\":\"" + std::string(tdx ? "TDX" : "SGX") + "\",\"version\":3,\"issueDate\":\"" +
      issue + "\",\"nextUpdate\":\"" + next + "\",\"fmspc\":\"" + UpperHex(e.fmspc) +
      "\",\"pceId\":\"" + UpperHex(e.pce_id) + "\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1" +
      tdx_module + ",\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":" + Components(e.comp_svn) +
      ",\"pcesvn\":" + std::to_string(e.pcesvn) + up_tdx + "},\"tcbDate\":\"" + issue +
      "\",\"tcbStatus\":\"UpToDate\"},{\"tcb\":{\"sgxtcbcomponents\":" + Components(older) +
      ",\"pcesvn\":1" + old_tdx + "},\"tcbDate\":\"" + issue +
      "\",\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"SIM-SA-00001\"]}]}";
  std::string qe_identity =
      "{\"id\":\"" + std::string(tdx ? "TD_QE" : "QE") + "\",\"version\":2,\"issueDate\":\"" +
      issue + "\",\"nextUpdate\":\"" + next +
      "\",\"tcbEvaluationDataNumber\":1,\"miscselect\":\"00000000\",\"miscselectMask\":"
      "\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
      "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" +
      UpperHex(qe_mrsigner_) + "\",\"isvprodid\":" + std::string(tdx ? "2" : "1") +
      ",\"tcbLevels\":[{\"tcb\":{\"isvsvn\":" + std::to_string(kQeIsvSvn) + "},\"tcbDate\":\"" +
      issue + "\",\"tcbStatus\":\"UpToDate\"}]}";
  TEEPNET_ASSIGN_OR_RETURN(Bytes tcb_body, SignedBody("tcbInfo", tcb_info, *tcb_key_));
  TEEPNET_ASSIGN_OR_RETURN(Bytes qe_body, SignedBody("enclaveIdentity", qe_identity, *tcb_key_));
  std::string chain = CertificatePem(tcb_cert_->der()) + CertificatePem(root_cert_->der());
  TEEPNET_ASSIGN_OR_RETURN(auto e_parsed,
                           DcapEndorsements::FromPcsResponses(tcb_body, qe_body, chain, {}));
  DcapEndorsements::Parts parts = e_parsed.parts();
  TEEPNET_ASSIGN_OR_RETURN(
      crypto::Crl root_crl,
      IssueSimCrl(kOrg, kRootCn, {}, issue_time, issue_time + kCollateralValidity, *root_key_));
  TEEPNET_ASSIGN_OR_RETURN(
      crypto::Crl ca_crl,
      IssueSimCrl(kOrg, kCaCn, {}, issue_time, issue_time + kCollateralValidity, *ca_key_));
  parts.crls = {root_crl, ca_crl};
  parts.root_sha256 = root_sha256();
  return DcapEndorsements::FromParts(std::move(parts));
}

Result<SimSgxPlatform> SimSgxPlatform::Create(const SimIntelManufacturer& intel,
                                              SimSgxIdentity id) {
  TEEPNET_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  return SimSgxPlatform(intel, id, std::move(key));
}

Result<Bytes> SimSgxPlatform::GetEvidence(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes rd, Pad64(report_data));
  ByteWriter w;
  WriteHeader(w, 3, kDcapTeeTypeSgx);
  // ATTRIBUTES byte 0: INIT | MODE64BIT, plus DEBUG (bit 1) for a debug enclave.
  WriteSgxBody(w, intel_->pck_extension().cpusvn,
               static_cast<uint8_t>(0x05 | (id_.debug ? 0x02 : 0)), id_.mrenclave, id_.mrsigner,
               id_.isvprodid, id_.isvsvn, rd);
  return Quote(*intel_, attestation_key_, 3, w.bytes(), 1);
}

std::string SimSgxPlatform::measurement_hex() const {
  return ToHex(id_.mrenclave);
}

Result<SimTdxPlatform> SimTdxPlatform::Create(const SimIntelManufacturer& intel, SimTdIdentity id) {
  TEEPNET_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  return SimTdxPlatform(intel, id, std::move(key));
}

Result<Bytes> SimTdxPlatform::GetEvidence(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes rd, Pad64(report_data));
  ByteWriter w;
  WriteHeader(w, 4, kDcapTeeTypeTdx);
  // TD 1.0 body (evidence-formats.md §2.2).
  w.WriteBytes(kTeeTcbSvn);
  std::array<uint8_t, 48> mrseam{};
  mrseam.fill(0x5a);
  w.WriteBytes(mrseam);
  w.WriteZeros(48);                    // MRSIGNERSEAM: Intel's module signer is all zero
  w.WriteZeros(8);                     // SEAM_ATTRIBUTES
  w.WriteU8(id_.debug ? 0x01 : 0x00);  // TD_ATTRIBUTES byte 0, bit 0 = DEBUG
  w.WriteU8(0);
  w.WriteU8(0);
  w.WriteU8(0x10);  // SEPT_VE_DISABLE
  w.WriteZeros(4);
  w.WriteLeU64(0x61ae7);  // XFAM
  w.WriteBytes(id_.mrtd);
  w.WriteBytes(id_.mrconfigid);
  w.WriteZeros(48 * 2);  // MROWNER, MROWNERCONFIG
  for (const auto& rtmr : id_.rtmr) w.WriteBytes(rtmr);
  w.WriteBytes(rd);
  return Quote(*intel_, attestation_key_, 4, w.bytes(), 2);
}

Result<Bytes> SimTdxPlatform::GetGuestEvidence(ByteView report_data, ByteView launch_measurement) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes mrtd, PadMeasurement(launch_measurement, id_.mrtd.size()));
  const auto own = id_.mrtd;
  std::copy(mrtd.begin(), mrtd.end(), id_.mrtd.begin());
  Result<Bytes> evidence = GetEvidence(report_data);
  id_.mrtd = own;
  return evidence;
}

std::string SimTdxPlatform::measurement_hex() const {
  return ToHex(id_.mrtd);
}

}  // namespace teepnet::attest
