// The computation inside the telemetry TA (use case 3 of the seed, Appendix B "privacy-
// preserving ML on telemetry"): the vendor's model and the operator's data key arrive as
// sealed party inputs, the telemetry as the encrypted bulk; the TA decrypts, scores every
// flow and answers the operator with the flagged flows and the vendor with a usage count.
// Neither party's input leaves the TEE in any other form.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_DETECTION_H_
#define TEEPNET_WORKLOADS_TELEMETRY_DETECTION_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/workloads/telemetry/flow.h"
#include "teepnet/workloads/telemetry/mixture.h"

namespace teepnet::workloads::telemetry {

inline constexpr char kWorkloadName[] = "telemetry-ml";
inline constexpr char kVendorRole[] = "vendor";
inline constexpr char kOperatorRole[] = "operator";

// The ids of the records `model` flags, in record order.
std::vector<uint64_t> FlagRecords(const Model& model, std::span<const FlowRecord> records);

struct DetectionOutputs {
  Bytes operator_report;  // report.h OperatorReport
  Bytes vendor_usage;     // report.h VendorUsage
};

// A monotonic clock in nanoseconds; the TA passes the real one, tests may pass their own.
using NanoClock = std::function<uint64_t()>;

// Decodes the model (model_codec.h) and the operator's key part (batch.h), opens the bulk,
// scores every record and encodes both outputs. elapsed_ns covers opening, decoding and
// scoring the telemetry (the part that grows with it), measured with `now_ns`.
Result<DetectionOutputs> RunDetection(ByteView model, ByteView operator_key, ByteView bulk,
                                      const NanoClock& now_ns);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_DETECTION_H_
