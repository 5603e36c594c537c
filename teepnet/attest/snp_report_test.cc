#include "teepnet/attest/snp_report.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

SnpReport Sample() {
  SnpReport r;
  r.version = 3;
  r.guest_svn = 7;
  r.policy = 0x30000;
  r.vmpl = 1;
  r.signature_algo = 1;
  r.current_tcb = 0x7300000000000203;
  r.signer_info = 1 << 2;
  r.report_data.fill(0xAA);
  r.measurement.fill(0xBB);
  r.host_data.fill(0xCC);
  r.reported_tcb = 0x7308000000000003;
  r.cpuid_fam_id = 0x19;
  r.cpuid_mod_id = 0x11;
  r.cpuid_step = 1;
  r.chip_id.fill(0xDD);
  r.current_major = 1;
  r.current_minor = 55;
  r.current_build = 9;
  r.sig_r.fill(0x01);
  r.sig_s.fill(0x02);
  return r;
}

TEST(SnpReportTest, EncodeThenDecodeKeepsEveryField) {
  const SnpReport in = Sample();
  Bytes wire = EncodeSnpReport(in);
  ASSERT_EQ(wire.size(), kSnpReportSize);
  auto out = DecodeSnpReport(wire);
  TEEPNET_ASSERT_OK(out);
  EXPECT_EQ(out->version, 3u);
  EXPECT_EQ(out->guest_svn, 7u);
  EXPECT_EQ(out->policy, 0x30000u);
  EXPECT_EQ(out->vmpl, 1u);
  EXPECT_EQ(out->signing_key(), SnpSigningKey::kVlek);
  EXPECT_EQ(out->reported_tcb, in.reported_tcb);
  EXPECT_EQ(out->cpuid_mod_id, 0x11);
  EXPECT_EQ(out->chip_id, in.chip_id);
  EXPECT_EQ(out->measurement, in.measurement);
  EXPECT_EQ(out->sig_s, in.sig_s);
  EXPECT_TRUE(out->reserved_all_zero);
  EXPECT_TRUE(out->signature_padding_zero);
}

TEST(SnpReportTest, FieldsSitAtTheirAbiOffsets) {
  Bytes wire = EncodeSnpReport(Sample());
  EXPECT_EQ(wire[0x000], 3);
  EXPECT_EQ(wire[0x030], 1);     // VMPL
  EXPECT_EQ(wire[0x050], 0xAA);  // REPORT_DATA
  EXPECT_EQ(wire[0x090], 0xBB);  // MEASUREMENT
  EXPECT_EQ(wire[0x0C0], 0xCC);  // HOST_DATA
  EXPECT_EQ(wire[0x188], 0x19);  // CPUID_FAM_ID
  EXPECT_EQ(wire[0x1A0], 0xDD);  // CHIP_ID
  EXPECT_EQ(wire[0x1EA], 1);     // CURRENT_MAJOR
  EXPECT_EQ(wire[0x2A0], 0x01);  // R
  EXPECT_EQ(wire[0x2E8], 0x02);  // S
  EXPECT_EQ(wire[0x330], 0x00);  // padding
}

TEST(SnpReportTest, EveryShorterLengthFails) {
  Bytes wire = EncodeSnpReport(Sample());
  for (size_t n = 0; n < wire.size(); n += 37) {
    auto r = DecodeSnpReport(ByteView(wire).first(n));
    EXPECT_TRUE(FailsWith(r, Errc::kSnpBadReportSize)) << n;
    EXPECT_EQ(r.error().offset(), n);
  }
}

TEST(SnpReportTest, TrailingBytesAfterTheReportFail) {
  Bytes wire = EncodeSnpReport(Sample());
  wire.push_back(0);
  auto r = DecodeSnpReport(wire);
  EXPECT_TRUE(FailsWith(r, Errc::kSnpBadReportSize));
  EXPECT_EQ(r.error().offset(), kSnpReportSize);
}

TEST(SnpReportTest, NonZeroReservedByteIsRecordedWithItsOffset) {
  for (size_t offset : {0x04Cu, 0x18Bu, 0x19Fu, 0x1EBu, 0x1EFu, 0x208u, 0x29Fu}) {
    Bytes wire = EncodeSnpReport(Sample());
    wire[offset] = 0x80;
    auto r = DecodeSnpReport(wire);
    TEEPNET_ASSERT_OK(r);
    EXPECT_FALSE(r->reserved_all_zero) << offset;
    EXPECT_EQ(r->nonzero_reserved_offset, offset);
  }
}

TEST(SnpReportTest, NonZeroSignaturePaddingIsRecorded) {
  Bytes wire = EncodeSnpReport(Sample());
  wire[kSnpReportSize - 1] = 1;
  auto r = DecodeSnpReport(wire);
  TEEPNET_ASSERT_OK(r);
  EXPECT_FALSE(r->signature_padding_zero);
}

}  // namespace
}  // namespace teepnet::attest
