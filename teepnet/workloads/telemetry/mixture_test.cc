#include "teepnet/workloads/telemetry/mixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/generator.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/quality.h"
#include "teepnet/workloads/telemetry/recipe.h"
#include "teepnet/workloads/telemetry/test_model.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;
constexpr size_t kD = kFeatureCount;

std::vector<FeatureVector> Rows(uint64_t seed, size_t count, double anomaly_rate,
                                std::vector<uint8_t>* labels = nullptr) {
  GeneratorOptions options;
  options.seed = seed;
  options.count = count;
  options.anomaly_rate = anomaly_rate;
  std::vector<FeatureVector> rows;
  for (const LabelledFlow& f : GenerateFlows(options)) {
    rows.push_back(FeaturesOf(f.record));
    if (labels) labels->push_back(IsAnomaly(f.cls));
  }
  return rows;
}

const Model& VendorModel() {
  return SharedVendorModel();
}

double W(const Component& c, size_t i, size_t j) {
  return j <= i ? c.factor[i * (i + 1) / 2 + j] : 0.0;
}

// (x - mean)^T (W^T W) (x - mean) as a quadratic form with the full precision matrix: a second
// way to the same number as Score's triangular solve.
double QuadraticForm(const Component& c, const FeatureVector& x) {
  double sum = 0;
  for (size_t a = 0; a < kD; ++a) {
    for (size_t b = 0; b < kD; ++b) {
      double precision = 0;
      for (size_t i = 0; i < kD; ++i) precision += W(c, i, a) * W(c, i, b);
      sum += (x[a] - c.mean[a]) * precision * (x[b] - c.mean[b]);
    }
  }
  return sum;
}

TEST(TrainMixture, IsDeterministicForASeed) {
  const auto rows = Rows(1, 3000, 0);
  TrainOptions options;
  options.iterations = 5;
  auto a = TrainMixture(rows, options);
  auto b = TrainMixture(rows, options);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(*a, *b);
  options.seed = 2;
  auto c = TrainMixture(rows, options);
  TEEPNET_ASSERT_OK(c);
  EXPECT_NE(*a, *c);
}

TEST(TrainMixture, FitsOneComponentToTheSampleMeanAndCovariance) {
  const auto rows = Rows(9, 4000, 0);
  TrainOptions options;
  options.components = 1;
  options.iterations = 2;
  auto model = TrainMixture(rows, options);
  TEEPNET_ASSERT_OK(model);
  ASSERT_EQ(model->components.size(), 1u);
  const Component& c = model->components[0];
  // Ground truth computed here directly from the rows.
  FeatureVector mean{};
  for (const auto& r : rows) {
    for (size_t i = 0; i < kD; ++i) mean[i] += r[i] / static_cast<double>(rows.size());
  }
  for (size_t i = 0; i < kD; ++i) EXPECT_NEAR(c.mean[i], mean[i], 1e-9) << i;
  double cov[kD][kD] = {};
  for (const auto& r : rows) {
    for (size_t i = 0; i < kD; ++i) {
      for (size_t j = 0; j < kD; ++j) {
        cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / static_cast<double>(rows.size());
      }
    }
  }
  for (size_t i = 0; i < kD; ++i) cov[i][i] += options.ridge;
  // W is the inverse Cholesky factor of the covariance: W cov W^T = I.
  for (size_t i = 0; i < kD; ++i) {
    for (size_t j = 0; j < kD; ++j) {
      double v = 0;
      for (size_t a = 0; a < kD; ++a) {
        for (size_t b = 0; b < kD; ++b) v += W(c, i, a) * cov[a][b] * W(c, j, b);
      }
      EXPECT_NEAR(v, i == j ? 1.0 : 0.0, 1e-6) << i << "," << j;
    }
  }
  EXPECT_EQ(model->components[0].bias, model->components[0].bias);  // finite, not NaN
  TEEPNET_EXPECT_OK(ValidateModel(*model));
}

TEST(Score, IsTheSmallestBiasPlusMahalanobisDistanceOverTheComponents) {
  const Model& model = VendorModel();
  for (const FeatureVector& x : Rows(21, 300, 0.3)) {
    double expected = std::numeric_limits<double>::infinity();
    for (const Component& c : model.components) {
      expected = std::min(expected, c.bias + QuadraticForm(c, x));
    }
    EXPECT_NEAR(Score(model, x), expected, 1e-7 * std::max(1.0, std::fabs(expected)));
  }
}

TEST(Calibrate, ChoosesTheCutWithTheBestF1) {
  Model model = VendorModel();
  std::vector<uint8_t> labels;
  const auto rows = Rows(77, 3000, 0.05, &labels);
  TEEPNET_ASSERT_OK(Calibrate(model, rows, labels));
  Quality chosen;
  for (size_t i = 0; i < rows.size(); ++i) chosen.Add(IsFlagged(model, rows[i]), labels[i]);
  // Brute force over every threshold just below an observed score.
  std::vector<double> scores;
  for (const auto& row : rows) scores.push_back(Score(model, row));
  double best = 0;
  for (double s : scores) {
    const double t = std::nextafter(s, -1e300);
    Quality q;
    for (size_t i = 0; i < rows.size(); ++i) q.Add(scores[i] > t, labels[i]);
    best = std::max(best, q.f1());
  }
  EXPECT_DOUBLE_EQ(chosen.f1(), best);
}

TEST(VendorModel, DetectsHeldBackAttacksAboveTheQualityFloor) {
  GeneratorOptions held_back;
  held_back.seed = 2026;
  held_back.count = 30000;
  const auto flows = GenerateFlows(held_back);
  const Quality q = Evaluate(VendorModel(), flows);
  EXPECT_GE(q.precision(), kMinPrecision);
  EXPECT_GE(q.recall(), kMinRecall);
  EXPECT_GE(q.f1(), kMinF1);
  // Scans, floods and beaconing exfiltration stand out in every seed.
  size_t scans = 0;
  size_t scans_found = 0;
  for (const LabelledFlow& f : flows) {
    if (f.cls != FlowClass::kPortScan) continue;
    ++scans;
    scans_found += IsFlagged(VendorModel(), FeaturesOf(f.record));
  }
  EXPECT_GT(scans, 0u);
  EXPECT_EQ(scans_found, scans);
}

TEST(TrainMixture, RefusesOptionsItCannotTrainWith) {
  const auto rows = Rows(1, 100, 0);
  TrainOptions options;
  EXPECT_TRUE(FailsWith(TrainMixture(rows, options), Errc::kBadTraining));  // 12 x 10 > 100
  options.components = 0;
  EXPECT_TRUE(FailsWith(TrainMixture(rows, options), Errc::kBadTraining));
  options.components = kMaxComponents + 1;
  EXPECT_TRUE(FailsWith(TrainMixture(rows, options), Errc::kBadTraining));
  options.components = 2;
  options.ridge = 0;
  EXPECT_TRUE(FailsWith(TrainMixture(rows, options), Errc::kBadTraining));
}

TEST(Calibrate, RefusesRowsWithoutAnyAnomaly) {
  Model model = VendorModel();
  std::vector<uint8_t> labels;
  const auto rows = Rows(5, 200, 0, &labels);
  EXPECT_TRUE(FailsWith(Calibrate(model, rows, labels), Errc::kBadTraining));
  labels.pop_back();
  EXPECT_TRUE(FailsWith(Calibrate(model, rows, labels), Errc::kBadTraining));
}

TEST(ValidateModel, RefusesModelsThatCannotBeEvaluated) {
  const Model good = VendorModel();
  TEEPNET_EXPECT_OK(ValidateModel(good));
  Model m = good;
  m.components.clear();
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.components.resize(kMaxComponents + 1, good.components[0]);
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.threshold = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.components[0].mean[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.components[1].factor[4] = 2 * kMaxParameterMagnitude;
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.components[2].factor[2] = 0;  // W[1][1]: a diagonal entry
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
  m = good;
  m.components[0].bias = -2 * kMaxParameterMagnitude;
  EXPECT_TRUE(FailsWith(ValidateModel(m), Errc::kBadModel));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
