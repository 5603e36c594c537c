#include "teepnet/hpke/dhkem.h"

#include <algorithm>
#include <string>

#include "teepnet/base/byte_reader.h"
#include "teepnet/crypto/ecdh.h"

namespace teepnet::hpke {

namespace {

// Group orders of the NIST curves as listed in RFC 9180 §7.1.3, big-endian, Nsk bytes each.
constexpr uint8_t kP256Order[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
constexpr uint8_t kP384Order[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};
constexpr uint8_t kP521Order[66] = {
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b,
    0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c,
    0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09};

ByteView OrderOf(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::kP256: return kP256Order;
    case crypto::KeyType::kP384: return kP384Order;
    case crypto::KeyType::kP521: return kP521Order;
    default: return {};
  }
}

// True when 0 < scalar < order (both big-endian, same length). The scalar is key material, so
// the comparison runs without data-dependent branches: it subtracts `order` byte by byte and
// reads the final borrow, which is set exactly when scalar < order.
bool ScalarInRange(ByteView scalar, ByteView order) {
  if (scalar.size() != order.size()) return false;
  unsigned borrow = 0;
  unsigned nonzero = 0;
  for (size_t i = scalar.size(); i-- > 0;) {
    unsigned diff = static_cast<unsigned>(scalar[i]) - static_cast<unsigned>(order[i]) - borrow;
    borrow = (diff >> 8) & 1u;
    nonzero |= scalar[i];
  }
  return (borrow & static_cast<unsigned>(nonzero != 0)) == 1u;
}

// decodeScalar25519 of RFC 7748 §5, applied to the byte string itself.
void ClampX25519(std::span<uint8_t> scalar) {
  scalar.front() &= 248;
  scalar.back() &= 127;
  scalar.back() |= 64;
}

SecretBytes Concat(ByteView a, ByteView b) {
  SecretBytes out(a.size() + b.size());
  std::copy(b.begin(), b.end(), std::copy(a.begin(), a.end(), out.mutable_view().begin()));
  return out;
}

// DH(sk, pk) with any failure reported as `reason`: crypto/ rejects an all-zero X25519 output
// (RFC 9180 §7.1.4) and mismatched curves, and which party's key was bad is what the caller
// needs to know.
Result<SecretBytes> Dh(const crypto::PrivateKey& mine, const crypto::PublicKey& theirs,
                       Errc reason) {
  auto dh = crypto::Ecdh(mine, theirs);
  if (!dh.ok()) return Error(reason, "DH failed: " + dh.error().ToString());
  return std::move(dh).value();
}

}  // namespace

Result<Dhkem> Dhkem::Create(KemId kem) {
  TEEPNET_ASSIGN_OR_RETURN(KemInfo info, LookupKem(kem));
  TEEPNET_ASSIGN_OR_RETURN(LabeledKdf kdf, LabeledKdf::ForKem(kem));
  return Dhkem(kem, info, std::move(kdf));
}

Status Dhkem::CheckType(crypto::KeyType type, Errc reason) const {
  if (type != info_.key_type) {
    return Error(reason, std::string(crypto::KeyTypeName(type)) + " key used with a " +
                             std::string(crypto::KeyTypeName(info_.key_type)) + " KEM");
  }
  return OkStatus();
}

Result<SecretBytes> Dhkem::DeriveScalar(ByteView dkp_prk) const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1.3
  //# sk = LabeledExpand(dkp_prk, "sk", "", Nsk)
  // X25519 takes any 32 bytes; DeserializePrivateKey clamps them (§7.1.2).
  if (info_.key_type == crypto::KeyType::kX25519) {
    return kdf_.Expand(dkp_prk, "sk", {}, info_.n_sk);
  }
  // P-curves: rejection sampling over at most 256 counters; the bitmask (0x01 for P-521)
  // clears the bits above the order's bit length so most candidates are in range.
  ByteView order = OrderOf(info_.key_type);
  for (unsigned counter = 0; counter <= 255; ++counter) {
    const uint8_t counter_byte = static_cast<uint8_t>(counter);
    TEEPNET_ASSIGN_OR_RETURN(
        SecretBytes candidate,
        kdf_.Expand(dkp_prk, "candidate", ByteView(&counter_byte, 1), info_.n_sk));
    candidate.mutable_view()[0] &= info_.bitmask;
    if (ScalarInRange(candidate.view(), order)) return candidate;
  }
  return Error(Errc::kDeriveKeyPairFailed, "no candidate scalar below the group order");
}

Result<KeyPair> Dhkem::DeriveKeyPair(ByteView ikm) const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1.3
  //# For a given KEM, the ikm parameter given to DeriveKeyPair() SHOULD
  //# have length at least Nsk
  if (ikm.size() < info_.n_sk) {
    return Error(Errc::kBadIkm, "ikm of " + std::to_string(ikm.size()) + " bytes, need at least " +
                                    std::to_string(info_.n_sk));
  }
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dkp_prk, kdf_.Extract({}, "dkp_prk", ikm));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes scalar, DeriveScalar(dkp_prk.view()));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey key, DeserializePrivateKey(scalar.view()));
  crypto::PublicKey pub = key.public_key();
  return KeyPair{std::move(key), std::move(pub)};
}

Result<KeyPair> Dhkem::GenerateKeyPair(Random& random) const {
  SecretBytes ikm(info_.n_sk);
  TEEPNET_RETURN_IF_ERROR(random.Fill(ikm.mutable_view()));
  return DeriveKeyPair(ikm.view());
}

Result<Bytes> Dhkem::SerializePublicKey(const crypto::PublicKey& key) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(key.type(), Errc::kKeyTypeMismatch));
  Bytes raw = key.RawPublic();
  if (raw.size() != info_.n_pk) {
    return Error(Errc::kBadPublicKey, "public key serializes to " + std::to_string(raw.size()) +
                                          " bytes, expected Npk = " + std::to_string(info_.n_pk));
  }
  return raw;
}

Result<crypto::PublicKey> Dhkem::DeserializePublicKey(ByteView bytes) const {
  if (bytes.size() != info_.n_pk) {
    return Error(Errc::kBadPublicKey, "public key of " + std::to_string(bytes.size()) +
                                          " bytes, expected Npk = " + std::to_string(info_.n_pk));
  }
  if (info_.key_type != crypto::KeyType::kX25519) {
    //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1.1
    //# DeserializePublicKey() performs the uncompressed
    //# Octet-String-to-Elliptic-Curve-Point conversion.
    uint8_t form = 0;
    ByteReader reader(bytes);
    if (!reader.PeekU8(&form) || form != 0x04) {
      return Error(Errc::kBadPublicKey, "P-curve public key is not an uncompressed point", 0);
    }
  }
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1.4
  //# For P-256, P-384, and P-521, senders and recipients MUST perform partial
  //# public key validation on all public key inputs
  // crypto::PublicKey::FromRaw rejects points that are not on the curve; X25519 keys are any
  // 32 bytes, and their low-order points surface as an all-zero DH output instead.
  auto key = crypto::PublicKey::FromRaw(info_.key_type, bytes);
  if (!key.ok()) return Error(Errc::kBadPublicKey, key.error().ToString());
  return std::move(key).value();
}

Result<SecretBytes> Dhkem::SerializePrivateKey(const crypto::PrivateKey& key) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(key.type(), Errc::kKeyTypeMismatch));
  SecretBytes raw = key.RawPrivate();
  if (raw.size() != info_.n_sk) {
    return Error(Errc::kBadPrivateKey, "private key serializes to " + std::to_string(raw.size()) +
                                           " bytes, expected Nsk = " + std::to_string(info_.n_sk));
  }
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.1.2
  //# The SerializePrivateKey() function MUST clamp its output and
  //# DeserializePrivateKey() MUST clamp its input
  if (info_.key_type == crypto::KeyType::kX25519) ClampX25519(raw.mutable_view());
  return raw;
}

Result<crypto::PrivateKey> Dhkem::DeserializePrivateKey(ByteView bytes) const {
  if (bytes.size() != info_.n_sk) {
    return Error(Errc::kBadPrivateKey, "private key of " + std::to_string(bytes.size()) +
                                           " bytes, expected Nsk = " + std::to_string(info_.n_sk));
  }
  // SEC1's Octet-String-to-Field-Element fails for values outside the field, and §7.1.2 asks
  // implementations to reject keys equal to 0 (mod order): so 0 < d < n, else kBadPrivateKey.
  if (info_.key_type != crypto::KeyType::kX25519 &&
      !ScalarInRange(bytes, OrderOf(info_.key_type))) {
    return Error(Errc::kBadPrivateKey, "private scalar is zero or not below the group order");
  }
  SecretBytes scalar(bytes);
  if (info_.key_type == crypto::KeyType::kX25519) ClampX25519(scalar.mutable_view());
  auto key = crypto::PrivateKey::FromRaw(info_.key_type, scalar.view());
  if (!key.ok()) return Error(Errc::kBadPrivateKey, key.error().ToString());
  return std::move(key).value();
}

Result<SecretBytes> Dhkem::ExtractAndExpand(ByteView dh, ByteView kem_context) const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-4.1
  //# eae_prk = LabeledExtract("", "eae_prk", dh)
  //# shared_secret = LabeledExpand(eae_prk, "shared_secret", kem_context, Nsecret)
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes eae_prk, kdf_.Extract({}, "eae_prk", dh));
  return kdf_.Expand(eae_prk.view(), "shared_secret", kem_context, info_.n_secret);
}

Result<Encapsulation> Dhkem::Encap(const crypto::PublicKey& recipient,
                                   const KeyPair& ephemeral) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(recipient.type(), Errc::kKeyTypeMismatch));
  TEEPNET_RETURN_IF_ERROR(CheckType(ephemeral.private_key.type(), Errc::kKeyTypeMismatch));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh,
                           Dh(ephemeral.private_key, recipient, Errc::kBadPublicKey));
  TEEPNET_ASSIGN_OR_RETURN(Bytes enc, SerializePublicKey(ephemeral.public_key));
  TEEPNET_ASSIGN_OR_RETURN(Bytes kem_context, SerializePublicKey(recipient));
  kem_context.insert(kem_context.begin(), enc.begin(), enc.end());
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes shared_secret, ExtractAndExpand(dh.view(), kem_context));
  return Encapsulation{std::move(shared_secret), std::move(enc)};
}

Result<SecretBytes> Dhkem::Decap(ByteView enc, const crypto::PrivateKey& recipient) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(recipient.type(), Errc::kKeyTypeMismatch));
  auto ephemeral = DeserializePublicKey(enc);
  if (!ephemeral.ok()) return Error(Errc::kBadEncapsulatedKey, ephemeral.error().message());
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh, Dh(recipient, *ephemeral, Errc::kBadEncapsulatedKey));
  TEEPNET_ASSIGN_OR_RETURN(Bytes kem_context, SerializePublicKey(recipient.public_key()));
  kem_context.insert(kem_context.begin(), enc.begin(), enc.end());
  return ExtractAndExpand(dh.view(), kem_context);
}

Result<Encapsulation> Dhkem::AuthEncap(const crypto::PublicKey& recipient,
                                       const crypto::PrivateKey& sender,
                                       const KeyPair& ephemeral) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(recipient.type(), Errc::kKeyTypeMismatch));
  TEEPNET_RETURN_IF_ERROR(CheckType(sender.type(), Errc::kKeyTypeMismatch));
  TEEPNET_RETURN_IF_ERROR(CheckType(ephemeral.private_key.type(), Errc::kKeyTypeMismatch));
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-4.1
  //# dh = concat(DH(skE, pkR), DH(skS, pkR))
  //# kem_context = concat(enc, pkRm, pkSm)
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh_e,
                           Dh(ephemeral.private_key, recipient, Errc::kBadPublicKey));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh_s, Dh(sender, recipient, Errc::kBadPublicKey));
  SecretBytes dh = Concat(dh_e.view(), dh_s.view());
  TEEPNET_ASSIGN_OR_RETURN(Bytes enc, SerializePublicKey(ephemeral.public_key));
  TEEPNET_ASSIGN_OR_RETURN(Bytes pkRm, SerializePublicKey(recipient));
  TEEPNET_ASSIGN_OR_RETURN(Bytes pkSm, SerializePublicKey(sender.public_key()));
  Bytes kem_context = enc;
  Append(kem_context, pkRm);
  Append(kem_context, pkSm);
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes shared_secret, ExtractAndExpand(dh.view(), kem_context));
  return Encapsulation{std::move(shared_secret), std::move(enc)};
}

Result<SecretBytes> Dhkem::AuthDecap(ByteView enc, const crypto::PrivateKey& recipient,
                                     const crypto::PublicKey& sender) const {
  TEEPNET_RETURN_IF_ERROR(CheckType(recipient.type(), Errc::kKeyTypeMismatch));
  TEEPNET_RETURN_IF_ERROR(CheckType(sender.type(), Errc::kKeyTypeMismatch));
  auto ephemeral = DeserializePublicKey(enc);
  if (!ephemeral.ok()) return Error(Errc::kBadEncapsulatedKey, ephemeral.error().message());
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-4.1
  //# dh = concat(DH(skR, pkE), DH(skR, pkS))
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh_e, Dh(recipient, *ephemeral, Errc::kBadEncapsulatedKey));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes dh_s, Dh(recipient, sender, Errc::kBadPublicKey));
  SecretBytes dh = Concat(dh_e.view(), dh_s.view());
  TEEPNET_ASSIGN_OR_RETURN(Bytes pkSm, SerializePublicKey(sender));
  TEEPNET_ASSIGN_OR_RETURN(Bytes kem_context, SerializePublicKey(recipient.public_key()));
  kem_context.insert(kem_context.begin(), enc.begin(), enc.end());
  Append(kem_context, pkSm);
  return ExtractAndExpand(dh.view(), kem_context);
}

}  // namespace teepnet::hpke
