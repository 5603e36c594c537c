#include "teepnet/channel/bundle.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::channel {
namespace {

using ::teepnet::testing::FailsWith;

const Bytes kTa = {0x7f, 'E', 'L', 'F'};
const Bytes kPd = ToBytes(std::string_view("secret"));
const Bytes kUa = {0x7f, 'U', 'A'};

TEST(Bundle, RoundTripsWithAndWithoutTheUa) {
  auto two = DecodeBundle(EncodeBundle(kTa, kPd));
  TEEPNET_ASSERT_OK(two);
  EXPECT_EQ(two->ta, kTa);
  EXPECT_TRUE(Equal(two->pd.view(), kPd));
  EXPECT_FALSE(two->ua.has_value());

  auto three = DecodeBundle(EncodeBundle(kTa, kPd, ByteView(kUa)));
  TEEPNET_ASSERT_OK(three);
  ASSERT_TRUE(three->ua.has_value());
  EXPECT_EQ(*three->ua, kUa);
}

TEST(Bundle, EncodesTheDocumentedDeterministicMap) {
  // {1: h'01', 2: h'', 3: h'02'}
  EXPECT_EQ(ToHex(EncodeBundle(Bytes{1}, {}, ByteView(Bytes{2}))), "a30141010240034102");
}

TEST(Bundle, AcceptsAnEmptyPd) {
  auto bundle = DecodeBundle(EncodeBundle(kTa, {}));
  TEEPNET_ASSERT_OK(bundle);
  EXPECT_TRUE(bundle->pd.empty());
}

TEST(Bundle, RefusesTrailingBytesAfterTheMap) {
  Bytes bytes = EncodeBundle(kTa, kPd);
  bytes.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeBundle(bytes), Errc::kMalformed));
}

TEST(Bundle, RefusesKeysOutOfOrder) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(2);
  w.WriteBytes(kPd);
  w.WriteUint(1);
  w.WriteBytes(kTa);
  EXPECT_TRUE(FailsWith(DecodeBundle(w.bytes()), Errc::kMalformed));
}

TEST(Bundle, RefusesAnUnknownKey) {
  cbor::Writer w;
  w.WriteMapHeader(3);
  w.WriteUint(1);
  w.WriteBytes(kTa);
  w.WriteUint(2);
  w.WriteBytes(kPd);
  w.WriteUint(4);
  w.WriteBytes(kUa);
  EXPECT_TRUE(FailsWith(DecodeBundle(w.bytes()), Errc::kMalformed));
}

TEST(Bundle, RefusesAMissingPd) {
  cbor::Writer w;
  w.WriteMapHeader(1);
  w.WriteUint(1);
  w.WriteBytes(kTa);
  EXPECT_TRUE(FailsWith(DecodeBundle(w.bytes()), Errc::kMalformed));
}

TEST(Bundle, RefusesATextStringWhereTheTaBelongs) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteText("elf");
  w.WriteUint(2);
  w.WriteBytes(kPd);
  EXPECT_TRUE(FailsWith(DecodeBundle(w.bytes()), Errc::kMalformed));
}

TEST(Bundle, RefusesAnEmptyTaOrUa) {
  EXPECT_TRUE(FailsWith(DecodeBundle(EncodeBundle({}, kPd)), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeBundle(EncodeBundle(kTa, kPd, ByteView())), Errc::kMalformed));
}

TEST(Bundle, RefusesANonPreferredLengthHead) {
  // {1: h'01' with a one-byte length argument (0x58 0x01), 2: h''}: not the shortest head.
  Bytes bytes = {0xa2, 0x01, 0x58, 0x01, 0x01, 0x02, 0x40};
  EXPECT_TRUE(FailsWith(DecodeBundle(bytes), Errc::kMalformed));
}

TEST(Bundle, RefusesAnIndefiniteLengthMap) {
  Bytes bytes = {0xbf, 0x01, 0x41, 0x01, 0x02, 0x40, 0xff};
  EXPECT_TRUE(FailsWith(DecodeBundle(bytes), Errc::kMalformed));
}

TEST(Bundle, RefusesAnInputAboveTheLimitBeforeParsing) {
  Bytes bytes(kMaxBundleBytes + 1, 0);
  EXPECT_TRUE(FailsWith(DecodeBundle(bytes), Errc::kTooLarge));
}

TEST(Bundle, RefusesAnEmptyInput) {
  EXPECT_TRUE(FailsWith(DecodeBundle({}), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::channel
