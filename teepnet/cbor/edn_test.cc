#include "teepnet/cbor/edn.h"

#include <cmath>

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cbor {
namespace {

std::string EdnOf(std::string_view hex) {
  Result<Bytes> b = FromHex(hex);
  if (!b.ok()) return "<bad hex>";
  Result<std::string> edn = ToEdn(*b);
  return edn.ok() ? *edn : edn.error().ToString();
}

TEST(EdnTest, FloatsPrintAsInRfc8949AppendixA) {
  EXPECT_EQ(FloatToEdn(0.0), "0.0");
  EXPECT_EQ(FloatToEdn(-0.0), "-0.0");
  EXPECT_EQ(FloatToEdn(1.0), "1.0");
  EXPECT_EQ(FloatToEdn(1.1), "1.1");
  EXPECT_EQ(FloatToEdn(1.5), "1.5");
  EXPECT_EQ(FloatToEdn(65504.0), "65504.0");
  EXPECT_EQ(FloatToEdn(100000.0), "100000.0");
  EXPECT_EQ(FloatToEdn(3.4028234663852886e+38), "3.4028234663852886e+38");
  EXPECT_EQ(FloatToEdn(1.0e+300), "1.0e+300");
  EXPECT_EQ(FloatToEdn(5.960464477539063e-8), "5.960464477539063e-8");
  EXPECT_EQ(FloatToEdn(6.103515625e-05), "0.00006103515625");
  EXPECT_EQ(FloatToEdn(1363896240.5), "1363896240.5");
  EXPECT_EQ(FloatToEdn(1e20), "100000000000000000000.0");
  EXPECT_EQ(FloatToEdn(1e21), "1.0e+21");
  EXPECT_EQ(FloatToEdn(1e-7), "1.0e-7");
  EXPECT_EQ(FloatToEdn(-4.1), "-4.1");
  EXPECT_EQ(FloatToEdn(INFINITY), "Infinity");
  EXPECT_EQ(FloatToEdn(-INFINITY), "-Infinity");
  EXPECT_EQ(FloatToEdn(NAN), "NaN");
}

TEST(EdnTest, IndefiniteItemsShowTheUnderscoreMarker) {
  EXPECT_EQ(EdnOf("9f 01 82 02 03 ff"), "[_ 1, [2, 3]]");
  EXPECT_EQ(EdnOf("9f ff"), "[_ ]");
  EXPECT_EQ(EdnOf("bf 61 61 01 ff"), "{_ \"a\": 1}");
  EXPECT_EQ(EdnOf("5f 42 01 02 43 03 04 05 ff"), "(_ h'0102', h'030405')");
  EXPECT_EQ(EdnOf("7f 61 61 61 62 ff"), "(_ \"a\", \"b\")");
  EXPECT_EQ(EdnOf("5f ff"), "''_");
  EXPECT_EQ(EdnOf("7f ff"), "\"\"_");
}

TEST(EdnTest, ScalarsAndTagsPrintInDiagnosticForm) {
  EXPECT_EQ(EdnOf("3b ff ff ff ff ff ff ff ff"), "-18446744073709551616");
  EXPECT_EQ(EdnOf("c2 49 01 00 00 00 00 00 00 00 00"), "2(h'010000000000000000')");
  EXPECT_EQ(EdnOf("f0"), "simple(16)");
  EXPECT_EQ(EdnOf("f8 ff"), "simple(255)");
  EXPECT_EQ(EdnOf("f7"), "undefined");
  EXPECT_EQ(EdnOf("a2 01 02 03 04"), "{1: 2, 3: 4}");
  EXPECT_EQ(EdnOf("40"), "h''");
}

TEST(EdnTest, TextEscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(EdnOf("62 22 5c"), "\"\\\"\\\\\"");
  EXPECT_EQ(EdnOf("62 0a 01"), "\"\\u000a\\u0001\"");
  EXPECT_EQ(EdnOf("62 c3 bc"), "\"\xc3\xbc\"");
}

}  // namespace
}  // namespace teepnet::cbor
