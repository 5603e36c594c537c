#include "teepnet/cose/cose_key.h"

#include <set>

#include "teepnet/cbor/map_builder.h"
#include "teepnet/cose/errc.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::cose {

namespace {

// COSE_Key labels, RFC 9052 §7.1 and RFC 9053 §7.1/§7.2/§7.3.
constexpr int64_t kKty = 1;
constexpr int64_t kKid = 2;
constexpr int64_t kAlg = 3;
constexpr int64_t kKeyOps = 4;
constexpr int64_t kCrv = -1;  // EC2/OKP
constexpr int64_t kX = -2;    // EC2/OKP
constexpr int64_t kY = -3;    // EC2
constexpr int64_t kD = -4;    // EC2/OKP
constexpr int64_t kK = -1;    // Symmetric

Error Missing(const char* what) {
  return Error(Errc::kMissingKeyParameter, std::string("COSE_Key lacks ") + what);
}
Error BadValue(const char* what) {
  return Error(Errc::kBadHeaderValue, std::string("COSE_Key member ") + what + " has a bad type");
}

Result<crypto::KeyType> KeyTypeFor(KeyKty kty, Curve crv) {
  switch (crv) {
    case Curve::kP256:
      if (kty == KeyKty::kEc2) return crypto::KeyType::kP256;
      break;
    case Curve::kP384:
      if (kty == KeyKty::kEc2) return crypto::KeyType::kP384;
      break;
    case Curve::kP521:
      if (kty == KeyKty::kEc2) return crypto::KeyType::kP521;
      break;
    case Curve::kX25519:
      if (kty == KeyKty::kOkp) return crypto::KeyType::kX25519;
      break;
    case Curve::kEd25519:
      if (kty == KeyKty::kOkp) return crypto::KeyType::kEd25519;
      break;
    case Curve::kX448:
    case Curve::kEd448:
      return Error(Errc::kUnsupportedAlgorithm, "X448/Ed448 keys are not supported");
  }
  // RFC 9053 §7.1/§7.2: EC2 curves with kty 2, OKP curves with kty 1 only.
  return Error(Errc::kWrongKeyType, "curve does not belong to the key type");
}

Curve CurveFor(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::kP256: return Curve::kP256;
    case crypto::KeyType::kP384: return Curve::kP384;
    case crypto::KeyType::kP521: return Curve::kP521;
    case crypto::KeyType::kX25519: return Curve::kX25519;
    case crypto::KeyType::kEd25519: return Curve::kEd25519;
    default: return Curve::kP256;  // SM2/RSA have no COSE curve; FromPublicKey documents this
  }
}

}  // namespace

Result<CoseKey> CoseKey::Read(cbor::Reader& r) {
  size_t at = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type != cbor::ItemType::kMap) return Error(Errc::kMalformed, "COSE_Key is not a map", at);
  size_t pairs = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadMapHeader(&pairs));
  if (pairs == cbor::kIndefiniteLength) {
    return Error(Errc::kMalformed, "COSE_Key must have a definite length", at);
  }
  // Members are collected first because the meaning of -1 depends on kty.
  struct Member {
    int64_t label;
    ByteView value;
  };
  std::vector<Member> members;
  std::set<int64_t> seen;
  for (size_t i = 0; i < pairs; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType key_type, r.PeekType());
    ByteView value;
    if (key_type == cbor::ItemType::kText) {
      TEEPNET_RETURN_IF_ERROR(r.SkipItem());
      TEEPNET_RETURN_IF_ERROR(r.SkipItem());
      continue;
    }
    int64_t label = 0;
    size_t label_at = r.offset();
    if (!r.ReadInt(&label).ok()) {
      return Error(Errc::kMalformed, "COSE_Key label is not an int", label_at);
    }
    if (!seen.insert(label).second) {
      return Error(Errc::kDuplicateLabel, "COSE_Key label repeated", label_at);
    }
    TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&value));
    members.push_back(Member{label, value});
  }
  auto find = [&](int64_t label) -> std::optional<ByteView> {
    for (const Member& m : members) {
      if (m.label == label) return m.value;
    }
    return std::nullopt;
  };
  auto read_int = [](ByteView raw, int64_t* out) {
    cbor::Reader v(raw);
    return v.ReadInt(out).ok();
  };
  auto read_bytes = [](ByteView raw, ByteView* out) {
    cbor::Reader v(raw);
    return v.ReadBytes(out).ok();
  };

  CoseKey key;
  auto kty_raw = find(kKty);
  if (!kty_raw) return Missing("kty");
  int64_t kty = 0;
  if (!read_int(*kty_raw, &kty)) return BadValue("kty");
  if (kty != 1 && kty != 2 && kty != 4) {
    return Error(Errc::kUnsupportedAlgorithm, "unsupported kty " + std::to_string(kty));
  }
  key.kty_ = static_cast<KeyKty>(kty);
  if (auto raw = find(kKid)) {
    ByteView kid;
    if (!read_bytes(*raw, &kid)) return BadValue("kid");
    key.kid_ = ToBytes(kid);
  }
  if (auto raw = find(kAlg)) {
    int64_t alg = 0;
    if (!read_int(*raw, &alg)) return BadValue("alg");
    key.alg_ = alg;
  }
  if (auto raw = find(kKeyOps)) {
    cbor::Reader v(*raw);
    size_t n = 0;
    if (!v.ReadArrayHeader(&n).ok() || n == cbor::kIndefiniteLength) return BadValue("key_ops");
    for (size_t i = 0; i < n; ++i) {
      int64_t op = 0;
      if (!v.ReadInt(&op).ok()) return BadValue("key_ops");
      key.key_ops_.push_back(op);
    }
  }
  if (key.kty_ == KeyKty::kSymmetric) {
    auto raw = find(kK);
    if (!raw) return Missing("k");
    ByteView k;
    if (!read_bytes(*raw, &k) || k.empty()) return BadValue("k");
    key.k_ = SecretBytes(k);
    return key;
  }
  auto crv_raw = find(kCrv);
  if (!crv_raw) return Missing("crv");
  int64_t crv = 0;
  if (!read_int(*crv_raw, &crv) || crv < 1 || crv > 7) return BadValue("crv");
  key.crv_ = static_cast<Curve>(crv);
  // A well-formed key on a curve crypto/ lacks (X448, Ed448) still decodes; converting it
  // to a crypto/ key is what fails (kUnsupportedAlgorithm).
  if (auto fits = KeyTypeFor(key.kty_, *key.crv_);
      !fits.ok() && fits.error().Is(Errc::kWrongKeyType)) {
    return std::move(fits).TakeError();
  }
  if (auto raw = find(kX)) {
    ByteView x;
    if (!read_bytes(*raw, &x)) return BadValue("x");
    key.x_ = ToBytes(x);
  }
  if (key.kty_ == KeyKty::kEc2) {
    if (auto raw = find(kY)) {
      cbor::Reader v(*raw);
      TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType yt, v.PeekType());
      if (yt == cbor::ItemType::kTrue || yt == cbor::ItemType::kFalse) {
        bool sign = false;
        TEEPNET_RETURN_IF_ERROR(v.ReadBool(&sign));
        key.y_sign_ = sign;
      } else {
        ByteView y;
        if (!read_bytes(*raw, &y)) return BadValue("y");
        key.y_ = ToBytes(y);
      }
    }
  }
  if (auto raw = find(kD)) {
    ByteView d;
    if (!read_bytes(*raw, &d) || d.empty()) return BadValue("d");
    key.d_ = SecretBytes(d);
  }
  // RFC 9053 §7.1.1: x is required for public keys; y (or its sign) for EC2 public keys.
  if (key.d_.empty()) {
    if (key.x_.empty()) return Missing("x");
    if (key.kty_ == KeyKty::kEc2 && key.y_.empty() && !key.y_sign_) return Missing("y");
  }
  return key;
}

Result<CoseKey> CoseKey::Decode(ByteView encoded) {
  cbor::Reader r(encoded);
  TEEPNET_ASSIGN_OR_RETURN(CoseKey key, Read(r));
  if (!r.AtEnd()) return Error(Errc::kTrailingBytes, "bytes after the COSE_Key", r.offset());
  return key;
}

Result<CoseKey> CoseKey::DecodePublic(ByteView encoded) {
  TEEPNET_ASSIGN_OR_RETURN(CoseKey key, Decode(encoded));
  if (key.has_private()) {
    return Error(Errc::kPrivateKeyPresent, "a public COSE_Key must not carry private members");
  }
  return key;
}

CoseKey CoseKey::FromPublicKey(const crypto::PublicKey& pub) {
  CoseKey key;
  key.crv_ = CurveFor(pub.type());
  if (crypto::IsOkp(pub.type())) {
    key.kty_ = KeyKty::kOkp;
    key.x_ = pub.RawPublic();
  } else {
    key.kty_ = KeyKty::kEc2;
    key.x_ = pub.X();
    key.y_ = pub.Y();
  }
  return key;
}

CoseKey CoseKey::FromPrivateKey(const crypto::PrivateKey& priv) {
  CoseKey key = FromPublicKey(priv.public_key());
  key.d_ = priv.RawPrivate();
  return key;
}

CoseKey CoseKey::FromSymmetric(ByteView k) {
  CoseKey key;
  key.kty_ = KeyKty::kSymmetric;
  key.k_ = SecretBytes(k);
  return key;
}

Result<crypto::KeyType> CoseKey::KeyType() const {
  if (kty_ == KeyKty::kSymmetric || !crv_) {
    return Error(Errc::kWrongKeyType, "symmetric COSE_Key has no asymmetric key type");
  }
  return KeyTypeFor(kty_, *crv_);
}

Result<crypto::PublicKey> CoseKey::ToPublicKey() const {
  TEEPNET_ASSIGN_OR_RETURN(crypto::KeyType type, KeyType());
  if (x_.empty()) {
    if (!d_.empty()) {
      TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey priv, ToPrivateKey());
      return priv.public_key();
    }
    return Missing("x");
  }
  Result<crypto::PublicKey> pub = Error(Errc::kCrypto, "unreachable");
  if (kty_ == KeyKty::kOkp) {
    pub = crypto::PublicKey::FromRaw(type, x_);
  } else if (y_sign_) {
    // RFC 9053 §7.1.1: y as a bool is the sign bit of the compressed point (SEC1 02/03).
    Bytes compressed;
    compressed.push_back(*y_sign_ ? 0x03 : 0x02);
    Append(compressed, x_);
    pub = crypto::PublicKey::FromRaw(type, compressed);
  } else {
    pub = crypto::PublicKey::FromCoordinates(type, x_, y_);
  }
  if (!pub.ok()) return Error(Errc::kWrongKeyType, "COSE_Key: " + pub.error().message());
  return pub;
}

Result<crypto::PrivateKey> CoseKey::ToPrivateKey() const {
  TEEPNET_ASSIGN_OR_RETURN(crypto::KeyType type, KeyType());
  if (d_.empty()) return Missing("d");
  auto priv = crypto::PrivateKey::FromRaw(type, d_.view());
  if (!priv.ok()) return Error(Errc::kWrongKeyType, "COSE_Key: " + priv.error().message());
  return priv;
}

void CoseKey::WriteTo(cbor::Writer& w, bool include_private) const {
  cbor::MapBuilder m;
  m.Entry(kKty).WriteInt(static_cast<int64_t>(kty_));
  if (kid_) m.Entry(kKid).WriteBytes(*kid_);
  if (alg_) m.Entry(kAlg).WriteInt(*alg_);
  if (!key_ops_.empty()) {
    cbor::Writer& ops = m.Entry(kKeyOps);
    ops.WriteArrayHeader(key_ops_.size());
    for (int64_t op : key_ops_) ops.WriteInt(op);
  }
  if (kty_ == KeyKty::kSymmetric) {
    if (include_private) m.Entry(kK).WriteBytes(k_.view());
  } else {
    if (crv_) m.Entry(kCrv).WriteInt(static_cast<int64_t>(*crv_));
    if (!x_.empty()) m.Entry(kX).WriteBytes(x_);
    if (kty_ == KeyKty::kEc2) {
      if (y_sign_) {
        m.Entry(kY).WriteBool(*y_sign_);
      } else if (!y_.empty()) {
        m.Entry(kY).WriteBytes(y_);
      }
    }
    if (include_private && !d_.empty()) m.Entry(kD).WriteBytes(d_.view());
  }
  // Labels are distinct by construction, so WriteTo cannot fail.
  (void)m.WriteTo(w);
}

Bytes CoseKey::Encode(bool include_private) const {
  cbor::Writer w;
  WriteTo(w, include_private);
  return std::move(w).Take();
}

Result<Bytes> CoseKey::Thumbprint() const {
  //= https://www.rfc-editor.org/rfc/rfc9679#section-4
  //# only the required parameters of a key's representation are used ... in the
  //# deterministic encoding (RFC 8949 §4.2.1), hashed with SHA-256 (the default).
  cbor::MapBuilder m;
  m.Entry(kKty).WriteInt(static_cast<int64_t>(kty_));
  switch (kty_) {
    case KeyKty::kSymmetric: m.Entry(kK).WriteBytes(k_.view()); break;
    case KeyKty::kOkp:
      if (!crv_ || x_.empty()) return Missing("crv/x for a thumbprint");
      m.Entry(kCrv).WriteInt(static_cast<int64_t>(*crv_));
      m.Entry(kX).WriteBytes(x_);
      break;
    case KeyKty::kEc2:
      if (!crv_ || x_.empty() || y_.empty()) return Missing("crv/x/y for a thumbprint");
      m.Entry(kCrv).WriteInt(static_cast<int64_t>(*crv_));
      m.Entry(kX).WriteBytes(x_);
      m.Entry(kY).WriteBytes(y_);
      break;
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes encoded, m.Encode());
  return crypto::Sha256(encoded);
}

}  // namespace teepnet::cose
