#include "teepnet/workloads/pce/check.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "teepnet/workloads/pce/errc.h"

namespace teepnet::workloads::pce {
namespace {

constexpr uint64_t kInf = UINT64_MAX;

// Breadth-first reachability of dst from src over the arcs `allowed` admits.
template <typename Allowed>
bool Reachable(const Graph& g, uint32_t src, uint32_t dst, Allowed allowed,
               std::vector<uint64_t>* hops_out = nullptr) {
  std::vector<uint64_t> hops(g.node_count(), kInf);
  std::deque<uint32_t> queue{src};
  hops[src] = 0;
  while (!queue.empty()) {
    const uint32_t u = queue.front();
    queue.pop_front();
    for (uint32_t id : g.out_arcs(u)) {
      const uint32_t v = g.arc(id).to;
      if (hops[v] != kInf || !allowed(id)) continue;
      hops[v] = hops[u] + 1;
      queue.push_back(v);
    }
  }
  const bool reached = hops[dst] != kInf;
  if (hops_out) *hops_out = std::move(hops);
  return reached;
}

// The pruned graph of one request, as the check sees it.
struct Pruned {
  const Graph& g;
  const Ledger& ledger;
  const Resolved& r;
  bool operator()(uint32_t arc) const { return Usable(g, ledger, r, arc); }
};

// Forward Dijkstra from src on delay over the pruned graph.
uint64_t MinDelay(const Pruned& p) {
  std::vector<uint64_t> dist(p.g.node_count(), kInf);
  using Entry = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  dist[p.r.src] = 0;
  heap.emplace(0, p.r.src);
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (u == p.r.dst) return d;
    if (d != dist[u]) continue;
    for (uint32_t id : p.g.out_arcs(u)) {
      if (!p(id)) continue;
      const uint32_t v = p.g.arc(id).to;
      if (d + p.g.arc(id).delay_us < dist[v]) {
        dist[v] = d + p.g.arc(id).delay_us;
        heap.emplace(dist[v], v);
      }
    }
  }
  return kInf;
}

// The least delay from each node to dst over at most h arcs. With a hop bound below the
// longest possible simple path this is Bellman-Ford by rounds (row h: at most h arcs; a walk is
// never faster than the simple path inside it, so it is exact for loopless paths too); without
// one it is a single reverse Dijkstra on delay.
class DelayToDst {
 public:
  DelayToDst(const Pruned& p, uint64_t max_hops) : max_hops_(max_hops) {
    const Graph& g = p.g;
    if (max_hops + 1 < g.node_count()) {
      rows_.assign(max_hops + 1, std::vector<uint64_t>(g.node_count(), kInf));
      rows_[0][p.r.dst] = 0;
      for (uint64_t h = 1; h <= max_hops; ++h) {
        rows_[h] = rows_[h - 1];
        for (uint32_t id = 0; id < g.arc_count(); ++id) {
          const Arc& a = g.arc(id);
          if (rows_[h - 1][a.to] == kInf || !p(id)) continue;
          rows_[h][a.from] = std::min(rows_[h][a.from], rows_[h - 1][a.to] + a.delay_us);
        }
      }
      return;
    }
    rows_.assign(1, std::vector<uint64_t>(g.node_count(), kInf));
    std::vector<uint64_t>& dist = rows_[0];
    using Entry = std::pair<uint64_t, uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    dist[p.r.dst] = 0;
    heap.emplace(0, p.r.dst);
    while (!heap.empty()) {
      auto [d, v] = heap.top();
      heap.pop();
      if (d != dist[v]) continue;
      for (uint32_t id : g.in_arcs(v)) {
        const Arc& a = g.arc(id);
        if (!p(id) || d + a.delay_us >= dist[a.from]) continue;
        dist[a.from] = d + a.delay_us;
        heap.emplace(dist[a.from], a.from);
      }
    }
  }

  uint64_t max_hops() const { return max_hops_; }
  uint64_t At(uint64_t hops, uint32_t node) const {
    return rows_[rows_.size() == 1 ? 0 : std::min<uint64_t>(hops, rows_.size() - 1)][node];
  }

 private:
  uint64_t max_hops_;
  std::vector<std::vector<uint64_t>> rows_;
};

struct Candidate {
  uint64_t cost = 0;
  std::vector<uint32_t> nodes;
  friend auto operator<=>(const Candidate&, const Candidate&) = default;
};

// Least-cost path from `from` to dst avoiding blocked nodes and arcs; empty if none.
std::vector<uint32_t> SpurPath(const Pruned& p, uint32_t from, const std::vector<uint8_t>& node_off,
                               const std::set<uint32_t>& arc_off) {
  std::vector<uint64_t> dist(p.g.node_count(), kInf);
  std::vector<uint32_t> via(p.g.node_count(), UINT32_MAX);
  using Entry = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  dist[from] = 0;
  heap.emplace(0, from);
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (d != dist[u]) continue;
    if (u == p.r.dst) break;
    for (uint32_t id : p.g.out_arcs(u)) {
      const Arc& a = p.g.arc(id);
      if (node_off[a.to] || arc_off.count(id) || !p(id)) continue;
      const uint64_t nd = d + ArcCost(a, p.r.metric);
      if (nd < dist[a.to]) {
        dist[a.to] = nd;
        via[a.to] = u;
        heap.emplace(nd, a.to);
      }
    }
  }
  std::vector<uint32_t> nodes;
  if (dist[p.r.dst] == kInf) return nodes;
  for (uint32_t v = p.r.dst; v != from; v = via[v]) nodes.push_back(v);
  nodes.push_back(from);
  std::reverse(nodes.begin(), nodes.end());
  return nodes;
}

struct Sums {
  uint64_t cost = 0;
  uint64_t delay = 0;
};

Sums SumsOf(const Graph& g, Metric metric, const std::vector<uint32_t>& nodes, size_t upto) {
  Sums s;
  for (size_t i = 0; i + 1 < nodes.size() && i < upto; ++i) {
    const Arc& a = g.arc(*g.FindArc(nodes[i], nodes[i + 1]));
    s.cost += ArcCost(a, metric);
    s.delay += a.delay_us;
  }
  return s;
}

// Yen's algorithm over cost until the first path within both bounds.
Result<Reference> YenFirstFeasible(const Pruned& p, const DelayToDst& to_dst, size_t max_paths) {
  const Graph& g = p.g;
  const uint64_t max_hops = to_dst.max_hops();
  std::vector<uint32_t> first = SpurPath(p, p.r.src, std::vector<uint8_t>(g.node_count(), 0), {});
  if (first.empty()) {
    return Error(Errc::kWrongAnswer,
                 "check: no path although dst is reachable (inconsistent check)");
  }
  std::set<Candidate> candidates;
  std::set<std::vector<uint32_t>> ranked;
  // For every root (path prefix) of a ranked path, the next nodes ranked paths took from it:
  // Yen blocks those arcs at the spur node so each root yields a new path.
  std::map<std::vector<uint32_t>, std::set<uint32_t>> taken;
  candidates.insert(Candidate{SumsOf(g, p.r.metric, first, SIZE_MAX).cost, first});
  Reference ref;
  while (!candidates.empty()) {
    Candidate path = *candidates.begin();
    candidates.erase(candidates.begin());
    if (++ref.paths_ranked > max_paths) {
      return Error(Errc::kCheckBudget,
                   "check: more than " + std::to_string(max_paths) + " paths ranked");
    }
    const Sums sums = SumsOf(g, p.r.metric, path.nodes, SIZE_MAX);
    if (path.nodes.size() - 1 <= max_hops && sums.delay <= p.r.max_delay_us) {
      ref.cost = path.cost;
      return ref;
    }
    ranked.insert(path.nodes);
    for (size_t i = 0; i + 1 < path.nodes.size(); ++i) {
      taken[std::vector<uint32_t>(path.nodes.begin(),
                                  path.nodes.begin() + static_cast<ptrdiff_t>(i + 1))]
          .insert(path.nodes[i + 1]);
    }
    std::vector<uint8_t> node_off(g.node_count(), 0);
    for (size_t i = 0; i + 1 < path.nodes.size(); ++i) {
      const uint32_t spur = path.nodes[i];
      const std::vector<uint32_t> root(path.nodes.begin(),
                                       path.nodes.begin() + static_cast<ptrdiff_t>(i + 1));
      if (i > 0) node_off[path.nodes[i - 1]] = 1;  // the root's nodes before the spur
      const Sums root_sums = SumsOf(g, p.r.metric, path.nodes, i);
      // Every path under this root has i arcs so far and needs the rest within the bounds.
      if (i >= max_hops || to_dst.At(max_hops - i, spur) == kInf ||
          root_sums.delay + to_dst.At(max_hops - i, spur) > p.r.max_delay_us) {
        continue;
      }
      std::set<uint32_t> arc_off;
      for (uint32_t next : taken[root]) arc_off.insert(*g.FindArc(spur, next));
      std::vector<uint32_t> spur_path = SpurPath(p, spur, node_off, arc_off);
      if (spur_path.empty()) continue;
      Candidate c;
      c.nodes = root;
      c.nodes.insert(c.nodes.end(), spur_path.begin() + 1, spur_path.end());
      c.cost = root_sums.cost + SumsOf(g, p.r.metric, spur_path, SIZE_MAX).cost;
      if (!ranked.count(c.nodes)) candidates.insert(std::move(c));
    }
  }
  return Error(Errc::kWrongAnswer,
               "check: no loopless path meets both bounds although a "
               "hop-bounded walk does (inconsistent check)");
}

Error Wrong(const PathRequest& req, std::string what) {
  return Error(Errc::kWrongAnswer, "request " + std::to_string(req.id) + ": " + std::move(what));
}

// The path of a found result as arcs, or why it is not a valid path for the request.
Result<std::vector<uint32_t>> ValidatePath(const Graph& g, const Ledger& ledger, const Resolved& r,
                                           const PathRequest& req, const PathResult& res) {
  if (res.nodes.size() < 2) return Wrong(req, "a found path needs at least two nodes");
  std::vector<uint32_t> nodes;
  std::vector<uint8_t> seen(g.node_count(), 0);
  for (const std::string& name : res.nodes) {
    auto n = g.FindNode(name);
    if (!n) return Wrong(req, "path names an unknown node");
    if (seen[*n]) return Wrong(req, "path visits " + name + " twice");
    seen[*n] = 1;
    nodes.push_back(*n);
  }
  if (nodes.front() != r.src || nodes.back() != r.dst) {
    return Wrong(req, "path does not run from src to dst");
  }
  std::vector<uint32_t> arcs;
  uint64_t cost = 0;
  uint64_t delay = 0;
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    auto arc = g.FindArc(nodes[i], nodes[i + 1]);
    if (!arc) return Wrong(req, "no link joins " + res.nodes[i] + " and " + res.nodes[i + 1]);
    if (!Usable(g, ledger, r, *arc)) {
      return Wrong(req, "the link " + res.nodes[i] + " -> " + res.nodes[i + 1] +
                            " is excluded or lacks the bandwidth");
    }
    cost += ArcCost(g.arc(*arc), r.metric);
    delay += g.arc(*arc).delay_us;
    arcs.push_back(*arc);
  }
  if (arcs.size() > r.max_hops) return Wrong(req, "path exceeds max_hops");
  if (delay > r.max_delay_us) return Wrong(req, "path exceeds max_delay_us");
  if (cost != res.cost) return Wrong(req, "reported cost is not the path's cost");
  if (delay != res.delay_us) return Wrong(req, "reported delay is not the path's delay");
  return arcs;
}

}  // namespace

Result<Reference> ReferenceOptimum(const Graph& g, const Ledger& ledger, const Resolved& r,
                                   size_t max_paths) {
  Reference ref;
  const auto not_excluded = [&](uint32_t id) {
    const Arc& a = g.arc(id);
    return !r.link_excluded[a.link] && !r.node_excluded[a.to];
  };
  if (!Reachable(g, r.src, r.dst, not_excluded)) {
    ref.outcome = Outcome::kExcluded;
    return ref;
  }
  const Pruned pruned{g, ledger, r};
  std::vector<uint64_t> hops;
  if (!Reachable(g, r.src, r.dst, pruned, &hops)) {
    ref.outcome = Outcome::kBandwidth;
    return ref;
  }
  if (hops[r.dst] > r.max_hops) {
    ref.outcome = Outcome::kHopLimit;
    return ref;
  }
  if (MinDelay(pruned) > r.max_delay_us) {
    ref.outcome = Outcome::kDelayLimit;
    return ref;
  }
  const uint64_t max_hops = std::min<uint64_t>(r.max_hops, g.node_count() - 1);
  const DelayToDst to_dst(pruned, max_hops);
  if (to_dst.At(max_hops, r.src) > r.max_delay_us) {
    ref.outcome = Outcome::kDelayAndHopLimit;
    return ref;
  }
  return YenFirstFeasible(pruned, to_dst, max_paths);
}

Result<CheckSummary> CheckAnswer(const Topology& topology, const RequestBatch& batch,
                                 const UserOutput& user, const ProviderOutput& provider,
                                 size_t max_paths) {
  TEEPNET_RETURN_IF_ERROR(ValidateTopology(topology));
  TEEPNET_RETURN_IF_ERROR(ValidateBatch(batch));
  if (user.results.size() != batch.requests.size()) {
    return Error(Errc::kWrongAnswer, "check: " + std::to_string(user.results.size()) +
                                         " results for " + std::to_string(batch.requests.size()) +
                                         " requests");
  }
  const Graph g(topology);
  Ledger ledger(g);
  CheckSummary summary;
  summary.requests = batch.requests.size();
  summary.compute_ns = user.compute_ns;
  for (size_t i = 0; i < batch.requests.size(); ++i) {
    const PathRequest& req = batch.requests[i];
    const PathResult& res = user.results[i];
    if (res.id != req.id) return Wrong(req, "result " + std::to_string(i) + " has another id");
    Resolved r;
    Reference ref;
    ref.outcome = Resolve(g, req, &r);
    if (ref.outcome == Outcome::kFound) {
      TEEPNET_ASSIGN_OR_RETURN(ref, ReferenceOptimum(g, ledger, r, max_paths));
      summary.paths_ranked += ref.paths_ranked;
    }
    if (res.outcome != ref.outcome) {
      return Wrong(req, "the answer says " + std::string(OutcomeName(res.outcome)) +
                            ", the check finds " + std::string(OutcomeName(ref.outcome)));
    }
    ++summary.outcomes[static_cast<size_t>(ref.outcome)];
    if (ref.outcome != Outcome::kFound) continue;
    TEEPNET_ASSIGN_OR_RETURN(std::vector<uint32_t> arcs, ValidatePath(g, ledger, r, req, res));
    if (res.cost != ref.cost) {
      return Wrong(req, "path cost " + std::to_string(res.cost) + " is not the optimum " +
                            std::to_string(ref.cost));
    }
    ledger.Reserve(arcs, req.bandwidth_kbps);
    ++summary.served;
  }
  if (provider.requests != summary.requests || provider.served != summary.served) {
    return Error(Errc::kWrongAnswer, "check: the provider's counts differ from the user's paths");
  }
  if (provider.compute_ns != user.compute_ns) {
    return Error(Errc::kWrongAnswer, "check: the two outputs report different compute times");
  }
  if (provider.reservations != ReservationsOf(g, ledger)) {
    return Error(Errc::kWrongAnswer,
                 "check: the provider's reservations are not those of the user's paths");
  }
  return summary;
}

}  // namespace teepnet::workloads::pce
