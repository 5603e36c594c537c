#include "teepnet/workloads/telemetry/detection.h"

#include <gtest/gtest.h>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/batch.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/model_codec.h"
#include "teepnet/workloads/telemetry/recipe.h"
#include "teepnet/workloads/telemetry/report.h"
#include "teepnet/workloads/telemetry/test_model.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;

const Model& VendorModel() {
  return SharedVendorModel();
}

OperatorKey Key() {
  OperatorKey key;
  key.data_key = SecretBytes(Bytes(kDataKeyBytes, 0x5a));
  key.site = "pop-lyon-3";
  key.batch_id = Bytes(kBatchIdBytes, 0x01);
  return key;
}

// A clock that advances 1 ms per reading.
NanoClock FakeClock() {
  auto now = std::make_shared<uint64_t>(0);
  return [now] { return *now += 1'000'000; };
}

struct Prepared {
  std::vector<LabelledFlow> flows;
  Bytes model;
  SecretBytes key;
  Bytes bulk;
};

Prepared Prepare(uint64_t seed, size_t count) {
  Prepared run;
  GeneratorOptions options;
  options.seed = seed;
  options.count = count;
  run.flows = GenerateFlows(options);
  std::vector<FlowRecord> records;
  for (const LabelledFlow& f : run.flows) records.push_back(f.record);
  run.model = *EncodeModel(VendorModel());
  run.key = *EncodeOperatorKey(Key());
  run.bulk = *SealBatch(Key(), records);
  return run;
}

TEST(RunDetection, FlagsExactlyWhatTheModelFlagsOnTheDecryptedRecords) {
  const Prepared run = Prepare(808, 12000);
  auto out = RunDetection(run.model, run.key.view(), run.bulk, FakeClock());
  TEEPNET_ASSERT_OK(out);
  auto report = DecodeOperatorReport(out->operator_report);
  TEEPNET_ASSERT_OK(report);

  std::vector<uint64_t> expected;
  Quality quality;
  for (const LabelledFlow& f : run.flows) {
    const bool flagged = IsFlagged(VendorModel(), FeaturesOf(f.record));
    if (flagged) expected.push_back(f.record.id);
    quality.Add(flagged, IsAnomaly(f.cls));
  }
  EXPECT_EQ(report->records, run.flows.size());
  EXPECT_EQ(report->flagged, expected.size());
  EXPECT_EQ(report->flagged_ids, expected);
  EXPECT_EQ(report->elapsed_ns, 1'000'000u);  // one tick between the two readings
  EXPECT_GE(quality.f1(), kMinF1);

  auto usage = DecodeVendorUsage(out->vendor_usage);
  TEEPNET_ASSERT_OK(usage);
  EXPECT_EQ(usage->records, run.flows.size());
}

TEST(RunDetection, TellsTheVendorNothingButTheCount) {
  const Prepared run = Prepare(9, 300);
  auto out = RunDetection(run.model, run.key.view(), run.bulk, FakeClock());
  TEEPNET_ASSERT_OK(out);
  EXPECT_EQ(out->vendor_usage, EncodeVendorUsage(VendorUsage{300}));
}

TEST(RunDetection, RefusesAMalformedModel) {
  Prepared run = Prepare(1, 50);
  run.model.push_back(0x00);
  EXPECT_TRUE(
      FailsWith(RunDetection(run.model, run.key.view(), run.bulk, FakeClock()), Errc::kMalformed));
}

TEST(RunDetection, RefusesTelemetryTheOperatorKeyDoesNotOpen) {
  const Prepared run = Prepare(1, 50);
  OperatorKey other = Key();
  other.data_key = SecretBytes(Bytes(kDataKeyBytes, 0x5b));
  const SecretBytes other_key = *EncodeOperatorKey(other);
  EXPECT_TRUE(FailsWith(RunDetection(run.model, other_key.view(), run.bulk, FakeClock()),
                        Errc::kOpenFailed));
  other = Key();
  other.batch_id[3] = 9;
  const SecretBytes other_batch = *EncodeOperatorKey(other);
  EXPECT_TRUE(
      FailsWith(RunDetection(run.model, other_batch.view(), run.bulk, FakeClock()), Errc::kBadKey));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
