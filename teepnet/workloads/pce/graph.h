// The directed graph the path computations run on: each physical link of a validated
// Topology becomes two arcs (id 2*link for a -> b, 2*link+1 for b -> a), with adjacency lists
// both ways and name lookups. Also the interpretation of a request against it (Resolve) and
// the admission state of a batch (Ledger), which the CSPF and the independent check share.
#ifndef TEEPNET_WORKLOADS_PCE_GRAPH_H_
#define TEEPNET_WORKLOADS_PCE_GRAPH_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce {

struct Arc {
  uint32_t from = 0;
  uint32_t to = 0;
  uint32_t link = 0;
  uint8_t direction = 0;  // 0: a -> b
  uint32_t igp_metric = 0;
  uint32_t te_metric = 0;
  uint32_t delay_us = 0;
  uint64_t free_kbps = 0;  // capacity - utilisation in this direction
};

inline uint64_t ArcCost(const Arc& arc, Metric metric) {
  switch (metric) {
    case Metric::kIgp: return arc.igp_metric;
    case Metric::kTe: return arc.te_metric;
    case Metric::kDelay: return arc.delay_us;
  }
  return arc.igp_metric;
}

class Graph {
 public:
  // `topology` must have passed ValidateTopology.
  explicit Graph(const Topology& topology);

  size_t node_count() const { return names_.size(); }
  size_t arc_count() const { return arcs_.size(); }
  const Arc& arc(uint32_t id) const { return arcs_[id]; }
  std::span<const uint32_t> out_arcs(uint32_t node) const {
    return {out_.data() + out_begin_[node], out_.data() + out_begin_[node + 1]};
  }
  std::span<const uint32_t> in_arcs(uint32_t node) const {
    return {in_.data() + in_begin_[node], in_.data() + in_begin_[node + 1]};
  }
  const std::string& name(uint32_t node) const { return names_[node]; }
  std::optional<uint32_t> FindNode(std::string_view name) const;
  // The arc from -> to, if a link joins them.
  std::optional<uint32_t> FindArc(uint32_t from, uint32_t to) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, uint32_t, std::less<>> by_name_;
  std::vector<Arc> arcs_;
  std::vector<uint32_t> out_begin_, out_;
  std::vector<uint32_t> in_begin_, in_;
  std::unordered_map<uint64_t, uint32_t> by_pair_;
};

// A request interpreted against a graph: endpoints and exclusions as indices, bounds as numbers
// (an absent bound is no bound).
struct Resolved {
  uint32_t id = 0;  // the request's
  uint32_t src = 0;
  uint32_t dst = 0;
  std::vector<uint8_t> node_excluded;  // per node
  std::vector<uint8_t> link_excluded;  // per physical link
  uint64_t bandwidth_kbps = 0;
  Metric metric = Metric::kIgp;
  uint64_t max_delay_us = 0;
  uint64_t max_hops = 0;
};

// kFound with *out filled, or the first of kUnknownName, kSameEndpoints, kExcludedEndpoint
// that applies (model.h, Outcome).
Outcome Resolve(const Graph& graph, const PathRequest& request, Resolved* out);

// Bandwidth reserved so far in a batch, per arc.
class Ledger {
 public:
  explicit Ledger(const Graph& graph) : reserved_(graph.arc_count(), 0) {}
  uint64_t Available(const Graph& graph, uint32_t arc) const {
    return graph.arc(arc).free_kbps - reserved_[arc];
  }
  // The caller has checked Available(arc) >= kbps on every arc.
  void Reserve(std::span<const uint32_t> arcs, uint64_t kbps) {
    for (uint32_t a : arcs) reserved_[a] += kbps;
  }
  const std::vector<uint64_t>& reserved() const { return reserved_; }

 private:
  std::vector<uint64_t> reserved_;
};

// Whether the CSPF may use `arc` for `request` (the pruning step): neither the link nor the
// head node is excluded, and the arc has the requested bandwidth available.
inline bool Usable(const Graph& graph, const Ledger& ledger, const Resolved& r, uint32_t arc) {
  const Arc& a = graph.arc(arc);
  return !r.link_excluded[a.link] && !r.node_excluded[a.to] && !r.node_excluded[a.from] &&
         ledger.Available(graph, arc) >= r.bandwidth_kbps;
}

// Reservations for the provider's output: every arc with bandwidth reserved, by (link, dir).
std::vector<Reservation> ReservationsOf(const Graph& graph, const Ledger& ledger);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_GRAPH_H_
