#include "teepnet/workloads/telemetry/flow.h"

#include <gtest/gtest.h>

#include <cmath>

#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;

FlowRecord WebFlow() {
  FlowRecord r;
  r.id = 7;
  r.protocol = kProtocolTcp;
  r.dst_port = 443;
  r.duration_us = 1'000'000;
  r.packets_out = 10;
  r.packets_in = 14;
  r.bytes_out = 1'800;
  r.bytes_in = 12'600;
  r.syn = 2;
  r.fin = 2;
  r.rst = 0;
  r.iat_mean_us = 43'478;
  r.iat_std_us = 52'000;
  return r;
}

TEST(Log2OnePlus, StaysWithinOneHundredthOfTheLibmLogarithm) {
  // Ground truth from libm over every scale a 48-bit counter reaches.
  for (double x = 0; x < 3e14; x = x * 1.37 + 0.61) {
    EXPECT_NEAR(Log2OnePlus(x), std::log2(1 + x), 0.002) << x;
  }
  EXPECT_EQ(Log2OnePlus(0), 0);
  EXPECT_EQ(Log2OnePlus(1), 1);
  EXPECT_EQ(Log2OnePlus(1023), 10);
}

TEST(Log2OnePlus, IncreasesWithItsArgumentAcrossOctaves) {
  double previous = Log2OnePlus(0);
  for (double x = 0.01; x < 1e7; x *= 1.01) {
    const double v = Log2OnePlus(x);
    EXPECT_GT(v, previous) << x;
    previous = v;
  }
}

TEST(FeaturesOf, DerivesEachFeatureFromTheCounters) {
  const FeatureVector f = FeaturesOf(WebFlow());
  EXPECT_NEAR(f[kLogDuration], std::log2(1 + 1e6), 0.002);
  EXPECT_NEAR(f[kLogPackets], std::log2(25.0), 0.002);
  EXPECT_NEAR(f[kLogBytes], std::log2(14'401.0), 0.002);
  EXPECT_NEAR(f[kLogBytesPerPacket], std::log2(1 + 14'400.0 / 24), 0.002);
  EXPECT_NEAR(f[kDirection], std::log2(1'801.0) - std::log2(12'601.0), 0.004);
  EXPECT_EQ(f[kPortClass], 0);
  EXPECT_DOUBLE_EQ(f[kSynRatio], 2.0 / 24);
  EXPECT_DOUBLE_EQ(f[kRstRatio], 0);
  EXPECT_DOUBLE_EQ(f[kFinRatio], 2.0 / 24);
  EXPECT_NEAR(f[kLogIatMean], std::log2(43'479.0), 0.002);
  EXPECT_DOUBLE_EQ(f[kIatCv], 52'000.0 / 43'478);
  EXPECT_EQ(f[kIsUdp], 0);
}

TEST(FeaturesOf, CapsTheInterArrivalVariationAndHandlesAZeroMean) {
  FlowRecord r = WebFlow();
  r.iat_std_us = r.iat_mean_us * 1000;
  EXPECT_EQ(FeaturesOf(r)[kIatCv], kMaxIatCv);
  r.iat_mean_us = 0;
  EXPECT_EQ(FeaturesOf(r)[kIatCv], 0);
}

TEST(PortClassOf, FollowsTheRfc6335Ranges) {
  EXPECT_EQ(PortClassOf(0), PortClass::kSystem);
  EXPECT_EQ(PortClassOf(1023), PortClass::kSystem);
  EXPECT_EQ(PortClassOf(1024), PortClass::kUser);
  EXPECT_EQ(PortClassOf(49151), PortClass::kUser);
  EXPECT_EQ(PortClassOf(49152), PortClass::kDynamic);
  EXPECT_EQ(PortClassOf(65535), PortClass::kDynamic);
}

TEST(ValidateRecord, AcceptsAPlausibleFlow) {
  TEEPNET_EXPECT_OK(ValidateRecord(WebFlow()));
}

TEST(ValidateRecord, RefusesImpossibleCounters) {
  FlowRecord r = WebFlow();
  r.protocol = 1;  // ICMP
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r = WebFlow();
  r.packets_out = r.packets_in = 0;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r = WebFlow();
  r.bytes_in = r.packets_in - 1;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r = WebFlow();
  r.duration_us = kMaxCounter;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r = WebFlow();
  r.rst = 25;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r = WebFlow();
  r.id = kMaxRecordId + 1;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
}

TEST(ValidateRecord, RefusesTcpFlagsOnAUdpFlow) {
  FlowRecord r = WebFlow();
  r.protocol = kProtocolUdp;
  EXPECT_TRUE(FailsWith(ValidateRecord(r), Errc::kBadRecord));
  r.syn = r.fin = 0;
  TEEPNET_EXPECT_OK(ValidateRecord(r));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
