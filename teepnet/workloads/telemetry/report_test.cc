#include "teepnet/workloads/telemetry/report.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;

OperatorReport Report() {
  OperatorReport r;
  r.records = 1000;
  r.flagged = 3;
  r.flagged_ids = {4, 90, 700};
  r.elapsed_ns = 123456;
  return r;
}

TEST(OperatorReportCodec, RoundTrips) {
  auto bytes = EncodeOperatorReport(Report());
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeOperatorReport(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, Report());
}

TEST(OperatorReportCodec, ListsOnlyTheFirstIdsOfAHugeCountButKeepsTheCount) {
  OperatorReport r;
  r.records = 100000;
  r.flagged = kMaxReportedIds + 5;
  for (uint64_t i = 0; i < kMaxReportedIds; ++i) r.flagged_ids.push_back(2 * i + 1);
  auto bytes = EncodeOperatorReport(r);
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeOperatorReport(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->flagged, kMaxReportedIds + 5);
}

TEST(OperatorReportCodec, RefusesIdsThatDoNotIncrease) {
  OperatorReport r = Report();
  r.flagged_ids = {4, 4, 700};
  EXPECT_TRUE(FailsWith(EncodeOperatorReport(r), Errc::kMalformed));
  cbor::Writer w;
  w.WriteMapHeader(4);
  w.WriteUint(1);
  w.WriteUint(10);
  w.WriteUint(2);
  w.WriteUint(2);
  w.WriteUint(3);
  w.WriteArrayHeader(2);
  w.WriteUint(9);
  w.WriteUint(3);
  w.WriteUint(4);
  w.WriteUint(0);
  EXPECT_TRUE(FailsWith(DecodeOperatorReport(w.bytes()), Errc::kMalformed));
}

TEST(OperatorReportCodec, RefusesACountThatDisagreesWithTheIds) {
  OperatorReport r = Report();
  r.flagged = 2;
  EXPECT_TRUE(FailsWith(EncodeOperatorReport(r), Errc::kMalformed));
  r = Report();
  r.records = 2;  // fewer records than flagged
  EXPECT_TRUE(FailsWith(EncodeOperatorReport(r), Errc::kMalformed));
}

TEST(OperatorReportCodec, RefusesTrailingBytes) {
  Bytes bytes = *EncodeOperatorReport(Report());
  bytes.push_back(0x01);
  EXPECT_TRUE(FailsWith(DecodeOperatorReport(bytes), Errc::kMalformed));
}

TEST(VendorUsageCodec, RoundTripsAndRefusesOtherShapes) {
  const Bytes bytes = EncodeVendorUsage(VendorUsage{77});
  auto back = DecodeVendorUsage(bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->records, 77u);
  Bytes longer = bytes;
  longer.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeVendorUsage(longer), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeVendorUsage(*EncodeOperatorReport(Report())), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
