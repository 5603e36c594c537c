#include "teepnet/attest/csv_report.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"

namespace teepnet::attest {
namespace {

std::array<uint8_t, 4> AnonceBytes(uint32_t anonce) {
  return {static_cast<uint8_t>(anonce), static_cast<uint8_t>(anonce >> 8),
          static_cast<uint8_t>(anonce >> 16), static_cast<uint8_t>(anonce >> 24)};
}

// evidence-formats.md §5: "V1 fields are XOR-masked with the 4-byte anonce @188".
Bytes Unmask(ByteView masked, uint32_t anonce) {
  const auto key = AnonceBytes(anonce);
  Bytes out(masked.begin(), masked.end());
  for (size_t i = 0; i < out.size(); ++i) out[i] ^= key[i % 4];
  return out;
}

bool AllZero(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

}  // namespace

Result<CsvReport> DecodeCsvReport(ByteView input) {
  if (input.size() < kCsvWrapperSize) {
    return Error(Errc::kTruncated, "CSV report wrapper is shorter than 4116 bytes", input.size());
  }
  if (input.size() > kCsvWrapperSize) {
    return Error(Errc::kTrailingBytes, "bytes after the 4116-byte CSV report wrapper",
                 kCsvWrapperSize);
  }
  ByteReader r(input);
  ByteView magic, data;
  CsvReport o;
  r.ReadBytes(16, &magic);
  r.ReadLeU32(&o.flags);
  r.ReadBytes(kCsvDataSize, &data);
  if (!AllZero(magic)) {
    return Error(Errc::kCsvUnsupportedVersion, "only CSV report V1 (zero magic) is supported", 0);
  }
  ByteReader d(data);
  ByteView masked;
  d.ReadBytes(kCsvMaskedSize, &masked);
  d.ReadLeU32(&o.anonce);
  const Bytes plain = Unmask(masked, o.anonce);
  o.signed_body = ToBytes(masked.first(kCsvSignedSize));
  ByteReader f(plain);
  f.ReadInto(o.user_pubkey_digest);
  f.ReadInto(o.vm_id);
  f.ReadInto(o.vm_version);
  f.ReadInto(o.report_data);
  f.ReadInto(o.mnonce);
  f.ReadInto(o.measure);
  f.ReadLeU32(&o.policy);
  f.ReadLeU32(&o.sig_usage);
  f.ReadLeU32(&o.sig_algo);
  ByteView rr, ss, reserved, pek, serial, reserved2, tail;
  d.ReadBytes(kCsvFieldSize, &rr);
  d.ReadBytes(kCsvFieldSize, &ss);
  d.ReadBytes(kCsvPekOffset - d.position(), &reserved);
  d.ReadBytes(kCsvCertSize, &pek);
  d.ReadBytes(64, &serial);
  d.ReadBytes(32, &reserved2);
  d.ReadInto(o.mac);
  d.ReadBytes(d.remaining(), &tail);
  if (r.failed() || d.failed() || f.failed()) {
    return Error(Errc::kTruncated, "CSV report layout", 20 + d.failure_offset());
  }
  o.signature.usage = o.sig_usage;
  o.signature.algo = o.sig_algo;
  o.signature.padding_zero = AllZero(rr.subspan(32)) && AllZero(ss.subspan(32));
  o.signature.raw.assign(std::make_reverse_iterator(rr.begin() + 32),
                         std::make_reverse_iterator(rr.begin()));
  o.signature.raw.insert(o.signature.raw.end(), std::make_reverse_iterator(ss.begin() + 32),
                         std::make_reverse_iterator(ss.begin()));
  TEEPNET_ASSIGN_OR_RETURN(o.pek, DecodeCsvCert(pek, /*parse_key=*/false));
  o.chip_serial = std::string(AsChars(serial));
  o.chip_serial.erase(std::find(o.chip_serial.begin(), o.chip_serial.end(), '\0'),
                      o.chip_serial.end());
  o.reserved_zero = AllZero(reserved) && AllZero(reserved2) && AllZero(tail);
  return o;
}

Bytes EncodeCsvReport(const CsvReport& in, ByteView pek_cert, ByteView signature_rs) {
  ByteWriter body;
  body.WriteBytes(in.user_pubkey_digest);
  body.WriteBytes(in.vm_id);
  body.WriteBytes(in.vm_version);
  body.WriteBytes(in.report_data);
  body.WriteBytes(in.mnonce);
  body.WriteBytes(in.measure);
  body.WriteLeU32(in.policy);
  body.WriteLeU32(in.sig_usage);
  body.WriteLeU32(in.sig_algo);
  ByteWriter w;
  w.WriteZeros(16);  // V1: zero magic
  w.WriteLeU32(in.flags);
  w.WriteBytes(Unmask(std::move(body).Take(), in.anonce));  // XOR is its own inverse
  w.WriteLeU32(in.anonce);
  if (signature_rs.size() == 64) {
    w.WriteBytes(CsvEncodeSignature(signature_rs));
  } else {
    w.WriteZeros(2 * kCsvFieldSize);
  }
  w.WriteZeros(20 + kCsvPekOffset - w.size());
  w.WriteBytes(pek_cert);
  Bytes serial = ToBytes(in.chip_serial);
  serial.resize(64, 0);
  w.WriteBytes(serial);
  w.WriteZeros(32);
  w.WriteBytes(in.mac);
  w.WriteZeros(kCsvWrapperSize - w.size());
  return std::move(w).Take();
}

Result<Bytes> CsvWrapperFromTrusteeJson(std::string_view json) {
  using Json = nlohmann::json;
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& what) {
    return Error(Errc::kCsvBadEvidenceJson, "CSV evidence JSON: " + what);
  };
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  auto it = doc.find("attestation_report");
  if (it == doc.end() || !it->is_object()) return bad("no attestation_report object");
  const Json& rep = *it;
  ByteWriter w;
  auto bytes = [&](const char* key, size_t size) -> Status {
    auto f = rep.find(key);
    if (f == rep.end() || !f->is_array() || f->size() != size) {
      return bad(std::string(key) + " must be an array of " + std::to_string(size) + " bytes");
    }
    for (const Json& b : *f) {
      if (!b.is_number_unsigned() || b.get<uint64_t>() > 255)
        return bad(std::string(key) + " byte");
      w.WriteU8(static_cast<uint8_t>(b.get<uint64_t>()));
    }
    return OkStatus();
  };
  TEEPNET_RETURN_IF_ERROR(bytes("magic", 16));
  auto flags = rep.find("flags");
  if (flags == rep.end() || !flags->is_number_unsigned() || flags->get<uint64_t>() > UINT32_MAX) {
    return bad("flags must be a u32");
  }
  w.WriteLeU32(static_cast<uint32_t>(flags->get<uint64_t>()));
  TEEPNET_RETURN_IF_ERROR(bytes("data", kCsvDataSize));
  return std::move(w).Take();
}

}  // namespace teepnet::attest
