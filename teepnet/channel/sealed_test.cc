#include "teepnet/channel/sealed.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/channel/errc.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::channel {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1800000000;

Binding SampleBinding() {
  return Binding{"req-7", Bytes(32, 0xd1), "ta-1", "pd"};
}

OpenPolicy At(int64_t now) {
  OpenPolicy p;
  p.now_unix = now;
  return p;
}

class SealedTest : public ::testing::TestWithParam<crypto::KeyType> {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(GetParam());
    TEEPNET_ASSERT_OK(key);
    key_ = std::move(*key);
  }
  Bytes SealSample(ByteView content, const Binding& binding = SampleBinding(), int64_t now = kNow) {
    auto sealed = Seal(key_->public_key(), content, binding, now, crypto::SystemRandom::Get());
    EXPECT_TRUE(sealed.ok()) << sealed.error().ToString();
    return sealed.ok() ? *sealed : Bytes();
  }
  std::optional<crypto::PrivateKey> key_;
  InMemoryReplayGuard guard_;
};

TEST_P(SealedTest, OpensWhatWasSealedForTheSameBinding) {
  const std::string pd = "personalization data TEEPNET-MARKER-51";
  Bytes sealed = SealSample(AsBytes(pd));
  auto opened = Open(sealed, *key_, SampleBinding(), At(kNow + 5), guard_);
  TEEPNET_ASSERT_OK(opened);
  EXPECT_EQ(std::string(opened->content.view().begin(), opened->content.view().end()), pd);
  EXPECT_EQ(opened->sent_at, kNow);
  EXPECT_EQ(opened->message_id.size(), kMessageIdSize);
}

TEST_P(SealedTest, TheSealedBytesDoNotContainThePlaintext) {
  const std::string pd = "TEEPNET-MARKER-PLAINTEXT-0042";
  Bytes sealed = SealSample(AsBytes(pd));
  std::string haystack(sealed.begin(), sealed.end());
  EXPECT_EQ(haystack.find(pd), std::string::npos);
}

TEST_P(SealedTest, RefusesASecondDeliveryOfTheSameMessage) {
  Bytes sealed = SealSample(AsBytes(std::string("pd")));
  TEEPNET_ASSERT_OK(Open(sealed, *key_, SampleBinding(), At(kNow), guard_));
  EXPECT_TRUE(
      FailsWith(Open(sealed, *key_, SampleBinding(), At(kNow + 1), guard_), Errc::kReplayed));
}

TEST_P(SealedTest, RefusesAMessageSealedForAnotherBinding) {
  Bytes sealed = SealSample(AsBytes(std::string("pd")));
  for (int field = 0; field < 4; ++field) {
    Binding other = SampleBinding();
    if (field == 0) other.request_id = "req-8";
    if (field == 1) other.device_id[0] ^= 1;
    if (field == 2) other.instance = "";
    if (field == 3) other.purpose = "bundle";
    EXPECT_TRUE(FailsWith(Open(sealed, *key_, other, At(kNow), guard_), Errc::kOpenFailed))
        << "binding field " << field;
  }
  EXPECT_EQ(guard_.size(), 0u) << "unauthenticated input must not be remembered";
}

TEST_P(SealedTest, RefusesEverySingleBitFlip) {
  Bytes sealed = SealSample(AsBytes(std::string("short pd")));
  for (size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes mutated = sealed;
      mutated[i] ^= static_cast<uint8_t>(1u << bit);
      InMemoryReplayGuard guard;
      auto opened = Open(mutated, *key_, SampleBinding(), At(kNow), guard);
      ASSERT_FALSE(opened.ok()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST_P(SealedTest, RefusesEveryTruncation) {
  Bytes sealed = SealSample(AsBytes(std::string("short pd")));
  for (size_t n = 0; n < sealed.size(); ++n) {
    InMemoryReplayGuard guard;
    EXPECT_FALSE(Open(ByteView(sealed.data(), n), *key_, SampleBinding(), At(kNow), guard).ok())
        << n;
  }
}

TEST_P(SealedTest, RefusesStaleAndFutureMessages) {
  Bytes old_one = SealSample(AsBytes(std::string("pd")), SampleBinding(), kNow - 601);
  EXPECT_TRUE(FailsWith(Open(old_one, *key_, SampleBinding(), At(kNow), guard_), Errc::kStale));
  Bytes future = SealSample(AsBytes(std::string("pd")), SampleBinding(), kNow + 61);
  EXPECT_TRUE(FailsWith(Open(future, *key_, SampleBinding(), At(kNow), guard_), Errc::kStale));
}

TEST_P(SealedTest, RefusesAMessageSealedToAnotherKey) {
  auto other = crypto::PrivateKey::Generate(GetParam());
  TEEPNET_ASSERT_OK(other);
  Bytes sealed = SealSample(AsBytes(std::string("pd")));
  EXPECT_TRUE(
      FailsWith(Open(sealed, *other, SampleBinding(), At(kNow), guard_), Errc::kWrongRecipient));
}

INSTANTIATE_TEST_SUITE_P(RecipientKeys, SealedTest,
                         ::testing::Values(crypto::KeyType::kX25519, crypto::KeyType::kP256));

TEST(Sealed, RefusesToSealToASigningOnlyKeyType) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  TEEPNET_ASSERT_OK(key);
  EXPECT_TRUE(
      FailsWith(Seal(key->public_key(), {}, SampleBinding(), kNow, crypto::SystemRandom::Get()),
                Errc::kNoAttestedKey));
}

TEST(Sealed, TheBindingEncodingIsFixed) {
  // ["teepnet/channel/v1", "r", h'01', "", "pd"]
  Bytes expected = {0x85, 0x72, 't', 'e', 'e', 'p', 'n',  'e', 't',  '/',  'c',  'h',  'a', 'n',
                    'n',  'e',  'l', '/', 'v', '1', 0x61, 'r', 0x41, 0x01, 0x60, 0x62, 'p', 'd'};
  EXPECT_EQ(EncodeBinding(Binding{"r", Bytes{0x01}, "", "pd"}), expected);
}

}  // namespace
}  // namespace teepnet::channel
