#include "teepnet/workloads/telemetry/model_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/rng.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;

// A small valid model with arbitrary (not trained) parameters.
Model SmallModel(size_t components = 3) {
  Rng rng(17);
  Model m;
  m.name = "vendor-model";
  m.version = 4;
  m.threshold = 31.25;
  for (size_t k = 0; k < components; ++k) {
    Component c;
    c.bias = rng.Uniform(-40, 10);
    for (double& v : c.mean) v = rng.Uniform(0, 30);
    for (size_t i = 0; i < kFeatureCount; ++i) {
      for (size_t j = 0; j <= i; ++j) {
        c.factor[i * (i + 1) / 2 + j] = i == j ? rng.Uniform(0.1, 5) : rng.Uniform(-1, 1);
      }
    }
    m.components.push_back(c);
  }
  return m;
}

// Writes a model the way EncodeModel does, with one deviation at a time.
struct Deviation {
  uint64_t feature_count = kFeatureCount;
  bool swap_first_keys = false;
  bool threshold_as_float64 = false;
  std::optional<double> threshold = std::nullopt;
  size_t component_fields = 3;
  size_t mean_floats = kFeatureCount;
  bool indefinite_components = false;
};

Bytes Encode(const Model& m, const Deviation& d) {
  cbor::Writer w;
  w.WriteMapHeader(5);
  if (d.swap_first_keys) {
    w.WriteUint(2);
    w.WriteUint(m.version);
    w.WriteUint(1);
    w.WriteText(m.name);
  } else {
    w.WriteUint(1);
    w.WriteText(m.name);
    w.WriteUint(2);
    w.WriteUint(m.version);
  }
  w.WriteUint(3);
  w.WriteUint(d.feature_count);
  w.WriteUint(4);
  const double threshold = d.threshold.value_or(m.threshold);
  if (d.threshold_as_float64) {
    EXPECT_TRUE(w.WriteFloatWithWidth(threshold, cbor::FloatWidth::kDouble).ok());
  } else {
    w.WriteFloat(threshold);
  }
  w.WriteUint(5);
  if (d.indefinite_components) {
    w.WriteIndefiniteHeader(cbor::MajorType::kArray);
  } else {
    w.WriteArrayHeader(m.components.size());
  }
  for (const Component& c : m.components) {
    w.WriteArrayHeader(d.component_fields);
    w.WriteFloat(c.bias);
    w.WriteArrayHeader(d.mean_floats);
    for (size_t i = 0; i < d.mean_floats; ++i) w.WriteFloat(i < c.mean.size() ? c.mean[i] : 0);
    w.WriteArrayHeader(c.factor.size());
    for (double v : c.factor) w.WriteFloat(v);
    if (d.component_fields > 3) w.WriteUint(0);
  }
  if (d.indefinite_components) w.WriteBreak();
  return std::move(w).Take();
}

TEST(ModelCodec, RoundTripsAModelToTheSameBytes) {
  const Model m = SmallModel();
  auto bytes = EncodeModel(m);
  TEEPNET_ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, Encode(m, Deviation{}));
  auto back = DecodeModel(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, m);
  auto again = EncodeModel(*back);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(*again, *bytes);
}

TEST(ModelCodec, RefusesTrailingBytesAfterTheModel) {
  Bytes bytes = *EncodeModel(SmallModel());
  bytes.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeModel(bytes), Errc::kMalformed));
}

TEST(ModelCodec, RefusesEveryTruncation) {
  const Bytes bytes = *EncodeModel(SmallModel(1));
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeModel(ByteView(bytes).first(n)), Errc::kMalformed)) << n;
  }
}

TEST(ModelCodec, RefusesKeysOutOfOrder) {
  EXPECT_TRUE(
      FailsWith(DecodeModel(Encode(SmallModel(), {.swap_first_keys = true})), Errc::kMalformed));
}

TEST(ModelCodec, RefusesAFloatInALongerWidthThanItNeeds) {
  // 31.25 fits a half-precision float; deterministic CBOR requires the shortest width.
  EXPECT_TRUE(FailsWith(DecodeModel(Encode(SmallModel(), {.threshold_as_float64 = true})),
                        Errc::kMalformed));
}

TEST(ModelCodec, RefusesANonFiniteThreshold) {
  EXPECT_TRUE(FailsWith(
      DecodeModel(Encode(SmallModel(), {.threshold = std::numeric_limits<double>::quiet_NaN()})),
      Errc::kMalformed));
}

TEST(ModelCodec, RefusesAModelTrainedOnOtherFeatures) {
  EXPECT_TRUE(FailsWith(DecodeModel(Encode(SmallModel(), {.feature_count = kFeatureCount + 1})),
                        Errc::kBadModel));
}

TEST(ModelCodec, RefusesComponentsOfTheWrongShape) {
  EXPECT_TRUE(
      FailsWith(DecodeModel(Encode(SmallModel(), {.component_fields = 4})), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeModel(Encode(SmallModel(), {.mean_floats = kFeatureCount - 1})),
                        Errc::kMalformed));
}

TEST(ModelCodec, RefusesIndefiniteLengths) {
  EXPECT_TRUE(FailsWith(DecodeModel(Encode(SmallModel(), {.indefinite_components = true})),
                        Errc::kMalformed));
}

TEST(ModelCodec, RefusesMoreComponentsThanTheLimit) {
  EXPECT_TRUE(
      FailsWith(DecodeModel(Encode(SmallModel(kMaxComponents + 1), Deviation{})), Errc::kTooLarge));
}

TEST(ModelCodec, RefusesAModelLargerThanTheLimit) {
  Bytes huge(kMaxModelBytes + 1, 0);
  EXPECT_TRUE(FailsWith(DecodeModel(huge), Errc::kTooLarge));
}

TEST(ModelCodec, RefusesAWellFormedModelThatCannotBeEvaluated) {
  Model m = SmallModel();
  m.components[1].factor[0] = -1;  // a negative diagonal entry of W
  EXPECT_TRUE(FailsWith(EncodeModel(m), Errc::kBadModel));
  EXPECT_TRUE(FailsWith(DecodeModel(Encode(m, Deviation{})), Errc::kBadModel));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
