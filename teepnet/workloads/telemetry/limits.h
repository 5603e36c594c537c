// Named limits on what the telemetry TA accepts from its parties. They bound memory and work
// for one run, and each has an error (Errc::kTooLarge) that names it.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_LIMITS_H_
#define TEEPNET_WORKLOADS_TELEMETRY_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace teepnet::workloads::telemetry {

// --- The vendor's model ---------------------------------------------------------------------
inline constexpr size_t kMaxModelBytes = size_t{1} << 20;
inline constexpr size_t kMaxModelNameBytes = 256;
inline constexpr size_t kMaxComponents = 64;
// Bound on every mean, factor entry, bias and the threshold: with features below 64 (log2 of
// 48-bit counters, ratios), no score can overflow a double.
inline constexpr double kMaxParameterMagnitude = 1e6;

// --- The operator's telemetry -----------------------------------------------------------------
inline constexpr size_t kDataKeyBytes = 32;  // AES-256-GCM
inline constexpr size_t kBatchIdBytes = 16;
inline constexpr size_t kMaxSiteBytes = 256;
inline constexpr size_t kMaxRecordsPerChunk = 4096;
inline constexpr size_t kDefaultRecordsPerChunk = 1024;
inline constexpr size_t kMaxChunks = 1024;
inline constexpr size_t kMaxRecords = kMaxRecordsPerChunk * 256;  // 1 Mi flows per run
// The bulk as it travels: within the sealed-PD budget of the M/OC inbox.
inline constexpr size_t kMaxBulkBytes = size_t{48} << 20;
// Flow counters stay below 2^48 so every derived feature is computed from exact doubles.
inline constexpr uint64_t kMaxCounter = uint64_t{1} << 48;
// Flow ids are 32-bit, as an exporter's flow sequence numbers are, so a report of ids is small.
inline constexpr uint64_t kMaxRecordId = 0xffffffff;

// --- The outputs ------------------------------------------------------------------------------
// The operator's report lists at most this many flagged ids (5 CBOR bytes each at most for
// ids below 2^32): it must fit workload::kMaxOutputBytes. The count is always exact.
inline constexpr size_t kMaxReportedIds = 16384;

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_LIMITS_H_
