#include "teepnet/tam/agent_key_cache.h"

#include <gtest/gtest.h>

#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::tam {
namespace {

Bytes EncodedPublic(const crypto::PrivateKey& key) {
  return cose::CoseKey::FromPublicKey(key.public_key()).Encode(false);
}

TEST(AgentKeyCache, ReturnsTheKeyTheBytesEncodeAndParsesThemOnce) {
  auto a = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  ASSERT_TRUE(a.ok());
  AgentKeyCache cache;
  auto first = cache.Get(EncodedPublic(*a));
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE(first->Equals(a->public_key()));
  auto second = cache.Get(EncodedPublic(*a));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(&first->handle(), &second->handle()) << "the second lookup reuses the parsed key";
  EXPECT_EQ(cache.size(), 1u);
}

TEST(AgentKeyCache, OtherBytesGetTheirOwnKey) {
  auto a = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto b = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  ASSERT_TRUE(a.ok() && b.ok());
  AgentKeyCache cache;
  ASSERT_TRUE(cache.Get(EncodedPublic(*a)).ok());
  auto other = cache.Get(EncodedPublic(*b));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->Equals(b->public_key()));
  EXPECT_FALSE(other->Equals(a->public_key()));
  EXPECT_EQ(cache.size(), 2u);
}

TEST(AgentKeyCache, RefusesBytesThatAreNotAPublicCoseKeyAndCachesNothing) {
  auto a = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  ASSERT_TRUE(a.ok());
  Bytes bad = EncodedPublic(*a);
  bad.back() ^= 0x01;  // the last coordinate byte: the point leaves the curve
  AgentKeyCache cache;
  EXPECT_FALSE(cache.Get(bad).ok());
  EXPECT_FALSE(cache.Get(Bytes{0xa0}).ok());  // an empty map
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace teepnet::tam
