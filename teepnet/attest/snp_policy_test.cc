#include "teepnet/attest/snp_policy.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

TEST(SnpPolicyTest, EmptyObjectGivesSafeDefaults) {
  auto p = SnpPolicy::FromJson("{}");
  TEEPNET_ASSERT_OK(p);
  EXPECT_FALSE(p->allow_debug);
  EXPECT_FALSE(p->allow_migration_agent);
  EXPECT_TRUE(p->allow_vcek);
  EXPECT_TRUE(p->measurements.empty());
}

TEST(SnpPolicyTest, EveryKeyIsRead) {
  auto p = SnpPolicy::FromJson(R"({
    "allow_debug": true, "allow_migration_agent": true, "allow_smt": false, "vmpl": 2,
    "measurements": [")" + std::string(96, 'a') +
                               R"("],
    "host_data": ")" + std::string(64, 'b') +
                               R"(",
    "id_key_digests": [")" + std::string(96, 'c') +
                               R"("],
    "report_data": ")" + std::string(128, 'd') +
                               R"(",
    "min_guest_svn": 4, "min_tcb": {"bl": 3, "tee": 1, "snp": 8, "ucode": 115, "fmc": 2},
    "signers": ["vlek"], "product": "Turin"})");
  TEEPNET_ASSERT_OK(p);
  EXPECT_TRUE(p->allow_debug);
  EXPECT_TRUE(p->allow_migration_agent);
  EXPECT_FALSE(p->allow_smt);
  EXPECT_EQ(p->vmpl, 2u);
  ASSERT_EQ(p->measurements.size(), 1u);
  EXPECT_EQ(p->measurements[0], Bytes(48, 0xAA));
  EXPECT_EQ(p->host_data, Bytes(32, 0xBB));
  EXPECT_EQ(p->id_key_digests[0], Bytes(48, 0xCC));
  EXPECT_EQ(p->report_data, Bytes(64, 0xDD));
  EXPECT_EQ(p->min_guest_svn, 4u);
  EXPECT_EQ(p->min_tcb, (SnpTcb{2, 3, 1, 8, 115}));
  EXPECT_FALSE(p->allow_vcek);
  EXPECT_TRUE(p->allow_vlek);
  EXPECT_EQ(p->product, SnpProduct::kTurin);
}

TEST(SnpPolicyTest, MalformedDocumentsFailWithBadPolicy) {
  for (const char* json :
       {"[]", "not json", R"({"allow_debug": 1})", R"({"vmpl": 4})", R"({"vmpl": -1})",
        R"({"measurements": ["abcd"]})", R"({"measurements": "aa"})", R"({"host_data": "zz"})",
        R"({"min_tcb": {"bl": 256}})", R"({"min_tcb": {"x": 1}})", R"({"signers": ["ark"]})",
        R"({"product": "Naples"})", R"({"alow_debug": true})"}) {
    EXPECT_TRUE(FailsWith(SnpPolicy::FromJson(json), Errc::kBadPolicy)) << json;
  }
}

}  // namespace
}  // namespace teepnet::attest
