#include "teepnet/attest/snp_sim_platform.h"

#include <algorithm>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/snp_cert_builder.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_vcek.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

constexpr std::string_view kStateMagic = "teepnet-sim-snp1";

struct Cpuid {
  uint8_t family, model, stepping;
};

// A representative CPUID per product line (family 19h/1Ah; see SnpProductFromCpuid).
Cpuid CpuidFor(SnpProduct p) {
  switch (p) {
    case SnpProduct::kMilan: return {0x19, 0x01, 0x01};
    case SnpProduct::kGenoa: return {0x19, 0x11, 0x01};
    case SnpProduct::kTurin: return {0x1A, 0x02, 0x01};
    case SnpProduct::kUnknown: break;
  }
  return {0, 0, 0};
}

// Turin VCEKs carry 8 hwID bytes; the other 56 CHIP_ID bytes are zero on Turin parts.
size_t HwIdSize(SnpProduct p) {
  return p == SnpProduct::kTurin ? 8 : 64;
}

std::vector<SnpCertExtension> VcekExtensions(const SimSevSnpOptions& o, ByteView chip_id) {
  std::vector<SnpCertExtension> ext = {
      {"1.3.6.1.4.1.3704.1.1", DerSmallInteger(0)},  // structVersion
      {std::string(snp_oid::kProductName),
       DerIa5String(std::string(SnpProductName(o.product)) + "-B0")},
      {std::string(snp_oid::kBlSpl), DerSmallInteger(o.tcb.boot_loader)},
      {std::string(snp_oid::kTeeSpl), DerSmallInteger(o.tcb.tee)},
      {std::string(snp_oid::kSnpSpl), DerSmallInteger(o.tcb.snp)},
      {std::string(snp_oid::kUcodeSpl), DerSmallInteger(o.tcb.microcode)},
      {std::string(snp_oid::kHwId), ToBytes(chip_id.first(HwIdSize(o.product)))},
  };
  if (o.product == SnpProduct::kTurin) {
    ext.push_back({std::string(snp_oid::kFmcSpl), DerSmallInteger(o.tcb.fmc)});
  }
  return ext;
}

void WriteBlob(ByteWriter& w, ByteView b) {
  w.WriteLeU32(static_cast<uint32_t>(b.size()));
  w.WriteBytes(b);
}

bool ReadBlob(ByteReader& r, ByteView* out) {
  uint32_t n = 0;
  return r.ReadLeU32(&n) && r.ReadBytes(n, out);
}

Error BadState(const std::string& what) {
  return Error(Errc::kBadState, "SNP sim state: " + what);
}

}  // namespace

SimSevSnpPlatform::SimSevSnpPlatform(SimSevSnpOptions options, Bytes chip_id,
                                     crypto::PrivateKey ark_key, crypto::PrivateKey ask_key,
                                     crypto::PrivateKey vcek_key, crypto::Certificate ark,
                                     crypto::Certificate ask, crypto::Certificate vcek)
    : options_(std::move(options)),
      chip_id_(std::move(chip_id)),
      ark_key_(std::move(ark_key)),
      ask_key_(std::move(ask_key)),
      vcek_key_(std::move(vcek_key)),
      ark_cert_(std::move(ark)),
      ask_cert_(std::move(ask)),
      vcek_cert_(std::move(vcek)) {}

Result<std::unique_ptr<SimSevSnpPlatform>> SimSevSnpPlatform::Create(const SimSevSnpOptions& in) {
  SimSevSnpOptions o = in;
  if (o.product == SnpProduct::kUnknown) return BadState("product must be Milan, Genoa or Turin");
  if (o.measurement.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(o.measurement, crypto::RandomBytes(48));
  }
  if (o.host_data.empty()) o.host_data.assign(32, 0);
  if (o.measurement.size() != 48 || o.host_data.size() != 32) {
    return BadState("measurement must be 48 bytes and host_data 32");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes chip_id, crypto::RandomBytes(64));
  std::fill(chip_id.begin() + static_cast<std::ptrdiff_t>(HwIdSize(o.product)), chip_id.end(), 0);
  TEEPNET_ASSIGN_OR_RETURN(auto ark_key, crypto::PrivateKey::Generate(crypto::KeyType::kRsa));
  TEEPNET_ASSIGN_OR_RETURN(auto ask_key, crypto::PrivateKey::Generate(crypto::KeyType::kRsa));
  TEEPNET_ASSIGN_OR_RETURN(auto vcek_key, crypto::PrivateKey::Generate(crypto::KeyType::kP384));
  const std::string line(SnpProductName(o.product));
  const int64_t until = o.not_before + o.validity_seconds;
  TEEPNET_ASSIGN_OR_RETURN(
      auto ark,
      IssueSnpCertificate({"ARK-" + line, "ARK-" + line, Bytes{1}, o.not_before, until, true, {}},
                          ark_key.public_key(), ark_key));
  TEEPNET_ASSIGN_OR_RETURN(
      auto ask,
      IssueSnpCertificate({"SEV-" + line, "ARK-" + line, Bytes{2}, o.not_before, until, true, {}},
                          ask_key.public_key(), ark_key));
  TEEPNET_ASSIGN_OR_RETURN(Bytes vcek_serial, crypto::RandomBytes(16));
  vcek_serial[0] &= 0x7F;
  vcek_serial[0] |= 0x01;
  TEEPNET_ASSIGN_OR_RETURN(
      auto vcek, IssueSnpCertificate({"SEV-VCEK", "SEV-" + line, vcek_serial, o.not_before, until,
                                      false, VcekExtensions(o, chip_id)},
                                     vcek_key.public_key(), ask_key));
  return std::make_unique<SimSevSnpPlatform>(std::move(o), std::move(chip_id), ark_key, ask_key,
                                             vcek_key, ark, ask, vcek);
}

SecretBytes SimSevSnpPlatform::Serialize() const {
  ByteWriter w;
  w.WriteBytes(AsBytes(kStateMagic));
  w.WriteU8(static_cast<uint8_t>(options_.product));
  for (uint8_t v : {options_.tcb.fmc, options_.tcb.boot_loader, options_.tcb.tee, options_.tcb.snp,
                    options_.tcb.microcode}) {
    w.WriteU8(v);
  }
  w.WriteLeU64(options_.guest_policy);
  w.WriteLeU32(options_.vmpl);
  w.WriteLeU32(options_.guest_svn);
  w.WriteLeU64(static_cast<uint64_t>(options_.not_before));
  w.WriteLeU64(static_cast<uint64_t>(options_.validity_seconds));
  w.WriteBytes(options_.measurement);
  w.WriteBytes(options_.host_data);
  w.WriteBytes(chip_id_);
  for (const auto* key : {&ark_key_, &ask_key_, &vcek_key_}) WriteBlob(w, key->ToPkcs8Der().view());
  for (const auto* cert : {&ark_cert_, &ask_cert_, &vcek_cert_}) WriteBlob(w, cert->der());
  Bytes plain = std::move(w).Take();
  SecretBytes out(plain);
  SecureWipe(plain.data(), plain.size());
  return out;
}

Result<std::unique_ptr<SimSevSnpPlatform>> SimSevSnpPlatform::Load(ByteView state) {
  ByteReader r(state);
  ByteView magic, measurement, host_data, chip_id;
  uint8_t product = 0;
  SimSevSnpOptions o;
  uint64_t not_before = 0, validity = 0;
  r.ReadBytes(kStateMagic.size(), &magic);
  r.ReadU8(&product);
  for (uint8_t* v : {&o.tcb.fmc, &o.tcb.boot_loader, &o.tcb.tee, &o.tcb.snp, &o.tcb.microcode}) {
    r.ReadU8(v);
  }
  r.ReadLeU64(&o.guest_policy);
  r.ReadLeU32(&o.vmpl);
  r.ReadLeU32(&o.guest_svn);
  r.ReadLeU64(&not_before);
  r.ReadLeU64(&validity);
  r.ReadBytes(48, &measurement);
  r.ReadBytes(32, &host_data);
  r.ReadBytes(64, &chip_id);
  ByteView blobs[6];
  for (ByteView& b : blobs) ReadBlob(r, &b);
  if (r.failed() || !r.AtEnd() || !Equal(magic, AsBytes(kStateMagic)) || product < 1 ||
      product > 3) {
    return BadState("not a serialized simulated SEV-SNP platform");
  }
  o.product = static_cast<SnpProduct>(product);
  o.not_before = static_cast<int64_t>(not_before);
  o.validity_seconds = static_cast<int64_t>(validity);
  o.measurement = ToBytes(measurement);
  o.host_data = ToBytes(host_data);
  auto ark_key = crypto::PrivateKey::FromPkcs8Der(blobs[0]);
  auto ask_key = crypto::PrivateKey::FromPkcs8Der(blobs[1]);
  auto vcek_key = crypto::PrivateKey::FromPkcs8Der(blobs[2]);
  auto ark = crypto::Certificate::FromDer(blobs[3]);
  auto ask = crypto::Certificate::FromDer(blobs[4]);
  auto vcek = crypto::Certificate::FromDer(blobs[5]);
  if (!ark_key.ok() || !ask_key.ok() || !vcek_key.ok() || !ark.ok() || !ask.ok() || !vcek.ok()) {
    return BadState("a key or certificate does not parse");
  }
  auto vcek_pub = vcek->public_key();
  if (!vcek_pub.ok() || !vcek_pub->Equals(vcek_key->public_key())) {
    return BadState("the VCEK private key does not match its certificate");
  }
  return std::make_unique<SimSevSnpPlatform>(std::move(o), ToBytes(chip_id), *ark_key, *ask_key,
                                             *vcek_key, *ark, *ask, *vcek);
}

Result<SnpReport> SimSevSnpPlatform::UnsignedReport(ByteView report_data) const {
  if (report_data.size() > 64) {
    return Error(Errc::kTrailingBytes, "report data is longer than 64 bytes");
  }
  SnpReport r;
  r.version = 3;
  r.guest_svn = options_.guest_svn;
  r.policy = options_.guest_policy;
  r.vmpl = options_.vmpl;
  r.signature_algo = kSnpSigAlgoEcdsaP384Sha384;
  const uint64_t tcb = EncodeSnpTcb(options_.tcb, options_.product);
  r.current_tcb = r.reported_tcb = r.committed_tcb = r.launch_tcb = tcb;
  r.platform_info = (options_.guest_policy & snp_policy_bits::kSmt) != 0 ? 1 : 0;
  r.signer_info = 0;  // SIGNING_KEY = VCEK
  std::copy(report_data.begin(), report_data.end(), r.report_data.begin());
  std::copy(options_.measurement.begin(), options_.measurement.end(), r.measurement.begin());
  std::copy(options_.host_data.begin(), options_.host_data.end(), r.host_data.begin());
  TEEPNET_ASSIGN_OR_RETURN(Bytes report_id, crypto::RandomBytes(32));
  std::copy(report_id.begin(), report_id.end(), r.report_id.begin());
  const Cpuid cpuid = CpuidFor(options_.product);
  r.cpuid_fam_id = cpuid.family;
  r.cpuid_mod_id = cpuid.model;
  r.cpuid_step = cpuid.stepping;
  std::copy(chip_id_.begin(), chip_id_.end(), r.chip_id.begin());
  r.current_major = r.committed_major = 1;
  r.current_minor = r.committed_minor = 55;
  r.current_build = r.committed_build = 21;
  return r;
}

Result<Bytes> SimSevSnpPlatform::SignReport(SnpReport r) const {
  r.sig_r.fill(0);
  r.sig_s.fill(0);
  Bytes unsigned_report = EncodeSnpReport(r);
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig,
                           crypto::Sign(vcek_key_, crypto::SignatureAlgorithm::kEcdsaSha384,
                                        ByteView(unsigned_report).first(kSnpSignedSize)));
  // Big-endian r||s (48 + 48) into the little-endian, 72-byte-padded R and S fields.
  for (size_t i = 0; i < 48; ++i) {
    r.sig_r[i] = sig[47 - i];
    r.sig_s[i] = sig[95 - i];
  }
  return EncodeSnpReport(r);
}

Result<Bytes> SimSevSnpPlatform::GetEvidence(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(SnpReport r, UnsignedReport(report_data));
  return SignReport(std::move(r));
}

std::string SimSevSnpPlatform::measurement_hex() const {
  return ToHex(options_.measurement);
}

SnpEndorsements SimSevSnpPlatform::endorsements() const {
  SnpEndorsements e;
  e.leaf = vcek_cert_;
  e.intermediates.push_back(ask_cert_);
  e.roots.push_back(ark_cert_);
  return e;
}

}  // namespace teepnet::attest
