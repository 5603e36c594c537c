#include "teepnet/eat/jwk.h"

#include <gtest/gtest.h>

#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

TEST(JwkTest, PublicKeyRoundTripsThroughJwk) {
  for (crypto::KeyType t :
       {crypto::KeyType::kP256, crypto::KeyType::kP384, crypto::KeyType::kP521}) {
    auto k = crypto::PrivateKey::Generate(t);
    TEEPNET_ASSERT_OK(k);
    auto back = PublicKeyFromJwk(PublicKeyToJwk(k->public_key()));
    TEEPNET_ASSERT_OK(back);
    EXPECT_TRUE(back->Equals(k->public_key()));
  }
}

TEST(JwkTest, NonEcKeyFails) {
  EXPECT_TRUE(FailsWith(PublicKeyFromJwk({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AA"}}),
                        Errc::kBadJwk));
}

TEST(JwkTest, PointOffTheCurveFails) {
  nlohmann::json j = {{"kty", "EC"},
                      {"crv", "P-256"},
                      {"x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                      {"y", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"}};
  EXPECT_TRUE(FailsWith(PublicKeyFromJwk(j), Errc::kBadJwk));
}

TEST(JwkTest, MissingCoordinateFails) {
  EXPECT_TRUE(
      FailsWith(PublicKeyFromJwk({{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}}), Errc::kBadJwk));
}

}  // namespace
}  // namespace teepnet::eat
