#include "teepnet/workloads/pce/check.h"

#include <gtest/gtest.h>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/pce/cspf.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/test_util.h"

namespace teepnet::workloads::pce {
namespace {

using ::teepnet::testing::FailsWith;
using testing::Between;
using testing::Drawn;

// n0 -> n3: n0-n1-n3 (IGP 2, 20 us), n0-n2-n3 (IGP 10, 2 us), n0-n4-n5-n6-n3 (IGP 8, 8 us).
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

struct Fixture {
  Topology topology = Diamond();
  RequestBatch batch;
  Answer answer;
};

// Two requests: the first bounded to 10 us (served by the 4-hop path), the second refused
// for want of 20 Mb/s.
Fixture Served() {
  Fixture f;
  PathRequest a = Between(1, 0, 3);
  a.max_delay_us = 10;
  PathRequest b = Between(2, 3, 0);
  b.bandwidth_kbps = 20'000;
  f.batch = RequestBatch{"b", {a, b}};
  f.answer = *ServeBatch(Graph(f.topology), f.batch);
  return f;
}

Result<CheckSummary> Check(const Fixture& f) {
  return CheckAnswer(f.topology, f.batch, f.answer.user, f.answer.provider);
}

TEST(CheckAnswer, AcceptsTheCspfAnswer) {
  Fixture f = Served();
  auto s = Check(f);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->requests, 2u);
  EXPECT_EQ(s->served, 1u);
  EXPECT_EQ(s->outcomes[static_cast<size_t>(Outcome::kBandwidth)], 1u);
}

TEST(CheckAnswer, RefusesAValidButCostlierPath) {
  Fixture f = Served();
  // n0-n2-n3 meets the bound too, but costs 10, not 8.
  f.answer.user.results[0].nodes = {"n0", "n2", "n3"};
  f.answer.user.results[0].cost = 10;
  f.answer.user.results[0].delay_us = 2;
  f.answer.provider.reservations = {{2, 0, 1'000}, {3, 0, 1'000}};
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesACheaperPathThatBreaksTheBound) {
  Fixture f = Served();
  f.answer.user.results[0].nodes = {"n0", "n1", "n3"};
  f.answer.user.results[0].cost = 2;
  f.answer.user.results[0].delay_us = 20;
  f.answer.provider.reservations = {{0, 0, 1'000}, {1, 0, 1'000}};
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAPathOverALinkThatDoesNotExist) {
  Fixture f = Served();
  f.answer.user.results[0].nodes = {"n0", "n3"};
  f.answer.user.results[0].cost = 8;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAPathThroughAnExcludedNode) {
  Fixture f = Served();
  f.batch.requests[0].exclude_nodes = {"n5"};
  f.batch.requests[0].max_delay_us.reset();
  f.batch.requests[0].max_hops = 4;
  // The honest answer is n0-n1-n3; claim the excluded 4-hop path at its true cost instead.
  f.answer = *ServeBatch(Graph(f.topology), f.batch);
  ASSERT_TRUE(Check(f).ok());
  f.answer.user.results[0].nodes = {"n0", "n4", "n5", "n6", "n3"};
  f.answer.user.results[0].cost = 8;
  f.answer.user.results[0].delay_us = 8;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAMisreportedCostOrDelay) {
  Fixture f = Served();
  f.answer.user.results[0].cost = 7;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
  f = Served();
  f.answer.user.results[0].delay_us = 7;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAWrongReasonOrAMissedPath) {
  Fixture f = Served();
  f.answer.user.results[1].outcome = Outcome::kExcluded;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
  f = Served();
  f.answer.user.results[0] = PathResult{1, Outcome::kDelayLimit, {}, 0, 0};
  f.answer.provider.served = 0;
  f.answer.provider.reservations.clear();
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAProviderOutputThatDoesNotMatchThePaths) {
  Fixture f = Served();
  f.answer.provider.reservations[0].kbps += 1;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
  f = Served();
  f.answer.provider.served = 2;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
  f = Served();
  f.answer.provider.compute_ns = 5;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesAPathThatOverbooksALinkTheBatchAlreadyFilled) {
  Fixture f;
  PathRequest a = Between(1, 0, 3);
  a.bandwidth_kbps = 6'000;
  PathRequest b = a;
  b.id = 2;
  f.batch = RequestBatch{"b", {a, b}};
  f.answer = *ServeBatch(Graph(f.topology), f.batch);
  ASSERT_TRUE(Check(f).ok());
  // Both on the cheapest path: 12 Mb/s over 10 Mb/s links.
  f.answer.user.results[1] = f.answer.user.results[0];
  f.answer.user.results[1].id = 2;
  f.answer.provider.reservations = {{0, 0, 12'000}, {1, 0, 12'000}};
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, RefusesResultsForOtherRequests) {
  Fixture f = Served();
  f.answer.user.results.pop_back();
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
  f = Served();
  f.answer.user.results[1].id = 9;
  EXPECT_TRUE(FailsWith(Check(f), Errc::kWrongAnswer));
}

TEST(CheckAnswer, SaysSoWhenItsSearchRunsOutOfBudget) {
  auto t = GenerateTopology(2, TopologyShape{}, "");
  ASSERT_TRUE(t.ok());
  auto batch = GenerateRequests(*t, 2, 50, "");
  ASSERT_TRUE(batch.ok());
  Answer a = *ServeBatch(Graph(*t), *batch);
  TEEPNET_ASSERT_OK(CheckAnswer(*t, *batch, a.user, a.provider));
  // With one ranked path per request, any request whose cheapest path breaks a bound cannot
  // be confirmed, and the check says so instead of passing.
  EXPECT_TRUE(FailsWith(CheckAnswer(*t, *batch, a.user, a.provider, 1), Errc::kCheckBudget));
}

}  // namespace
}  // namespace teepnet::workloads::pce
