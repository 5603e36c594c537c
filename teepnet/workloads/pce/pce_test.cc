#include "teepnet/workloads/pce/pce.h"

#include <gtest/gtest.h>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"

namespace teepnet::workloads::pce {
namespace {

using ::teepnet::testing::FailsWith;

struct Encoded {
  Bytes topology;
  Bytes batch;
};

Encoded Inputs() {
  auto t = GenerateTopology(21, TopologyShape{4, 2, 3}, "provider");
  auto b = GenerateRequests(*t, 21, 20, "user");
  return Encoded{*EncodeTopology(*t), *EncodeBatch(*b)};
}

TEST(PceRun, ReportsTheComputeTimeToBothPartiesAndNothingElseOfTheOther) {
  const Encoded in = Inputs();
  uint64_t now = 1'000;
  auto out = pce::Run(in.topology, in.batch, [&now] { return now += 250; });
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  auto user = DecodeUserOutput(out->user);
  auto provider = DecodeProviderOutput(out->provider);
  ASSERT_TRUE(user.ok() && provider.ok());
  EXPECT_EQ(user->compute_ns, 250u);
  EXPECT_EQ(provider->compute_ns, 250u);
  EXPECT_EQ(user->results.size(), 20u);
  EXPECT_EQ(provider->requests, 20u);
}

TEST(PceRun, RefusesInputsGivenInTheWrongRoles) {
  const Encoded in = Inputs();
  auto clock = [] { return uint64_t{0}; };
  EXPECT_TRUE(FailsWith(pce::Run(in.batch, in.topology, clock), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(pce::Run(in.topology, in.topology, clock), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::workloads::pce
