#include "teepnet/attest/csv_sim_platform.h"

#include <utility>

#include "teepnet/attest/csv_cert.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

constexpr std::string_view kStateMagic = "teepnet-sim-csv1";
constexpr std::string_view kHrkUid = "HYGON-SSD-HRK";
constexpr std::string_view kHskUid = "HYGON-SSD-HSK";
constexpr std::string_view kCekUid = "HYGON-SSD-CEK";
constexpr std::string_view kPekUid = "HYGON-SSD-PEK";

Error BadState(const std::string& what) {
  return Error(Errc::kBadState, "CSV sim state: " + what);
}

// CA certificate (832 bytes): body 0..575, then r,s and 112 reserved bytes.
Result<Bytes> MakeCaCert(ByteView key_id, ByteView signing_key_id, CsvUsage usage,
                         const crypto::PublicKey& key, std::string_view uid,
                         const crypto::PrivateKey& signer, std::string_view signer_uid) {
  ByteWriter w;
  w.WriteLeU32(1);
  w.WriteBytes(key_id);
  w.WriteBytes(signing_key_id);
  w.WriteLeU32(static_cast<uint32_t>(usage));
  w.WriteZeros(24);
  w.WriteLeU32(kCsvCurveSm2);
  w.WriteBytes(CsvEncodeCoordinates(key));
  w.WriteBytes(CsvEncodeUserId(uid));
  w.WriteZeros(108);
  Bytes body = std::move(w).Take();
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, crypto::SignSm2(signer, AsBytes(signer_uid), body));
  Append(body, CsvEncodeSignature(sig));
  body.resize(kCsvCaCertSize, 0);
  return body;
}

// CSV certificate (2084 bytes): body 0..1043 and one signature slot by `signer`.
Result<Bytes> MakeCsvCert(CsvUsage usage, const crypto::PublicKey& key, std::string_view uid,
                          ByteView sid, CsvUsage signer_usage, const crypto::PrivateKey& signer,
                          std::string_view signer_uid) {
  ByteWriter w;
  w.WriteLeU32(1);
  w.WriteU8(1);  // firmware 1.3, as the genuine PEK
  w.WriteU8(3);
  w.WriteZeros(2);
  w.WriteLeU32(static_cast<uint32_t>(usage));
  w.WriteLeU32(kCsvAlgoSm2);
  w.WriteLeU32(kCsvCurveSm2);
  w.WriteBytes(CsvEncodeCoordinates(key));
  w.WriteBytes(CsvEncodeUserId(uid));
  w.WriteBytes(sid);
  w.WriteZeros(608);
  Bytes body = std::move(w).Take();
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, crypto::SignSm2(signer, AsBytes(signer_uid), body));
  ByteWriter slots;
  slots.WriteLeU32(static_cast<uint32_t>(signer_usage));
  slots.WriteLeU32(kCsvAlgoSm2);
  slots.WriteBytes(CsvEncodeSignature(sig));
  slots.WriteZeros(368);
  slots.WriteLeU32(static_cast<uint32_t>(CsvUsage::kInvalid));  // empty second slot
  slots.WriteZeros(4 + 144 + 368);
  Append(body, std::move(slots).Take());
  return body;
}

void WriteBlob(ByteWriter& w, ByteView b) {
  w.WriteLeU32(static_cast<uint32_t>(b.size()));
  w.WriteBytes(b);
}

}  // namespace

SimCsvPlatform::SimCsvPlatform(SimCsvOptions options, std::string serial, Keys keys, Bytes hrk_cert,
                               Bytes hsk_cert, Bytes cek_cert, Bytes pek_cert)
    : options_(std::move(options)),
      serial_(std::move(serial)),
      keys_(std::move(keys)),
      hrk_cert_(std::move(hrk_cert)),
      hsk_cert_(std::move(hsk_cert)),
      cek_cert_(std::move(cek_cert)),
      pek_cert_(std::move(pek_cert)) {}

Result<std::unique_ptr<SimCsvPlatform>> SimCsvPlatform::Create(const SimCsvOptions& in) {
  SimCsvOptions o = in;
  if (o.measurement.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(o.measurement, crypto::RandomBytes(32));
  }
  if (o.measurement.size() != 32) return BadState("measurement must be 32 bytes");
  using crypto::KeyType;
  using crypto::PrivateKey;
  TEEPNET_ASSIGN_OR_RETURN(PrivateKey hrk, PrivateKey::Generate(KeyType::kSm2));
  TEEPNET_ASSIGN_OR_RETURN(PrivateKey hsk, PrivateKey::Generate(KeyType::kSm2));
  TEEPNET_ASSIGN_OR_RETURN(PrivateKey cek, PrivateKey::Generate(KeyType::kSm2));
  TEEPNET_ASSIGN_OR_RETURN(PrivateKey pek, PrivateKey::Generate(KeyType::kSm2));
  TEEPNET_ASSIGN_OR_RETURN(Bytes hrk_id, crypto::RandomBytes(16));
  TEEPNET_ASSIGN_OR_RETURN(Bytes hsk_id, crypto::RandomBytes(16));
  TEEPNET_ASSIGN_OR_RETURN(Bytes serial_bytes, crypto::RandomBytes(6));
  TEEPNET_ASSIGN_OR_RETURN(Bytes hrk_cert, MakeCaCert(hrk_id, hrk_id, CsvUsage::kHrk,
                                                      hrk.public_key(), kHrkUid, hrk, kHrkUid));
  TEEPNET_ASSIGN_OR_RETURN(Bytes hsk_cert, MakeCaCert(hsk_id, hrk_id, CsvUsage::kHsk,
                                                      hsk.public_key(), kHskUid, hrk, kHrkUid));
  TEEPNET_ASSIGN_OR_RETURN(Bytes cek_cert, MakeCsvCert(CsvUsage::kCek, cek.public_key(), kCekUid,
                                                       hsk_id, CsvUsage::kHsk, hsk, kHskUid));
  TEEPNET_ASSIGN_OR_RETURN(Bytes pek_cert, MakeCsvCert(CsvUsage::kPek, pek.public_key(), kPekUid,
                                                       Bytes(16, 0), CsvUsage::kCek, cek, kCekUid));
  std::string serial = "SIM" + ToHex(serial_bytes);
  return std::make_unique<SimCsvPlatform>(std::move(o), std::move(serial), Keys{hrk, hsk, cek, pek},
                                          std::move(hrk_cert), std::move(hsk_cert),
                                          std::move(cek_cert), std::move(pek_cert));
}

SecretBytes SimCsvPlatform::Serialize() const {
  ByteWriter w;
  w.WriteBytes(AsBytes(kStateMagic));
  w.WriteLeU32(options_.guest_policy);
  w.WriteBytes(options_.measurement);
  WriteBlob(w, AsBytes(serial_));
  for (const auto* key : {&keys_.hrk, &keys_.hsk, &keys_.cek, &keys_.pek}) {
    WriteBlob(w, key->ToPkcs8Der().view());
  }
  for (const Bytes* cert : {&hrk_cert_, &hsk_cert_, &cek_cert_, &pek_cert_}) WriteBlob(w, *cert);
  Bytes plain = std::move(w).Take();
  SecretBytes out(plain);
  SecureWipe(plain.data(), plain.size());
  return out;
}

Result<std::unique_ptr<SimCsvPlatform>> SimCsvPlatform::Load(ByteView state) {
  ByteReader r(state);
  ByteView magic, measurement, blobs[9];
  SimCsvOptions o;
  r.ReadBytes(kStateMagic.size(), &magic);
  r.ReadLeU32(&o.guest_policy);
  r.ReadBytes(32, &measurement);
  for (ByteView& b : blobs) {
    uint32_t n = 0;
    if (r.ReadLeU32(&n)) r.ReadBytes(n, &b);
  }
  if (r.failed() || !r.AtEnd() || !Equal(magic, AsBytes(kStateMagic)) || blobs[0].size() > 64) {
    return BadState("not a serialized simulated CSV platform");
  }
  o.measurement = ToBytes(measurement);
  Result<crypto::PrivateKey> keys[4] = {
      crypto::PrivateKey::FromPkcs8Der(blobs[1]), crypto::PrivateKey::FromPkcs8Der(blobs[2]),
      crypto::PrivateKey::FromPkcs8Der(blobs[3]), crypto::PrivateKey::FromPkcs8Der(blobs[4])};
  for (const auto& k : keys) {
    if (!k.ok() || k->type() != crypto::KeyType::kSm2) return BadState("a key does not parse");
  }
  auto pek = DecodeCsvCert(blobs[8]);
  if (!DecodeCsvCaCert(blobs[5]).ok() || !DecodeCsvCaCert(blobs[6]).ok() ||
      !DecodeCsvCert(blobs[7]).ok() || !pek.ok() || !pek->key ||
      !pek->key->Equals(keys[3]->public_key())) {
    return BadState("certificates are malformed or do not match the PEK key");
  }
  return std::make_unique<SimCsvPlatform>(
      std::move(o), std::string(AsChars(blobs[0])), Keys{*keys[0], *keys[1], *keys[2], *keys[3]},
      ToBytes(blobs[5]), ToBytes(blobs[6]), ToBytes(blobs[7]), ToBytes(blobs[8]));
}

Result<Bytes> SimCsvPlatform::GetEvidence(ByteView report_data) {
  if (report_data.size() > 64) {
    return Error(Errc::kTrailingBytes, "report data is longer than 64 bytes");
  }
  CsvReport r;
  std::copy(report_data.begin(), report_data.end(), r.report_data.begin());
  std::copy(options_.measurement.begin(), options_.measurement.end(), r.measure.begin());
  r.policy = options_.guest_policy;
  r.sig_usage = static_cast<uint32_t>(CsvUsage::kPek);
  r.sig_algo = kCsvAlgoSm2;
  TEEPNET_ASSIGN_OR_RETURN(Bytes fresh, crypto::RandomBytes(4 + 16 + 32));
  r.anonce = static_cast<uint32_t>(fresh[0]) | static_cast<uint32_t>(fresh[1]) << 8 |
             static_cast<uint32_t>(fresh[2]) << 16 | static_cast<uint32_t>(fresh[3]) << 24;
  std::copy(fresh.begin() + 4, fresh.begin() + 20, r.mnonce.begin());
  std::copy(fresh.begin() + 20, fresh.end(), r.mac.begin());
  r.chip_serial = serial_;
  Bytes unsigned_wrapper = EncodeCsvReport(r, pek_cert_, {});
  // The signature covers the stored (masked) bytes 0..179 of the data buffer.
  ByteView signed_body = ByteView(unsigned_wrapper).subspan(20, kCsvSignedSize);
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, crypto::SignSm2(keys_.pek, AsBytes(kPekUid), signed_body));
  return EncodeCsvReport(r, pek_cert_, sig);
}

Result<Bytes> SimCsvPlatform::GetGuestEvidence(ByteView report_data, ByteView launch_measurement) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes measure,
                           PadMeasurement(launch_measurement, options_.measurement.size()));
  std::swap(options_.measurement, measure);
  Result<Bytes> evidence = GetEvidence(report_data);
  std::swap(options_.measurement, measure);
  return evidence;
}

std::string SimCsvPlatform::measurement_hex() const {
  return ToHex(options_.measurement);
}

CsvEndorsements SimCsvPlatform::endorsements() const {
  return CsvEndorsements{hrk_cert_, hsk_cert_, cek_cert_};
}

}  // namespace teepnet::attest
