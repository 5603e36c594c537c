// The telemetry scenario end to end in one process: its inputs go through the real workload kit
// (each party seals to an instance key, the TA side opens, computes with the telemetry library
// as telemetry_ta does, seals each output and signs the receipt), each party opens its own
// output from the verified receipt, and the scenario's Check accepts it. Wrong outputs are
// refused.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "services/cli/workloads/scenario.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workload/envelope.h"
#include "teepnet/workload/party.h"
#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/telemetry/detection.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/recipe.h"
#include "teepnet/workloads/telemetry/report.h"

namespace teepnet::cli::workloads {
namespace {

namespace telemetry = teepnet::workloads::telemetry;
using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kMarker[] = "MARKER-7f3a9c-telemetry";

uint64_t MonotonicNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// What telemetry_ta's main hands to RunWorkloadTa.
Result<workload::Outputs> Detect(workload::Inputs& in) {
  const SecretBytes* model = in.Get(telemetry::kVendorRole);
  const SecretBytes* key = in.Get(telemetry::kOperatorRole);
  if (model == nullptr || key == nullptr || !in.bulk) {
    return Error(telemetry::Errc::kMissingInput, "missing input");
  }
  TEEPNET_ASSIGN_OR_RETURN(
      telemetry::DetectionOutputs out,
      telemetry::RunDetection(model->view(), key->view(), *in.bulk, MonotonicNanos));
  return workload::Outputs{{telemetry::kOperatorRole, std::move(out.operator_report)},
                           {telemetry::kVendorRole, std::move(out.vendor_usage)}};
}

class TelemetryScenarioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = MakeTelemetryScenario().release();
    auto inputs = scenario_->MakeInputs(7, kMarker);
    ASSERT_TRUE(inputs.ok()) << inputs.error().ToString();
    inputs_ = new ScenarioInputs(std::move(inputs).value());
    outputs_ = new std::map<std::string, SecretBytes>(RunThroughTheKit(*inputs_));
  }
  static void TearDownTestSuite() {
    delete outputs_;
    delete inputs_;
    delete scenario_;
  }

  // Seals every party's input to a fresh instance, runs the kit's TA core and opens each
  // party's output from the verified receipt.
  static std::map<std::string, SecretBytes> RunThroughTheKit(const ScenarioInputs& inputs) {
    std::map<std::string, SecretBytes> outputs;
    auto hpke = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    auto proof = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    const runtime::DeliveryContext context{"req-telemetry", Bytes(32, 0xd1), "tc-9", "pd",
                                           crypto::Sha256(AsBytes("telemetry_ta image"))};
    const channel::Binding pd_binding{context.request_id, context.device_id, context.instance,
                                      "pd"};
    workload::Envelope envelope{std::string(telemetry::kWorkloadName), {}, inputs.bulk};
    std::map<std::string, crypto::PrivateKey> reply_keys;
    for (const PartyInput& p : inputs.parties) {
      auto reply = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
      const crypto::PublicKey reply_public = reply.public_key();
      auto part =
          workload::SealInput(telemetry::kWorkloadName, p.role, p.input.view(), hpke.public_key(),
                              pd_binding, &reply_public, kNow, crypto::SystemRandom::Get());
      EXPECT_TRUE(part.ok());
      envelope.parts.push_back(*part);
      reply_keys.emplace(p.role, std::move(reply));
    }
    auto pd = workload::EncodeEnvelope(envelope);
    EXPECT_TRUE(pd.ok());
    const Bytes sealed =
        *channel::Seal(hpke.public_key(), *pd, pd_binding, kNow, crypto::SystemRandom::Get());
    auto receipt_bytes = workload::ProcessSealedPd(
        telemetry::kWorkloadName, sealed, hpke.RawPrivate().view(), proof.RawPrivate().view(),
        context, Detect, kNow, crypto::SystemRandom::Get());
    EXPECT_TRUE(receipt_bytes.ok()) << receipt_bytes.error().ToString();
    if (!receipt_bytes.ok()) return outputs;
    auto receipt = channel::VerifyReceipt(*receipt_bytes, proof.public_key());
    EXPECT_TRUE(receipt.ok() && receipt->result.has_value());
    if (!receipt.ok() || !receipt->result) return outputs;
    for (const auto& [role, key] : reply_keys) {
      auto out = workload::OpenOutput(*receipt->result, telemetry::kWorkloadName, role, key,
                                      pd_binding, kNow);
      EXPECT_TRUE(out.ok()) << role;
      if (out.ok()) outputs.emplace(role, std::move(out).value());
    }
    return outputs;
  }

  static std::map<std::string, SecretBytes> CopyOutputs() {
    std::map<std::string, SecretBytes> copy;
    for (const auto& [role, out] : *outputs_) copy.emplace(role, out.Clone());
    return copy;
  }

  static Scenario* scenario_;
  static ScenarioInputs* inputs_;
  static std::map<std::string, SecretBytes>* outputs_;
};

Scenario* TelemetryScenarioTest::scenario_ = nullptr;
ScenarioInputs* TelemetryScenarioTest::inputs_ = nullptr;
std::map<std::string, SecretBytes>* TelemetryScenarioTest::outputs_ = nullptr;

TEST_F(TelemetryScenarioTest, NamesItsWorkloadAndTa) {
  EXPECT_EQ(scenario_->name(), "telemetry-ml");
  EXPECT_EQ(scenario_->ta_binary(), "telemetry_ta");
}

TEST_F(TelemetryScenarioTest, PutsTheMarkerInEveryPrivateInputButNotInTheEncryptedBulk) {
  ASSERT_EQ(inputs_->parties.size(), 2u);
  for (const PartyInput& p : inputs_->parties) {
    EXPECT_NE(AsChars(p.input.view()).find(kMarker), std::string_view::npos) << p.role;
    EXPECT_TRUE(p.wants_output);
  }
  ASSERT_TRUE(inputs_->bulk.has_value());
  // The marker is inside every chunk's plaintext (the site label) but only ciphertext travels.
  EXPECT_EQ(AsChars(*inputs_->bulk).find(kMarker), std::string_view::npos);
  EXPECT_EQ(AsChars(*inputs_->bulk).find("pop "), std::string_view::npos);
}

TEST_F(TelemetryScenarioTest, AcceptsTheTaOutputAndReportsQualityAboveTheFloor) {
  auto headline = scenario_->Check(CopyOutputs());
  ASSERT_TRUE(headline.ok()) << headline.error().ToString();
  EXPECT_EQ(headline->name, "records_per_second");
  EXPECT_GT(headline->value, 0);
  EXPECT_EQ(headline->detail.at("records").get<uint64_t>(), 50000u);
  EXPECT_GE(headline->detail.at("f1").get<double>(), telemetry::kMinF1);
  EXPECT_GE(headline->detail.at("precision").get<double>(), telemetry::kMinPrecision);
  EXPECT_GE(headline->detail.at("recall").get<double>(), telemetry::kMinRecall);
}

TEST_F(TelemetryScenarioTest, RefusesAReportWithOneFlagMissing) {
  auto outputs = CopyOutputs();
  auto report = *telemetry::DecodeOperatorReport(outputs.at("operator").view());
  ASSERT_FALSE(report.flagged_ids.empty());
  report.flagged_ids.erase(report.flagged_ids.begin() + report.flagged_ids.size() / 2);
  --report.flagged;
  outputs["operator"] = SecretBytes(ByteView(*telemetry::EncodeOperatorReport(report)));
  EXPECT_TRUE(FailsWith(scenario_->Check(outputs), telemetry::Errc::kWrongAnswer));
}

TEST_F(TelemetryScenarioTest, RefusesAReportThatFlagsAnotherRecord) {
  auto outputs = CopyOutputs();
  auto report = *telemetry::DecodeOperatorReport(outputs.at("operator").view());
  ASSERT_GE(report.flagged_ids.size(), 2u);
  // Swap the first flagged id for an unflagged one just before it (ids start at 1).
  uint64_t replacement = report.flagged_ids[0] - 1;
  ASSERT_GT(replacement, 0u);
  report.flagged_ids[0] = replacement;
  outputs["operator"] = SecretBytes(ByteView(*telemetry::EncodeOperatorReport(report)));
  EXPECT_TRUE(FailsWith(scenario_->Check(outputs), telemetry::Errc::kWrongAnswer));
}

TEST_F(TelemetryScenarioTest, RefusesAWrongUsageCountOrAMissingOutput) {
  auto outputs = CopyOutputs();
  outputs["vendor"] = SecretBytes(ByteView(telemetry::EncodeVendorUsage({49999})));
  EXPECT_TRUE(FailsWith(scenario_->Check(outputs), telemetry::Errc::kWrongAnswer));
  outputs = CopyOutputs();
  outputs.erase("vendor");
  EXPECT_TRUE(FailsWith(scenario_->Check(outputs), telemetry::Errc::kWrongAnswer));
}

TEST_F(TelemetryScenarioTest, RefusesAnOutputThatIsNotAReport) {
  auto outputs = CopyOutputs();
  outputs["operator"] = SecretBytes(ByteView(telemetry::EncodeVendorUsage({1})));
  EXPECT_TRUE(FailsWith(scenario_->Check(outputs), telemetry::Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::cli::workloads
