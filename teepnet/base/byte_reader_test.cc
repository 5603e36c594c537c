#include "teepnet/base/byte_reader.h"

#include <gtest/gtest.h>

#include <limits>

namespace teepnet {
namespace {

TEST(ByteReaderTest, ReadsBigAndLittleEndianIntegers) {
  const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  ByteReader be(data);
  uint32_t a = 0;
  ASSERT_TRUE(be.ReadBeU32(&a));
  EXPECT_EQ(a, 0x01020304u);
  ByteReader le(data);
  uint64_t b = 0;
  ASSERT_TRUE(le.ReadLeU64(&b));
  EXPECT_EQ(b, 0x0807060504030201u);
  EXPECT_TRUE(le.AtEnd());
}

TEST(ByteReaderTest, FailedReadPoisonsEveryLaterRead) {
  const uint8_t data[] = {0xaa, 0xbb};
  ByteReader r(data);
  uint8_t x = 0;
  ASSERT_TRUE(r.ReadU8(&x));
  uint16_t y = 0;
  EXPECT_FALSE(r.ReadBeU16(&y));
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.failure_offset(), 1u);
  // One byte is physically left, but the reader is poisoned.
  EXPECT_FALSE(r.ReadU8(&x));
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_TRUE(r.Rest().empty());
}

TEST(ByteReaderTest, HugeLengthDoesNotOverflowTheBoundsCheck) {
  const uint8_t data[] = {1, 2, 3};
  ByteReader r(data);
  ASSERT_TRUE(r.Skip(1));
  ByteView v;
  EXPECT_FALSE(r.ReadBytes(std::numeric_limits<size_t>::max(), &v));
  EXPECT_TRUE(r.failed());
}

TEST(ByteReaderTest, ViewsPointIntoTheInputWithoutCopying) {
  const uint8_t data[] = {9, 8, 7, 6};
  ByteReader r(data);
  ASSERT_TRUE(r.Skip(1));
  size_t mark = r.position();
  ByteView v;
  ASSERT_TRUE(r.ReadBytes(2, &v));
  EXPECT_EQ(v.data(), data + 1);
  EXPECT_EQ(r.Consumed(mark).size(), 2u);
  EXPECT_EQ(r.Rest().size(), 1u);
}

TEST(ByteReaderTest, ZeroAndOverlongWidthsAreRejected) {
  const uint8_t data[16] = {};
  ByteReader r(data);
  uint64_t v;
  EXPECT_FALSE(r.ReadBeUint(9, &v));
  EXPECT_TRUE(r.failed());
}

}  // namespace
}  // namespace teepnet
