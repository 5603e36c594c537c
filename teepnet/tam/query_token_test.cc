#include "teepnet/tam/query_token.h"

#include <gtest/gtest.h>

#include <limits>

#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/tam/errc.h"
#include "teepnet/teep/limits.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::tam {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kLifetime = 3600;

teep::DataItemsRequested Items() {
  teep::DataItemsRequested items;
  items.attestation = true;
  items.trusted_components = true;
  items.suit_reports = true;
  return items;
}

class QueryTokenTest : public ::testing::Test {
 protected:
  crypto::PrivateKey key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  QueryTokens tokens_ = *QueryTokens::FromSigningKey(key_);
  Random& random_ = crypto::SystemRandom::Get();
  const Bytes device_ = Bytes(32, 0xD1);
};

TEST_F(QueryTokenTest, IssuedTokenVerifiesWithWhatItAskedFor) {
  auto token = tokens_.Issue(kNow, Items(), std::nullopt, random_);
  TEEPNET_ASSERT_OK(token);
  EXPECT_EQ(token->size(), kQueryTokenSize);
  EXPECT_GE(token->size(), teep::kMinTokenSize);
  EXPECT_LE(token->size(), teep::kMaxTokenSize);
  EXPECT_TRUE(QueryTokens::IsQueryToken(*token));
  auto claims = tokens_.Verify(*token, device_, kNow + 10, kLifetime);
  TEEPNET_ASSERT_OK(claims);
  EXPECT_EQ(claims->issued_at, kNow);
  EXPECT_EQ(claims->expires_at, kNow + kLifetime);
  EXPECT_EQ(claims->data_items, Items());
  EXPECT_FALSE(claims->device_bound);
}

TEST_F(QueryTokenTest, EveryTokenIsDifferentEvenInTheSameSecond) {
  auto a = tokens_.Issue(kNow, Items(), std::nullopt, random_);
  auto b = tokens_.Issue(kNow, Items(), std::nullopt, random_);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_NE(*a, *b);
  EXPECT_NE(*tokens_.Challenge(*a), *tokens_.Challenge(*b));
}

TEST_F(QueryTokenTest, EveryFlippedBitIsRefusedAsUnknown) {
  const Bytes token = *tokens_.Issue(kNow, Items(), std::nullopt, random_);
  for (size_t bit = 0; bit < token.size() * 8; ++bit) {
    Bytes flipped = token;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_TRUE(FailsWith(tokens_.Verify(flipped, device_, kNow, kLifetime), Errc::kUnknownToken))
        << "bit " << bit;
  }
}

TEST_F(QueryTokenTest, TruncatedOrExtendedTokenIsRefusedAsUnknown) {
  const Bytes token = *tokens_.Issue(kNow, Items(), std::nullopt, random_);
  Bytes longer = token;
  longer.push_back(0);
  EXPECT_TRUE(FailsWith(tokens_.Verify(longer, device_, kNow, kLifetime), Errc::kUnknownToken));
  EXPECT_TRUE(
      FailsWith(tokens_.Verify(ByteView(token).first(token.size() - 1), device_, kNow, kLifetime),
                Errc::kUnknownToken));
  EXPECT_FALSE(QueryTokens::IsQueryToken(Bytes(16, 1)));
}

TEST_F(QueryTokenTest, TokenOfAnotherKeyIsRefusedAsUnknown) {
  QueryTokens other =
      *QueryTokens::FromSigningKey(*crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  const Bytes token = *other.Issue(kNow, Items(), std::nullopt, random_);
  EXPECT_TRUE(FailsWith(tokens_.Verify(token, device_, kNow, kLifetime), Errc::kUnknownToken));
}

TEST_F(QueryTokenTest, TheSameSigningKeyGivesTheSameTokenKey) {
  // Two replicas loading one TAM key accept each other's tokens and derive the same challenge.
  QueryTokens replica = *QueryTokens::FromSigningKey(
      *crypto::PrivateKey::FromRaw(crypto::KeyType::kP256, key_.RawPrivate().view()));
  const Bytes token = *tokens_.Issue(kNow, Items(), std::nullopt, random_);
  TEEPNET_EXPECT_OK(replica.Verify(token, device_, kNow, kLifetime));
  EXPECT_EQ(*replica.Challenge(token), *tokens_.Challenge(token));
  EXPECT_EQ(tokens_.Challenge(token)->size(), kQueryChallengeSize);
}

TEST_F(QueryTokenTest, Ed25519SigningKeyWorksToo) {
  auto ed = QueryTokens::FromSigningKey(*crypto::PrivateKey::Generate(crypto::KeyType::kEd25519));
  TEEPNET_ASSERT_OK(ed);
  const Bytes token = *ed->Issue(kNow, Items(), std::nullopt, random_);
  TEEPNET_EXPECT_OK(ed->Verify(token, device_, kNow, kLifetime));
}

TEST_F(QueryTokenTest, TokenIsRefusedFromTheEndOfItsLifetimeOn) {
  const Bytes token = *tokens_.Issue(kNow, Items(), std::nullopt, random_);
  TEEPNET_EXPECT_OK(tokens_.Verify(token, device_, kNow + kLifetime - 1, kLifetime));
  EXPECT_TRUE(
      FailsWith(tokens_.Verify(token, device_, kNow + kLifetime, kLifetime), Errc::kTokenExpired));
}

TEST_F(QueryTokenTest, TokenIssuedBeyondTheClockSkewAllowanceIsRefused) {
  // Another replica whose clock runs more than the allowance ahead issued it.
  const Bytes token = *tokens_.Issue(kNow + kMaxTokenClockSkew + 1, Items(), std::nullopt, random_);
  EXPECT_TRUE(FailsWith(tokens_.Verify(token, device_, kNow, kLifetime), Errc::kTokenNotYetValid));
  const Bytes far = *tokens_.Issue(kNow + kLifetime, Items(), std::nullopt, random_);
  EXPECT_TRUE(FailsWith(tokens_.Verify(far, device_, kNow, kLifetime), Errc::kTokenNotYetValid));
  // Once this replica's clock has caught up, the same token is good.
  TEEPNET_EXPECT_OK(tokens_.Verify(token, device_, kNow + 1, kLifetime));
}

TEST_F(QueryTokenTest, TokenIssuedWithinTheClockSkewAllowanceIsAccepted) {
  for (int64_t ahead : {int64_t{1}, kMaxTokenClockSkew / 2, kMaxTokenClockSkew}) {
    const Bytes token = *tokens_.Issue(kNow + ahead, Items(), std::nullopt, random_);
    auto claims = tokens_.Verify(token, device_, kNow, kLifetime);
    TEEPNET_ASSERT_OK(claims) << "ahead " << ahead;
    EXPECT_EQ(claims->issued_at, kNow + ahead);
    // The lifetime still runs from the issue time, not from the verifier's clock.
    EXPECT_EQ(claims->expires_at, kNow + ahead + kLifetime);
  }
}

TEST_F(QueryTokenTest, ExtremeIssueTimesAndClocksDoNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  // Issued at the end of time, checked now: far in the future, refused before the lifetime sum
  // (which would overflow) is formed.
  const Bytes last = *tokens_.Issue(kMax, Items(), std::nullopt, random_);
  EXPECT_TRUE(FailsWith(tokens_.Verify(last, device_, kNow, kLifetime), Errc::kTokenNotYetValid));
  // A clock within the allowance of INT64_MAX: the bound saturates; the lifetime sum
  // overflows, which counts as expired.
  EXPECT_TRUE(FailsWith(tokens_.Verify(last, device_, kMax - 1, kLifetime), Errc::kTokenExpired));
  EXPECT_TRUE(FailsWith(tokens_.Verify(last, device_, kMax, kLifetime), Errc::kTokenExpired));
  const Bytes near_end = *tokens_.Issue(kMax - kLifetime - 1, Items(), std::nullopt, random_);
  TEEPNET_EXPECT_OK(tokens_.Verify(near_end, device_, kMax - kLifetime - 1, kLifetime));
  TEEPNET_EXPECT_OK(
      tokens_.Verify(near_end, device_, kMax - kLifetime - 1 - kMaxTokenClockSkew, kLifetime));
  EXPECT_TRUE(FailsWith(
      tokens_.Verify(near_end, device_, kMax - kLifetime - 2 - kMaxTokenClockSkew, kLifetime),
      Errc::kTokenNotYetValid));
  // Issued at the start of time (or before 1970): in the past, so expired, never "future".
  const Bytes first = *tokens_.Issue(kMin, Items(), std::nullopt, random_);
  EXPECT_TRUE(FailsWith(tokens_.Verify(first, device_, kNow, kLifetime), Errc::kTokenExpired));
  TEEPNET_EXPECT_OK(tokens_.Verify(first, device_, kMin, kLifetime));
  const Bytes before_epoch = *tokens_.Issue(-100, Items(), std::nullopt, random_);
  auto claims = tokens_.Verify(before_epoch, device_, -100, kLifetime);
  TEEPNET_ASSERT_OK(claims);
  EXPECT_EQ(claims->issued_at, -100);
  EXPECT_TRUE(
      FailsWith(tokens_.Verify(before_epoch, device_, -100 - kMaxTokenClockSkew - 1, kLifetime),
                Errc::kTokenNotYetValid));
}

TEST_F(QueryTokenTest, TagAndChallengeAreTheDocumentedHmacs) {
  // The layout in query_token.h, computed with one-shot HMACs over the concatenated inputs:
  // replicas of an older build (which MACed exactly so) and this one accept each other's
  // tokens.
  const Bytes key(32, 0x3c);
  QueryTokens tokens = *QueryTokens::FromKey(key);
  for (const std::optional<ByteView>& bound :
       {std::optional<ByteView>(), std::optional<ByteView>(ByteView(device_))}) {
    const Bytes token = *tokens.Issue(kNow, Items(), bound, random_);
    Bytes tag_input = ToBytes(std::string_view("teepnet tam query token\0", 24));
    tag_input.insert(tag_input.end(), token.begin(), token.begin() + 27);
    if (bound) tag_input.insert(tag_input.end(), bound->begin(), bound->end());
    const Bytes tag = *crypto::Hmac(crypto::HashAlgorithm::kSha256, key, tag_input);
    EXPECT_EQ(Bytes(token.begin() + 27, token.end()), Bytes(tag.begin(), tag.begin() + 16));
    Bytes challenge_input = ToBytes(std::string_view("teepnet tam query challenge\0", 28));
    challenge_input.insert(challenge_input.end(), token.begin(), token.end());
    EXPECT_EQ(*tokens.Challenge(token),
              *crypto::Hmac(crypto::HashAlgorithm::kSha256, key, challenge_input));
  }
}

TEST_F(QueryTokenTest, BoundTokenAnswersOnlyItsDevice) {
  const Bytes token = *tokens_.Issue(kNow, Items(), ByteView(device_), random_);
  auto claims = tokens_.Verify(token, device_, kNow, kLifetime);
  TEEPNET_ASSERT_OK(claims);
  EXPECT_TRUE(claims->device_bound);
  EXPECT_TRUE(
      FailsWith(tokens_.Verify(token, Bytes(32, 0xD2), kNow, kLifetime), Errc::kUnknownToken));
}

TEST_F(QueryTokenTest, UnboundTokenIsNotABoundOneWithTheFlagCleared) {
  // The flag is under the tag: clearing it on a bound token does not make it answerable by any
  // device.
  Bytes token = *tokens_.Issue(kNow, Items(), ByteView(device_), random_);
  token[1] = 0;
  EXPECT_TRUE(
      FailsWith(tokens_.Verify(token, Bytes(32, 0xD2), kNow, kLifetime), Errc::kUnknownToken));
}

}  // namespace
}  // namespace teepnet::tam
