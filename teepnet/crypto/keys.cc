#include "teepnet/crypto/keys.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::EvpPkeyCtxPtr;
using internal::EvpPkeyPtr;
using internal::OsslError;

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kP256: return "P-256";
    case KeyType::kP384: return "P-384";
    case KeyType::kP521: return "P-521";
    case KeyType::kEd25519: return "Ed25519";
    case KeyType::kX25519: return "X25519";
    case KeyType::kSm2: return "SM2";
    case KeyType::kRsa: return "RSA";
  }
  return "unknown";
}

bool IsEc(KeyType type) {
  return type == KeyType::kP256 || type == KeyType::kP384 || type == KeyType::kP521 ||
         type == KeyType::kSm2;
}

bool IsOkp(KeyType type) {
  return type == KeyType::kEd25519 || type == KeyType::kX25519;
}

size_t CoordinateSize(KeyType type) {
  switch (type) {
    case KeyType::kP256: return 32;
    case KeyType::kP384: return 48;
    case KeyType::kP521: return 66;
    case KeyType::kSm2: return 32;
    case KeyType::kEd25519:
    case KeyType::kX25519: return 32;
    case KeyType::kRsa: return 0;
  }
  return 0;
}

namespace {

// OpenSSL's group names (also accepted by EVP_PKEY_Q_keygen).
const char* GroupName(KeyType type) {
  switch (type) {
    case KeyType::kP256: return "P-256";
    case KeyType::kP384: return "P-384";
    case KeyType::kP521: return "P-521";
    case KeyType::kSm2: return "SM2";
    default: return nullptr;
  }
}

// The OpenSSL key-management name for an EC type: SM2 keys live in their own keymgmt.
const char* EcKeymgmt(KeyType type) {
  return type == KeyType::kSm2 ? "SM2" : "EC";
}

int EcNid(KeyType type) {
  switch (type) {
    case KeyType::kP256: return NID_X9_62_prime256v1;
    case KeyType::kP384: return NID_secp384r1;
    case KeyType::kP521: return NID_secp521r1;
    case KeyType::kSm2: return NID_sm2;
    default: return NID_undef;
  }
}

int OkpId(KeyType type) {
  return type == KeyType::kEd25519 ? EVP_PKEY_ED25519 : EVP_PKEY_X25519;
}

Result<EvpPkeyPtr> FromData(KeyType type, int selection, OSSL_PARAM* params) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, EcKeymgmt(type), nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params) != 1) {
    return OsslError(Errc::kBadKey, std::string(KeyTypeName(type)) + " key import failed");
  }
  return EvpPkeyPtr(raw);
}

// SEC1 §3.2.2.1 / NIST SP 800-56A §5.6.2.3.4 (ECC partial public-key validation): a public
// key must be a valid point of the group (not the identity, coordinates in [0, p-1], on the
// curve). RFC 9180 §7.1.4 asks for exactly this partial validation. OpenSSL's import decodes
// the point; the explicit check makes the requirement independent of that detail.
// EVP_PKEY_public_check_quick does these checks; the full EVP_PKEY_public_check adds n·Q = O,
// a whole scalar multiplication that proves nothing more on the prime-order curves supported
// here (P-256/384/521 and SM2 all have cofactor 1, so every point on the curve is in the
// order-n group).
Status CheckPublic(EVP_PKEY* pkey) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_public_check_quick(ctx.get()) != 1) {
    return OsslError(Errc::kBadKey, "public key is not a valid point of the curve");
  }
  return OkStatus();
}

Result<EvpPkeyPtr> EcPublicFromPoint(KeyType type, ByteView point) {
  std::string group = GroupName(type);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(point.data()),
                                        point.size()),
      OSSL_PARAM_construct_end()};
  TEEPNET_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, FromData(type, EVP_PKEY_PUBLIC_KEY, params));
  TEEPNET_RETURN_IF_ERROR(CheckPublic(pkey.get()));
  return pkey;
}

Bytes EncodedPublic(EVP_PKEY* pkey) {
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) !=
      1) {
    return {};
  }
  Bytes out(len);
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(),
                                      out.size(), &len) != 1) {
    return {};
  }
  out.resize(len);
  return out;
}

Result<PublicKey> MakePublic(EvpPkeyPtr pkey) {
  TEEPNET_ASSIGN_OR_RETURN(KeyType type, internal::KeyTypeOf(pkey.get()));
  if (type != KeyType::kRsa) TEEPNET_RETURN_IF_ERROR(CheckPublic(pkey.get()));
  return PublicKey(type, internal::MakeHandle(std::move(pkey), type != KeyType::kRsa));
}

Result<PrivateKey> MakePrivate(EvpPkeyPtr pkey) {
  TEEPNET_ASSIGN_OR_RETURN(KeyType type, internal::KeyTypeOf(pkey.get()));
  return PrivateKey(type, internal::MakeHandle(std::move(pkey)));
}

internal::BioPtr PemBio(std::string_view pem) {
  return internal::ReadBio(AsBytes(pem));
}

}  // namespace

namespace internal {

Result<KeyType> KeyTypeOf(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "SM2")) return KeyType::kSm2;
  if (EVP_PKEY_is_a(pkey, "ED25519")) return KeyType::kEd25519;
  if (EVP_PKEY_is_a(pkey, "X25519")) return KeyType::kX25519;
  if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS")) return KeyType::kRsa;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char name[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
                                       &len) != 1) {
      return OsslError(Errc::kUnsupportedAlgorithm, "EC key without a named curve");
    }
    std::string_view group(name, len);
    if (group == "prime256v1" || group == "P-256") return KeyType::kP256;
    if (group == "secp384r1" || group == "P-384") return KeyType::kP384;
    if (group == "secp521r1" || group == "P-521") return KeyType::kP521;
    // OpenSSL 3.0 may decode an id-ecPublicKey SPKI on the SM2 curve as an "EC" key.
    if (group == "SM2") return KeyType::kSm2;
    return Error(Errc::kUnsupportedAlgorithm, "unsupported EC curve " + std::string(group));
  }
  return Error(Errc::kUnsupportedAlgorithm, "unsupported key type");
}

std::shared_ptr<const KeyHandle> MakeHandle(EvpPkeyPtr pkey, bool public_validated) {
  auto handle = std::make_shared<KeyHandle>();
  handle->pkey = std::move(pkey);
  handle->public_validated = public_validated;
  return handle;
}

}  // namespace internal

// ---- PublicKey -------------------------------------------------------------------------

Result<PublicKey> PublicKey::FromRaw(KeyType type, ByteView raw) {
  if (IsOkp(type)) {
    // RFC 8032 §5.1.5 / RFC 7748 §5: public keys are exactly 32 bytes.
    if (raw.size() != 32) return Error(Errc::kBadKey, "OKP public key must be 32 bytes");
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(OkpId(type), nullptr, raw.data(), raw.size()));
    if (!pkey) return OsslError(Errc::kBadKey, "OKP public key import failed");
    // RFC 7748 §5: every 32-byte string is an acceptable X25519 u-coordinate (low-order
    // points show up as an all-zero shared secret, which Ecdh refuses), so there is
    // nothing more to validate.
    return PublicKey(type, internal::MakeHandle(std::move(pkey), true));
  }
  if (!IsEc(type)) return Error(Errc::kUnsupportedAlgorithm, "raw RSA keys are not supported");
  size_t c = CoordinateSize(type);
  // SEC1 §2.3.3: uncompressed 0x04||X||Y or compressed 0x02/0x03||X; nothing else.
  bool uncompressed = raw.size() == 1 + 2 * c && raw[0] == 0x04;
  bool compressed = raw.size() == 1 + c && (raw[0] == 0x02 || raw[0] == 0x03);
  if (!uncompressed && !compressed) {
    return Error(Errc::kBadKey, "EC point is not a SEC1 point of the curve's size");
  }
  TEEPNET_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, EcPublicFromPoint(type, raw));
  return PublicKey(type, internal::MakeHandle(std::move(pkey), true));
}

Result<PublicKey> PublicKey::FromCoordinates(KeyType type, ByteView x, ByteView y) {
  if (!IsEc(type)) return Error(Errc::kKeyTypeMismatch, "coordinates are for EC keys only");
  size_t c = CoordinateSize(type);
  if (x.size() != c || y.size() != c) {
    return Error(Errc::kBadKey, "EC coordinate is not the curve's field size");
  }
  Bytes point;
  point.reserve(1 + 2 * c);
  point.push_back(0x04);
  Append(point, x);
  Append(point, y);
  return FromRaw(type, point);
}

Result<PublicKey> PublicKey::FromSpkiDer(ByteView der) {
  const unsigned char* p = der.data();
  if (!internal::FitsInt(der.size())) return Error(Errc::kBadEncoding, "SPKI too large");
  EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey) return OsslError(Errc::kBadEncoding, "SubjectPublicKeyInfo does not parse");
  if (p != der.data() + der.size()) {
    return Error(Errc::kBadEncoding, "bytes after the SubjectPublicKeyInfo");
  }
  return MakePublic(std::move(pkey));
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  auto bio = PemBio(pem);
  if (!bio) return Error(Errc::kBadEncoding, "PEM too large");
  EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return OsslError(Errc::kBadEncoding, "PUBLIC KEY PEM does not parse");
  return MakePublic(std::move(pkey));
}

Bytes PublicKey::RawPublic() const {
  EVP_PKEY* pkey = handle_->get();
  if (IsOkp(type_)) {
    Bytes out(32);
    size_t len = out.size();
    if (EVP_PKEY_get_raw_public_key(pkey, out.data(), &len) != 1) return {};
    out.resize(len);
    return out;
  }
  if (IsEc(type_)) return EncodedPublic(pkey);
  return {};
}

Bytes PublicKey::X() const {
  if (!IsEc(type_)) return {};
  Bytes point = RawPublic();
  size_t c = CoordinateSize(type_);
  if (point.size() != 1 + 2 * c) return {};
  return Bytes(point.begin() + 1, point.begin() + 1 + static_cast<ptrdiff_t>(c));
}

Bytes PublicKey::Y() const {
  if (!IsEc(type_)) return {};
  Bytes point = RawPublic();
  size_t c = CoordinateSize(type_);
  if (point.size() != 1 + 2 * c) return {};
  return Bytes(point.begin() + 1 + static_cast<ptrdiff_t>(c), point.end());
}

Bytes PublicKey::ToSpkiDer() const {
  unsigned char* out = nullptr;
  int len = i2d_PUBKEY(handle_->get(), &out);
  if (len <= 0) return {};
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

std::string PublicKey::ToPem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), handle_->get()) != 1) return {};
  Bytes text = internal::BioContents(bio.get());
  return std::string(AsChars(text));
}

bool PublicKey::Equals(const PublicKey& other) const {
  return type_ == other.type_ && EVP_PKEY_eq(handle_->get(), other.handle_->get()) == 1;
}

// ---- PrivateKey ------------------------------------------------------------------------

Result<PrivateKey> PrivateKey::Generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  if (IsOkp(type)) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, type == KeyType::kEd25519 ? "ED25519" : "X25519");
  } else if (type == KeyType::kSm2) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
  } else if (type == KeyType::kRsa) {
    // RSA keys exist for tests that sign RSA-PSS certificates; 2048 bits keeps them fast.
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", GroupName(type));
  }
  if (raw == nullptr) return OsslError(Errc::kInternal, "key generation failed");
  // OpenSSL computed the public point from the fresh scalar itself.
  return PrivateKey(type, internal::MakeHandle(EvpPkeyPtr(raw), true));
}

Result<PrivateKey> PrivateKey::FromRaw(KeyType type, ByteView d) {
  if (IsOkp(type)) {
    if (d.size() != 32) return Error(Errc::kBadKey, "OKP private key must be 32 bytes");
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(OkpId(type), nullptr, d.data(), d.size()));
    if (!pkey) return OsslError(Errc::kBadKey, "OKP private key import failed");
    return PrivateKey(type, internal::MakeHandle(std::move(pkey), true));
  }
  if (!IsEc(type)) return Error(Errc::kUnsupportedAlgorithm, "raw RSA keys are not supported");
  if (d.size() != CoordinateSize(type)) {
    return Error(Errc::kBadKey, "EC private scalar is not the curve's size");
  }
  // SEC1 §3.2.1: d is an integer in [1, n-1]. OpenSSL 3.0's import does not derive the
  // public point, so compute Q = d·G here and import both.
  internal::EcGroupPtr group(EC_GROUP_new_by_curve_name(EcNid(type)));
  if (!group) return OsslError(Errc::kInternal, "EC group unavailable");
  internal::BignumPtr scalar(BN_bin2bn(d.data(), static_cast<int>(d.size()), nullptr));
  if (!scalar || BN_is_zero(scalar.get()) ||
      BN_cmp(scalar.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return OsslError(Errc::kBadKey, "EC private scalar is outside [1, n-1]");
  }
  internal::EcPointPtr q(EC_POINT_new(group.get()));
  internal::BnCtxPtr bn_ctx(BN_CTX_new());
  Bytes point(1 + 2 * CoordinateSize(type));
  if (!q || !bn_ctx ||
      EC_POINT_mul(group.get(), q.get(), scalar.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(),
                         point.size(), bn_ctx.get()) != point.size()) {
    return OsslError(Errc::kInternal, "EC public point computation failed");
  }
  std::string group_name = GroupName(type);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return OsslError(Errc::kInternal, "OSSL_PARAM_BLD_new failed");
  OSSL_PARAM* params = nullptr;
  bool built =
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name.c_str(), 0) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr;
  OSSL_PARAM_BLD_free(bld);
  if (!built) return OsslError(Errc::kInternal, "EC key parameters could not be built");
  auto pkey = FromData(type, EVP_PKEY_KEYPAIR, params);
  OSSL_PARAM_free(params);
  if (!pkey.ok()) return std::move(pkey).TakeError();
  // Q = d·G was computed above from a scalar in [1, n-1].
  return PrivateKey(type, internal::MakeHandle(std::move(*pkey), true));
}

Result<PrivateKey> PrivateKey::FromPkcs8Der(ByteView der) {
  if (!internal::FitsInt(der.size())) return Error(Errc::kBadEncoding, "PKCS#8 too large");
  const unsigned char* p = der.data();
  internal::Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info) return OsslError(Errc::kBadEncoding, "PKCS#8 PrivateKeyInfo does not parse");
  if (p != der.data() + der.size()) return Error(Errc::kBadEncoding, "bytes after PKCS#8");
  EvpPkeyPtr pkey(EVP_PKCS82PKEY(info.get()));
  if (!pkey) return OsslError(Errc::kBadKey, "PKCS#8 key is not usable");
  return MakePrivate(std::move(pkey));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  auto bio = PemBio(pem);
  if (!bio) return Error(Errc::kBadEncoding, "PEM too large");
  EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return OsslError(Errc::kBadEncoding, "private key PEM does not parse");
  return MakePrivate(std::move(pkey));
}

PublicKey PrivateKey::public_key() const {
  // The public half shares the key object; PublicKey exposes only public operations.
  return PublicKey(type_, handle_);
}

SecretBytes PrivateKey::RawPrivate() const {
  EVP_PKEY* pkey = handle_->get();
  if (IsOkp(type_)) {
    SecretBytes out(32);
    size_t len = out.size();
    if (EVP_PKEY_get_raw_private_key(pkey, out.mutable_view().data(), &len) != 1) return {};
    out.Truncate(len);
    return out;
  }
  if (!IsEc(type_)) return {};
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn) != 1) return {};
  internal::BignumPtr d(bn);
  SecretBytes out(CoordinateSize(type_));
  if (BN_bn2binpad(d.get(), out.mutable_view().data(), static_cast<int>(out.size())) < 0) {
    return {};
  }
  return out;
}

SecretBytes PrivateKey::ToPkcs8Der() const {
  internal::Pkcs8Ptr info(EVP_PKEY2PKCS8(handle_->get()));
  if (!info) return {};
  unsigned char* out = nullptr;
  int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &out);
  if (len <= 0) return {};
  SecretBytes der(ByteView(out, static_cast<size_t>(len)));
  OPENSSL_clear_free(out, static_cast<size_t>(len));
  return der;
}

std::string PrivateKey::ToPem() const {
  internal::BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), handle_->get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0) return {};
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace teepnet::crypto
