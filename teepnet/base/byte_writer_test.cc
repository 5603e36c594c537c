#include "teepnet/base/byte_writer.h"

#include <gtest/gtest.h>

#include "teepnet/base/byte_reader.h"

namespace teepnet {
namespace {

TEST(ByteWriterTest, WritesWhatTheReaderReadsBack) {
  ByteWriter w;
  w.WriteBeU16(0x1234);
  w.WriteLeU32(0xdeadbeef);
  w.WriteZeros(2);
  ByteReader r(w.bytes());
  uint16_t a;
  uint32_t b;
  ASSERT_TRUE(r.ReadBeU16(&a));
  ASSERT_TRUE(r.ReadLeU32(&b));
  EXPECT_EQ(a, 0x1234);
  EXPECT_EQ(b, 0xdeadbeefu);
  EXPECT_EQ(r.remaining(), 2u);
}

}  // namespace
}  // namespace teepnet
