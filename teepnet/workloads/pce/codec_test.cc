#include "teepnet/workloads/pce/codec.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/pce/cspf.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/graph.h"
#include "teepnet/workloads/pce/limits.h"
#include "teepnet/workloads/pce/test_util.h"

namespace teepnet::workloads::pce {
namespace {

using ::teepnet::testing::FailsWith;
using testing::Between;
using testing::Drawn;

Topology Small() {
  return Drawn(3, {{0, 1, 1, 5}, {1, 2, 2, 7, 4'000}});
}

RequestBatch SmallBatch() {
  PathRequest a = Between(7, 0, 2);
  a.metric = Metric::kDelay;
  a.max_delay_us = 100;
  a.exclude_nodes = {"n9"};
  a.exclude_links = {{"n0", "n1"}};
  PathRequest b = Between(8, 2, 0);
  b.max_hops = 3;
  return RequestBatch{"user batch", {a, b}};
}

UserOutput SmallUser() {
  UserOutput out;
  out.compute_ns = 12345;
  out.results.push_back(PathResult{7, Outcome::kFound, {"n0", "n1", "n2"}, 3, 12});
  out.results.push_back(PathResult{8, Outcome::kBandwidth, {}, 0, 0});
  return out;
}

ProviderOutput SmallProvider() {
  return ProviderOutput{2, 1, 12345, {{0, 0, 1'000}, {0, 1, 500}, {1, 0, 1'000}}};
}

TEST(PceCodec, RoundTripsEveryMessage) {
  auto topology = EncodeTopology(Small());
  ASSERT_TRUE(topology.ok());
  auto t = DecodeTopology(*topology);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(*t, Small());

  auto batch = EncodeBatch(SmallBatch());
  ASSERT_TRUE(batch.ok());
  auto b = DecodeBatch(*batch);
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(*b, SmallBatch());

  auto user = EncodeUserOutput(SmallUser());
  ASSERT_TRUE(user.ok());
  auto u = DecodeUserOutput(*user);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(*u, SmallUser());

  auto provider = EncodeProviderOutput(SmallProvider());
  ASSERT_TRUE(provider.ok());
  auto p = DecodeProviderOutput(*provider);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(*p, SmallProvider());
}

TEST(PceCodec, RoundTripsTheGeneratedBackboneAndItsAnswer) {
  auto t = GenerateTopology(1, TopologyShape{}, "x");
  ASSERT_TRUE(t.ok());
  auto batch = GenerateRequests(*t, 1, kMaxRequests, "y");
  ASSERT_TRUE(batch.ok());
  auto tb = EncodeTopology(*t);
  auto bb = EncodeBatch(*batch);
  ASSERT_TRUE(tb.ok() && bb.ok());
  EXPECT_EQ(*DecodeTopology(*tb), *t);
  EXPECT_EQ(*DecodeBatch(*bb), *batch);
  // A full batch's answer fits the workload kit's per-output bound.
  const Graph g(*t);
  Answer a = *ServeBatch(g, *batch);
  auto ub = EncodeUserOutput(a.user);
  ASSERT_TRUE(ub.ok()) << ub.error().ToString();
  EXPECT_EQ(*DecodeUserOutput(*ub), a.user);
  auto pb = EncodeProviderOutput(a.provider);
  ASSERT_TRUE(pb.ok()) << pb.error().ToString();
  EXPECT_EQ(*DecodeProviderOutput(*pb), a.provider);
}

TEST(PceCodec, RefusesEveryTruncation) {
  const Bytes topology = *EncodeTopology(Small());
  const Bytes batch = *EncodeBatch(SmallBatch());
  const Bytes user = *EncodeUserOutput(SmallUser());
  const Bytes provider = *EncodeProviderOutput(SmallProvider());
  for (size_t n = 0; n < topology.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeTopology(ByteView(topology.data(), n)), Errc::kMalformed)) << n;
  }
  for (size_t n = 0; n < batch.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeBatch(ByteView(batch.data(), n)), Errc::kMalformed)) << n;
  }
  for (size_t n = 0; n < user.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeUserOutput(ByteView(user.data(), n)), Errc::kMalformed)) << n;
  }
  for (size_t n = 0; n < provider.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeProviderOutput(ByteView(provider.data(), n)), Errc::kMalformed))
        << n;
  }
}

TEST(PceCodec, RefusesTrailingBytes) {
  Bytes topology = *EncodeTopology(Small());
  topology.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeTopology(topology), Errc::kMalformed));
  Bytes provider = *EncodeProviderOutput(SmallProvider());
  provider.push_back(0xf6);
  EXPECT_TRUE(FailsWith(DecodeProviderOutput(provider), Errc::kMalformed));
}

TEST(PceCodec, RefusesANonPreferredInteger) {
  // [requests, served, compute_ns, []] with `requests` as 0x18 0x02 instead of 0x02.
  const Bytes bytes{0x84, 0x18, 0x02, 0x01, 0x00, 0x80};
  EXPECT_TRUE(FailsWith(DecodeProviderOutput(bytes), Errc::kMalformed));
  const Bytes preferred{0x84, 0x02, 0x01, 0x00, 0x80};
  EXPECT_TRUE(DecodeProviderOutput(preferred).ok());
}

TEST(PceCodec, RefusesAnIndefiniteArray) {
  const Bytes bytes{0x84, 0x02, 0x01, 0x00, 0x9f, 0xff};
  EXPECT_TRUE(FailsWith(DecodeProviderOutput(bytes), Errc::kMalformed));
}

TEST(PceCodec, RefusesAWrongArity) {
  const Bytes bytes{0x83, 0x02, 0x01, 0x00};
  auto r = DecodeProviderOutput(bytes);
  ASSERT_TRUE(FailsWith(r, Errc::kMalformed));
  EXPECT_EQ(r.error().offset(), 0u);
}

TEST(PceCodec, RefusesAnOutOfRangeMetricWithItsOffset) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteText("l");
  w.WriteArrayHeader(1);
  w.WriteArrayHeader(9);
  w.WriteUint(1);
  w.WriteText("n0");
  w.WriteText("n1");
  w.WriteUint(10);
  const size_t metric_at = w.size();
  w.WriteUint(3);  // metrics are 0..2
  w.WriteNull();
  w.WriteNull();
  w.WriteArrayHeader(0);
  w.WriteArrayHeader(0);
  auto r = DecodeBatch(w.bytes());
  ASSERT_TRUE(FailsWith(r, Errc::kMalformed));
  EXPECT_EQ(r.error().offset(), metric_at);
}

TEST(PceCodec, RefusesTopologiesThatMakeNoSense) {
  Topology dangling = Small();
  dangling.links[0].b = 3;
  Topology loop = Small();
  loop.links[0].b = 0;
  Topology overfull = Small();
  overfull.links[1].utilised_ba_kbps = overfull.links[1].capacity_kbps + 1;
  Topology free_metric = Small();
  free_metric.links[0].igp_metric = 0;
  Topology twin = Small();
  twin.nodes[2].name = "n0";
  Topology parallel = Small();
  parallel.links.push_back(parallel.links[0]);
  std::swap(parallel.links.back().a, parallel.links.back().b);
  Topology bad_name = Small();
  bad_name.nodes[1].name = "n 1";
  for (const Topology* t :
       {&dangling, &loop, &overfull, &free_metric, &twin, &parallel, &bad_name}) {
    EXPECT_TRUE(FailsWith(EncodeTopology(*t), Errc::kBadTopology));
    // The same input, encoded without the encoder's check, is refused by the decoder.
    cbor::Writer w;
    w.WriteArrayHeader(3);
    w.WriteText(t->label);
    w.WriteArrayHeader(t->nodes.size());
    for (const Node& n : t->nodes) {
      w.WriteArrayHeader(4);
      w.WriteText(n.name);
      w.WriteUint(static_cast<uint64_t>(n.tier));
      w.WriteInt(n.x_km);
      w.WriteInt(n.y_km);
    }
    w.WriteArrayHeader(t->links.size());
    for (const Link& l : t->links) {
      w.WriteArrayHeader(8);
      for (uint64_t v :
           {uint64_t{l.a}, uint64_t{l.b}, uint64_t{l.igp_metric}, uint64_t{l.te_metric},
            uint64_t{l.delay_us}, l.capacity_kbps, l.utilised_ab_kbps, l.utilised_ba_kbps}) {
        w.WriteUint(v);
      }
    }
    EXPECT_TRUE(FailsWith(DecodeTopology(w.bytes()), Errc::kBadTopology));
  }
}

TEST(PceCodec, RefusesDuplicateRequestIds) {
  RequestBatch b = SmallBatch();
  b.requests[1].id = b.requests[0].id;
  EXPECT_TRUE(FailsWith(EncodeBatch(b), Errc::kBadRequest));
}

TEST(PceCodec, RefusesMoreRequestsThanTheLimit) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteText("l");
  w.WriteArrayHeader(kMaxRequests + 1);
  for (size_t i = 0; i <= kMaxRequests; ++i) w.WriteUint(0);  // a plausible length
  EXPECT_TRUE(FailsWith(DecodeBatch(w.bytes()), Errc::kTooLarge));
  RequestBatch b;
  b.requests.resize(kMaxRequests + 1);
  EXPECT_TRUE(FailsWith(EncodeBatch(b), Errc::kTooLarge));
}

TEST(PceCodec, RefusesAnInputAboveItsSizeLimit) {
  const Bytes huge(kMaxBatchBytes + 1, 0x00);
  EXPECT_TRUE(FailsWith(DecodeBatch(huge), Errc::kTooLarge));
  const Bytes huge_output(kMaxOutputBytes + 1, 0x00);
  EXPECT_TRUE(FailsWith(DecodeUserOutput(huge_output), Errc::kTooLarge));
}

TEST(PceCodec, RefusesResultsThatContradictThemselves) {
  UserOutput found_without_path = SmallUser();
  found_without_path.results[0].nodes = {"n0"};
  EXPECT_TRUE(FailsWith(EncodeUserOutput(found_without_path), Errc::kBadOutput));
  UserOutput refused_with_cost = SmallUser();
  refused_with_cost.results[1].cost = 4;
  EXPECT_TRUE(FailsWith(EncodeUserOutput(refused_with_cost), Errc::kBadOutput));
  // [0, [[7, 3, [], 1, 0]]]: a refusal (outcome 3) with a cost, as bytes.
  const Bytes bytes{0x82, 0x00, 0x81, 0x85, 0x07, 0x03, 0x80, 0x01, 0x00};
  EXPECT_TRUE(FailsWith(DecodeUserOutput(bytes), Errc::kBadOutput));
}

TEST(PceCodec, RefusesUnsortedOrRepeatedReservations) {
  ProviderOutput unsorted = SmallProvider();
  std::swap(unsorted.reservations[0], unsorted.reservations[2]);
  EXPECT_TRUE(FailsWith(EncodeProviderOutput(unsorted), Errc::kBadOutput));
  ProviderOutput repeated = SmallProvider();
  repeated.reservations[1] = repeated.reservations[0];
  EXPECT_TRUE(FailsWith(EncodeProviderOutput(repeated), Errc::kBadOutput));
  ProviderOutput overserved = SmallProvider();
  overserved.served = 3;
  EXPECT_TRUE(FailsWith(EncodeProviderOutput(overserved), Errc::kBadOutput));
  // [1, 0, 0, [[0, 2, 5]]]: direction 2.
  const Bytes bytes{0x84, 0x01, 0x00, 0x00, 0x81, 0x83, 0x00, 0x02, 0x05};
  EXPECT_TRUE(FailsWith(DecodeProviderOutput(bytes), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::workloads::pce
