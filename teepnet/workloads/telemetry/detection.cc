#include "teepnet/workloads/telemetry/detection.h"

#include <algorithm>
#include <utility>

#include "teepnet/base/secret_bytes.h"
#include "teepnet/workloads/telemetry/batch.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/model_codec.h"
#include "teepnet/workloads/telemetry/report.h"

namespace teepnet::workloads::telemetry {

std::vector<uint64_t> FlagRecords(const Model& model, std::span<const FlowRecord> records) {
  std::vector<uint64_t> flagged;
  for (const FlowRecord& record : records) {
    if (IsFlagged(model, FeaturesOf(record))) flagged.push_back(record.id);
  }
  return flagged;
}

Result<DetectionOutputs> RunDetection(ByteView model_bytes, ByteView operator_key, ByteView bulk,
                                      const NanoClock& now_ns) {
  TEEPNET_ASSIGN_OR_RETURN(Model model, DecodeModel(model_bytes));
  TEEPNET_ASSIGN_OR_RETURN(OperatorKey key, DecodeOperatorKey(operator_key));

  const uint64_t start = now_ns();
  TEEPNET_ASSIGN_OR_RETURN(std::vector<FlowRecord> records, OpenBatch(key, bulk));
  std::vector<uint64_t> flagged = FlagRecords(model, records);
  const uint64_t end = now_ns();

  OperatorReport report;
  report.records = records.size();
  report.flagged = flagged.size();
  flagged.resize(std::min(flagged.size(), kMaxReportedIds));
  report.flagged_ids = std::move(flagged);
  report.elapsed_ns = end > start ? end - start : 0;
  // The decrypted telemetry is the operator's secret too: do not leave it in freed memory.
  SecureWipe(records.data(), records.size() * sizeof(FlowRecord));

  DetectionOutputs out;
  TEEPNET_ASSIGN_OR_RETURN(out.operator_report, EncodeOperatorReport(report));
  out.vendor_usage = EncodeVendorUsage(VendorUsage{report.records});
  return out;
}

}  // namespace teepnet::workloads::telemetry
