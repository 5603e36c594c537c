#include "teepnet/workloads/telemetry/mixture.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/rng.h"

namespace teepnet::workloads::telemetry {
namespace {

constexpr size_t kD = kFeatureCount;
constexpr size_t kKmeansIterations = 10;
constexpr size_t kMinRowsPerComponent = 10;

using Matrix = std::array<double, kD * kD>;  // row-major, full (training only)

Error BadModel(std::string what) {
  return Error(Errc::kBadModel, "model: " + std::move(what));
}

constexpr size_t Tri(size_t i, size_t j) {
  return i * (i + 1) / 2 + j;
}

bool InRange(double v) {
  return std::isfinite(v) && std::fabs(v) <= kMaxParameterMagnitude;
}

double SquaredDistance(const FeatureVector& a, const FeatureVector& b) {
  double s = 0;
  for (size_t i = 0; i < kD; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

// ||W (x - mean)||^2 with W lower triangular, row by row.
double Mahalanobis(const Component& c, const FeatureVector& x) {
  FeatureVector diff;
  for (size_t j = 0; j < kD; ++j) diff[j] = x[j] - c.mean[j];
  double sum = 0;
  const double* w = c.factor.data();
  for (size_t i = 0; i < kD; ++i) {
    double z = 0;
    for (size_t j = 0; j <= i; ++j) z += w[j] * diff[j];
    w += i + 1;
    sum += z * z;
  }
  return sum;
}

// The fitted state of one component during EM.
struct Fit {
  double weight = 0;
  FeatureVector mean{};
  Matrix cov{};
  Component scoring;  // factor and log-determinant form of cov
  double log_det = 0;
};

// Cholesky Sigma = L L^T, then W = L^-1 by forward substitution. False if Sigma is not
// positive definite (cannot happen with the ridge, but the caller re-seeds then).
bool Factor(Fit& fit) {
  Matrix l{};
  for (size_t i = 0; i < kD; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      double s = fit.cov[i * kD + j];
      for (size_t k = 0; k < j; ++k) s -= l[i * kD + k] * l[j * kD + k];
      if (i == j) {
        if (!(s > 0)) return false;
        l[i * kD + i] = std::sqrt(s);
      } else {
        l[i * kD + j] = s / l[j * kD + j];
      }
    }
  }
  fit.log_det = 0;
  for (size_t i = 0; i < kD; ++i) fit.log_det += 2 * std::log(l[i * kD + i]);
  // Column j of W solves L w = e_j.
  Matrix w{};
  for (size_t j = 0; j < kD; ++j) {
    for (size_t i = j; i < kD; ++i) {
      double s = i == j ? 1.0 : 0.0;
      for (size_t k = j; k < i; ++k) s -= l[i * kD + k] * w[k * kD + j];
      w[i * kD + j] = s / l[i * kD + i];
    }
  }
  for (size_t i = 0; i < kD; ++i) {
    for (size_t j = 0; j <= i; ++j) fit.scoring.factor[Tri(i, j)] = w[i * kD + j];
  }
  fit.scoring.mean = fit.mean;
  return true;
}

// Weighted mean and covariance (plus the ridge) of the rows with the given weights.
void Estimate(std::span<const FeatureVector> rows, std::span<const double> resp, double ridge,
              Fit& fit) {
  double total = 0;
  FeatureVector mean{};
  for (size_t n = 0; n < rows.size(); ++n) {
    total += resp[n];
    for (size_t i = 0; i < kD; ++i) mean[i] += resp[n] * rows[n][i];
  }
  for (double& m : mean) m /= total;
  Matrix cov{};
  for (size_t n = 0; n < rows.size(); ++n) {
    if (resp[n] == 0) continue;
    FeatureVector diff;
    for (size_t i = 0; i < kD; ++i) diff[i] = rows[n][i] - mean[i];
    for (size_t i = 0; i < kD; ++i) {
      for (size_t j = 0; j <= i; ++j) cov[i * kD + j] += resp[n] * diff[i] * diff[j];
    }
  }
  for (size_t i = 0; i < kD; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      cov[i * kD + j] /= total;
      cov[j * kD + i] = cov[i * kD + j];
    }
    cov[i * kD + i] += ridge;
  }
  fit.mean = mean;
  fit.cov = cov;
  fit.weight = total / static_cast<double>(rows.size());
}

// k-means++ seeding and a few Lloyd steps: hard assignments to start EM from.
std::vector<size_t> KMeans(std::span<const FeatureVector> rows, size_t k, Rng& rng) {
  std::vector<FeatureVector> centers;
  centers.push_back(rows[rng.Below(rows.size())]);
  std::vector<double> nearest(rows.size(), std::numeric_limits<double>::infinity());
  while (centers.size() < k) {
    double total = 0;
    for (size_t n = 0; n < rows.size(); ++n) {
      nearest[n] = std::min(nearest[n], SquaredDistance(rows[n], centers.back()));
      total += nearest[n];
    }
    double pick = rng.Uniform() * total;
    size_t chosen = rows.size() - 1;
    for (size_t n = 0; n < rows.size(); ++n) {
      pick -= nearest[n];
      if (pick < 0) {
        chosen = n;
        break;
      }
    }
    centers.push_back(rows[chosen]);
  }
  std::vector<size_t> assignment(rows.size(), 0);
  for (size_t iteration = 0; iteration < kKmeansIterations; ++iteration) {
    for (size_t n = 0; n < rows.size(); ++n) {
      double best = std::numeric_limits<double>::infinity();
      for (size_t c = 0; c < k; ++c) {
        const double d = SquaredDistance(rows[n], centers[c]);
        if (d < best) {
          best = d;
          assignment[n] = c;
        }
      }
    }
    std::vector<FeatureVector> sums(k, FeatureVector{});
    std::vector<size_t> counts(k, 0);
    for (size_t n = 0; n < rows.size(); ++n) {
      ++counts[assignment[n]];
      for (size_t i = 0; i < kD; ++i) sums[assignment[n]][i] += rows[n][i];
    }
    for (size_t c = 0; c < k; ++c) {
      if (counts[c] == 0) continue;  // keeps its old center
      for (size_t i = 0; i < kD; ++i) centers[c][i] = sums[c][i] / static_cast<double>(counts[c]);
    }
  }
  return assignment;
}

}  // namespace

Status ValidateModel(const Model& model) {
  if (model.components.empty() || model.components.size() > kMaxComponents) {
    return BadModel("component count outside 1.." + std::to_string(kMaxComponents));
  }
  if (!InRange(model.threshold)) return BadModel("threshold is not a finite number in range");
  for (size_t k = 0; k < model.components.size(); ++k) {
    const Component& c = model.components[k];
    const std::string which = "component " + std::to_string(k);
    if (!InRange(c.bias)) return BadModel(which + ": bias out of range");
    for (double m : c.mean) {
      if (!InRange(m)) return BadModel(which + ": mean out of range");
    }
    for (double w : c.factor) {
      if (!InRange(w)) return BadModel(which + ": factor entry out of range");
    }
    for (size_t i = 0; i < kD; ++i) {
      // A zero or negative diagonal is no inverse Cholesky factor of a covariance.
      if (!(c.factor[Tri(i, i)] > 0)) return BadModel(which + ": factor diagonal not positive");
    }
  }
  return OkStatus();
}

double Score(const Model& model, const FeatureVector& x) {
  double best = std::numeric_limits<double>::infinity();
  for (const Component& c : model.components) {
    // The distance only grows row by row, so a component stops as soon as it cannot beat the
    // best so far. The minimum, and so every flag, is exactly that of the full computation:
    // the best value always comes from a component evaluated to the end.
    FeatureVector diff;
    for (size_t j = 0; j < kD; ++j) diff[j] = x[j] - c.mean[j];
    double s = c.bias;
    const double* w = c.factor.data();
    for (size_t i = 0; i < kD && s < best; ++i) {
      double z = 0;
      for (size_t j = 0; j <= i; ++j) z += w[j] * diff[j];
      w += i + 1;
      s += z * z;
    }
    if (s < best) best = s;
  }
  return best;
}

Result<Model> TrainMixture(std::span<const FeatureVector> rows, const TrainOptions& options) {
  const size_t k = options.components;
  if (k == 0 || k > kMaxComponents) {
    return Error(Errc::kBadTraining,
                 "component count outside 1.." + std::to_string(kMaxComponents));
  }
  if (rows.size() < kMinRowsPerComponent * k) {
    return Error(Errc::kBadTraining, "fewer than 10 training rows per component");
  }
  if (!(options.ridge > 0)) return Error(Errc::kBadTraining, "the ridge must be positive");
  Rng rng(options.seed);
  const size_t n_rows = rows.size();
  std::vector<Fit> fits(k);
  std::vector<double> resp(n_rows * k, 0);  // resp[c * n_rows + n]
  const std::vector<size_t> assignment = KMeans(rows, k, rng);
  for (size_t n = 0; n < n_rows; ++n) resp[assignment[n] * n_rows + n] = 1;

  std::vector<double> log_p(k);
  for (size_t iteration = 0;; ++iteration) {
    // M step: weights, means and covariances from the responsibilities. A component that lost
    // its rows restarts on a random row with the spread of the whole data.
    for (size_t c = 0; c < k; ++c) {
      std::span<const double> r(resp.data() + c * n_rows, n_rows);
      double mass = 0;
      for (double v : r) mass += v;
      if (mass < static_cast<double>(kD + 1)) {
        std::vector<double> all(n_rows, 1.0);
        Estimate(rows, all, options.ridge, fits[c]);
        fits[c].mean = rows[rng.Below(n_rows)];
        fits[c].weight = 1.0 / static_cast<double>(n_rows);
      } else {
        Estimate(rows, r, options.ridge, fits[c]);
      }
      if (!Factor(fits[c]))
        return Error(Errc::kBadTraining, "a covariance is not positive definite");
    }
    if (iteration == options.iterations) break;
    // E step: responsibilities from the log densities (constant terms dropped).
    for (size_t n = 0; n < n_rows; ++n) {
      double top = -std::numeric_limits<double>::infinity();
      for (size_t c = 0; c < k; ++c) {
        log_p[c] = std::log(fits[c].weight) -
                   0.5 * (fits[c].log_det + Mahalanobis(fits[c].scoring, rows[n]));
        top = std::max(top, log_p[c]);
      }
      double sum = 0;
      for (size_t c = 0; c < k; ++c) sum += std::exp(log_p[c] - top);
      for (size_t c = 0; c < k; ++c) resp[c * n_rows + n] = std::exp(log_p[c] - top) / sum;
    }
  }

  Model model;
  model.components.reserve(k);
  for (Fit& fit : fits) {
    fit.scoring.bias = fit.log_det - 2 * std::log(fit.weight);
    model.components.push_back(fit.scoring);
  }
  return model;
}

Status Calibrate(Model& model, std::span<const FeatureVector> rows,
                 std::span<const uint8_t> is_anomaly) {
  if (rows.size() != is_anomaly.size() || rows.empty()) {
    return Error(Errc::kBadTraining, "calibration rows and labels differ in number");
  }
  std::vector<std::pair<double, bool>> scored(rows.size());
  uint64_t positives = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    scored[i] = {Score(model, rows[i]), is_anomaly[i] != 0};
    positives += is_anomaly[i] != 0;
  }
  if (positives == 0) return Error(Errc::kBadTraining, "no anomaly among the calibration rows");
  // Highest scores first; flag the first k. F1 = 2tp / (2tp + fp + fn). Only cut between
  // distinct scores.
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a > b; });
  uint64_t tp = 0;
  double best_f1 = -1;
  size_t best_k = 0;
  for (size_t n = 1; n <= scored.size(); ++n) {
    tp += scored[n - 1].second;
    if (n < scored.size() && !(scored[n].first < scored[n - 1].first)) continue;
    const uint64_t fp = n - tp;
    const uint64_t fn = positives - tp;
    const double f1 = static_cast<double>(2 * tp) / static_cast<double>(2 * tp + fp + fn);
    if (f1 > best_f1) {
      best_f1 = f1;
      best_k = n;
    }
  }
  const double last_flagged = scored[best_k - 1].first;
  if (best_k == scored.size()) {
    model.threshold = last_flagged - 1;
  } else {
    const double first_unflagged = scored[best_k].first;
    const double middle = first_unflagged + (last_flagged - first_unflagged) / 2;
    // Adjacent doubles have no midpoint; the lower one still separates them (score > it).
    model.threshold = middle < last_flagged ? middle : first_unflagged;
  }
  return ValidateModel(model);
}

}  // namespace teepnet::workloads::telemetry
