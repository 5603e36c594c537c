#include "teepnet/cbor/utf8.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"

namespace teepnet::cbor {
namespace {

bool Valid(std::string_view hex, size_t* bad = nullptr) {
  Result<Bytes> b = FromHex(hex);
  if (!b.ok()) std::abort();
  return IsValidUtf8(*b, bad);
}

TEST(Utf8Test, AcceptsEveryEncodingLengthAtItsBoundaries) {
  EXPECT_TRUE(Valid(""));
  EXPECT_TRUE(Valid("7f"));
  EXPECT_TRUE(Valid("c280"));
  EXPECT_TRUE(Valid("dfbf"));
  EXPECT_TRUE(Valid("e0a080"));
  EXPECT_TRUE(Valid("ed9fbf"));  // U+D7FF, just below the surrogates
  EXPECT_TRUE(Valid("ee8080"));  // U+E000, just above them
  EXPECT_TRUE(Valid("f0908080"));
  EXPECT_TRUE(Valid("f48fbfbf"));  // U+10FFFF
}

TEST(Utf8Test, RejectsOverlongSurrogateOutOfRangeAndTruncatedSequences) {
  size_t bad = 99;
  EXPECT_FALSE(Valid("41c0af", &bad));  // overlong '/'
  EXPECT_EQ(bad, 1u);
  EXPECT_FALSE(Valid("e08080"));    // overlong 3-byte
  EXPECT_FALSE(Valid("eda080"));    // U+D800
  EXPECT_FALSE(Valid("f4908080"));  // above U+10FFFF
  EXPECT_FALSE(Valid("f5808080"));
  EXPECT_FALSE(Valid("80"));    // lone continuation
  EXPECT_FALSE(Valid("e282"));  // truncated
  EXPECT_FALSE(Valid("ff"));
}

}  // namespace
}  // namespace teepnet::cbor
