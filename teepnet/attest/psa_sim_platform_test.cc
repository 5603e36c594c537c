#include "teepnet/attest/psa_sim_platform.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

TEST(SimPsaPlatformTest, EvidenceAppraisesAffirmingWithItsEndorsements) {
  auto p = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  Bytes nonce(32, 0x5a);
  auto token = p->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(token);
  PsaPolicy policy;
  policy.nonce = nonce;
  auto a = AppraisePsa(*token, p->Endorsements(), policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->report_data, nonce);
  EXPECT_EQ(a->claims.at("measurement"), p->measurement_hex());
  EXPECT_EQ(a->architecture, Architecture::kTrustZone);
}

TEST(SimPsaPlatformTest, ShortReportDataIsZeroPaddedTo32Bytes) {
  auto p = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  auto token = p->GetEvidence(Bytes{1, 2, 3});
  TEEPNET_ASSERT_OK(token);
  auto parsed = ParsePsaToken(*token);
  TEEPNET_ASSERT_OK(parsed);
  Bytes want(32, 0);
  want[0] = 1, want[1] = 2, want[2] = 3;
  EXPECT_EQ(parsed->claims.nonce, want);
  EXPECT_TRUE(FailsWith(p->GetEvidence(Bytes(65, 0)), Errc::kBadState));
}

TEST(SimPsaPlatformTest, DebugLifecycleUnderNoDebugPolicyIsContraindicated) {
  auto p = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  p->set_lifecycle(0x4000);
  auto token = p->GetEvidence(Bytes(32, 1));
  TEEPNET_ASSERT_OK(token);
  auto a = AppraisePsa(*token, p->Endorsements(), PsaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->claims.at("debug"), "true");
}

TEST(SimPsaPlatformTest, AnotherDevicesEndorsementsAreContraindicated) {
  auto p = SimPsaPlatform::Create();
  auto q = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  TEEPNET_ASSERT_OK(q);
  auto token = p->GetEvidence(Bytes(32, 1));
  TEEPNET_ASSERT_OK(token);
  auto a = AppraisePsa(*token, q->Endorsements(), PsaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kUnrecognizedInstance);
  // The other device's IAK registered under this device's identity: signature fails.
  PsaEndorsements swapped;
  swapped.AddTrustAnchor(PsaTrustAnchor{p->implementation_id(), p->instance_id(), q->iak_public()});
  auto b = AppraisePsa(*token, swapped, PsaPolicy(), kNow);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(b->trust.instance_identity, ar4si::kCryptoValidationFailed);
  EXPECT_EQ(b->Overall(), Tier::kContraindicated);
}

TEST(SimPsaPlatformTest, SerializeThenLoadKeepsTheIdentity) {
  auto p = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  SecretBytes state = p->Serialize();
  auto q = SimPsaPlatform::Load(state.view());
  TEEPNET_ASSERT_OK(q);
  EXPECT_EQ(q->instance_id(), p->instance_id());
  EXPECT_EQ(q->measurement_hex(), p->measurement_hex());
  auto token = q->GetEvidence(Bytes(32, 7));
  TEEPNET_ASSERT_OK(token);
  auto a = AppraisePsa(*token, p->Endorsements(), PsaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming);
}

TEST(SimPsaPlatformTest, LoadRefusesOtherStates) {
  EXPECT_TRUE(FailsWith(SimPsaPlatform::Load(Bytes{0xa0}), Errc::kBadState));
  EXPECT_TRUE(FailsWith(SimPsaPlatform::Load(Bytes{0x01}), Errc::kBadState));
}

TEST(SimPsaPlatformTest, ModifiedFirmwareIsContraindicatedExecutables) {
  auto p = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  auto token = p->GetEvidence(Bytes(32, 1));
  TEEPNET_ASSERT_OK(token);
  PsaEndorsements only_key;
  only_key.AddTrustAnchor(
      PsaTrustAnchor{p->implementation_id(), p->instance_id(), p->iak_public()});
  auto a = AppraisePsa(*token, only_key, PsaPolicy(), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.executables, ar4si::kContraindicatedExecutables);
  PsaPolicy lenient;
  lenient.require_reference_values = false;
  auto b = AppraisePsa(*token, only_key, lenient, kNow);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(b->trust.executables, ar4si::kUnrecognizedExecutables);
  EXPECT_EQ(b->Overall(), Tier::kWarning);
}

// The claim checks run before the signature check (for cache locality); what they find must
// not survive a signature that fails, even when they found something to report.
TEST(SimPsaPlatformTest, FailedSignatureKeepsNothingTheClaimChecksFound) {
  auto p = SimPsaPlatform::Create();
  auto q = SimPsaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  TEEPNET_ASSERT_OK(q);
  p->set_lifecycle(0x4000);  // debug: the claim checks alone would contraindicate configuration
  const Bytes nonce(32, 9);
  auto token = p->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(token);
  PsaEndorsements swapped;
  swapped.AddTrustAnchor(PsaTrustAnchor{p->implementation_id(), p->instance_id(), q->iak_public()});
  PsaPolicy policy;
  policy.policy_id = "psa-test";
  policy.nonce = Bytes(32, 8);  // and a stale nonce
  auto a = AppraisePsa(*token, swapped, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
  EXPECT_EQ(a->trust.configuration, ar4si::kNoClaim);
  EXPECT_EQ(a->trust.executables, ar4si::kNoClaim);
  EXPECT_EQ(a->trust.hardware, ar4si::kNoClaim);
  ASSERT_EQ(a->notes.size(), 1u) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->claims.size(), 2u) << ::testing::PrintToString(a->claims);
  EXPECT_EQ(a->claims.at("policy_id"), "psa-test");
  EXPECT_EQ(a->claims.at("evaluated_at"), std::to_string(kNow));
  EXPECT_EQ(a->report_data, nonce);
  EXPECT_EQ(a->evidence_digest, crypto::Sha256(*token));
}

}  // namespace
}  // namespace teepnet::attest
