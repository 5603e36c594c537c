#include "teepnet/attest/csv_report.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

CsvReport Sample() {
  CsvReport r;
  r.user_pubkey_digest.fill(0x11);
  r.vm_id.fill(0x22);
  r.report_data.fill(0x33);
  r.mnonce.fill(0x44);
  r.measure.fill(0x55);
  r.policy = 0x45;
  r.sig_usage = 0x1002;
  r.sig_algo = 4;
  r.anonce = 0x5dc7d726;
  r.chip_serial = "SIMCHIP";
  r.mac.fill(0x66);
  return r;
}

Bytes Pek() {
  Bytes pek(kCsvCertSize, 0);
  pek[8] = 0x02;  // usage 0x1002
  pek[9] = 0x10;
  return pek;
}

TEST(CsvReportTest, EncodeThenDecodeUnmasksEveryField) {
  Bytes sig(64, 0);
  sig[31] = 7;
  Bytes wire = EncodeCsvReport(Sample(), Pek(), sig);
  ASSERT_EQ(wire.size(), kCsvWrapperSize);
  auto r = DecodeCsvReport(wire);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->anonce, 0x5dc7d726u);
  EXPECT_EQ(r->measure, Sample().measure);
  EXPECT_EQ(r->report_data, Sample().report_data);
  EXPECT_EQ(r->user_pubkey_digest, Sample().user_pubkey_digest);
  EXPECT_EQ(r->policy, 0x45u);
  EXPECT_EQ(r->sig_usage, 0x1002u);
  EXPECT_EQ(r->chip_serial, "SIMCHIP");
  EXPECT_EQ(r->pek.usage, 0x1002u);
  EXPECT_EQ(r->signature.raw, sig);
  EXPECT_TRUE(r->reserved_zero);
  ASSERT_EQ(r->signed_body.size(), kCsvSignedSize);
}

TEST(CsvReportTest, StoredFieldsAreMaskedWithTheAnonce) {
  Bytes wire = EncodeCsvReport(Sample(), Pek(), {});
  // sig_usage 0x1002 at data offset 180, masked with anonce bytes 26 d7 c7 5d.
  EXPECT_EQ(wire[20 + 180], 0x02 ^ 0x26);
  EXPECT_EQ(wire[20 + 181], 0x10 ^ 0xd7);
  EXPECT_EQ(wire[20 + 188], 0x26);  // the anonce itself is stored in clear
}

TEST(CsvReportTest, WrongSizesFail) {
  Bytes wire = EncodeCsvReport(Sample(), Pek(), {});
  EXPECT_TRUE(FailsWith(DecodeCsvReport(ByteView(wire).first(wire.size() - 1)), Errc::kTruncated));
  EXPECT_TRUE(FailsWith(DecodeCsvReport(ByteView(wire).first(20)), Errc::kTruncated));
  wire.push_back(0);
  auto r = DecodeCsvReport(wire);
  EXPECT_TRUE(FailsWith(r, Errc::kTrailingBytes));
  EXPECT_EQ(r.error().offset(), kCsvWrapperSize);
}

TEST(CsvReportTest, ExtendedMagicIsUnsupported) {
  Bytes wire = EncodeCsvReport(Sample(), Pek(), {});
  const char kMagic[] = "ATTESTATION_EXT";
  std::copy(kMagic, kMagic + 15, wire.begin());
  EXPECT_TRUE(FailsWith(DecodeCsvReport(wire), Errc::kCsvUnsupportedVersion));
}

TEST(CsvReportTest, NonZeroTailIsRecorded) {
  Bytes wire = EncodeCsvReport(Sample(), Pek(), {});
  wire.back() = 1;
  auto r = DecodeCsvReport(wire);
  TEEPNET_ASSERT_OK(r);
  EXPECT_FALSE(r->reserved_zero);
}

TEST(CsvReportTest, TrusteeJsonWithWrongShapesFails) {
  for (const char* json : {"[]", "{}", R"({"attestation_report": 1})",
                           R"({"attestation_report": {"magic": [], "flags": 0, "data": []}})"}) {
    EXPECT_TRUE(FailsWith(CsvWrapperFromTrusteeJson(json), Errc::kCsvBadEvidenceJson)) << json;
  }
}

}  // namespace
}  // namespace teepnet::attest
