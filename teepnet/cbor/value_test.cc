#include "teepnet/cbor/value.h"

#include <cmath>

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/edn.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cbor {
namespace {

Bytes H(std::string_view hex) {
  Result<Bytes> b = FromHex(hex);
  if (!b.ok()) std::abort();
  return *b;
}

TEST(ValueTest, AccessorsExposeADecodedTree) {
  Result<Value> v =
      Decode(H("a3 01 26 04 42 6b 31 63 6b 65 79 83 f5 f6 3b 7f ff ff ff ff ff ff ff"));
  TEEPNET_ASSERT_OK(v);
  ASSERT_TRUE(v->is_map());
  ASSERT_NE(v->Find(1), nullptr);
  EXPECT_EQ(v->Find(1)->AsInt64(), -7);
  EXPECT_EQ(ToHex(v->Find(4)->bytes()), "6b31");
  const Value* arr = v->Find("key");
  ASSERT_NE(arr, nullptr);
  ASSERT_EQ(arr->array().size(), 3u);
  EXPECT_TRUE(arr->array()[0].bool_value());
  EXPECT_TRUE(arr->array()[1].is_null());
  EXPECT_EQ(arr->array()[2].AsInt64(), INT64_MIN);
  EXPECT_EQ(v->Find(2), nullptr);
}

TEST(ValueTest, AsInt64RefusesIntegersBeyondInt64) {
  EXPECT_EQ(Value::Unsigned(UINT64_MAX).AsInt64(), std::nullopt);
  EXPECT_EQ(Value::Negative(UINT64_MAX).AsInt64(), std::nullopt);
  EXPECT_EQ(Value::Text("1").AsInt64(), std::nullopt);
  EXPECT_EQ(Value::Int(-5).AsInt64(), -5);
}

TEST(ValueTest, SortMapsDeterministicallySortsNestedMapsByEncodedKey) {
  Value inner = Value::Map({{Value::Text("b"), Value::Int(1)}, {Value::Text("a"), Value::Int(2)}});
  Value outer = Value::Map({{Value::Int(-1), Value::Null()},
                            {Value::Int(24), Value::Array({inner})},
                            {Value::Int(5), Value::Null()}});
  outer.SortMapsDeterministically();
  EXPECT_EQ(ToEdn(outer), "{5: null, 24: [{\"a\": 2, \"b\": 1}], -1: null}");
  TEEPNET_EXPECT_OK(Decode(Encode(outer), DecodeOptions::Deterministic()));
}

TEST(ValueTest, EqualityIgnoresEncodingDetailsButNotDataModelDifferences) {
  Result<Value> definite = Decode(H("82 61 61 01"));
  Result<Value> indefinite = Decode(H("9f 7f 61 61 ff 18 01 ff"));
  TEEPNET_ASSERT_OK(definite);
  TEEPNET_ASSERT_OK(indefinite);
  EXPECT_TRUE(*definite == *indefinite);
  EXPECT_FALSE(Value::Float(0.0) == Value::Float(-0.0));
  EXPECT_TRUE(Value::Float(NAN) == Value::Float(NAN));
  // Regression (fuzzer): a single-precision NaN with a payload re-encodes as f97e00.
  const Bytes payload_nan = H("fa 7f c0 20 00");
  Result<Value> nan = Decode(payload_nan);
  TEEPNET_ASSERT_OK(nan);
  EXPECT_EQ(ToHex(Encode(*nan)), "f97e00");
  Result<Value> reread = Decode(Encode(*nan));
  TEEPNET_ASSERT_OK(reread);
  EXPECT_TRUE(*reread == *nan);
  EXPECT_FALSE(Value::Int(1) == Value::Float(1.0));
  EXPECT_FALSE(Value::Bytes(AsBytes("a")) == Value::Text("a"));
}

TEST(ValueTest, EncodeWritesIndefiniteValuesDefinitely) {
  Result<Value> v = Decode(H("bf 61 61 5f 41 01 41 02 ff ff"));
  TEEPNET_ASSERT_OK(v);
  EXPECT_EQ(ToHex(Encode(*v)), "a16161420102");
}

}  // namespace
}  // namespace teepnet::cbor
