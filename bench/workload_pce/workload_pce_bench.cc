// Paths per second of the PCE workload's CSPF on the generated 300-node backbone (a batch of
// kMaxRequests constrained requests, admitted in order), next to plain Dijkstra on the same
// graph for the same endpoints and metric (no pruning, no bounds, no reservations): the ratio
// is what the constraints cost. Also the whole TA computation (decode both inputs, serve,
// encode both outputs) and the independent check (Yen's k shortest paths) for scale.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "teepnet/workloads/pce/check.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/cspf.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/graph.h"
#include "teepnet/workloads/pce/limits.h"
#include "teepnet/workloads/pce/pce.h"

namespace teepnet::workloads::pce {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "workload_pce_bench: %s\n", what);
  std::abort();
}

struct Inputs {
  Topology topology;
  RequestBatch batch;
  Bytes topology_bytes;
  Bytes batch_bytes;
};

const Inputs& Fixture() {
  static const Inputs* inputs = [] {
    auto t = GenerateTopology(1, TopologyShape{}, "bench");
    if (!t.ok()) Die("topology");
    auto b = GenerateRequests(*t, 1, kMaxRequests, "bench");
    if (!b.ok()) Die("requests");
    auto tb = EncodeTopology(*t);
    auto bb = EncodeBatch(*b);
    if (!tb.ok() || !bb.ok()) Die("encode");
    return new Inputs{*std::move(t), *std::move(b), *std::move(tb), *std::move(bb)};
  }();
  return *inputs;
}

// Textbook Dijkstra (binary heap, stop at the destination), returning the path's arcs.
std::vector<uint32_t> PlainDijkstra(const Graph& g, uint32_t src, uint32_t dst, Metric metric,
                                    std::vector<uint64_t>& dist, std::vector<uint32_t>& via) {
  dist.assign(g.node_count(), UINT64_MAX);
  via.assign(g.node_count(), UINT32_MAX);
  using Entry = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  dist[src] = 0;
  heap.emplace(0, src);
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (u == dst) break;
    if (d != dist[u]) continue;
    for (uint32_t id : g.out_arcs(u)) {
      const Arc& a = g.arc(id);
      const uint64_t nd = d + ArcCost(a, metric);
      if (nd < dist[a.to]) {
        dist[a.to] = nd;
        via[a.to] = id;
        heap.emplace(nd, a.to);
      }
    }
  }
  std::vector<uint32_t> arcs;
  for (uint32_t v = dst; v != src && via[v] != UINT32_MAX; v = g.arc(via[v]).from) {
    arcs.push_back(via[v]);
  }
  return arcs;
}

void BM_CspfBatch(benchmark::State& state) {
  const Inputs& in = Fixture();
  const Graph g(in.topology);
  uint64_t served = 0;
  for (auto _ : state) {
    auto a = ServeBatch(g, in.batch);
    if (!a.ok()) Die("serve");
    served = a->provider.served;
    benchmark::DoNotOptimize(a->user.results.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(in.batch.requests.size()));
  state.counters["served"] = static_cast<double>(served);
  state.counters["nodes"] = static_cast<double>(in.topology.nodes.size());
  state.counters["links"] = static_cast<double>(in.topology.links.size());
}
BENCHMARK(BM_CspfBatch)->Unit(benchmark::kMillisecond);

void BM_PlainDijkstra(benchmark::State& state) {
  const Inputs& in = Fixture();
  const Graph g(in.topology);
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  for (const PathRequest& r : in.batch.requests) {
    ends.emplace_back(*g.FindNode(r.src), *g.FindNode(r.dst));
  }
  std::vector<uint64_t> dist;
  std::vector<uint32_t> via;
  for (auto _ : state) {
    for (size_t i = 0; i < ends.size(); ++i) {
      auto arcs =
          PlainDijkstra(g, ends[i].first, ends[i].second, in.batch.requests[i].metric, dist, via);
      benchmark::DoNotOptimize(arcs.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(ends.size()));
}
BENCHMARK(BM_PlainDijkstra)->Unit(benchmark::kMillisecond);

// The TA's whole computation: strict decoding of both private inputs, the batch, and the two
// outputs' encoding (what pce_ta runs between opening the PD and sealing the outputs).
void BM_TaComputation(benchmark::State& state) {
  const Inputs& in = Fixture();
  uint64_t ns = 0;
  for (auto _ : state) {
    auto out = Run(in.topology_bytes, in.batch_bytes, [&ns] { return ns++; });
    if (!out.ok()) Die("run");
    benchmark::DoNotOptimize(out->user.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(in.batch.requests.size()));
  state.counters["topology_bytes"] = static_cast<double>(in.topology_bytes.size());
  state.counters["batch_bytes"] = static_cast<double>(in.batch_bytes.size());
}
BENCHMARK(BM_TaComputation)->Unit(benchmark::kMillisecond);

// The parties' independent check of the same answer (Yen's k shortest paths per request).
void BM_IndependentCheck(benchmark::State& state) {
  const Inputs& in = Fixture();
  auto served = ServeBatch(Graph(in.topology), in.batch);
  if (!served.ok()) Die("serve");
  const Answer& a = *served;
  size_t ranked = 0;
  for (auto _ : state) {
    auto s = CheckAnswer(in.topology, in.batch, a.user, a.provider);
    if (!s.ok()) Die("check");
    ranked = s->paths_ranked;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(in.batch.requests.size()));
  state.counters["yen_paths_ranked"] = static_cast<double>(ranked);
}
BENCHMARK(BM_IndependentCheck)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace teepnet::workloads::pce

BENCHMARK_MAIN();
