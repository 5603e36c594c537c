#include "teepnet/workloads/pce/cspf.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <queue>
#include <string>
#include <tuple>
#include <utility>

#include "teepnet/workloads/pce/errc.h"

namespace teepnet::workloads::pce {
namespace {

constexpr uint64_t kInf = UINT64_MAX;

// Least delay from every node to the destination on the pruned graph (reverse Dijkstra).
void ReverseDelays(const Graph& g, const Ledger& ledger, const Resolved& r,
                   std::vector<uint64_t>* dist) {
  dist->assign(g.node_count(), kInf);
  using Entry = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  (*dist)[r.dst] = 0;
  heap.emplace(0, r.dst);
  while (!heap.empty()) {
    auto [d, v] = heap.top();
    heap.pop();
    if (d != (*dist)[v]) continue;
    for (uint32_t id : g.in_arcs(v)) {
      if (!Usable(g, ledger, r, id)) continue;
      const uint32_t u = g.arc(id).from;
      const uint64_t nd = d + g.arc(id).delay_us;
      if (nd < (*dist)[u]) {
        (*dist)[u] = nd;
        heap.emplace(nd, u);
      }
    }
  }
}

}  // namespace

Cspf::Cspf(const Graph& graph, size_t max_labels)
    : graph_(graph), max_labels_(max_labels), live_(graph.node_count()) {}

void Cspf::GrowReverseTree(const Resolved& r, const Ledger& ledger, uint32_t stop) {
  // Lexicographic weights are still non-negative and additive, so Dijkstra stays exact; the
  // order matches the search's tie-break (cost, then delay, then hops).
  const auto later = std::greater<std::pair<TreeKey, uint32_t>>();
  while (!tree_heap_.empty()) {
    std::pop_heap(tree_heap_.begin(), tree_heap_.end(), later);
    const auto [key, v] = tree_heap_.back();
    tree_heap_.pop_back();
    if (key != TreeKey{to_dst_cost_[v], tree_delay_[v], tree_hops_[v]}) continue;
    for (uint32_t id : graph_.in_arcs(v)) {
      if (!Usable(graph_, ledger, r, id)) continue;
      const Arc& a = graph_.arc(id);
      const TreeKey next{std::get<0>(key) + ArcCost(a, r.metric), std::get<1>(key) + a.delay_us,
                         std::get<2>(key) + 1};
      if (next < TreeKey{to_dst_cost_[a.from], tree_delay_[a.from], tree_hops_[a.from]}) {
        std::tie(to_dst_cost_[a.from], tree_delay_[a.from], tree_hops_[a.from]) = next;
        tree_next_[a.from] = id;
        tree_heap_.emplace_back(next, a.from);
        std::push_heap(tree_heap_.begin(), tree_heap_.end(), later);
      }
    }
    if (v == stop) return;  // settled, and its arcs relaxed so that a later call can go on
  }
}

void Cspf::ReverseBounds(const Resolved& r, const Ledger& ledger) {
  if (r.max_delay_us == UINT64_MAX) {
    to_dst_delay_.assign(graph_.node_count(), 0);  // no bound to meet
  } else {
    ReverseDelays(graph_, ledger, r, &to_dst_delay_);
  }
  // Hops: breadth-first, backwards from the destination.
  to_dst_hops_.assign(graph_.node_count(), kInf);
  to_dst_hops_[r.dst] = 0;
  bfs_.assign(1, r.dst);
  for (size_t at = 0; at < bfs_.size(); ++at) {
    const uint32_t v = bfs_[at];
    for (uint32_t id : graph_.in_arcs(v)) {
      const uint32_t u = graph_.arc(id).from;
      if (to_dst_hops_[u] != kInf || !Usable(graph_, ledger, r, id)) continue;
      to_dst_hops_[u] = to_dst_hops_[v] + 1;
      bfs_.push_back(u);
    }
  }
}

bool Cspf::ReachableIgnoringBandwidth(const Resolved& r) {
  std::vector<uint8_t> seen(graph_.node_count(), 0);
  std::deque<uint32_t> queue{r.src};
  seen[r.src] = 1;
  while (!queue.empty()) {
    const uint32_t u = queue.front();
    queue.pop_front();
    if (u == r.dst) return true;
    for (uint32_t id : graph_.out_arcs(u)) {
      const Arc& a = graph_.arc(id);
      if (r.link_excluded[a.link] || r.node_excluded[a.to] || seen[a.to]) continue;
      seen[a.to] = 1;
      queue.push_back(a.to);
    }
  }
  return false;
}

bool Cspf::AdmitAt(uint32_t node, uint64_t cost, uint64_t delay, uint32_t hops) {
  std::vector<uint32_t>& live = live_[node];
  for (uint32_t id : live) {
    const Label& l = labels_[id];
    if (l.cost <= cost && l.delay <= delay && l.hops <= hops) return false;
  }
  std::erase_if(live, [&](uint32_t id) {
    Label& l = labels_[id];
    if (cost <= l.cost && delay <= l.delay && hops <= l.hops) {
      l.dead = true;
      return true;
    }
    return false;
  });
  return true;
}

Result<Path> Cspf::Search(const Resolved& r, const Ledger& ledger) {
  labels_.clear();
  for (auto& live : live_) live.clear();
  // (cost + bound to dst, delay, hops, label): the bound is a reverse shortest-path distance,
  // hence consistent, so the first destination label popped is of least cost.
  using Entry = std::tuple<uint64_t, uint64_t, uint32_t, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  labels_.push_back(Label{0, 0, 0, r.src, kNone, 0, false});
  live_[r.src].push_back(0);
  heap.emplace(to_dst_cost_[r.src], 0, 0, 0);
  while (!heap.empty()) {
    const uint32_t id = std::get<3>(heap.top());
    heap.pop();
    if (labels_[id].dead) continue;
    const Label label = labels_[id];
    if (label.node == r.dst) {
      Path path;
      path.cost = label.cost;
      path.delay_us = label.delay;
      for (uint32_t at = id; labels_[at].pred != kNone; at = labels_[at].pred) {
        path.arcs.push_back(labels_[at].arc);
      }
      std::reverse(path.arcs.begin(), path.arcs.end());
      return path;
    }
    for (uint32_t arc_id : graph_.out_arcs(label.node)) {
      if (!Usable(graph_, ledger, r, arc_id)) continue;
      const Arc& arc = graph_.arc(arc_id);
      const uint32_t v = arc.to;
      if (to_dst_cost_[v] == kInf) continue;  // the destination is out of reach from v
      const uint64_t cost = label.cost + ArcCost(arc, r.metric);
      const uint64_t delay = label.delay + arc.delay_us;
      const uint32_t hops = label.hops + 1;
      // Bounds that the cheapest completion cannot meet are already lost.
      if (delay + to_dst_delay_[v] > r.max_delay_us || hops + to_dst_hops_[v] > r.max_hops) {
        continue;
      }
      if (!AdmitAt(v, cost, delay, hops)) continue;
      if (labels_.size() >= max_labels_) {
        return Error(Errc::kTooLarge, "cspf: request " + std::to_string(r.id) +
                                          " needs more than " + std::to_string(max_labels_) +
                                          " search labels");
      }
      const auto next = static_cast<uint32_t>(labels_.size());
      labels_.push_back(Label{cost, delay, hops, v, id, arc_id, false});
      live_[v].push_back(next);
      heap.emplace(cost + to_dst_cost_[v], delay, hops, next);
    }
  }
  // Both bounds can be met on their own (checked before the search), but not together.
  return Path{Outcome::kDelayAndHopLimit, {}, 0, 0};
}

Result<Path> Cspf::Compute(const Resolved& r, const Ledger& ledger) {
  labels_.clear();
  const size_t n = graph_.node_count();
  to_dst_cost_.assign(n, kInf);
  tree_delay_.assign(n, kInf);
  tree_hops_.assign(n, kInf);
  tree_next_.assign(n, kNone);
  to_dst_cost_[r.dst] = tree_delay_[r.dst] = tree_hops_[r.dst] = 0;
  tree_heap_.assign(1, {TreeKey{0, 0, 0}, r.dst});
  GrowReverseTree(r, ledger, r.src);
  if (to_dst_cost_[r.src] != kInf && tree_delay_[r.src] <= r.max_delay_us &&
      tree_hops_[r.src] <= r.max_hops) {
    // The least-cost path already meets both bounds: nothing can beat it.
    Path path;
    path.cost = to_dst_cost_[r.src];
    path.delay_us = tree_delay_[r.src];
    for (uint32_t v = r.src; v != r.dst; v = graph_.arc(tree_next_[v]).to) {
      path.arcs.push_back(tree_next_[v]);
    }
    return path;
  }
  GrowReverseTree(r, ledger, kNone);  // the search's bound needs every node's cost
  ReverseBounds(r, ledger);
  if (to_dst_hops_[r.src] == kInf) {
    return Path{ReachableIgnoringBandwidth(r) ? Outcome::kBandwidth : Outcome::kExcluded, {}, 0, 0};
  }
  if (to_dst_hops_[r.src] > r.max_hops) return Path{Outcome::kHopLimit, {}, 0, 0};
  if (to_dst_delay_[r.src] > r.max_delay_us) return Path{Outcome::kDelayLimit, {}, 0, 0};
  return Search(r, ledger);
}

Result<Answer> ServeBatch(const Graph& graph, const RequestBatch& batch) {
  Answer answer;
  Cspf cspf(graph);
  Ledger ledger(graph);
  answer.user.results.reserve(batch.requests.size());
  for (const PathRequest& request : batch.requests) {
    PathResult result;
    result.id = request.id;
    Resolved resolved;
    result.outcome = Resolve(graph, request, &resolved);
    if (result.outcome == Outcome::kFound) {
      TEEPNET_ASSIGN_OR_RETURN(Path path, cspf.Compute(resolved, ledger));
      result.outcome = path.outcome;
      if (path.outcome == Outcome::kFound) {
        ledger.Reserve(path.arcs, request.bandwidth_kbps);
        result.nodes.push_back(graph.name(resolved.src));
        for (uint32_t a : path.arcs) result.nodes.push_back(graph.name(graph.arc(a).to));
        result.cost = path.cost;
        result.delay_us = path.delay_us;
        ++answer.provider.served;
      }
    }
    answer.user.results.push_back(std::move(result));
  }
  answer.provider.requests = batch.requests.size();
  answer.provider.reservations = ReservationsOf(graph, ledger);
  return answer;
}

}  // namespace teepnet::workloads::pce
