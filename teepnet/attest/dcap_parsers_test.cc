// Unit tests of the DCAP parsers that sit under the appraiser: the JSON span locator, the PCK
// SGX extension reader, the UTC time parser, the policy JSON and the TCB status combination.
#include <gtest/gtest.h>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/dcap_json_span.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/attest/dcap_policy.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/dcap_tcb.h"
#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

TEST(JsonSpanTest, ReturnsTheExactValueBytesIncludingInnerWhitespace) {
  std::string doc = R"({ "signature" : "ab", "tcbInfo" : {"a": [1, 2.5e3, "x\"}"], "b":null} })";
  auto span = FindJsonMember(AsBytes(doc), "tcbInfo");
  TEEPNET_ASSERT_OK(span);
  EXPECT_EQ(AsChars(*span), R"({"a": [1, 2.5e3, "x\"}"], "b":null})");
}

TEST(JsonSpanTest, MalformedDocumentsFailWithAnOffset) {
  for (std::string doc :
       {R"({"tcbInfo":{})", R"({"tcbInfo":{}} x)", R"({"tcbInfo" {}})", R"({"tcbInfo":"\q"})",
        "{\"tcbInfo\":\"\x01\"}", R"([1])", "", R"({"tcbInfo":{},})", R"({"tcbInfo":[1,]})"}) {
    auto r = FindJsonMember(AsBytes(doc), "tcbInfo");
    EXPECT_TRUE(FailsWith(r, Errc::kDcapBadCollateralJson)) << doc;
  }
}

TEST(JsonSpanTest, DuplicateMemberFails) {
  EXPECT_TRUE(FailsWith(FindJsonMember(AsBytes(R"({"tcbInfo":{},"tcbInfo":{}})"), "tcbInfo"),
                        Errc::kDcapBadCollateralJson));
}

TEST(JsonSpanTest, MissingMemberFails) {
  EXPECT_TRUE(FailsWith(FindJsonMember(AsBytes(R"({"other":{"tcbInfo":{}}})"), "tcbInfo"),
                        Errc::kDcapBadCollateralJson));
}

TEST(JsonSpanTest, NestingBeyondTheLimitFails) {
  std::string deep = "{\"tcbInfo\":" + std::string(kMaxJsonDepth + 2, '[') +
                     std::string(kMaxJsonDepth + 2, ']') + "}";
  EXPECT_TRUE(FailsWith(FindJsonMember(AsBytes(deep), "tcbInfo"), Errc::kDcapBadCollateralJson));
}

PckExtension SampleExtension() {
  PckExtension e;
  for (size_t i = 0; i < 16; ++i) e.comp_svn[i] = static_cast<uint8_t>(i * 17);
  e.comp_svn[4] = 255;
  e.pcesvn = 300;
  e.cpusvn[0] = 11;
  e.pce_id = {0, 0};
  e.fmspc = {0x00, 0xa0, 0x67, 0x11, 0x00, 0x00};
  e.sgx_type = 1;
  return e;
}

TEST(PckExtensionTest, EncodedExtensionParsesBack) {
  PckExtension e = SampleExtension();
  auto back = ParsePckExtension(EncodePckExtension(e));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->comp_svn, e.comp_svn);
  EXPECT_EQ(back->pcesvn, 300);
  EXPECT_EQ(back->cpusvn, e.cpusvn);
  EXPECT_EQ(back->fmspc, e.fmspc);
  EXPECT_EQ(back->sgx_type, 1);
}

TEST(PckExtensionTest, EveryTruncationFails) {
  Bytes der = EncodePckExtension(SampleExtension());
  for (size_t n = 0; n < der.size(); ++n) {
    EXPECT_TRUE(FailsWith(ParsePckExtension(ByteView(der).first(n)), Errc::kDcapBadPckExtension))
        << n;
  }
}

TEST(PckExtensionTest, TrailingBytesFail) {
  Bytes der = EncodePckExtension(SampleExtension());
  der.push_back(0);
  EXPECT_TRUE(FailsWith(ParsePckExtension(der), Errc::kDcapBadPckExtension));
}

TEST(UtcTimeTest, ParsesRfc3339Utc) {
  auto t = ParseUtcTime("2025-07-01T00:00:00Z");
  TEEPNET_ASSERT_OK(t);
  EXPECT_EQ(*t, 1751328000);
  EXPECT_TRUE(FailsWith(ParseUtcTime("2025-13-01T00:00:00Z"), Errc::kDcapBadCollateralJson));
  EXPECT_TRUE(FailsWith(ParseUtcTime("2025-07-01 00:00:00Z"), Errc::kDcapBadCollateralJson));
}

TEST(DcapPolicyTest, JsonFormParses) {
  auto p = SgxPolicy::FromJson(R"({"accepted_tcb_statuses":["UpToDate"],"allow_debug":true,
      "trailing_bytes":"warn","isvprodid":1,"min_isvsvn":2,
      "mrsigner":["8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"]})");
  TEEPNET_ASSERT_OK(p);
  EXPECT_EQ(p->common.accepted_tcb_statuses.size(), 1u);
  EXPECT_TRUE(p->common.allow_debug);
  EXPECT_EQ(p->common.trailing_bytes, TrailingBytesRule::kWarn);
  EXPECT_EQ(p->mrsigner.size(), 1u);
  EXPECT_EQ(*p->min_isvsvn, 2);
}

TEST(DcapPolicyTest, UnknownMemberOrRevokedFails) {
  EXPECT_TRUE(FailsWith(SgxPolicy::FromJson(R"({"mrtd":[]})"), Errc::kBadPolicy));
  EXPECT_TRUE(
      FailsWith(TdxPolicy::FromJson(R"({"accepted_tcb_statuses":["Revoked"]})"), Errc::kBadPolicy));
  EXPECT_TRUE(FailsWith(TdxPolicy::FromJson(R"({"rtmr4":[]})"), Errc::kBadPolicy));
  EXPECT_TRUE(FailsWith(TdxPolicy::FromJson(R"({"mrtd":["00"]})"), Errc::kBadPolicy));
}

TEST(TcbStatusTest, CombinationFollowsTheQeAndModuleStatus) {
  EXPECT_EQ(CombineTcbStatus(TcbStatus::kUpToDate, TcbStatus::kOutOfDate), TcbStatus::kOutOfDate);
  EXPECT_EQ(CombineTcbStatus(TcbStatus::kConfigurationNeeded, TcbStatus::kOutOfDate),
            TcbStatus::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(CombineTcbStatus(TcbStatus::kSwHardeningNeeded, TcbStatus::kUpToDate),
            TcbStatus::kSwHardeningNeeded);
  EXPECT_EQ(CombineTcbStatus(TcbStatus::kUpToDate, TcbStatus::kRevoked), TcbStatus::kRevoked);
}

TEST(DcapQuoteTest, UnsupportedHeaderFieldsFail) {
  Bytes q(48, 0);
  q[0] = 2;
  EXPECT_TRUE(FailsWith(ParseDcapQuote(q), Errc::kDcapUnsupportedVersion));
  q[0] = 4;
  q[2] = 3;
  EXPECT_TRUE(FailsWith(ParseDcapQuote(q), Errc::kDcapUnsupportedKeyType));
  q[2] = 2;
  q[4] = 0x82;
  EXPECT_TRUE(FailsWith(ParseDcapQuote(q), Errc::kDcapUnsupportedTeeType));
  q[4] = 0x81;
  EXPECT_TRUE(FailsWith(ParseDcapQuote(q), Errc::kTruncated));
}

}  // namespace
}  // namespace teepnet::attest
