// Named limits on what the PCE accepts from its parties. They bound the TA's memory and work
// on one delivery; each is enforced by the decoders with Errc::kTooLarge.
#ifndef TEEPNET_WORKLOADS_PCE_LIMITS_H_
#define TEEPNET_WORKLOADS_PCE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace teepnet::workloads::pce {

// Encoded sizes of the two private inputs and of each output (an output must also fit the
// workload kit's per-role bound, workload::kMaxOutputBytes = 96 KiB).
inline constexpr size_t kMaxTopologyBytes = size_t{2} << 20;
inline constexpr size_t kMaxBatchBytes = size_t{256} << 10;
inline constexpr size_t kMaxOutputBytes = size_t{96} << 10;

inline constexpr size_t kMaxNodes = 4096;
inline constexpr size_t kMaxLinks = 16384;   // physical links; each is two directed arcs
inline constexpr size_t kMaxNameBytes = 32;  // node names: [A-Za-z0-9._-]+
inline constexpr size_t kMaxLabelBytes = 256;
inline constexpr size_t kMaxRequests = 500;
inline constexpr size_t kMaxExclusions = 32;  // nodes, and links, per request
// Upper bounds of the constraint values a request may carry.
inline constexpr uint64_t kMaxDelayBoundUs = 10'000'000;  // 10 s
inline constexpr uint64_t kMaxHopBound = 1024;
// Per-link attribute ranges: a metric or delay of 0 would make a cycle free, and the sums over
// a path (at most kMaxNodes links) must not overflow 64 bits.
inline constexpr uint64_t kMaxMetric = 1'000'000;
inline constexpr uint64_t kMaxLinkDelayUs = 1'000'000;
inline constexpr uint64_t kMaxCapacityKbps = uint64_t{1} << 40;  // ~1 Pb/s
// Labels the exact CSPF search may create for one request (each ~40 bytes, plus its heap
// entry). Pareto sets over (cost, delay, hops) stay small on real topologies; a request that
// needs more fails the batch with Errc::kTooLarge instead of exhausting the TA.
inline constexpr size_t kMaxSearchLabels = size_t{1} << 20;

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_LIMITS_H_
