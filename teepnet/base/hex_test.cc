#include "teepnet/base/hex.h"

#include <gtest/gtest.h>

#include "teepnet/base/errc.h"

namespace teepnet {
namespace {

TEST(HexTest, RoundTripsBytes) {
  const uint8_t data[] = {0x00, 0xab, 0xff};
  EXPECT_EQ(ToHex(data), "00abff");
  auto back = FromHex("00ABff");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(Equal(*back, data));
}

TEST(HexTest, WhitespaceBetweenPairsIsIgnored) {
  auto r = FromHex("a0 b1\n c2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 3u);
}

TEST(HexTest, OddLengthIsRejected) {
  auto r = FromHex("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(BaseErrc::kBadHex));
}

TEST(HexTest, NonHexCharacterIsRejectedWithItsOffset) {
  auto r = FromHex("00zz");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset(), 2u);
}

}  // namespace
}  // namespace teepnet
