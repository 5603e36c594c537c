// How the vendor builds the model it ships: a Gaussian mixture fitted to attack-free synthetic
// flow telemetry (its lab traffic), the threshold calibrated on a separate labelled draw with
// attacks. Held-back evaluation uses yet another seed (the operator's telemetry in the demo).
// One function so the scenario, the benchmark and the tests train exactly the same model.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_RECIPE_H_
#define TEEPNET_WORKLOADS_TELEMETRY_RECIPE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "teepnet/base/result.h"
#include "teepnet/workloads/telemetry/generator.h"
#include "teepnet/workloads/telemetry/mixture.h"
#include "teepnet/workloads/telemetry/quality.h"

namespace teepnet::workloads::telemetry {

// Detection quality the model must reach on held-back telemetry (precision, recall and F1 of
// the flagged flows against the generator's labels); the scenario's check fails below them.
inline constexpr double kMinPrecision = 0.80;
inline constexpr double kMinRecall = 0.80;
inline constexpr double kMinF1 = 0.85;

struct RecipeOptions {
  uint64_t seed = 1;
  size_t training_flows = 10000;
  size_t calibration_flows = 20000;
  double calibration_anomaly_rate = 0.03;
  TrainOptions mixture;  // its seed is derived from `seed`
};

// Trains and calibrates; `name` and `version` label the model.
Result<Model> TrainVendorModel(std::string name, uint64_t version, const RecipeOptions& options);

// Quality of `model`'s flags on labelled flows.
Quality Evaluate(const Model& model, std::span<const LabelledFlow> flows);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_RECIPE_H_
