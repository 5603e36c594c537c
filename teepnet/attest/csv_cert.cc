#include "teepnet/attest/csv_cert.h"

#include <algorithm>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

constexpr size_t kSm2Size = 32;
constexpr size_t kUserIdField = 254;

bool HighBytesZero(ByteView field) {
  ByteView high = field.subspan(kSm2Size);
  return std::all_of(high.begin(), high.end(), [](uint8_t b) { return b == 0; });
}

Bytes ReverseLow(ByteView field) {
  return Bytes(std::make_reverse_iterator(field.begin() + kSm2Size),
               std::make_reverse_iterator(field.begin()));
}

std::optional<crypto::PublicKey> ReadKey(ByteReader& r) {
  ByteView fields;
  if (!r.ReadBytes(2 * kCsvFieldSize, &fields)) return std::nullopt;
  return CsvParseKey(fields);
}

std::optional<crypto::PublicKey> ParseKey(ByteView fields) {
  ByteView x = fields.first(kCsvFieldSize);
  ByteView y = fields.subspan(kCsvFieldSize, kCsvFieldSize);
  if (!HighBytesZero(x) || !HighBytesZero(y)) return std::nullopt;
  auto key =
      crypto::PublicKey::FromCoordinates(crypto::KeyType::kSm2, ReverseLow(x), ReverseLow(y));
  if (!key.ok()) return std::nullopt;
  return std::move(key).value();
}

std::string ReadUserId(ByteReader& r) {
  uint16_t size = 0;
  ByteView field;
  if (!r.ReadLeU16(&size) || !r.ReadBytes(kUserIdField, &field)) return {};
  return std::string(AsChars(field.first(std::min<size_t>(size, kUserIdField))));
}

CsvSignature ReadRs(ByteReader& r) {
  CsvSignature sig;
  ByteView rr, ss;
  if (!r.ReadBytes(kCsvFieldSize, &rr) || !r.ReadBytes(kCsvFieldSize, &ss)) return sig;
  sig.padding_zero = HighBytesZero(rr) && HighBytesZero(ss);
  sig.raw = ReverseLow(rr);
  Append(sig.raw, ReverseLow(ss));
  return sig;
}

Error WrongSize(std::string_view what, size_t got, size_t want) {
  return Error(
      Errc::kCsvBadCertificate,
      std::string(what) + " is " + std::to_string(got) + " bytes, expected " + std::to_string(want),
      std::min(got, want));
}

}  // namespace

std::optional<crypto::PublicKey> CsvParseKey(ByteView key_fields) {
  if (key_fields.size() != 2 * kCsvFieldSize) return std::nullopt;
  return ParseKey(key_fields);
}

const CsvSignature* CsvCert::SlotFor(CsvUsage u) const {
  for (const CsvSignature& s : signatures) {
    if (s.usage == static_cast<uint32_t>(u)) return &s;
  }
  return nullptr;
}

Result<CsvCaCert> DecodeCsvCaCert(ByteView input) {
  if (input.size() != kCsvCaCertSize)
    return WrongSize("Hygon CA certificate", input.size(), kCsvCaCertSize);
  ByteReader r(input);
  CsvCaCert c;
  r.ReadLeU32(&c.version);
  r.ReadInto(c.key_id);
  r.ReadInto(c.signing_key_id);
  r.ReadLeU32(&c.usage);
  r.Skip(24);
  r.ReadLeU32(&c.curve);
  c.key = ReadKey(r);
  c.user_id = ReadUserId(r);
  r.Skip(108);
  c.signed_body = ToBytes(input.first(kCsvCaCertSignedSize));
  c.signature = ReadRs(r);
  c.signature.usage = c.usage;
  c.signature.algo = kCsvAlgoSm2;
  r.Skip(112);
  if (r.failed() || !r.AtEnd()) {
    return Error(Errc::kCsvBadCertificate, "Hygon CA certificate layout", r.failure_offset());
  }
  return c;
}

Result<CsvCert> DecodeCsvCert(ByteView input, bool parse_key) {
  if (input.size() != kCsvCertSize)
    return WrongSize("Hygon CSV certificate", input.size(), kCsvCertSize);
  ByteReader r(input);
  CsvCert c;
  r.ReadLeU32(&c.version);
  r.ReadU8(&c.fw_major);
  r.ReadU8(&c.fw_minor);
  r.Skip(2);
  r.ReadLeU32(&c.usage);
  r.ReadLeU32(&c.algo);
  r.ReadLeU32(&c.curve);
  ByteView key_fields;
  r.ReadBytes(2 * kCsvFieldSize, &key_fields);
  c.key_fields = ToBytes(key_fields);
  if (parse_key && !r.failed()) c.key = CsvParseKey(key_fields);
  c.user_id = ReadUserId(r);
  r.ReadInto(c.sid);
  r.Skip(608);
  c.raw = ToBytes(input);
  c.signed_body = ToBytes(input.first(kCsvCertSignedSize));
  for (CsvSignature& s : c.signatures) {
    uint32_t usage = 0, algo = 0;
    r.ReadLeU32(&usage);
    r.ReadLeU32(&algo);
    s = ReadRs(r);
    s.usage = usage;
    s.algo = algo;
    r.Skip(368);
  }
  if (r.failed() || !r.AtEnd()) {
    return Error(Errc::kCsvBadCertificate, "Hygon CSV certificate layout", r.failure_offset());
  }
  return c;
}

Status VerifyCsvSignature(const crypto::PublicKey& signer, std::string_view signer_uid,
                          ByteView message, const CsvSignature& sig) {
  if (!sig.padding_zero || sig.algo != kCsvAlgoSm2) {
    return Error(crypto::Errc::kSignatureInvalid, "SM2 signature fields are malformed");
  }
  return crypto::VerifySm2(signer, AsBytes(signer_uid), message, sig.raw);
}

Bytes CsvEncodeCoordinates(const crypto::PublicKey& key) {
  Bytes out;
  for (const Bytes& be : {key.X(), key.Y()}) {
    Bytes le(be.rbegin(), be.rend());
    le.resize(kCsvFieldSize, 0);
    Append(out, le);
  }
  return out;
}

Bytes CsvEncodeSignature(ByteView raw_rs) {
  Bytes out;
  for (size_t half = 0; half < 2; ++half) {
    ByteView be = raw_rs.subspan(half * kSm2Size, kSm2Size);
    Bytes le(be.rbegin(), be.rend());
    le.resize(kCsvFieldSize, 0);
    Append(out, le);
  }
  return out;
}

Bytes CsvEncodeUserId(std::string_view uid) {
  ByteWriter w;
  const size_t n = std::min(uid.size(), kUserIdField);
  w.WriteLeU16(static_cast<uint16_t>(n));
  w.WriteBytes(AsBytes(uid.substr(0, n)));
  w.WriteZeros(kUserIdField - n);
  return std::move(w).Take();
}

}  // namespace teepnet::attest
