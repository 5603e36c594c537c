#include "teepnet/crypto/keys.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::Base64OrDie;
using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;

const KeyType kAllTypes[] = {KeyType::kP256,    KeyType::kP384,   KeyType::kP521,
                             KeyType::kEd25519, KeyType::kX25519, KeyType::kSm2};

// COSE WG example key "11" (cose/ecdsa-examples), P-256.
const char* kX11 = "usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8";
const char* kY11 = "IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4";
const char* kD11 = "V8kgd2ZBRuh2dgyVINBUqpPDr7BOMGcF22CQMIUHtNM";

TEST(PrivateKeyTest, RawScalarDerivesThePublishedPublicPoint) {
  auto key = PrivateKey::FromRaw(KeyType::kP256, Base64OrDie(kD11));
  TEEPNET_ASSERT_OK(key);
  PublicKey pub = key->public_key();
  EXPECT_EQ(pub.X(), Base64OrDie(kX11));
  EXPECT_EQ(pub.Y(), Base64OrDie(kY11));
  EXPECT_EQ(ToHex(key->RawPrivate().view()), ToHex(Base64OrDie(kD11)));
  auto from_xy = PublicKey::FromCoordinates(KeyType::kP256, Base64OrDie(kX11), Base64OrDie(kY11));
  TEEPNET_ASSERT_OK(from_xy);
  EXPECT_TRUE(from_xy->Equals(pub));
}

TEST(PrivateKeyTest, Rfc8032SecretDerivesItsPublicKey) {
  auto key = PrivateKey::FromRaw(
      KeyType::kEd25519,
      HexOrDie("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  TEEPNET_ASSERT_OK(key);
  EXPECT_EQ(ToHex(key->public_key().RawPublic()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
}

TEST(PrivateKeyTest, GeneratedKeysRoundTripThroughEveryEncoding) {
  for (KeyType type : kAllTypes) {
    SCOPED_TRACE(KeyTypeName(type));
    auto key = PrivateKey::Generate(type);
    TEEPNET_ASSERT_OK(key);
    EXPECT_EQ(key->type(), type);
    PublicKey pub = key->public_key();

    auto from_raw = PrivateKey::FromRaw(type, key->RawPrivate().view());
    TEEPNET_ASSERT_OK(from_raw);
    EXPECT_TRUE(from_raw->public_key().Equals(pub));

    SecretBytes pkcs8 = key->ToPkcs8Der();
    auto from_der = PrivateKey::FromPkcs8Der(pkcs8.view());
    TEEPNET_ASSERT_OK(from_der);
    EXPECT_EQ(from_der->type(), type);
    EXPECT_TRUE(from_der->public_key().Equals(pub));

    auto from_pem = PrivateKey::FromPem(key->ToPem());
    TEEPNET_ASSERT_OK(from_pem);
    EXPECT_EQ(from_pem->type(), type);
    EXPECT_TRUE(from_pem->public_key().Equals(pub));

    auto spki = PublicKey::FromSpkiDer(pub.ToSpkiDer());
    TEEPNET_ASSERT_OK(spki);
    EXPECT_EQ(spki->type(), type);
    EXPECT_TRUE(spki->Equals(pub));
    auto pem = PublicKey::FromPem(pub.ToPem());
    TEEPNET_ASSERT_OK(pem);
    EXPECT_TRUE(pem->Equals(pub));

    auto raw = PublicKey::FromRaw(type, pub.RawPublic());
    TEEPNET_ASSERT_OK(raw);
    EXPECT_TRUE(raw->Equals(pub));
    if (IsEc(type)) {
      EXPECT_EQ(pub.RawPublic().size(), 1 + 2 * CoordinateSize(type));
      EXPECT_EQ(pub.X().size(), CoordinateSize(type));
      auto xy = PublicKey::FromCoordinates(type, pub.X(), pub.Y());
      TEEPNET_ASSERT_OK(xy);
      EXPECT_TRUE(xy->Equals(pub));
    } else {
      EXPECT_EQ(pub.RawPublic().size(), 32u);
    }
  }
}

TEST(PublicKeyTest, CompressedPointDecodesToTheSameKey) {
  auto key = PrivateKey::Generate(KeyType::kP384);
  TEEPNET_ASSERT_OK(key);
  PublicKey pub = key->public_key();
  Bytes compressed = pub.X();
  compressed.insert(compressed.begin(), static_cast<uint8_t>(0x02 | (pub.Y().back() & 1)));
  auto decoded = PublicKey::FromRaw(KeyType::kP384, compressed);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_TRUE(decoded->Equals(pub));
}

TEST(PublicKeyTest, OffCurvePointFails) {
  Bytes x = Base64OrDie(kX11), y = Base64OrDie(kY11);
  y.back() ^= 1;
  EXPECT_TRUE(FailsWith(PublicKey::FromCoordinates(KeyType::kP256, x, y), Errc::kBadKey));
  // The point at infinity's SEC1 encoding is a single zero byte.
  EXPECT_TRUE(FailsWith(PublicKey::FromRaw(KeyType::kP256, Bytes{0x00}), Errc::kBadKey));
  // All-zero coordinates are not on P-256.
  EXPECT_TRUE(FailsWith(PublicKey::FromCoordinates(KeyType::kP256, Bytes(32, 0), Bytes(32, 0)),
                        Errc::kBadKey));
}

TEST(PublicKeyTest, WrongLengthsFail) {
  Bytes x = Base64OrDie(kX11), y = Base64OrDie(kY11);
  EXPECT_TRUE(FailsWith(PublicKey::FromCoordinates(KeyType::kP256, ByteView(x).first(31), y),
                        Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PublicKey::FromCoordinates(KeyType::kP384, x, y), Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PublicKey::FromRaw(KeyType::kEd25519, Bytes(31, 1)), Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PublicKey::FromRaw(KeyType::kX25519, Bytes(33, 1)), Errc::kBadKey));
  Bytes point = {0x05};
  Append(point, x);
  Append(point, y);
  EXPECT_TRUE(FailsWith(PublicKey::FromRaw(KeyType::kP256, point), Errc::kBadKey));
  EXPECT_TRUE(
      FailsWith(PublicKey::FromCoordinates(KeyType::kEd25519, x, y), Errc::kKeyTypeMismatch));
}

TEST(PrivateKeyTest, OutOfRangeScalarFails) {
  EXPECT_TRUE(FailsWith(PrivateKey::FromRaw(KeyType::kP256, Bytes(32, 0)), Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PrivateKey::FromRaw(KeyType::kP256, Bytes(32, 0xff)), Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PrivateKey::FromRaw(KeyType::kP256, Bytes(31, 1)), Errc::kBadKey));
  EXPECT_TRUE(FailsWith(PrivateKey::FromRaw(KeyType::kEd25519, Bytes(16, 1)), Errc::kBadKey));
}

TEST(KeyParsingTest, GarbageEncodingsFail) {
  EXPECT_TRUE(
      FailsWith(PublicKey::FromSpkiDer(Bytes{0x30, 0x03, 0x02, 0x01, 0x00}), Errc::kBadEncoding));
  EXPECT_TRUE(
      FailsWith(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"), Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(PrivateKey::FromPkcs8Der(Bytes{1, 2, 3}), Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(PrivateKey::FromPem("not a key"), Errc::kBadEncoding));
  auto key = PrivateKey::Generate(KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  Bytes spki = key->public_key().ToSpkiDer();
  spki.push_back(0);
  EXPECT_TRUE(FailsWith(PublicKey::FromSpkiDer(spki), Errc::kBadEncoding));
}

TEST(KeyParsingTest, GeneratedRsaKeyExportsSpki) {
  auto key = PrivateKey::Generate(KeyType::kRsa);
  TEEPNET_ASSERT_OK(key);
  auto pub = PublicKey::FromSpkiDer(key->public_key().ToSpkiDer());
  TEEPNET_ASSERT_OK(pub);
  EXPECT_EQ(pub->type(), KeyType::kRsa);
  EXPECT_TRUE(pub->RawPublic().empty());
}

}  // namespace
}  // namespace teepnet::crypto
