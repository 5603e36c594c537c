#include "teepnet/cbor/writer.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/map_builder.h"
#include "teepnet/cbor/value.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cbor {
namespace {

using teepnet::testing::FailsWith;

template <typename F>
std::string HexOf(F write) {
  Writer w;
  write(w);
  return ToHex(w.bytes());
}

TEST(WriterTest, IntegersUseTheShortestHeadAtEveryBoundary) {
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(23); }), "17");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(24); }), "1818");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(255); }), "18ff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(256); }), "190100");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(65535); }), "19ffff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(65536); }), "1a00010000");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(0xffffffff); }), "1affffffff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteUint(0x100000000); }), "1b0000000100000000");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteInt(-1); }), "20");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteInt(-25); }), "3818");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteInt(std::numeric_limits<int64_t>::min()); }),
            "3b7fffffffffffffff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteNegative(UINT64_MAX); }), "3bffffffffffffffff");
}

TEST(WriterTest, FloatsUseTheShortestExactWidth) {
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(0.0); }), "f90000");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(-0.0); }), "f98000");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(1.5); }), "f93e00");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(65504.0); }), "f97bff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(5.960464477539063e-8); }), "f90001");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(100000.0); }), "fa47c35000");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(3.4028234663852886e+38); }), "fa7f7fffff");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(1.1); }), "fb3ff199999999999a");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(1e300); }), "fb7e37e43c8800759c");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(INFINITY); }), "f97c00");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(-INFINITY); }), "f9fc00");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(std::nan("0x123")); }), "f97e00");
  EXPECT_EQ(HexOf([](Writer& w) { w.WriteFloat(-std::nan("")); }), "f97e00");
}

TEST(WriterTest, FloatWithWidthWritesExactlyThatWidthOrFails) {
  EXPECT_EQ(
      HexOf([](Writer& w) { ASSERT_TRUE(w.WriteFloatWithWidth(1.0, FloatWidth::kSingle).ok()); }),
      "fa3f800000");
  EXPECT_EQ(
      HexOf([](Writer& w) { ASSERT_TRUE(w.WriteFloatWithWidth(1.0, FloatWidth::kDouble).ok()); }),
      "fb3ff0000000000000");
  Writer w;
  EXPECT_TRUE(FailsWith(w.WriteFloatWithWidth(1.1, FloatWidth::kHalf), Errc::kBadState));
  EXPECT_EQ(w.size(), 0u);
}

TEST(WriterTest, SimpleValuesTwentyFourToThirtyOneAreRefused) {
  Writer w;
  for (int v = 24; v < 32; ++v) {
    EXPECT_TRUE(FailsWith(w.WriteSimple(static_cast<uint8_t>(v)), Errc::kBadSimpleValue));
  }
  EXPECT_EQ(w.size(), 0u);
  TEEPNET_ASSERT_OK(w.WriteSimple(16));
  TEEPNET_ASSERT_OK(w.WriteSimple(32));
  TEEPNET_ASSERT_OK(w.WriteSimple(20));
  EXPECT_EQ(ToHex(w.bytes()), "f0f820f4");
}

TEST(WriterTest, StringsAndContainersRoundTripThroughTheDecoder) {
  Writer w;
  w.WriteTag(18);
  w.WriteArrayHeader(3);
  w.WriteBytes(AsBytes("ab"));
  w.WriteText("ü");
  w.WriteMapHeader(1);
  w.WriteNull();
  w.WriteUndefined();
  EXPECT_EQ(ToHex(w.bytes()), "d28342616262c3bca1f6f7");
  TEEPNET_EXPECT_OK(Decode(w.bytes(), DecodeOptions::Strict()));
}

TEST(MapBuilderTest, KeysComeOutInBytewiseOrderWhateverTheInsertionOrder) {
  MapBuilder m;
  m.Entry("aa").WriteUint(5);
  m.Entry(-1).WriteUint(3);
  m.Entry(100).WriteUint(2);
  m.Entry("z").WriteUint(4);
  m.Entry(10).WriteUint(1);
  Result<Bytes> out = m.Encode();
  TEEPNET_ASSERT_OK(out);
  // RFC 8949 §4.2.1 example order: 10, 100, -1, "z", "aa".
  EXPECT_EQ(ToHex(*out), "a50a011864022003617a0462616105");
  TEEPNET_EXPECT_OK(Decode(*out, DecodeOptions::Deterministic()));
}

TEST(MapBuilderTest, TwoInsertionOrdersGiveIdenticalBytes) {
  MapBuilder a, b;
  a.Entry(1).WriteInt(-7);
  a.Entry(4).WriteBytes(AsBytes("kid"));
  a.Entry(33).WriteArrayHeader(0);
  b.Entry(33).WriteArrayHeader(0);
  b.Entry(4).WriteBytes(AsBytes("kid"));
  b.Entry(1).WriteInt(-7);
  Result<Bytes> ea = a.Encode();
  Result<Bytes> eb = b.Encode();
  TEEPNET_ASSERT_OK(ea);
  TEEPNET_ASSERT_OK(eb);
  EXPECT_EQ(*ea, *eb);
}

TEST(MapBuilderTest, DuplicateKeysFail) {
  MapBuilder m;
  m.Entry(1).WriteUint(1);
  m.AddEncoded(std::vector<uint8_t>{0x01}, std::vector<uint8_t>{0x02});
  EXPECT_TRUE(FailsWith(m.Encode(), Errc::kDuplicateMapKey));
}

TEST(MapBuilderTest, EntryWritersStayValidAsEntriesAreAdded) {
  MapBuilder m;
  Writer& first = m.Entry(1);
  for (int i = 2; i < 100; ++i) m.Entry(i).WriteUint(0);
  first.WriteText("still here");
  Result<Bytes> out = m.Encode();
  TEEPNET_ASSERT_OK(out);
  Result<Value> v = Decode(*out, DecodeOptions::Deterministic());
  TEEPNET_ASSERT_OK(v);
  ASSERT_NE(v->Find(1), nullptr);
  EXPECT_EQ(v->Find(1)->text(), "still here");
}

}  // namespace
}  // namespace teepnet::cbor
