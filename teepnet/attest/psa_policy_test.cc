#include "teepnet/attest/psa_policy.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;

TEST(PsaPolicyTest, JsonSetsEveryMember) {
  auto p = PsaPolicy::FromJson(R"({"policy-id":"p1","profiles":["x"],"secured-lifecycle-only":false,
    "debug-forbidden":false,"require-reference-values":false,"implementation-ids":["0a0b"],
    "nonce":"0102"})");
  TEEPNET_ASSERT_OK(p);
  EXPECT_EQ(p->policy_id, "p1");
  EXPECT_EQ(p->profiles, std::vector<std::string>{"x"});
  EXPECT_FALSE(p->secured_lifecycle_only);
  EXPECT_FALSE(p->debug_forbidden);
  EXPECT_FALSE(p->require_reference_values);
  EXPECT_EQ(p->implementation_ids, std::vector<Bytes>{Bytes({0x0a, 0x0b})});
  EXPECT_EQ(*p->nonce, Bytes({0x01, 0x02}));
}

TEST(PsaPolicyTest, EmptyJsonKeepsSafeDefaults) {
  auto p = PsaPolicy::FromJson("{}");
  TEEPNET_ASSERT_OK(p);
  EXPECT_TRUE(p->debug_forbidden);
  EXPECT_TRUE(p->secured_lifecycle_only);
  EXPECT_TRUE(p->require_reference_values);
}

TEST(PsaPolicyTest, UnknownMemberFails) {
  EXPECT_TRUE(FailsWith(PsaPolicy::FromJson(R"({"debug-allowed":true})"), Errc::kBadPolicy));
}

TEST(PsaPolicyTest, WrongTypeFails) {
  EXPECT_TRUE(FailsWith(PsaPolicy::FromJson(R"({"debug-forbidden":"yes"})"), Errc::kBadPolicy));
  EXPECT_TRUE(FailsWith(PsaPolicy::FromJson(R"({"nonce":"zz"})"), Errc::kBadPolicy));
  EXPECT_TRUE(FailsWith(PsaPolicy::FromJson("[1"), Errc::kBadPolicy));
}

TEST(CcaPolicyTest, JsonNestsThePlatformPolicy) {
  auto p = CcaPolicy::FromJson(R"({"platform":{"debug-forbidden":false},
    "realm-profiles":["tag:arm.com,2023:realm#1.0.0"],"require-realm-reference-values":false,
    "realm-initial-measurements":["00ff"],"challenge":"ab"})");
  TEEPNET_ASSERT_OK(p);
  EXPECT_FALSE(p->platform.debug_forbidden);
  EXPECT_EQ(p->platform.profiles, std::vector<std::string>{"http://arm.com/CCA-SSD/1.0.0"});
  EXPECT_EQ(p->realm_profiles.size(), 1u);
  EXPECT_FALSE(p->require_realm_reference_values);
  EXPECT_EQ(p->realm_initial_measurements.size(), 1u);
  EXPECT_EQ(*p->challenge, Bytes({0xab}));
}

TEST(CcaPolicyTest, UnknownPlatformMemberFails) {
  EXPECT_TRUE(FailsWith(CcaPolicy::FromJson(R"({"platform":{"x":1}})"), Errc::kBadPolicy));
}

}  // namespace
}  // namespace teepnet::attest
