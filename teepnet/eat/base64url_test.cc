#include "teepnet/eat/base64url.h"

#include <gtest/gtest.h>

#include <random>

#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

// RFC 4648 §10 test vectors, in the URL alphabet without padding.
TEST(Base64UrlTest, Rfc4648VectorsRoundTrip) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain[i])), coded[i]);
    auto d = Base64UrlDecode(coded[i]);
    TEEPNET_ASSERT_OK(d);
    EXPECT_EQ(AsChars(*d), plain[i]);
  }
}

TEST(Base64UrlTest, UrlAlphabetIsUsed) {
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
  auto d = Base64UrlDecode("-_8");
  TEEPNET_ASSERT_OK(d);
  EXPECT_EQ(*d, (Bytes{0xfb, 0xff}));
}

TEST(Base64UrlTest, StandardAlphabetCharactersFail) {
  EXPECT_TRUE(FailsWith(Base64UrlDecode("+/8"), Errc::kBadBase64));
}

TEST(Base64UrlTest, ImpossibleLengthFails) {
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zm9vY"), Errc::kBadBase64));
}

TEST(Base64UrlTest, NonZeroPaddingBitsFail) {
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zh"), Errc::kBadBase64));
}

TEST(Base64UrlTest, LenientModeIgnoresNonZeroPaddingBits) {
  auto d = Base64UrlDecode("Zh", PadBits::kLenient);
  TEEPNET_ASSERT_OK(d);
  EXPECT_EQ(AsChars(*d), "f");
}

// The codec works three bytes / four characters at a time; this reference works bit by bit,
// the way RFC 4648 §4 describes it, so the two must agree on every length and every byte.
std::string ReferenceEncode(ByteView data) {
  static constexpr char kA[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : data) {
    acc = (acc << 8) | b;
    for (bits += 8; bits >= 6;) out.push_back(kA[(acc >> (bits -= 6)) & 0x3f]);
  }
  if (bits > 0) out.push_back(kA[(acc << (6 - bits)) & 0x3f]);
  return out;
}

TEST(Base64UrlTest, AgreesWithABitByBitReferenceOnEveryLengthUpTo200) {
  std::mt19937 rng(7);
  for (size_t n = 0; n <= 200; ++n) {
    Bytes data(n);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    const std::string coded = Base64UrlEncode(data);
    ASSERT_EQ(coded, ReferenceEncode(data)) << n;
    auto back = Base64UrlDecode(coded);
    TEEPNET_ASSERT_OK(back);
    EXPECT_EQ(*back, data) << n;
  }
}

TEST(Base64UrlTest, NamesTheOffsetOfTheFirstCharacterOutsideTheAlphabet) {
  const std::string good = Base64UrlEncode(Bytes(31, 0xa5));  // 42 characters: 10 groups + 2
  for (size_t at = 0; at < good.size(); ++at) {
    for (char bad : {'+', '/', '=', '\0', '\x80', ' '}) {
      std::string text = good;
      text[at] = bad;
      if (bad == '=' && at == text.size() - 1) continue;  // trailing '=' is padding, stripped
      auto d = Base64UrlDecode(text);
      ASSERT_TRUE(FailsWith(d, Errc::kBadBase64)) << at;
      EXPECT_EQ(d.error().offset(), at) << d.error().ToString();
    }
  }
}

TEST(Base64UrlTest, RefusesSpareBitsInEitherShortTail) {
  // 2 characters leave 4 spare bits, 3 leave 2: any of them set is refused in strict mode.
  for (const char* text : {"Zh", "Zi", "Zp", "Zm9", "Zm-", "Zm_"}) {
    EXPECT_TRUE(FailsWith(Base64UrlDecode(text), Errc::kBadBase64)) << text;
    TEEPNET_EXPECT_OK(Base64UrlDecode(text, PadBits::kLenient));
  }
  TEEPNET_EXPECT_OK(Base64UrlDecode("Zm8"));
  TEEPNET_EXPECT_OK(Base64UrlDecode("Zg"));
}

}  // namespace
}  // namespace teepnet::eat
