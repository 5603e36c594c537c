#include "teepnet/attest/dcap_sim_pki.h"

#include <charconv>
#include <cstdio>

#include "teepnet/attest/errc.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::attest {

namespace {

// X.690 DER tags.
constexpr uint8_t kBoolean = 0x01, kInteger = 0x02, kBitString = 0x03, kOctetString = 0x04,
                  kOid = 0x06, kUtf8String = 0x0c, kUtcTime = 0x17, kGeneralizedTime = 0x18,
                  kSequence = 0x30, kSet = 0x31;

Bytes Tlv(uint8_t tag, ByteView content) {
  Bytes out{tag};
  size_t n = content.size();
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

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) Append(out, p);
  return out;
}

Bytes Seq(std::initializer_list<Bytes> parts) {
  return Tlv(kSequence, Cat(parts));
}

Bytes Integer(uint64_t v) {
  Bytes b;
  do {
    b.insert(b.begin(), static_cast<uint8_t>(v));
    v >>= 8;
  } while (v != 0);
  if (b[0] & 0x80) b.insert(b.begin(), 0);
  return Tlv(kInteger, b);
}

Bytes Oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view part = dotted.substr(0, dot);
    uint64_t v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    arcs.push_back(v);
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  Bytes content;
  auto base128 = [&content](uint64_t v) {
    Bytes tmp{static_cast<uint8_t>(v & 0x7f)};
    for (v >>= 7; v != 0; v >>= 7) tmp.insert(tmp.begin(), static_cast<uint8_t>(0x80 | (v & 0x7f)));
    Append(content, tmp);
  };
  if (arcs.size() >= 2) base128(arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) base128(arcs[i]);
  return Tlv(kOid, content);
}

Bytes Name(const std::string& org, const std::string& cn) {
  auto rdn = [](std::string_view oid, const std::string& value) {
    return Tlv(kSet, Seq({Oid(oid), Tlv(kUtf8String, AsBytes(value))}));
  };
  return Seq({rdn("2.5.4.10", org), rdn("2.5.4.3", cn)});
}

// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
Bytes Time(int64_t t) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  // Civil from days (H. Hinnant's public-domain algorithm).
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  int h = static_cast<int>(secs / 3600), mi = static_cast<int>(secs / 60 % 60),
      s = static_cast<int>(secs % 60);
  if (y >= 1950 && y < 2050) {
    std::snprintf(buf, sizeof(buf), "%02d%02d%02d%02d%02d%02dZ", static_cast<int>(y % 100),
                  static_cast<int>(m), static_cast<int>(d), h, mi, s);
    return Tlv(kUtcTime, AsBytes(buf));
  }
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d%02d%02d%02dZ", static_cast<int>(y),
                static_cast<int>(m), static_cast<int>(d), h, mi, s);
  return Tlv(kGeneralizedTime, AsBytes(buf));
}

Bytes EcdsaSha256Alg() {
  return Seq({Oid("1.2.840.10045.4.3.2")});
}

Bytes Extension(std::string_view oid, bool critical, ByteView value) {
  if (critical) return Seq({Oid(oid), Tlv(kBoolean, Bytes{0xff}), Tlv(kOctetString, value)});
  return Seq({Oid(oid), Tlv(kOctetString, value)});
}

// SIGNED{tbs}: tbs, algorithm, BIT STRING of the DER ECDSA-Sig-Value.
Result<Bytes> Sign(const Bytes& tbs, const crypto::PrivateKey& key) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw,
                           crypto::Sign(key, crypto::SignatureAlgorithm::kEcdsaSha256, tbs));
  TEEPNET_ASSIGN_OR_RETURN(Bytes der, crypto::EcdsaRawToDer(raw));
  Bytes bits{0};
  Append(bits, der);
  return Seq({tbs, EcdsaSha256Alg(), Tlv(kBitString, bits)});
}

}  // namespace

Result<crypto::Certificate> IssueSimCertificate(const SimCertSpec& spec,
                                                const crypto::PublicKey& subject_key,
                                                const crypto::PrivateKey& issuer_key) {
  Bytes basic = spec.is_ca ? Seq({Tlv(kBoolean, Bytes{0xff})}) : Seq({});
  // keyUsage: keyCertSign(5) + cRLSign(6) for CAs, digitalSignature(0) for leaves.
  Bytes usage =
      spec.is_ca ? Tlv(kBitString, Bytes{0x01, 0x06}) : Tlv(kBitString, Bytes{0x07, 0x80});
  Bytes exts = Cat({Extension("2.5.29.19", true, basic), Extension("2.5.29.15", true, usage)});
  for (const auto& [oid, value] : spec.extensions) Append(exts, Extension(oid, false, value));
  Bytes tbs = Seq(
      {Tlv(0xa0, Integer(2)), Integer(spec.serial), EcdsaSha256Alg(),
       Name(spec.organization, spec.issuer_cn), Seq({Time(spec.not_before), Time(spec.not_after)}),
       Name(spec.organization, spec.subject_cn), subject_key.ToSpkiDer(), Tlv(0xa3, Seq({exts}))});
  TEEPNET_ASSIGN_OR_RETURN(Bytes der, Sign(tbs, issuer_key));
  return crypto::Certificate::FromDer(der);
}

Result<crypto::Crl> IssueSimCrl(const std::string& organization, const std::string& issuer_cn,
                                const std::vector<uint64_t>& revoked_serials, int64_t this_update,
                                int64_t next_update, const crypto::PrivateKey& issuer_key) {
  Bytes tbs = Cat({Integer(1), EcdsaSha256Alg(), Name(organization, issuer_cn), Time(this_update),
                   Time(next_update)});
  if (!revoked_serials.empty()) {
    Bytes entries;
    for (uint64_t serial : revoked_serials) {
      Append(entries, Seq({Integer(serial), Time(this_update)}));
    }
    Append(tbs, Tlv(kSequence, entries));
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes der, Sign(Tlv(kSequence, tbs), issuer_key));
  return crypto::Crl::FromDer(der);
}

std::string CertificatePem(ByteView der) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  size_t i = 0;
  for (; i + 3 <= der.size(); i += 3) {
    uint32_t v = (uint32_t{der[i]} << 16) | (uint32_t{der[i + 1]} << 8) | der[i + 2];
    for (int k = 3; k >= 0; --k) b64.push_back(kAlphabet[(v >> (6 * k)) & 0x3f]);
  }
  if (der.size() - i == 1) {
    uint32_t v = uint32_t{der[i]} << 16;
    b64 += {kAlphabet[(v >> 18) & 0x3f], kAlphabet[(v >> 12) & 0x3f], '=', '='};
  } else if (der.size() - i == 2) {
    uint32_t v = (uint32_t{der[i]} << 16) | (uint32_t{der[i + 1]} << 8);
    b64 +=
        {kAlphabet[(v >> 18) & 0x3f], kAlphabet[(v >> 12) & 0x3f], kAlphabet[(v >> 6) & 0x3f], '='};
  }
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t at = 0; at < b64.size(); at += 64) pem += b64.substr(at, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

}  // namespace teepnet::attest
