// Genuine Hygon CSV material (shared/vectors/attestation/hygon-csv/README.md): the HRK → HSK
// → CEK chain of csv-rs and Trustee's V1 report of chip KPA64911240507, whose HSK/CEK are not
// published, so its PEK can only be checked up to the report signature offline.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "teepnet/attest/csv_appraiser.h"
#include "teepnet/attest/csv_cert.h"
#include "teepnet/attest/csv_report.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

constexpr int64_t k2025 = 1748736000;
constexpr char kMeasure[] = "ae2a2cf1f41a485fa37bf9ae92f678783c59fbc79de7b5d237743d58f5538034";

Bytes File(const std::string& name) {
  return ReadVectorFile("attestation/hygon-csv/" + name);
}

Bytes TrusteeWrapper() {
  Bytes json = File("trustee-csv_evidence.json");
  auto wrapper = CsvWrapperFromTrusteeJson(AsChars(json));
  EXPECT_TRUE(wrapper.ok());
  return std::move(wrapper).value();
}

CsvPolicy TrusteePolicy() {
  CsvPolicy p;
  p.measurements.push_back(*FromHex(kMeasure));
  p.report_data = Bytes(64, 0);
  return p;
}

CsvEndorsements HrkOnly() {
  return CsvEndorsements{File("hygon-hrk.cert"), {}, {}};
}

TEST(CsvGenuineCertTest, HrkIsSelfSignedUnderItsOwnUserId) {
  auto hrk = DecodeCsvCaCert(File("hygon-hrk.cert"));
  TEEPNET_ASSERT_OK(hrk);
  EXPECT_EQ(hrk->user_id, "HYGON-SSD-HRK");
  EXPECT_EQ(hrk->usage, static_cast<uint32_t>(CsvUsage::kHrk));
  EXPECT_EQ(hrk->key_id, hrk->signing_key_id);
  ASSERT_TRUE(hrk->key.has_value());
  TEEPNET_EXPECT_OK(VerifyCsvSignature(*hrk->key, hrk->user_id, hrk->signed_body, hrk->signature));
}

TEST(CsvGenuineCertTest, HrkSignsHskAndHskSignsCekWithTheSignersUserId) {
  auto hrk = *DecodeCsvCaCert(File("hygon-hrk.cert"));
  auto hsk = DecodeCsvCaCert(File("csvrs-hsk.cert"));
  auto cek = DecodeCsvCert(File("csvrs-cek.cert"));
  TEEPNET_ASSERT_OK(hsk);
  TEEPNET_ASSERT_OK(cek);
  EXPECT_EQ(hsk->signing_key_id, hrk.key_id);
  EXPECT_EQ(cek->sid, hsk->key_id);
  TEEPNET_EXPECT_OK(VerifyCsvSignature(*hrk.key, hrk.user_id, hsk->signed_body, hsk->signature));
  ASSERT_NE(cek->SlotFor(CsvUsage::kHsk), nullptr);
  TEEPNET_EXPECT_OK(
      VerifyCsvSignature(*hsk->key, hsk->user_id, cek->signed_body, *cek->SlotFor(CsvUsage::kHsk)));
  // The subject's own user_id is not the distinguishing identifier.
  EXPECT_FALSE(VerifyCsvSignature(*hrk.key, hsk->user_id, hsk->signed_body, hsk->signature).ok());
}

TEST(CsvGenuineCertTest, WrongSizesFail) {
  Bytes hrk = File("hygon-hrk.cert");
  hrk.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeCsvCaCert(hrk), Errc::kCsvBadCertificate));
  EXPECT_TRUE(FailsWith(DecodeCsvCert(File("hygon-hrk.cert")), Errc::kCsvBadCertificate));
}

TEST(CsvGenuineReportTest, FieldsUnmaskToTheReadmeValues) {
  auto r = DecodeCsvReport(TrusteeWrapper());
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->anonce, 0x5dc7d726u);
  EXPECT_EQ(ToHex(r->measure), kMeasure);
  EXPECT_EQ(ToHex(r->mnonce), "ad998a845c45cf30944d1c285629e768");
  EXPECT_EQ(r->policy, 0x45u);
  EXPECT_EQ(r->sig_usage, 0x1002u);
  EXPECT_EQ(r->report_data, (std::array<uint8_t, 64>{}));
  EXPECT_EQ(r->vm_id, (std::array<uint8_t, 16>{}));
  EXPECT_EQ(r->chip_serial, "KPA64911240507");
  EXPECT_EQ(r->pek.user_id, "HYGON-SSD-PEK");
  EXPECT_TRUE(r->reserved_zero);
}

TEST(CsvGenuineReportTest, PekInTheReportEqualsTheJsonCertChainPek) {
  auto r = DecodeCsvReport(TrusteeWrapper());
  TEEPNET_ASSERT_OK(r);
  auto doc = nlohmann::json::parse(AsChars(File("trustee-csv_evidence.json")));
  const auto& x = doc["cert_chain"]["pek"]["body"]["data"]["pubkey"]["key"]["x"];
  Bytes json_x;
  for (const auto& b : x) json_x.push_back(b.get<uint8_t>());
  Bytes expected(json_x.begin(), json_x.begin() + 32);
  std::reverse(expected.begin(), expected.end());
  auto key = CsvParseKey(r->pek.key_fields);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->X(), expected);
}

TEST(CsvGenuineReportTest, AppraisesWithAVerifiedSignatureAndAnUnendorsedPekWarning) {
  auto a = AppraiseCsv(TrusteeWrapper(), HrkOnly(), TrusteePolicy(), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kWarning) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming);
  EXPECT_EQ(a->trust.executables, ar4si::kAffirming);
  EXPECT_EQ(a->trust.configuration, ar4si::kAffirming);
  EXPECT_EQ(a->trust.hardware, ar4si::kHardwareUnsafe);
  EXPECT_EQ(a->claims["endorsement"], "pek-only");
  EXPECT_EQ(a->claims["debug"], "false");
  EXPECT_EQ(a->claims["chip_serial"], "KPA64911240507");
}

TEST(CsvGenuineReportTest, RequiringAnEndorsedPekMakesItContraindicated) {
  CsvPolicy p = TrusteePolicy();
  p.require_endorsed_pek = true;
  auto a = AppraiseCsv(TrusteeWrapper(), HrkOnly(), p, k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(CsvGenuineReportTest, AnotherChipsCekIsContraindicated) {
  CsvEndorsements e{File("hygon-hrk.cert"), File("csvrs-hsk.cert"), File("csvrs-cek.cert")};
  auto a = AppraiseCsv(TrusteeWrapper(), e, TrusteePolicy(), k2025);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->claims["endorsement"], "broken");
}

TEST(CsvGenuineReportTest, HskCekBlobSplitsIntoBothCertificates) {
  Bytes blob = File("csvrs-hsk.cert");
  Append(blob, File("csvrs-cek.cert"));
  auto e = CsvEndorsements::FromHrkAndHskCek(File("hygon-hrk.cert"), blob);
  TEEPNET_ASSERT_OK(e);
  EXPECT_EQ(e->hsk, File("csvrs-hsk.cert"));
  EXPECT_EQ(e->cek, File("csvrs-cek.cert"));
  blob.pop_back();
  EXPECT_TRUE(FailsWith(CsvEndorsements::FromHrkAndHskCek(File("hygon-hrk.cert"), blob),
                        Errc::kBadEndorsement));
}

TEST(CsvGenuineReportTest, FlippingAnyBitOfTheSignedBytesOrSignatureIsContraindicated) {
  const Bytes good = TrusteeWrapper();
  CsvVerifier verifier;
  const CsvPolicy p = TrusteePolicy();
  std::vector<size_t> offsets;  // data-relative: signed bytes 0..179, r and s (low 32 each)
  for (size_t i = 0; i < kCsvSignedSize; ++i) offsets.push_back(i);
  for (size_t i = 0; i < 32; ++i) {
    offsets.push_back(192 + i);
    offsets.push_back(264 + i);
  }
  for (size_t offset : offsets) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes bad = good;
      bad[20 + offset] ^= static_cast<uint8_t>(1u << bit);
      auto a = verifier.Appraise(bad, HrkOnly(), p, k2025);
      TEEPNET_ASSERT_OK(a);
      ASSERT_EQ(a->Overall(), Tier::kContraindicated) << offset << "." << bit;
    }
  }
}

TEST(CsvGenuineReportTest, FlippingTheAnonceChangesTheMeasurementAndIsContraindicated) {
  // The anonce (data 188..191) is outside the signed bytes; a changed anonce unmasks every
  // field differently, so the reference-value checks catch it.
  for (size_t i = 188; i < 192; ++i) {
    Bytes bad = TrusteeWrapper();
    bad[20 + i] ^= 0x01;
    auto a = AppraiseCsv(bad, HrkOnly(), TrusteePolicy(), k2025);
    TEEPNET_ASSERT_OK(a);
    EXPECT_EQ(a->Overall(), Tier::kContraindicated) << i;
  }
}

TEST(CsvGenuineReportTest, BytesAfterTheWrapperFailToParse) {
  Bytes wire = TrusteeWrapper();
  wire.push_back(0);
  EXPECT_TRUE(
      FailsWith(AppraiseCsv(wire, HrkOnly(), TrusteePolicy(), k2025), Errc::kTrailingBytes));
}

}  // namespace
}  // namespace teepnet::attest
