#include "teepnet/attest/csv_policy.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

TEST(CsvPolicyTest, EveryKeyIsRead) {
  auto p = CsvPolicy::FromJson(R"({"allow_debug": true, "measurements": [")" +
                               std::string(64, 'a') + R"("], "report_data": ")" +
                               std::string(128, 'b') + R"(", "user_pubkey_digest": ")" +
                               std::string(64, 'c') + R"(", "vm_ids": [")" + std::string(32, 'd') +
                               R"("], "require_endorsed_pek": true})");
  TEEPNET_ASSERT_OK(p);
  EXPECT_TRUE(p->allow_debug);
  EXPECT_EQ(p->measurements.at(0), Bytes(32, 0xAA));
  EXPECT_EQ(p->report_data, Bytes(64, 0xBB));
  EXPECT_EQ(p->user_pubkey_digest, Bytes(32, 0xCC));
  EXPECT_EQ(p->vm_ids.at(0), Bytes(16, 0xDD));
  EXPECT_TRUE(p->require_endorsed_pek);
}

TEST(CsvPolicyTest, DefaultsForbidDebug) {
  auto p = CsvPolicy::FromJson("{}");
  TEEPNET_ASSERT_OK(p);
  EXPECT_FALSE(p->allow_debug);
  EXPECT_FALSE(p->require_endorsed_pek);
}

TEST(CsvPolicyTest, MalformedDocumentsFailWithBadPolicy) {
  for (const char* json : {"", "1", R"({"allow_debug": "no"})", R"({"measurements": ["aa"]})",
                           R"({"report_data": 5})", R"({"vm_ids": "x"})", R"({"debug": true})"}) {
    EXPECT_TRUE(FailsWith(CsvPolicy::FromJson(json), Errc::kBadPolicy)) << json;
  }
}

}  // namespace
}  // namespace teepnet::attest
