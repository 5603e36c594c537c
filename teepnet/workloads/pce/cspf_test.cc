#include "teepnet/workloads/pce/cspf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/pce/check.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/graph.h"
#include "teepnet/workloads/pce/test_util.h"

namespace teepnet::workloads::pce {
namespace {

using testing::Between;
using testing::Drawn;

// n0 -> n3 three ways:   n0-n1-n3        IGP 2,  delay 20, 2 hops (cheap, slow)
//                        n0-n2-n3        IGP 10, delay 2,  2 hops (dear, fast)
//                        n0-n4-n5-n6-n3  IGP 8,  delay 8,  4 hops
Topology Diamond() {
  return Drawn(7, {{0, 1, 1, 10},
                   {1, 3, 1, 10},
                   {0, 2, 5, 1},
                   {2, 3, 5, 1},
                   {0, 4, 2, 2},
                   {4, 5, 2, 2},
                   {5, 6, 2, 2},
                   {6, 3, 2, 2}});
}

PathResult ServeOne(const Topology& t, const PathRequest& request) {
  const Graph g(t);
  return ServeBatch(g, RequestBatch{"one", {request}})->user.results.at(0);
}

using Nodes = std::vector<std::string>;

TEST(Cspf, FindsTheCheapestPathInTheRequestedMetric) {
  PathRequest r = Between(1, 0, 3);
  r.metric = Metric::kIgp;
  PathResult igp = ServeOne(Diamond(), r);
  EXPECT_EQ(igp.outcome, Outcome::kFound);
  EXPECT_EQ(igp.nodes, (Nodes{"n0", "n1", "n3"}));
  EXPECT_EQ(igp.cost, 2u);
  EXPECT_EQ(igp.delay_us, 20u);

  r.metric = Metric::kDelay;
  PathResult delay = ServeOne(Diamond(), r);
  EXPECT_EQ(delay.nodes, (Nodes{"n0", "n2", "n3"}));
  EXPECT_EQ(delay.cost, 2u);

  r.metric = Metric::kTe;  // IGP + delay per link: 22, 12, 16
  EXPECT_EQ(ServeOne(Diamond(), r).nodes, (Nodes{"n0", "n2", "n3"}));
}

TEST(Cspf, TakesACostlierPathToMeetTheDelayBound) {
  PathRequest r = Between(1, 0, 3);
  r.max_delay_us = 10;
  PathResult p = ServeOne(Diamond(), r);
  EXPECT_EQ(p.nodes, (Nodes{"n0", "n4", "n5", "n6", "n3"}));
  EXPECT_EQ(p.cost, 8u);
}

TEST(Cspf, TakesACostlierPathToMeetBothBounds) {
  PathRequest r = Between(1, 0, 3);
  r.max_delay_us = 10;
  r.max_hops = 3;
  PathResult p = ServeOne(Diamond(), r);
  EXPECT_EQ(p.nodes, (Nodes{"n0", "n2", "n3"}));
  EXPECT_EQ(p.cost, 10u);
}

TEST(Cspf, RoutesAroundALinkWithoutTheBandwidth) {
  Topology t = Diamond();
  t.links[0].utilised_ab_kbps = 9'500;  // n0 -> n1 has 500 kb/s left, n1 -> n0 all of it
  PathRequest r = Between(1, 0, 3);
  EXPECT_EQ(ServeOne(t, r).nodes, (Nodes{"n0", "n4", "n5", "n6", "n3"}));
  // The other direction still has the bandwidth.
  EXPECT_EQ(ServeOne(t, Between(2, 3, 0)).nodes, (Nodes{"n3", "n1", "n0"}));
}

TEST(Cspf, AvoidsExcludedNodesAndLinks) {
  PathRequest r = Between(1, 0, 3);
  r.exclude_nodes = {"n1"};
  EXPECT_EQ(ServeOne(Diamond(), r).nodes, (Nodes{"n0", "n4", "n5", "n6", "n3"}));
  r.exclude_nodes.clear();
  r.exclude_links = {LinkRef{"n3", "n1"}};  // either order names the link
  EXPECT_EQ(ServeOne(Diamond(), r).nodes, (Nodes{"n0", "n4", "n5", "n6", "n3"}));
}

TEST(Cspf, SaysWhyThereIsNoPath) {
  struct Case {
    std::string name;
    std::function<void(PathRequest&)> edit;
    Outcome outcome;
  };
  const std::vector<Case> cases = {
      {"unknown dst", [](PathRequest& r) { r.dst = "n99"; }, Outcome::kUnknownName},
      {"unknown exclusion",
       [](PathRequest& r) {
         r.exclude_links = {{"n0", "n3"}};
       },
       Outcome::kUnknownName},
      {"same", [](PathRequest& r) { r.dst = "n0"; }, Outcome::kSameEndpoints},
      {"excluded src", [](PathRequest& r) { r.exclude_nodes = {"n0"}; },
       Outcome::kExcludedEndpoint},
      {"cut off",
       [](PathRequest& r) {
         r.exclude_nodes = {"n1", "n2", "n5"};
       },
       Outcome::kExcluded},
      {"too much", [](PathRequest& r) { r.bandwidth_kbps = 10'001; }, Outcome::kBandwidth},
      {"one hop", [](PathRequest& r) { r.max_hops = 1; }, Outcome::kHopLimit},
      {"1 us", [](PathRequest& r) { r.max_delay_us = 1; }, Outcome::kDelayLimit},
      // Two hops are slow (20 us), the fast path (8 us) has four: each bound alone is met.
      {"both",
       [](PathRequest& r) {
         r.exclude_nodes = {"n2"};
         r.max_hops = 2;
         r.max_delay_us = 10;
       },
       Outcome::kDelayAndHopLimit},
  };
  for (const Case& c : cases) {
    PathRequest r = Between(1, 0, 3);
    c.edit(r);
    PathResult p = ServeOne(Diamond(), r);
    EXPECT_EQ(p.outcome, c.outcome) << c.name << ": " << OutcomeName(p.outcome);
    EXPECT_TRUE(p.nodes.empty()) << c.name;
  }
}

TEST(Cspf, ReservesEachServedPathBeforeTheNextRequest) {
  RequestBatch batch{"in order", {}};
  for (uint32_t id = 1; id <= 4; ++id) {
    batch.requests.push_back(Between(id, 0, 3));
    batch.requests.back().bandwidth_kbps = 6'000;
  }
  const Graph g(Diamond());
  Answer a = *ServeBatch(g, batch);
  EXPECT_EQ(a.user.results[0].nodes, (Nodes{"n0", "n1", "n3"}));
  EXPECT_EQ(a.user.results[1].nodes, (Nodes{"n0", "n4", "n5", "n6", "n3"}));
  EXPECT_EQ(a.user.results[2].nodes, (Nodes{"n0", "n2", "n3"}));
  EXPECT_EQ(a.user.results[3].outcome, Outcome::kBandwidth);
  EXPECT_EQ(a.provider.requests, 4u);
  EXPECT_EQ(a.provider.served, 3u);
  // Eight links, each used once a -> b (every drawn link points towards n3) by 6 Mb/s.
  ASSERT_EQ(a.provider.reservations.size(), 8u);
  for (const Reservation& r : a.provider.reservations) {
    EXPECT_EQ(r.direction, 0);
    EXPECT_EQ(r.kbps, 6'000u);
  }
}

TEST(Cspf, RefusesASearchBeyondItsLabelLimit) {
  const Graph g(Diamond());
  const Ledger ledger(g);
  PathRequest request = Between(1, 0, 3);
  request.max_delay_us = 10;  // the least-cost path breaks it: the label search runs
  Resolved r;
  ASSERT_EQ(Resolve(g, request, &r), Outcome::kFound);
  EXPECT_TRUE(::teepnet::testing::FailsWith(Cspf(g, 3).Compute(r, ledger), Errc::kTooLarge));
  auto enough = Cspf(g, 64).Compute(r, ledger);
  ASSERT_TRUE(enough.ok());
  EXPECT_EQ(enough->cost, 8u);
}

// Ground truth by exhaustion: every simple path, on graphs small enough to list them. The
// best is the cheapest within the bounds, ties to the lower delay.
struct Best {
  uint64_t cost;
  uint64_t delay;
  uint64_t hops;
};
std::optional<Best> BruteForce(const Graph& g, const Ledger& ledger, const Resolved& r) {
  std::optional<Best> best;
  std::vector<uint8_t> on_path(g.node_count(), 0);
  std::function<void(uint32_t, uint64_t, uint64_t, uint64_t)> walk =
      [&](uint32_t u, uint64_t cost, uint64_t delay, uint64_t hops) {
        if (u == r.dst) {
          if (delay <= r.max_delay_us && hops <= r.max_hops &&
              (!best || std::pair(cost, delay) < std::pair(best->cost, best->delay))) {
            best = Best{cost, delay, hops};
          }
          return;
        }
        on_path[u] = 1;
        for (uint32_t id : g.out_arcs(u)) {
          const Arc& a = g.arc(id);
          if (on_path[a.to] || !Usable(g, ledger, r, id)) continue;
          walk(a.to, cost + ArcCost(a, r.metric), delay + a.delay_us, hops + 1);
        }
        on_path[u] = 0;
      };
  walk(r.src, 0, 0, 0);
  return best;
}

TEST(Cspf, MatchesExhaustiveSearchAndTheReferenceOnSmallRandomGraphs) {
  std::mt19937_64 rng(20261127);
  auto below = [&](uint64_t n) { return rng() % n; };
  size_t found = 0;
  size_t detours = 0;
  size_t refused = 0;
  for (int round = 0; round < 1000; ++round) {
    const uint32_t n = 5 + static_cast<uint32_t>(below(5));
    std::vector<testing::Edge> edges;
    for (uint32_t a = 0; a < n; ++a) {
      for (uint32_t b = a + 1; b < n; ++b) {
        if (below(100) < 45) {
          edges.push_back({a, b, 1 + static_cast<uint32_t>(below(9)),
                           1 + static_cast<uint32_t>(below(9)), 1'000 * (4 + below(7))});
        }
      }
    }
    if (edges.empty()) continue;
    const Topology t = Drawn(n, edges);
    const Graph g(t);
    const Ledger ledger(g);
    Cspf cspf(g);
    PathRequest req = Between(1, 0, n - 1);
    req.metric = static_cast<Metric>(below(kMetricCount));
    req.bandwidth_kbps = 1'000 * below(7);
    if (below(4) == 0) req.exclude_nodes = {"n" + std::to_string(1 + below(n - 2))};
    Resolved r;
    ASSERT_EQ(Resolve(g, req, &r), Outcome::kFound);
    // Bounds just below what the unconstrained optimum needs, so that they bind.
    const std::optional<Best> free = BruteForce(g, ledger, r);
    if (free && below(2)) r.max_delay_us = free->delay - std::min(free->delay, 1 + below(4));
    if (free && below(3) == 0) r.max_hops = free->hops - 1;
    auto computed = cspf.Compute(r, ledger);
    ASSERT_TRUE(computed.ok());
    const Path& p = *computed;
    const std::optional<Best> truth = BruteForce(g, ledger, r);
    auto ref = ReferenceOptimum(g, ledger, r);
    ASSERT_TRUE(ref.ok()) << ref.error().ToString();
    EXPECT_EQ(p.outcome, ref->outcome) << "round " << round;
    ASSERT_EQ(p.outcome == Outcome::kFound, truth.has_value()) << "round " << round;
    if (!truth) {
      ++refused;
      continue;
    }
    ++found;
    EXPECT_EQ(p.cost, truth->cost) << "round " << round;
    EXPECT_EQ(p.delay_us, truth->delay) << "round " << round;  // the same tie-break
    EXPECT_EQ(ref->cost, truth->cost) << "round " << round;
    if (truth->cost != free->cost) ++detours;
  }
  // The rounds exercise found paths, paths a bound pushed onto a dearer route, and refusals.
  EXPECT_GT(found, 300u);
  EXPECT_GT(detours, 30u);
  EXPECT_GT(refused, 100u);
}

TEST(Cspf, AgreesWithTheIndependentCheckOnTheGeneratedBackbone) {
  auto t = GenerateTopology(7, TopologyShape{}, "backbone");
  ASSERT_TRUE(t.ok());
  auto batch = GenerateRequests(*t, 7, 300, "batch");
  ASSERT_TRUE(batch.ok());
  const Graph g(*t);
  Answer a = *ServeBatch(g, *batch);
  auto summary = CheckAnswer(*t, *batch, a.user, a.provider);
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary->served, a.provider.served);
  // The generated mix exercises paths and the main refusal reasons.
  EXPECT_GT(summary->outcomes[static_cast<size_t>(Outcome::kFound)], 150u);
  EXPECT_GT(summary->outcomes[static_cast<size_t>(Outcome::kDelayLimit)], 0u);
}

}  // namespace
}  // namespace teepnet::workloads::pce
