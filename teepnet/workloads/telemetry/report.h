// What the telemetry TA returns, per role (each sealed to that party's reply key by the kit):
//
//   operator: report = {1: records uint, 2: flagged uint, 3: [* id uint], 4: elapsed_ns uint}
//             the flagged record ids in increasing order (the first kMaxReportedIds of them),
//             the exact count, and the TA's own time for decrypting, decoding and scoring;
//   vendor:   usage  = {1: records uint}
//             a usage count for billing: the vendor learns how much it scored, nothing of it.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_REPORT_H_
#define TEEPNET_WORKLOADS_TELEMETRY_REPORT_H_

#include <cstdint>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::workloads::telemetry {

struct OperatorReport {
  uint64_t records = 0;
  uint64_t flagged = 0;
  std::vector<uint64_t> flagged_ids;  // min(flagged, kMaxReportedIds) ids, increasing
  uint64_t elapsed_ns = 0;

  friend bool operator==(const OperatorReport&, const OperatorReport&) = default;
};

struct VendorUsage {
  uint64_t records = 0;

  friend bool operator==(const VendorUsage&, const VendorUsage&) = default;
};

// Both sides check the invariants above (Errc::kMalformed; kTooLarge for the id list), and
// the decoders refuse anything but deterministic CBOR with no trailing bytes.
Result<Bytes> EncodeOperatorReport(const OperatorReport& report);
Result<OperatorReport> DecodeOperatorReport(ByteView bytes);
Bytes EncodeVendorUsage(const VendorUsage& usage);
Result<VendorUsage> DecodeVendorUsage(ByteView bytes);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_REPORT_H_
