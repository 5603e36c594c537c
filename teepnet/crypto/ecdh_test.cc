#include "teepnet/crypto/ecdh.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;

std::string X25519Hex(const std::string& scalar, const std::string& u) {
  auto mine = PrivateKey::FromRaw(KeyType::kX25519, HexOrDie(scalar));
  auto theirs = PublicKey::FromRaw(KeyType::kX25519, HexOrDie(u));
  if (!mine.ok() || !theirs.ok()) return "bad key";
  auto shared = Ecdh(*mine, *theirs);
  if (!shared.ok()) return shared.error().ToString();
  return ToHex(shared->view());
}

// RFC 7748 §5.2, the two single-step test vectors.
TEST(X25519Test, Rfc7748Section5_2VectorsMatch) {
  EXPECT_EQ(X25519Hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                      "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"),
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  EXPECT_EQ(X25519Hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                      "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"),
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

// RFC 7748 §6.1: Alice and Bob agree on K.
TEST(X25519Test, Rfc7748Section6_1KeyAgreementMatches) {
  const char* alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  const char* bob = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  auto a = PrivateKey::FromRaw(KeyType::kX25519, HexOrDie(alice));
  auto b = PrivateKey::FromRaw(KeyType::kX25519, HexOrDie(bob));
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(ToHex(a->public_key().RawPublic()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(ToHex(b->public_key().RawPublic()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const char* k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  EXPECT_EQ(ToHex(Ecdh(*a, b->public_key())->view()), k);
  EXPECT_EQ(ToHex(Ecdh(*b, a->public_key())->view()), k);
}

TEST(X25519Test, SmallOrderPeerGivingAllZeroOutputIsRefused) {
  auto mine = PrivateKey::Generate(KeyType::kX25519);
  TEEPNET_ASSERT_OK(mine);
  // u = 0 and u = 1 are points of small order: every scalar maps them to zero.
  for (uint8_t u : {0, 1}) {
    Bytes point(32, 0);
    point[0] = u;
    auto peer = PublicKey::FromRaw(KeyType::kX25519, point);
    TEEPNET_ASSERT_OK(peer);
    EXPECT_TRUE(FailsWith(Ecdh(*mine, *peer), Errc::kBadKey)) << int{u};
  }
}

TEST(EcdhTest, BothSidesAgreeOnEveryNistCurve) {
  for (KeyType type : {KeyType::kP256, KeyType::kP384, KeyType::kP521}) {
    auto a = PrivateKey::Generate(type);
    auto b = PrivateKey::Generate(type);
    TEEPNET_ASSERT_OK(a);
    TEEPNET_ASSERT_OK(b);
    auto ab = Ecdh(*a, b->public_key());
    auto ba = Ecdh(*b, a->public_key());
    TEEPNET_ASSERT_OK(ab);
    TEEPNET_ASSERT_OK(ba);
    EXPECT_EQ(ab->size(), CoordinateSize(type));
    EXPECT_EQ(ToHex(ab->view()), ToHex(ba->view()));
  }
}

TEST(EcdhTest, MismatchedOrSigningKeysFail) {
  auto p256 = PrivateKey::Generate(KeyType::kP256);
  auto p384 = PrivateKey::Generate(KeyType::kP384);
  auto x = PrivateKey::Generate(KeyType::kX25519);
  auto ed = PrivateKey::Generate(KeyType::kEd25519);
  EXPECT_TRUE(FailsWith(Ecdh(*p256, p384->public_key()), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Ecdh(*x, p256->public_key()), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Ecdh(*ed, ed->public_key()), Errc::kKeyTypeMismatch));
}

}  // namespace
}  // namespace teepnet::crypto
