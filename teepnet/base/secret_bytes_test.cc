#include "teepnet/base/secret_bytes.h"

#include <gtest/gtest.h>

namespace teepnet {
namespace {

TEST(SecretBytesTest, HoldsACopyOfTheBytes) {
  const uint8_t key[] = {1, 2, 3};
  SecretBytes s(key);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_TRUE(Equal(s.view(), key));
}

TEST(SecretBytesTest, MoveLeavesTheSourceEmpty) {
  const uint8_t key[] = {1, 2, 3};
  SecretBytes a(key);
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.size(), 3u);
}

TEST(SecretBytesTest, TruncateWipesTheTail) {
  const uint8_t key[] = {7, 7, 7, 7};
  SecretBytes s(key);
  uint8_t* raw = s.mutable_view().data();
  s.Truncate(2);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(raw[2], 0);
  EXPECT_EQ(raw[3], 0);
}

TEST(SecretBytesTest, SecureWipeZeroesMemory) {
  uint8_t buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  SecureWipe(buf, sizeof buf);
  for (uint8_t b : buf) EXPECT_EQ(b, 0);
}

}  // namespace
}  // namespace teepnet
