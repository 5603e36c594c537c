#include "teepnet/workloads/pce/graph.h"

namespace teepnet::workloads::pce {
namespace {

uint64_t PairKey(uint32_t from, uint32_t to) {
  return (uint64_t{from} << 32) | to;
}

// Compressed adjacency: begin[n]..begin[n+1] index into `list`.
void BuildAdjacency(size_t nodes, const std::vector<Arc>& arcs, bool outgoing,
                    std::vector<uint32_t>* begin, std::vector<uint32_t>* list) {
  begin->assign(nodes + 1, 0);
  for (const Arc& a : arcs) ++(*begin)[(outgoing ? a.from : a.to) + 1];
  for (size_t n = 0; n < nodes; ++n) (*begin)[n + 1] += (*begin)[n];
  list->assign(arcs.size(), 0);
  std::vector<uint32_t> fill(begin->begin(), begin->end() - 1);
  for (uint32_t id = 0; id < arcs.size(); ++id) {
    (*list)[fill[outgoing ? arcs[id].from : arcs[id].to]++] = id;
  }
}

}  // namespace

Graph::Graph(const Topology& topology) {
  names_.reserve(topology.nodes.size());
  for (uint32_t i = 0; i < topology.nodes.size(); ++i) {
    names_.push_back(topology.nodes[i].name);
    by_name_.emplace(topology.nodes[i].name, i);
  }
  arcs_.reserve(topology.links.size() * 2);
  for (uint32_t i = 0; i < topology.links.size(); ++i) {
    const Link& l = topology.links[i];
    Arc ab{l.a,          l.b,         i,          0,
           l.igp_metric, l.te_metric, l.delay_us, l.capacity_kbps - l.utilised_ab_kbps};
    Arc ba{l.b,          l.a,         i,          1,
           l.igp_metric, l.te_metric, l.delay_us, l.capacity_kbps - l.utilised_ba_kbps};
    by_pair_.emplace(PairKey(l.a, l.b), 2 * i);
    by_pair_.emplace(PairKey(l.b, l.a), 2 * i + 1);
    arcs_.push_back(ab);
    arcs_.push_back(ba);
  }
  BuildAdjacency(names_.size(), arcs_, true, &out_begin_, &out_);
  BuildAdjacency(names_.size(), arcs_, false, &in_begin_, &in_);
}

std::optional<uint32_t> Graph::FindNode(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> Graph::FindArc(uint32_t from, uint32_t to) const {
  auto it = by_pair_.find(PairKey(from, to));
  if (it == by_pair_.end()) return std::nullopt;
  return it->second;
}

Outcome Resolve(const Graph& graph, const PathRequest& request, Resolved* out) {
  auto src = graph.FindNode(request.src);
  auto dst = graph.FindNode(request.dst);
  if (!src || !dst) return Outcome::kUnknownName;
  out->node_excluded.assign(graph.node_count(), 0);
  out->link_excluded.assign(graph.arc_count() / 2, 0);
  for (const std::string& name : request.exclude_nodes) {
    auto n = graph.FindNode(name);
    if (!n) return Outcome::kUnknownName;
    out->node_excluded[*n] = 1;
  }
  for (const LinkRef& ref : request.exclude_links) {
    auto a = graph.FindNode(ref.a);
    auto b = graph.FindNode(ref.b);
    if (!a || !b) return Outcome::kUnknownName;
    auto arc = graph.FindArc(*a, *b);
    if (!arc) return Outcome::kUnknownName;
    out->link_excluded[graph.arc(*arc).link] = 1;
  }
  if (*src == *dst) return Outcome::kSameEndpoints;
  if (out->node_excluded[*src] || out->node_excluded[*dst]) return Outcome::kExcludedEndpoint;
  out->id = request.id;
  out->src = *src;
  out->dst = *dst;
  out->bandwidth_kbps = request.bandwidth_kbps;
  out->metric = request.metric;
  out->max_delay_us = request.max_delay_us.value_or(UINT64_MAX);
  // A simple path has at most node_count - 1 links, so that is "no bound".
  out->max_hops = request.max_hops.value_or(graph.node_count());
  return Outcome::kFound;
}

std::vector<Reservation> ReservationsOf(const Graph& graph, const Ledger& ledger) {
  std::vector<Reservation> out;
  // Arc ids are 2*link + direction, so id order is (link, direction) order.
  for (uint32_t id = 0; id < graph.arc_count(); ++id) {
    if (ledger.reserved()[id] == 0) continue;
    out.push_back(Reservation{graph.arc(id).link, graph.arc(id).direction, ledger.reserved()[id]});
  }
  return out;
}

}  // namespace teepnet::workloads::pce
