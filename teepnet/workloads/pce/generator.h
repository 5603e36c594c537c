// Seeded, deterministic generators for the PCE workload's two private inputs: a provider
// topology shaped like a European backbone (core, aggregation and access tiers) and a user's
// batch of path requests against it. The same seed gives the same bytes on every machine.
#ifndef TEEPNET_WORKLOADS_PCE_GENERATOR_H_
#define TEEPNET_WORKLOADS_PCE_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "teepnet/base/result.h"
#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce {

// 12 core sites x 4 aggregation nodes x 5 access nodes = 300 nodes by default.
struct TopologyShape {
  size_t core = 12;  // 3..kMaxCoreSites, one per city
  size_t aggregation_per_core = 4;
  size_t access_per_aggregation = 5;
};
inline constexpr size_t kMaxCoreSites = 12;

// Core nodes sit in European cities and mesh with their nearest neighbours plus a ring;
// aggregation nodes are dual-homed to their own and the nearest other core and ringed per
// site; access nodes are dual-homed to two aggregation nodes, some with a lateral link.
// Capacities by tier (400G / 100G / 40G / 10G), IGP metric = reference bandwidth / capacity,
// delay = fibre propagation over the distance, TE metric = delay-based with a tier penalty,
// and utilisation per direction (some links run hot). Errc::kBadTopology for a bad shape.
Result<Topology> GenerateTopology(uint64_t seed, const TopologyShape& shape, std::string label);

// `count` requests between random access nodes: 50 Mb/s .. 5 Gb/s, every metric, many with a
// delay or hop bound, some excluding a core node or a core link.
Result<RequestBatch> GenerateRequests(const Topology& topology, uint64_t seed, size_t count,
                                      std::string label);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_GENERATOR_H_
