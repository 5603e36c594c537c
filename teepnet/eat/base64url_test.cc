#include "teepnet/eat/base64url.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace teepnet::eat
