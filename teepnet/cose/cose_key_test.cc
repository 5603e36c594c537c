#include "teepnet/cose/cose_key.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cose/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cose {
namespace {

using teepnet::testing::FailsWith;

Bytes H(std::string_view hex) {
  return *FromHex(hex);
}

// RFC 9679 §6 example key (meriadoc.brandybuck's P-256 key from RFC 9052 Appendix C.7.1),
// with kid, and its thumbprint from the same section.
constexpr std::string_view kX = "65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d";
constexpr std::string_view kY = "1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c";
constexpr std::string_view kThumbprint =
    "496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec";

Bytes Rfc9679Key() {
  // {1: 2, 2: 'meriadoc.brandybuck@buckland.example', -1: 1, -2: x, -3: y}
  return H(std::string("a50102025824") +
           "6d65726961646f632e6272616e64796275636b406275636b6c616e642e6578616d706c65" +
           "200121"
           "5820" +
           std::string(kX) + "22" + "5820" + std::string(kY));
}

TEST(CoseKeyTest, Rfc9679ExampleThumbprintMatches) {
  auto key = CoseKey::Decode(Rfc9679Key());
  TEEPNET_ASSERT_OK(key);
  auto tp = key->Thumbprint();
  TEEPNET_ASSERT_OK(tp);
  EXPECT_EQ(ToHex(*tp), kThumbprint);
}

TEST(CoseKeyTest, ThumbprintIgnoresOptionalMembers) {
  auto key = CoseKey::Decode(Rfc9679Key());
  TEEPNET_ASSERT_OK(key);
  key->set_alg(-7).set_key_ops({2});
  EXPECT_EQ(ToHex(*key->Thumbprint()), kThumbprint);
}

TEST(CoseKeyTest, Ec2KeyConvertsToCryptoAndBack) {
  auto key = CoseKey::Decode(Rfc9679Key());
  TEEPNET_ASSERT_OK(key);
  auto pub = key->ToPublicKey();
  TEEPNET_ASSERT_OK(pub);
  EXPECT_EQ(pub->type(), crypto::KeyType::kP256);
  CoseKey again = CoseKey::FromPublicKey(*pub);
  EXPECT_EQ(ToHex(again.x()), kX);
  EXPECT_EQ(ToHex(again.y()), kY);
  EXPECT_EQ(ToHex(*again.Thumbprint()), kThumbprint);
}

TEST(CoseKeyTest, PrivateKeyRoundTripsThroughEncoding) {
  for (auto type : {crypto::KeyType::kP256, crypto::KeyType::kP384, crypto::KeyType::kP521,
                    crypto::KeyType::kEd25519, crypto::KeyType::kX25519}) {
    auto priv = crypto::PrivateKey::Generate(type);
    TEEPNET_ASSERT_OK(priv);
    CoseKey key = CoseKey::FromPrivateKey(*priv);
    key.set_kid(AsBytes("k1"));
    auto decoded = CoseKey::Decode(key.Encode(true));
    TEEPNET_ASSERT_OK(decoded);
    EXPECT_TRUE(decoded->has_private());
    auto back = decoded->ToPrivateKey();
    TEEPNET_ASSERT_OK(back);
    EXPECT_TRUE(back->public_key().Equals(priv->public_key()));
    EXPECT_EQ(ToHex(*decoded->kid()), "6b31");
  }
}

TEST(CoseKeyTest, PublicDecodeRejectsPrivateMembers) {
  auto priv = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(priv);
  Bytes with_d = CoseKey::FromPrivateKey(*priv).Encode(true);
  EXPECT_TRUE(FailsWith(CoseKey::DecodePublic(with_d), Errc::kPrivateKeyPresent));
  TEEPNET_EXPECT_OK(CoseKey::DecodePublic(CoseKey::FromPrivateKey(*priv).Encode(false)));
}

TEST(CoseKeyTest, SymmetricKeyThumbprintCoversKtyAndK) {
  CoseKey key = CoseKey::FromSymmetric(AsBytes("0123456789abcdef"));
  auto decoded = CoseKey::Decode(key.Encode(true));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(AsChars(decoded->symmetric_key()), "0123456789abcdef");
  EXPECT_EQ(decoded->Thumbprint()->size(), 32u);
  EXPECT_TRUE(FailsWith(decoded->ToPublicKey(), Errc::kWrongKeyType));
}

TEST(CoseKeyTest, MissingCurveFails) {
  EXPECT_TRUE(FailsWith(CoseKey::Decode(H("a10102")), Errc::kMissingKeyParameter));
}

TEST(CoseKeyTest, MissingKtyFails) {
  EXPECT_TRUE(FailsWith(CoseKey::Decode(H("a12001")), Errc::kMissingKeyParameter));
}

TEST(CoseKeyTest, DuplicateLabelFails) {
  EXPECT_TRUE(FailsWith(CoseKey::Decode(H("a201020102")), Errc::kDuplicateLabel));
}

TEST(CoseKeyTest, OkpCurveWithEc2KtyFails) {
  // {1: 2 (EC2), -1: 6 (Ed25519), -2: h'00'}
  EXPECT_TRUE(FailsWith(CoseKey::Decode(H("a30102200621410000")), Errc::kWrongKeyType));
}

TEST(CoseKeyTest, TrailingBytesFail) {
  Bytes bytes = Rfc9679Key();
  bytes.push_back(0x00);
  EXPECT_TRUE(FailsWith(CoseKey::Decode(bytes), Errc::kTrailingBytes));
}

TEST(CoseKeyTest, CompressedEc2PointDecodes) {
  auto key = CoseKey::Decode(Rfc9679Key());
  TEEPNET_ASSERT_OK(key);
  auto pub = key->ToPublicKey();
  TEEPNET_ASSERT_OK(pub);
  // y's last byte 0x9c is even: sign bit false.
  Bytes compressed = H(std::string("a40102200121") + "5820" + std::string(kX) + "22f4");
  auto ck = CoseKey::Decode(compressed);
  TEEPNET_ASSERT_OK(ck);
  auto cpub = ck->ToPublicKey();
  TEEPNET_ASSERT_OK(cpub);
  EXPECT_TRUE(cpub->Equals(*pub));
}

}  // namespace
}  // namespace teepnet::cose
