#include "teepnet/workloads/pce/generator.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <vector>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/graph.h"

namespace teepnet::workloads::pce {
namespace {

using ::teepnet::testing::FailsWith;

TEST(GenerateTopology, BuildsThreeHundredNodesInThreeTiers) {
  auto t = GenerateTopology(42, TopologyShape{}, "snapshot");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->nodes.size(), 300u);
  size_t by_tier[kTierCount] = {};
  for (const Node& n : t->nodes) ++by_tier[static_cast<size_t>(n.tier)];
  EXPECT_EQ(by_tier[0], 12u);
  EXPECT_EQ(by_tier[1], 48u);
  EXPECT_EQ(by_tier[2], 240u);
  EXPECT_GT(t->links.size(), 600u);
  EXPECT_EQ(t->label, "snapshot");
  TEEPNET_EXPECT_OK(ValidateTopology(*t));
}

TEST(GenerateTopology, IsConnectedAndEveryAccessNodeIsDualHomed) {
  auto t = GenerateTopology(3, TopologyShape{}, "");
  ASSERT_TRUE(t.ok());
  const Graph g(*t);
  std::vector<uint8_t> seen(g.node_count(), 0);
  std::deque<uint32_t> queue{0};
  seen[0] = 1;
  size_t reached = 1;
  while (!queue.empty()) {
    const uint32_t u = queue.front();
    queue.pop_front();
    for (uint32_t id : g.out_arcs(u)) {
      if (seen[g.arc(id).to]) continue;
      seen[g.arc(id).to] = 1;
      ++reached;
      queue.push_back(g.arc(id).to);
    }
  }
  EXPECT_EQ(reached, g.node_count());
  for (uint32_t n = 0; n < t->nodes.size(); ++n) {
    if (t->nodes[n].tier == Tier::kAccess) {
      EXPECT_GE(g.out_arcs(n).size(), 2u) << n;
    }
  }
}

TEST(GenerateTopology, DerivesMetricsAndDelaysFromTierAndDistance) {
  auto t = GenerateTopology(5, TopologyShape{}, "");
  ASSERT_TRUE(t.ok());
  for (const Link& l : t->links) {
    // IGP metric = 1 Tb/s reference / capacity.
    EXPECT_EQ(l.igp_metric, 1'000'000'000u / l.capacity_kbps);
    EXPECT_GE(l.delay_us, 20u);
    EXPECT_LE(l.utilised_ab_kbps, l.capacity_kbps);
    const bool core_core = t->nodes[l.a].tier == Tier::kCore && t->nodes[l.b].tier == Tier::kCore;
    // Core links cross countries (hundreds of km, milliseconds); access links stay local.
    if (core_core) {
      EXPECT_GT(l.delay_us, 1'000u);
    }
    if (t->nodes[l.a].tier == Tier::kAccess) {
      EXPECT_LT(l.delay_us, 2'000u);
    }
  }
}

TEST(GenerateTopology, IsTheSameForTheSameSeedAndDiffersForAnother) {
  auto a = GenerateTopology(9, TopologyShape{}, "l");
  auto b = GenerateTopology(9, TopologyShape{}, "l");
  auto c = GenerateTopology(10, TopologyShape{}, "l");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*EncodeTopology(*a), *EncodeTopology(*b));
  EXPECT_NE(*EncodeTopology(*a), *EncodeTopology(*c));
}

TEST(GenerateTopology, RefusesAShapeItCannotBuild) {
  EXPECT_TRUE(FailsWith(GenerateTopology(1, TopologyShape{2, 4, 5}, ""), Errc::kBadTopology));
  EXPECT_TRUE(FailsWith(GenerateTopology(1, TopologyShape{13, 4, 5}, ""), Errc::kBadTopology));
  EXPECT_TRUE(FailsWith(GenerateTopology(1, TopologyShape{4, 0, 5}, ""), Errc::kBadTopology));
  TEEPNET_EXPECT_OK(GenerateTopology(1, TopologyShape{3, 1, 1}, ""));
}

TEST(GenerateRequests, PicksDistinctAccessEndpointsDeterministically) {
  auto t = GenerateTopology(11, TopologyShape{}, "");
  ASSERT_TRUE(t.ok());
  auto a = GenerateRequests(*t, 4, 200, "mine");
  auto b = GenerateRequests(*t, 4, 200, "mine");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->label, "mine");
  ASSERT_EQ(a->requests.size(), 200u);
  const Graph g(*t);
  std::set<Metric> metrics;
  size_t bounded = 0;
  size_t excluding = 0;
  for (const PathRequest& r : a->requests) {
    EXPECT_NE(r.src, r.dst);
    EXPECT_EQ(t->nodes[*g.FindNode(r.src)].tier, Tier::kAccess);
    EXPECT_EQ(t->nodes[*g.FindNode(r.dst)].tier, Tier::kAccess);
    metrics.insert(r.metric);
    bounded += r.max_delay_us.has_value() || r.max_hops.has_value();
    excluding += !r.exclude_nodes.empty() || !r.exclude_links.empty();
  }
  EXPECT_EQ(metrics.size(), kMetricCount);
  EXPECT_GT(bounded, 80u);
  EXPECT_GT(excluding, 20u);
}

}  // namespace
}  // namespace teepnet::workloads::pce
