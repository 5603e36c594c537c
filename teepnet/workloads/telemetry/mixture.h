// The vendor's anomaly model: a Gaussian mixture with full covariances over the flow features
// of flow.h, trained by expectation-maximisation on attack-free traffic, with a decision
// threshold learned on labelled calibration flows (novelty detection).
//
// Why this model: normal traffic is a mix of very different services (DNS, downloads, SSH ...),
// so one Gaussian cannot describe it, but one component per service mode can; and the attacks
// that matter are unusual *combinations* (hours-long yet outbound-heavy and regular; SSH-like
// yet a dozen packets and reset), which a full covariance sees and per-feature rules or an
// isolation forest's axis-parallel cuts mostly miss (measured on this generator: an isolation
// forest reached F1 0.6). Scoring needs no libm: with each covariance stored as the inverse of
// its Cholesky factor W (Sigma^-1 = W^T W) and the log-determinant and log-weight folded into
// one bias per component,
//
//     score(x) = min_k  bias_k + || W_k (x - mean_k) ||^2,   bias_k = log det Sigma_k - 2 log pi_k
//
// which is -2 log of the largest weighted component density up to a constant, computed with
// +, -, * only: the TA and an independent checker get bit-identical scores, and a record costs
// k x d(d+1)/2 multiply-adds. A record is flagged when its score exceeds the threshold.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_MIXTURE_H_
#define TEEPNET_WORKLOADS_TELEMETRY_MIXTURE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/workloads/telemetry/flow.h"

namespace teepnet::workloads::telemetry {

// Entries of a lower-triangular d x d matrix, row by row: W[i][j] for j <= i at i(i+1)/2 + j.
inline constexpr size_t kFactorEntries = kFeatureCount * (kFeatureCount + 1) / 2;

struct Component {
  double bias = 0;
  FeatureVector mean{};
  std::array<double, kFactorEntries> factor{};  // W, lower triangular, positive diagonal

  friend bool operator==(const Component&, const Component&) = default;
};

struct Model {
  std::string name;  // the vendor's label for the model
  uint64_t version = 0;
  double threshold = 0;  // flag when Score > threshold
  std::vector<Component> components;

  friend bool operator==(const Model&, const Model&) = default;
};

// Errc::kBadModel unless the model can be evaluated: 1..kMaxComponents components, every
// parameter finite and within kMaxParameterMagnitude (so no score overflows), every diagonal
// entry of W positive, a finite threshold. DecodeModel runs it on every model.
Status ValidateModel(const Model& model);

// min_k bias_k + ||W_k (x - mean_k)||^2. The model must be valid.
double Score(const Model& model, const FeatureVector& x);
inline bool IsFlagged(const Model& model, const FeatureVector& x) {
  return Score(model, x) > model.threshold;
}

struct TrainOptions {
  uint64_t seed = 1;
  size_t components = 12;
  size_t iterations = 40;  // EM steps after the k-means++ start
  // Added to every covariance diagonal: keeps features that are constant within a mode (the
  // protocol, the port class) from giving a singular covariance.
  double ridge = 0.01;
};

// Fits the mixture to `rows` (attack-free training flows). The threshold is left at 0;
// Calibrate sets it. Errc::kBadTraining for a component count outside 1..kMaxComponents or
// fewer than 10 rows per component.
Result<Model> TrainMixture(std::span<const FeatureVector> rows, const TrainOptions& options);

// Sets model.threshold to the cut that maximises F1 on labelled calibration rows (flagged =
// the highest scores), halfway between the last unflagged and the first flagged score.
// Errc::kBadTraining when the rows hold no anomaly or the spans differ in length.
Status Calibrate(Model& model, std::span<const FeatureVector> rows,
                 std::span<const uint8_t> is_anomaly);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_MIXTURE_H_
