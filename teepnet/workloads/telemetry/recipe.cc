#include "teepnet/workloads/telemetry/recipe.h"

#include <utility>
#include <vector>

namespace teepnet::workloads::telemetry {
namespace {

// Distinct streams for the three draws that one recipe seed stands for.
constexpr uint64_t kTrainingStream = 0x7261696e;     // "rain"
constexpr uint64_t kCalibrationStream = 0x63616c69;  // "cali"
constexpr uint64_t kMixtureStream = 0x6d697874;      // "mixt"

std::vector<FeatureVector> FeaturesOf(std::span<const LabelledFlow> flows) {
  std::vector<FeatureVector> rows;
  rows.reserve(flows.size());
  for (const LabelledFlow& f : flows) rows.push_back(telemetry::FeaturesOf(f.record));
  return rows;
}

}  // namespace

Result<Model> TrainVendorModel(std::string name, uint64_t version, const RecipeOptions& options) {
  GeneratorOptions training;
  training.seed = options.seed ^ kTrainingStream;
  training.count = options.training_flows;
  training.anomaly_rate = 0;
  const std::vector<LabelledFlow> training_flows = GenerateFlows(training);

  TrainOptions mixture = options.mixture;
  mixture.seed = options.seed ^ kMixtureStream;
  TEEPNET_ASSIGN_OR_RETURN(Model model, TrainMixture(FeaturesOf(training_flows), mixture));

  GeneratorOptions calibration;
  calibration.seed = options.seed ^ kCalibrationStream;
  calibration.count = options.calibration_flows;
  calibration.anomaly_rate = options.calibration_anomaly_rate;
  const std::vector<LabelledFlow> calibration_flows = GenerateFlows(calibration);
  std::vector<uint8_t> labels;
  labels.reserve(calibration_flows.size());
  for (const LabelledFlow& f : calibration_flows) labels.push_back(IsAnomaly(f.cls) ? 1 : 0);
  TEEPNET_RETURN_IF_ERROR(Calibrate(model, FeaturesOf(calibration_flows), labels));

  model.name = std::move(name);
  model.version = version;
  return model;
}

Quality Evaluate(const Model& model, std::span<const LabelledFlow> flows) {
  Quality q;
  for (const LabelledFlow& f : flows) {
    q.Add(IsFlagged(model, telemetry::FeaturesOf(f.record)), IsAnomaly(f.cls));
  }
  return q;
}

}  // namespace teepnet::workloads::telemetry
