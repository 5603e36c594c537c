#include "teepnet/attest/snp_cert_builder.h"

#include <charconv>
#include <ctime>

#include "teepnet/attest/errc.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {
namespace {

// X.690 DER tags used below.
constexpr uint8_t kBoolean = 0x01, kInteger = 0x02, kBitString = 0x03, kOctetString = 0x04,
                  kNull = 0x05, kOid = 0x06, kUtf8String = 0x0C, kPrintableString = 0x13,
                  kIa5String = 0x16, kUtcTime = 0x17, kGeneralizedTime = 0x18, kSequence = 0x30,
                  kSet = 0x31;

Bytes Tlv(uint8_t tag, ByteView content) {
  Bytes out{tag};
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    Bytes len;
    for (size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    Append(out, len);
  }
  Append(out, content);
  return out;
}

Bytes Seq(std::initializer_list<Bytes> parts) {
  Bytes content;
  for (const Bytes& p : parts) Append(content, p);
  return Tlv(kSequence, content);
}

Bytes UnsignedInteger(ByteView magnitude) {
  Bytes v(magnitude.begin(), magnitude.end());
  while (v.size() > 1 && v[0] == 0) v.erase(v.begin());
  if (v.empty()) v.push_back(0);
  if (v[0] & 0x80) v.insert(v.begin(), 0);
  return Tlv(kInteger, v);
}

Bytes Oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  while (!dotted.empty()) {
    const size_t dot = dotted.find('.');
    std::string_view part = dotted.substr(0, dot);
    uint64_t v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    arcs.push_back(v);
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  Bytes content;
  auto base128 = [&content](uint64_t v) {
    Bytes tmp{static_cast<uint8_t>(v & 0x7F)};
    for (v >>= 7; v != 0; v >>= 7) tmp.insert(tmp.begin(), static_cast<uint8_t>(0x80 | (v & 0x7F)));
    Append(content, tmp);
  };
  base128(arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) base128(arcs[i]);
  return Tlv(kOid, content);
}

Bytes Attribute(std::string_view oid, uint8_t string_tag, std::string_view value) {
  return Tlv(kSet, Seq({Oid(oid), Tlv(string_tag, AsBytes(value))}));
}

// The name AMD's KDS certificates use, with our organisation so nothing claims to be AMD.
Bytes Name(std::string_view cn) {
  return Seq({Attribute("2.5.4.11", kUtf8String, "Engineering"),
              Attribute("2.5.4.6", kPrintableString, "US"),
              Attribute("2.5.4.10", kUtf8String, "teepnet simulated AMD"),
              Attribute("2.5.4.3", kUtf8String, cn)});
}

Bytes Time(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int year = tm.tm_year + 1900;
  char buf[32];
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  if (year < 2050) {
    std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", year % 100, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return Tlv(kUtcTime, AsBytes(buf));
  }
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return Tlv(kGeneralizedTime, AsBytes(buf));
}

// RFC 4055 §3.1 RSASSA-PSS-params: SHA-384, MGF1 with SHA-384, salt 48, trailer 1 (default).
Bytes RsaPssSha384() {
  const Bytes sha384 = Seq({Oid("2.16.840.1.101.3.4.2.2"), Tlv(kNull, {})});
  return Seq({Oid("1.2.840.113549.1.1.10"),
              Seq({Tlv(0xA0, sha384), Tlv(0xA1, Seq({Oid("1.2.840.113549.1.1.8"), sha384})),
                   Tlv(0xA2, UnsignedInteger(Bytes{48}))})});
}

Bytes Extension(std::string_view oid, bool critical, ByteView value) {
  Bytes content = Oid(oid);
  if (critical) Append(content, Tlv(kBoolean, Bytes{0xFF}));
  Append(content, Tlv(kOctetString, value));
  return Tlv(kSequence, content);
}

}  // namespace

Bytes DerSmallInteger(uint8_t value) {
  return UnsignedInteger(Bytes{value});
}
Bytes DerIa5String(std::string_view text) {
  return Tlv(kIa5String, AsBytes(text));
}

Result<crypto::Certificate> IssueSnpCertificate(const SnpCertSpec& spec,
                                                const crypto::PublicKey& subject_key,
                                                const crypto::PrivateKey& issuer_key) {
  if (spec.serial.empty() || spec.serial.size() > 20) {
    return Error(Errc::kBadEndorsement, "certificate serial must be 1..20 bytes");
  }
  Bytes extensions;
  if (spec.is_ca) {
    // RFC 5280 §4.2.1.9 / §4.2.1.3: CA certificates assert cA and keyCertSign.
    Append(extensions, Extension("2.5.29.19", true, Seq({Tlv(kBoolean, Bytes{0xFF})})));
    Append(extensions, Extension("2.5.29.15", true, Tlv(kBitString, Bytes{0x01, 0x06})));
  }
  for (const SnpCertExtension& e : spec.extensions)
    Append(extensions, Extension(e.oid, false, e.value));
  const Bytes tbs =
      Seq({Tlv(0xA0, UnsignedInteger(Bytes{2})), UnsignedInteger(spec.serial), RsaPssSha384(),
           Name(spec.issuer_cn), Seq({Time(spec.not_before), Time(spec.not_after)}),
           Name(spec.subject_cn), subject_key.ToSpkiDer(), Tlv(0xA3, Tlv(kSequence, extensions))});
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes sig, crypto::Sign(issuer_key, crypto::SignatureAlgorithm::kRsaPssSha384, tbs));
  Bytes bits{0};
  Append(bits, sig);
  return crypto::Certificate::FromDer(Seq({tbs, RsaPssSha384(), Tlv(kBitString, bits)}));
}

}  // namespace teepnet::attest
