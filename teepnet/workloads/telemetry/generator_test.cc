#include "teepnet/workloads/telemetry/generator.h"

#include <gtest/gtest.h>

#include <array>

#include "teepnet/testing/matchers.h"

namespace teepnet::workloads::telemetry {
namespace {

bool SameRecords(const std::vector<LabelledFlow>& a, const std::vector<LabelledFlow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i].record == b[i].record) || a[i].cls != b[i].cls) return false;
  }
  return true;
}

TEST(GenerateFlows, ReproducesTheSameFlowsFromTheSameSeed) {
  GeneratorOptions options;
  options.seed = 42;
  options.count = 2000;
  EXPECT_TRUE(SameRecords(GenerateFlows(options), GenerateFlows(options)));
  GeneratorOptions other = options;
  other.seed = 43;
  EXPECT_FALSE(SameRecords(GenerateFlows(options), GenerateFlows(other)));
}

TEST(GenerateFlows, ProducesValidRecordsWithConsecutiveIds) {
  GeneratorOptions options;
  options.seed = 5;
  options.count = 20000;
  options.anomaly_rate = 0.2;
  options.first_id = 1000;
  const auto flows = GenerateFlows(options);
  ASSERT_EQ(flows.size(), options.count);
  for (size_t i = 0; i < flows.size(); ++i) {
    EXPECT_EQ(flows[i].record.id, 1000 + i);
    TEEPNET_EXPECT_OK(ValidateRecord(flows[i].record));
  }
}

TEST(GenerateFlows, DrawsEveryClassAndAboutTheRequestedShareOfAnomalies) {
  GeneratorOptions options;
  options.seed = 11;
  options.count = 40000;
  options.anomaly_rate = 0.03;
  std::array<size_t, kFlowClassCount> per_class{};
  size_t anomalies = 0;
  for (const LabelledFlow& f : GenerateFlows(options)) {
    ++per_class[static_cast<size_t>(f.cls)];
    anomalies += IsAnomaly(f.cls);
  }
  for (size_t c = 0; c < kFlowClassCount; ++c) {
    EXPECT_GT(per_class[c], 100u) << FlowClassName(static_cast<FlowClass>(c));
  }
  // 1200 expected; the binomial standard deviation is 34.
  EXPECT_GT(anomalies, 1000u);
  EXPECT_LT(anomalies, 1400u);
}

TEST(GenerateFlows, GivesAttacksTheirCharacteristicShape) {
  GeneratorOptions options;
  options.seed = 3;
  options.count = 20000;
  options.anomaly_rate = 0.5;
  for (const LabelledFlow& f : GenerateFlows(options)) {
    const FlowRecord& r = f.record;
    switch (f.cls) {
      case FlowClass::kPortScan:
        EXPECT_LE(r.packets_out + r.packets_in, 5u);
        EXPECT_GE(r.syn, 1u);
        break;
      case FlowClass::kVolumetricDos:
        EXPECT_EQ(r.packets_in, 0u);
        EXPECT_GE(r.packets_out, 2000u);
        break;
      case FlowClass::kSlowExfiltration: EXPECT_GT(r.bytes_out, r.bytes_in); break;
      case FlowClass::kDns:
        EXPECT_EQ(r.protocol, kProtocolUdp);
        EXPECT_EQ(r.dst_port, 53);
        break;
      default: break;
    }
  }
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
