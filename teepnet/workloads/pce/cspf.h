// Constrained shortest path first (CSPF), as a PCE runs it (RFC 4655 §4.1; the constraints are
// those of PCEP's BANDWIDTH, METRIC bound, and exclusion objects, RFC 5440 §7.7-7.8, RFC 5521):
//
//  1. prune: drop arcs whose link or end node is excluded, and arcs whose available bandwidth
//     (capacity - utilisation - what this batch already reserved) is below the request's;
//  2. search: the path of least cost in the request's metric among those with at most
//     max_hops links and at most max_delay_us delay. When the least-cost path of the pruned
//     graph (one reverse Dijkstra) meets both bounds it is the answer; otherwise the exact
//     search runs: label setting over
//     (cost, delay, hops) with Pareto dominance at each node, ordered by cost plus an
//     admissible bound to the destination (reverse Dijkstra on the pruned graph), and
//     extensions that can no longer meet a bound (by reverse delay / hop distances) discarded.
//
// When no path exists the outcome names the first reason that applies (model.h, Outcome).
#ifndef TEEPNET_WORKLOADS_PCE_CSPF_H_
#define TEEPNET_WORKLOADS_PCE_CSPF_H_

#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/workloads/pce/graph.h"
#include "teepnet/workloads/pce/limits.h"
#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce {

struct Path {
  Outcome outcome = Outcome::kFound;
  std::vector<uint32_t> arcs;  // src -> dst when found
  uint64_t cost = 0;
  uint64_t delay_us = 0;
};

class Cspf {
 public:
  explicit Cspf(const Graph& graph, size_t max_labels = kMaxSearchLabels);

  // The constrained shortest path for `request` on the arcs `ledger` leaves enough bandwidth.
  // Reserves nothing. Equal-cost ties go to the lower delay, then fewer hops. Errc::kTooLarge
  // when the search would need more than max_labels labels.
  Result<Path> Compute(const Resolved& request, const Ledger& ledger);

  // Labels created by the last Compute (work done, for benchmarks and tests).
  size_t labels_created() const { return labels_.size(); }

 private:
  struct Label {
    uint64_t cost;
    uint64_t delay;
    uint32_t hops;
    uint32_t node;
    uint32_t pred;  // label index, kNone for the source
    uint32_t arc;
    bool dead;
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // Least (cost, delay, hops), compared in that order, from every node to the destination on
  // the pruned graph, with the first arc of that path. Grows the tree until `stop` is settled
  // (kNone: until every node is); a later call continues where the last one stopped.
  void GrowReverseTree(const Resolved& r, const Ledger& ledger, uint32_t stop);
  void ReverseBounds(const Resolved& r, const Ledger& ledger);
  bool ReachableIgnoringBandwidth(const Resolved& r);
  Result<Path> Search(const Resolved& r, const Ledger& ledger);
  // False when an existing label at `node` dominates (cost, delay, hops); otherwise retires
  // the labels the new one dominates.
  bool AdmitAt(uint32_t node, uint64_t cost, uint64_t delay, uint32_t hops);

  const Graph& graph_;
  const size_t max_labels_;
  // The reverse tree (ReverseTree): its cost is also the search's admissible bound.
  std::vector<uint64_t> to_dst_cost_;
  std::vector<uint64_t> tree_delay_;
  std::vector<uint64_t> tree_hops_;
  std::vector<uint32_t> tree_next_;
  using TreeKey = std::tuple<uint64_t, uint64_t, uint64_t>;
  std::vector<std::pair<TreeKey, uint32_t>> tree_heap_;  // a min-heap (std::greater)
  // Lower bounds to the destination on the pruned graph, for the bounds the request has.
  std::vector<uint64_t> to_dst_delay_;
  std::vector<uint64_t> to_dst_hops_;
  std::vector<uint32_t> bfs_;  // the breadth-first queue, reused
  std::vector<Label> labels_;
  std::vector<std::vector<uint32_t>> live_;  // per node: labels not dominated
};

struct Answer {
  UserOutput user;
  ProviderOutput provider;
};

// Serves the batch in order (RequestBatch), reserving each found path's bandwidth before the
// next request. compute_ns is left 0 for the caller to fill. The batch must have passed
// ValidateBatch and the graph's topology ValidateTopology. Fails only on kMaxSearchLabels.
Result<Answer> ServeBatch(const Graph& graph, const RequestBatch& batch);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_CSPF_H_
