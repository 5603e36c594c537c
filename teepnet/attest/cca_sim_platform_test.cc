#include "teepnet/attest/cca_sim_platform.h"

#include <gtest/gtest.h>

#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

class SimCcaPlatformTest : public ::testing::TestWithParam<RealmKeyEncoding> {};

TEST_P(SimCcaPlatformTest, EvidenceAppraisesAffirmingWithItsEndorsements) {
  auto p = SimCcaPlatform::Create(GetParam());
  TEEPNET_ASSERT_OK(p);
  Bytes report_data(64, 0x33);
  auto token = p->GetEvidence(report_data);
  TEEPNET_ASSERT_OK(token);
  CcaPolicy policy;
  policy.challenge = report_data;
  auto a = AppraiseCca(*token, p->Endorsements(), policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->report_data, report_data);
  EXPECT_EQ(a->claims.at("measurement"), p->measurement_hex());
  EXPECT_EQ(a->claims.at("realm_key_encoding"),
            GetParam() == RealmKeyEncoding::kCoseKey ? "cose-key" : "sec1-point");
}

TEST_P(SimCcaPlatformTest, WrongChallengeIsContraindicated) {
  auto p = SimCcaPlatform::Create(GetParam());
  TEEPNET_ASSERT_OK(p);
  auto token = p->GetEvidence(Bytes(64, 0x33));
  TEEPNET_ASSERT_OK(token);
  CcaPolicy policy;
  policy.challenge = Bytes(64, 0x34);
  auto a = AppraiseCca(*token, p->Endorsements(), policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_P(SimCcaPlatformTest, DebugPlatformUnderNoDebugPolicyIsContraindicated) {
  auto p = SimCcaPlatform::Create(GetParam());
  TEEPNET_ASSERT_OK(p);
  p->set_lifecycle(0x5000);
  auto token = p->GetEvidence(Bytes(64, 0));
  TEEPNET_ASSERT_OK(token);
  auto a = AppraiseCca(*token, p->Endorsements(), CcaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
}

TEST_P(SimCcaPlatformTest, RealmTokenFromAnotherMachineBreaksTheBinding) {
  auto p = SimCcaPlatform::Create(GetParam());
  auto q = SimCcaPlatform::Create(GetParam());
  TEEPNET_ASSERT_OK(p);
  TEEPNET_ASSERT_OK(q);
  auto tp = p->GetEvidence(Bytes(64, 1));
  auto tq = q->GetEvidence(Bytes(64, 1));
  TEEPNET_ASSERT_OK(tp);
  TEEPNET_ASSERT_OK(tq);
  auto pp = ParseCcaToken(*tp);
  auto pq = ParseCcaToken(*tq);
  TEEPNET_ASSERT_OK(pp);
  TEEPNET_ASSERT_OK(pq);
  Bytes spliced = EncodeCcaCollection(pp->platform_token, pq->realm_token);
  auto a = AppraiseCca(spliced, p->Endorsements(), CcaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

TEST_P(SimCcaPlatformTest, SerializeThenLoadKeepsTheMachine) {
  auto p = SimCcaPlatform::Create(GetParam());
  TEEPNET_ASSERT_OK(p);
  SecretBytes state = p->Serialize();
  auto q = SimCcaPlatform::Load(state.view());
  TEEPNET_ASSERT_OK(q);
  EXPECT_EQ(q->measurement_hex(), p->measurement_hex());
  auto token = q->GetEvidence(Bytes(64, 9));
  TEEPNET_ASSERT_OK(token);
  auto a = AppraiseCca(*token, p->Endorsements(), CcaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming);
  EXPECT_EQ(a->claims.at("realm_key_encoding"),
            GetParam() == RealmKeyEncoding::kCoseKey ? "cose-key" : "sec1-point");
}

INSTANTIATE_TEST_SUITE_P(BothRealmKeyEncodings, SimCcaPlatformTest,
                         ::testing::Values(RealmKeyEncoding::kCoseKey,
                                           RealmKeyEncoding::kSec1Point));

TEST(SimCcaPlatformStateTest, PsaStateIsNotACcaState) {
  EXPECT_TRUE(FailsWith(SimCcaPlatform::Load(Bytes{0xa1, 0x01, 0x61, 0x78}), Errc::kBadState));
}

}  // namespace
}  // namespace teepnet::attest
