// The telemetry workload's scenario (scenario.h): the vendor trains its anomaly model on its own
// attack-free lab traffic and ships it as its private input (the model's name carries the run's
// marker); the operator draws a fresh AES-256 data key, encrypts a held-back draw of flow
// telemetry under it as the bulk (the site label in every chunk carries the marker) and gives
// the TA the key as its private input. Check decrypts the bulk itself, scores every record with
// the vendor's model, and requires the TA's flags to be exactly those, the usage count to be
// the record count, and precision, recall and F1 against the generator's labels to reach the
// floors of recipe.h.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/cli/workloads/scenario.h"
#include "teepnet/crypto/random.h"
#include "teepnet/workloads/telemetry/batch.h"
#include "teepnet/workloads/telemetry/detection.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/generator.h"
#include "teepnet/workloads/telemetry/model_codec.h"
#include "teepnet/workloads/telemetry/quality.h"
#include "teepnet/workloads/telemetry/recipe.h"
#include "teepnet/workloads/telemetry/report.h"

namespace teepnet::cli::workloads {
namespace {

namespace telemetry = teepnet::workloads::telemetry;

// Enough flows to time the TA (records per second) and to measure quality on ~1500 attacks;
// about 2 MiB of bulk, far within the M/OC's sealed-PD limit.
constexpr size_t kRecords = 50000;
constexpr double kAnomalyRate = 0.03;
// The operator's telemetry is a draw the vendor never saw: a stream apart from the recipe's.
constexpr uint64_t kHeldBackStream = 0x68656c64;  // "held"

Error Wrong(std::string what) {
  return Error(telemetry::Errc::kWrongAnswer, "telemetry-ml: " + std::move(what));
}

class TelemetryScenario final : public Scenario {
 public:
  std::string_view name() const override { return telemetry::kWorkloadName; }
  std::string_view ta_binary() const override { return "telemetry_ta"; }

  Result<ScenarioInputs> MakeInputs(uint64_t seed, std::string_view marker) override {
    telemetry::RecipeOptions recipe;
    recipe.seed = seed;
    TEEPNET_ASSIGN_OR_RETURN(
        telemetry::Model model,
        telemetry::TrainVendorModel("acme-flowguard " + std::string(marker), 1, recipe));
    TEEPNET_ASSIGN_OR_RETURN(Bytes model_bytes, telemetry::EncodeModel(model));

    telemetry::GeneratorOptions held_back;
    held_back.seed = seed ^ kHeldBackStream;
    held_back.count = kRecords;
    held_back.anomaly_rate = kAnomalyRate;
    std::vector<telemetry::LabelledFlow> flows = telemetry::GenerateFlows(held_back);
    std::vector<telemetry::FlowRecord> records;
    records.reserve(flows.size());
    for (const auto& f : flows) records.push_back(f.record);

    // A fresh key and batch id per batch (batch.h: nonces are unique per key only so).
    telemetry::OperatorKey key;
    TEEPNET_ASSIGN_OR_RETURN(Bytes data_key, crypto::RandomBytes(telemetry::kDataKeyBytes));
    key.data_key = SecretBytes(ByteView(data_key));
    SecureWipe(data_key.data(), data_key.size());
    TEEPNET_ASSIGN_OR_RETURN(key.batch_id, crypto::RandomBytes(telemetry::kBatchIdBytes));
    key.site = "pop " + std::string(marker);
    TEEPNET_ASSIGN_OR_RETURN(Bytes bulk, telemetry::SealBatch(key, records));
    TEEPNET_ASSIGN_OR_RETURN(SecretBytes key_bytes, telemetry::EncodeOperatorKey(key));

    ScenarioInputs inputs;
    inputs.parties.push_back(
        PartyInput{std::string(telemetry::kVendorRole), SecretBytes(ByteView(model_bytes)), true});
    inputs.parties.push_back(
        PartyInput{std::string(telemetry::kOperatorRole), std::move(key_bytes), true});
    inputs.bulk = bulk;
    model_ = std::move(model);
    key_ = std::move(key);
    bulk_ = std::move(bulk);
    flows_ = std::move(flows);
    return inputs;
  }

  Result<Headline> Check(const std::map<std::string, SecretBytes>& outputs) override {
    if (!model_ || !key_ || !bulk_) return Wrong("Check before MakeInputs");
    auto op = outputs.find(std::string(telemetry::kOperatorRole));
    auto vendor = outputs.find(std::string(telemetry::kVendorRole));
    if (op == outputs.end() || vendor == outputs.end()) {
      return Wrong("the operator's or the vendor's output is missing");
    }
    TEEPNET_ASSIGN_OR_RETURN(telemetry::OperatorReport report,
                             telemetry::DecodeOperatorReport(op->second.view()));
    TEEPNET_ASSIGN_OR_RETURN(telemetry::VendorUsage usage,
                             telemetry::DecodeVendorUsage(vendor->second.view()));

    // The operator's own evaluation: decrypt the bulk it sent and run the vendor's model on it.
    TEEPNET_ASSIGN_OR_RETURN(std::vector<telemetry::FlowRecord> records,
                             telemetry::OpenBatch(*key_, *bulk_));
    std::vector<uint64_t> expected = telemetry::FlagRecords(*model_, records);
    if (report.records != records.size()) {
      return Wrong("the TA scored " + std::to_string(report.records) + " records, not " +
                   std::to_string(records.size()));
    }
    if (report.flagged != expected.size()) {
      return Wrong("the TA flagged " + std::to_string(report.flagged) + " records, the model " +
                   std::to_string(expected.size()));
    }
    const size_t listed = std::min(expected.size(), telemetry::kMaxReportedIds);
    if (!std::equal(report.flagged_ids.begin(), report.flagged_ids.end(), expected.begin(),
                    expected.begin() + static_cast<std::ptrdiff_t>(listed))) {
      return Wrong("the flagged ids differ from the model's");
    }
    if (usage.records != records.size()) return Wrong("the vendor's usage count is wrong");
    if (report.elapsed_ns == 0) return Wrong("the TA reports no computation time");

    // Quality against the generator's ground truth, over every flag (the report lists at most
    // kMaxReportedIds of them; the rest are the model's, which the count above matched).
    telemetry::Quality quality;
    std::array<uint64_t, telemetry::kFlowClassCount> attacks{};
    std::array<uint64_t, telemetry::kFlowClassCount> caught{};
    size_t next = 0;
    for (const auto& f : flows_) {
      while (next < expected.size() && expected[next] < f.record.id) ++next;
      const bool flagged = next < expected.size() && expected[next] == f.record.id;
      quality.Add(flagged, telemetry::IsAnomaly(f.cls));
      ++attacks[static_cast<size_t>(f.cls)];
      caught[static_cast<size_t>(f.cls)] += flagged;
    }
    if (quality.precision() < telemetry::kMinPrecision ||
        quality.recall() < telemetry::kMinRecall || quality.f1() < telemetry::kMinF1) {
      return Error(telemetry::Errc::kBelowQualityFloor,
                   "telemetry-ml: precision " + std::to_string(quality.precision()) + ", recall " +
                       std::to_string(quality.recall()) + ", F1 " + std::to_string(quality.f1()) +
                       " below the floor");
    }

    Headline h;
    h.name = "records_per_second";
    h.value = static_cast<double>(report.records) * 1e9 / static_cast<double>(report.elapsed_ns);
    nlohmann::json recall_by_attack = nlohmann::json::object();
    for (size_t c = 0; c < telemetry::kFlowClassCount; ++c) {
      const auto cls = static_cast<telemetry::FlowClass>(c);
      if (!telemetry::IsAnomaly(cls) || attacks[c] == 0) continue;
      recall_by_attack[std::string(telemetry::FlowClassName(cls))] =
          static_cast<double>(caught[c]) / static_cast<double>(attacks[c]);
    }
    h.detail = {{"records", report.records},
                {"flagged", report.flagged},
                {"attacks", quality.true_positives + quality.false_negatives},
                {"precision", quality.precision()},
                {"recall", quality.recall()},
                {"f1", quality.f1()},
                {"floor",
                 {{"precision", telemetry::kMinPrecision},
                  {"recall", telemetry::kMinRecall},
                  {"f1", telemetry::kMinF1}}},
                {"recall_by_attack", recall_by_attack},
                {"model", "gaussian-mixture"},
                {"components", model_->components.size()},
                {"bulk_bytes", bulk_->size()},
                {"ta_ms", static_cast<double>(report.elapsed_ns) / 1e6},
                {"check", "decrypt-and-rescore"}};
    return h;
  }

 private:
  std::optional<telemetry::Model> model_;
  std::optional<telemetry::OperatorKey> key_;
  std::optional<Bytes> bulk_;
  std::vector<telemetry::LabelledFlow> flows_;
};

}  // namespace

std::unique_ptr<Scenario> MakeTelemetryScenario() {
  return std::make_unique<TelemetryScenario>();
}

}  // namespace teepnet::cli::workloads
