#include "teepnet/hpke/dhkem.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;

Dhkem MakeKem(KemId id) {
  auto kem = Dhkem::Create(id);
  if (!kem.ok()) ADD_FAILURE() << kem.error().ToString();
  return std::move(kem).value();
}

KeyPair Generate(const Dhkem& kem) {
  auto pair = kem.GenerateKeyPair(crypto::SystemRandom::Get());
  if (!pair.ok()) ADD_FAILURE() << pair.error().ToString();
  return std::move(pair).value();
}

// Every KEM, including P-384, for which RFC 9180 Appendix A has no vector.
class DhkemRoundTripTest : public ::testing::TestWithParam<KemId> {};

TEST_P(DhkemRoundTripTest, DecapRecoversTheEncapsulatedSecret) {
  const Dhkem kem = MakeKem(GetParam());
  const KeyPair recipient = Generate(kem);
  auto sent = kem.Encap(recipient.public_key, Generate(kem));
  TEEPNET_ASSERT_OK(sent);
  EXPECT_EQ(sent->enc.size(), kem.info().n_enc);
  EXPECT_EQ(sent->shared_secret.size(), kem.info().n_secret);
  auto received = kem.Decap(sent->enc, recipient.private_key);
  TEEPNET_ASSERT_OK(received);
  EXPECT_EQ(ToHex(received->view()), ToHex(sent->shared_secret.view()));
}

TEST_P(DhkemRoundTripTest, AuthDecapRecoversTheSecretOnlyForTheRealSender) {
  const Dhkem kem = MakeKem(GetParam());
  const KeyPair recipient = Generate(kem);
  const KeyPair sender = Generate(kem);
  auto sent = kem.AuthEncap(recipient.public_key, sender.private_key, Generate(kem));
  TEEPNET_ASSERT_OK(sent);
  auto received = kem.AuthDecap(sent->enc, recipient.private_key, sender.public_key);
  TEEPNET_ASSERT_OK(received);
  EXPECT_EQ(ToHex(received->view()), ToHex(sent->shared_secret.view()));

  auto impostor = kem.AuthDecap(sent->enc, recipient.private_key, Generate(kem).public_key);
  TEEPNET_ASSERT_OK(impostor);
  EXPECT_NE(ToHex(impostor->view()), ToHex(sent->shared_secret.view()));
}

TEST_P(DhkemRoundTripTest, DeriveKeyPairIsDeterministic) {
  const Dhkem kem = MakeKem(GetParam());
  const Bytes ikm(kem.info().n_sk, 0x33);
  auto a = kem.DeriveKeyPair(ikm);
  auto b = kem.DeriveKeyPair(ikm);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_TRUE(a->public_key.Equals(b->public_key));
  auto other = kem.DeriveKeyPair(Bytes(kem.info().n_sk, 0x34));
  TEEPNET_ASSERT_OK(other);
  EXPECT_FALSE(a->public_key.Equals(other->public_key));
}

TEST_P(DhkemRoundTripTest, IkmShorterThanNskFails) {
  const Dhkem kem = MakeKem(GetParam());
  EXPECT_TRUE(FailsWith(kem.DeriveKeyPair(Bytes(kem.info().n_sk - 1, 1)), Errc::kBadIkm));
}

TEST_P(DhkemRoundTripTest, TruncatedOrExtendedEncFails) {
  const Dhkem kem = MakeKem(GetParam());
  const KeyPair recipient = Generate(kem);
  auto sent = kem.Encap(recipient.public_key, Generate(kem));
  TEEPNET_ASSERT_OK(sent);
  const ByteView enc = sent->enc;
  for (size_t n : {size_t{0}, size_t{1}, enc.size() - 1}) {
    EXPECT_TRUE(
        FailsWith(kem.Decap(enc.first(n), recipient.private_key), Errc::kBadEncapsulatedKey))
        << n;
  }
  Bytes longer = sent->enc;
  longer.push_back(0);
  EXPECT_TRUE(FailsWith(kem.Decap(longer, recipient.private_key), Errc::kBadEncapsulatedKey));
}

TEST_P(DhkemRoundTripTest, PrivateKeySerializationRoundTrips) {
  const Dhkem kem = MakeKem(GetParam());
  const KeyPair pair = Generate(kem);
  auto sk = kem.SerializePrivateKey(pair.private_key);
  TEEPNET_ASSERT_OK(sk);
  EXPECT_EQ(sk->size(), kem.info().n_sk);
  auto back = kem.DeserializePrivateKey(sk->view());
  TEEPNET_ASSERT_OK(back);
  EXPECT_TRUE(back->public_key().Equals(pair.public_key));
}

TEST_P(DhkemRoundTripTest, GenerateKeyPairFailsWhenRandomnessRunsDry) {
  const Dhkem kem = MakeKem(GetParam());
  ReplayRandom random(Bytes(kem.info().n_sk - 1, 7));
  EXPECT_FALSE(kem.GenerateKeyPair(random).ok());
}

INSTANTIATE_TEST_SUITE_P(AllKems, DhkemRoundTripTest,
                         ::testing::Values(KemId::kP256HkdfSha256, KemId::kP384HkdfSha384,
                                           KemId::kP521HkdfSha512, KemId::kX25519HkdfSha256),
                         [](const ::testing::TestParamInfo<KemId>& param_info) {
                           return "Kem" + std::to_string(static_cast<int>(param_info.param));
                         });

// Points of small order on Curve25519 (and non-canonical encodings of them): DH with any of
// them yields the all-zero output that RFC 9180 §7.1.4 requires recipients to reject.
TEST(DhkemX25519Test, LowOrderEncIsRejected) {
  const Dhkem kem = MakeKem(KemId::kX25519HkdfSha256);
  const KeyPair recipient = Generate(kem);
  for (const char* point : {
           "0000000000000000000000000000000000000000000000000000000000000000",
           "0100000000000000000000000000000000000000000000000000000000000000",
           "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
           "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
           "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
           "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
           "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
       }) {
    EXPECT_TRUE(
        FailsWith(kem.Decap(HexOrDie(point), recipient.private_key), Errc::kBadEncapsulatedKey))
        << point;
  }
}

TEST(DhkemX25519Test, LowOrderRecipientKeyIsRejectedBySender) {
  const Dhkem kem = MakeKem(KemId::kX25519HkdfSha256);
  auto bad = kem.DeserializePublicKey(Bytes(32, 0));
  TEEPNET_ASSERT_OK(bad);  // any 32 bytes are an X25519 public key ...
  // ... but the DH with it is all zero, which the sender must refuse too.
  EXPECT_TRUE(FailsWith(kem.Encap(*bad, Generate(kem)), Errc::kBadPublicKey));
}

TEST(DhkemP256Test, OffCurveEncIsRejected) {
  const Dhkem kem = MakeKem(KemId::kP256HkdfSha256);
  const KeyPair recipient = Generate(kem);
  auto sent = kem.Encap(recipient.public_key, Generate(kem));
  TEEPNET_ASSERT_OK(sent);
  Bytes off_curve = sent->enc;
  off_curve.back() ^= 0x01;  // y + 1 or y - 1: the only points with this x have y or -y
  EXPECT_TRUE(FailsWith(kem.Decap(off_curve, recipient.private_key), Errc::kBadEncapsulatedKey));
}

TEST(DhkemP256Test, CompressedOrMisTaggedEncIsRejected) {
  const Dhkem kem = MakeKem(KemId::kP256HkdfSha256);
  const KeyPair recipient = Generate(kem);
  auto sent = kem.Encap(recipient.public_key, Generate(kem));
  TEEPNET_ASSERT_OK(sent);
  // The compressed form of the same point (33 bytes) is a valid SEC1 encoding but not the
  // Npk-byte uncompressed one that RFC 9180 §7.1.1 prescribes.
  Bytes compressed(sent->enc.begin(), sent->enc.begin() + 33);
  compressed[0] = static_cast<uint8_t>(0x02 | (sent->enc.back() & 1));
  EXPECT_TRUE(FailsWith(kem.Decap(compressed, recipient.private_key), Errc::kBadEncapsulatedKey));
  Bytes hybrid_tag = sent->enc;
  hybrid_tag[0] = 0x06;
  EXPECT_TRUE(FailsWith(kem.Decap(hybrid_tag, recipient.private_key), Errc::kBadEncapsulatedKey));
  EXPECT_TRUE(FailsWith(kem.Decap(Bytes{0x00}, recipient.private_key), Errc::kBadEncapsulatedKey));
}

TEST(DhkemP256Test, ScalarsOutsideTheGroupOrderAreRejected) {
  const Dhkem kem = MakeKem(KemId::kP256HkdfSha256);
  EXPECT_TRUE(FailsWith(kem.DeserializePrivateKey(Bytes(32, 0)), Errc::kBadPrivateKey));
  const Bytes order = HexOrDie("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  EXPECT_TRUE(FailsWith(kem.DeserializePrivateKey(order), Errc::kBadPrivateKey));
  Bytes order_minus_one = order;
  order_minus_one.back() -= 1;
  TEEPNET_EXPECT_OK(kem.DeserializePrivateKey(order_minus_one));
  EXPECT_TRUE(FailsWith(kem.DeserializePrivateKey(Bytes(31, 1)), Errc::kBadPrivateKey));
}

TEST(DhkemP521Test, DerivedScalarsRespectTheBitmask) {
  const Dhkem kem = MakeKem(KemId::kP521HkdfSha512);
  for (uint8_t seed = 0; seed < 8; ++seed) {
    auto pair = kem.DeriveKeyPair(Bytes(66, seed));
    TEEPNET_ASSERT_OK(pair);
    auto sk = kem.SerializePrivateKey(pair->private_key);
    TEEPNET_ASSERT_OK(sk);
    EXPECT_LE(sk->view()[0], 0x01);
  }
}

TEST(DhkemTest, KeyOfAnotherCurveIsRejected) {
  const Dhkem x25519 = MakeKem(KemId::kX25519HkdfSha256);
  const Dhkem p256 = MakeKem(KemId::kP256HkdfSha256);
  const KeyPair p256_pair = Generate(p256);
  EXPECT_TRUE(
      FailsWith(x25519.Encap(p256_pair.public_key, Generate(x25519)), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(x25519.Decap(Bytes(32, 9), p256_pair.private_key), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(x25519.SerializePublicKey(p256_pair.public_key), Errc::kKeyTypeMismatch));
}

TEST(DhkemTest, X25519PrivateKeysSerializeClamped) {
  const Dhkem kem = MakeKem(KemId::kX25519HkdfSha256);
  auto key = kem.DeserializePrivateKey(Bytes(32, 0xff));
  TEEPNET_ASSERT_OK(key);
  auto sk = kem.SerializePrivateKey(*key);
  TEEPNET_ASSERT_OK(sk);
  EXPECT_EQ(sk->view().front(), 0xf8);
  EXPECT_EQ(sk->view().back(), 0x7f);
}

}  // namespace
}  // namespace teepnet::hpke
