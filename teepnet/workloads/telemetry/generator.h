// Synthetic flow telemetry with labelled anomalies, seeded and deterministic: the vendor trains
// on it, and the operator's "live" telemetry in the demo is a held-back draw from another seed.
//
// Normal traffic is a mix of the services an access network carries (web, DNS, bulk downloads,
// backup uploads, video streaming, interactive SSH), each with log-normal sizes and durations.
// The anomalies are the classic flow-level attacks:
//   port scan      SYN probes to random ports, answered by RST or nothing
//   volumetric DoS a flood of same-sized packets towards one service with no answers
//   slow exfiltration  hours-long, outbound-heavy, metronome-regular transfer (beaconing)
//   brute force    short login attempts against SSH/RDP that the server resets
// Some anomalies are deliberately mild (a connect scan, irregular exfiltration), so detection
// quality is a real measurement rather than a foregone 100%.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_GENERATOR_H_
#define TEEPNET_WORKLOADS_TELEMETRY_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "teepnet/workloads/telemetry/flow.h"

namespace teepnet::workloads::telemetry {

enum class FlowClass : uint8_t {
  kWeb,
  kDns,
  kDownload,
  kUpload,
  kStreaming,
  kSsh,
  // Anomalies from here on.
  kPortScan,
  kVolumetricDos,
  kSlowExfiltration,
  kBruteForce,
};
inline constexpr size_t kFlowClassCount = 10;

bool IsAnomaly(FlowClass cls);
std::string_view FlowClassName(FlowClass cls);

struct LabelledFlow {
  FlowRecord record;
  FlowClass cls = FlowClass::kWeb;
};

struct GeneratorOptions {
  uint64_t seed = 1;
  size_t count = 10000;
  double anomaly_rate = 0.03;  // share of flows drawn from the anomaly classes
  uint64_t first_id = 1;       // ids are first_id, first_id + 1, ...
};

// Every record passes ValidateRecord. The same options give the same flows.
std::vector<LabelledFlow> GenerateFlows(const GeneratorOptions& options);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_GENERATOR_H_
