// Simulated SGX/TDX platforms: their quotes appraise through the same path as Intel's against
// the simulated root pinned by configuration, survive a Serialize/Load of the manufacturer
// state, and every defect (debug under a no-debug policy, a flipped bit, another
// installation's collateral, the genuine Intel pin) is contraindicated.
#include "teepnet/attest/dcap_sim_platform.h"

#include <gtest/gtest.h>

#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/errc.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;  // 2026-09-21

std::string Notes(const Appraisal& a) {
  std::string s;
  for (const auto& n : a.notes) s += "\n  " + n;
  return s;
}

class DcapSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = SimIntelManufacturer::Create(kNow - 86400);
    TEEPNET_ASSERT_OK(m);
    intel_.emplace(std::move(*m));
  }
  SimSgxIdentity Enclave(bool debug = false) {
    SimSgxIdentity id;
    id.mrenclave.fill(0xe1);
    id.mrsigner.fill(0x51);
    id.isvprodid = 7;
    id.isvsvn = 2;
    id.debug = debug;
    return id;
  }
  SimTdIdentity Td(bool debug = false) {
    SimTdIdentity id;
    id.mrtd.fill(0x7d);
    id.rtmr[0].fill(0x01);
    id.debug = debug;
    return id;
  }
  std::optional<SimIntelManufacturer> intel_;
};

TEST_F(DcapSimTest, SgxQuoteAppraisesAffirmingAgainstTheSimulatedRoot) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  TEEPNET_ASSERT_OK(platform);
  Bytes rd(64, 0xab);
  auto quote = platform->GetEvidence(rd);
  TEEPNET_ASSERT_OK(quote);
  auto parsed = ParseDcapQuote(*quote);
  TEEPNET_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->version, 3);
  auto e = intel_->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto policy = SgxPolicy::FromJson(
      R"({"mrenclave":["e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1"],
          "isvprodid":7,"min_isvsvn":2})");
  TEEPNET_ASSERT_OK(policy);
  std::array<uint8_t, 64> expected{};
  expected.fill(0xab);
  policy->common.report_data = expected;
  auto a = AppraiseSgx(*quote, *e, *policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << Notes(*a);
  EXPECT_EQ(a->claims["tcb_status"], "UpToDate");
  EXPECT_EQ(a->trust.executables, ar4si::kAffirming);
  EXPECT_EQ(a->claims["measurement"], platform->measurement_hex());
  EXPECT_EQ(a->report_data, rd);
}

TEST_F(DcapSimTest, TdxQuoteAppraisesAffirmingAgainstTheSimulatedRoot) {
  auto platform = SimTdxPlatform::Create(*intel_, Td());
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence(Bytes{1, 2, 3});
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(true, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  TdxPolicy policy;
  policy.mrtd.push_back({});
  policy.mrtd[0].fill(0x7d);
  auto a = AppraiseTdx(*quote, *e, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << Notes(*a);
  EXPECT_EQ(a->claims["tdx_module_tcb_status"], "UpToDate");
  EXPECT_EQ(a->claims["measurement"], platform->measurement_hex());
}

TEST_F(DcapSimTest, StateSurvivesSerializeAndLoad) {
  SecretBytes state = intel_->Serialize();
  auto loaded = SimIntelManufacturer::Load(state.view());
  TEEPNET_ASSERT_OK(loaded);
  EXPECT_EQ(loaded->root_sha256(), intel_->root_sha256());
  auto platform = SimTdxPlatform::Create(*loaded, Td());
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(quote);
  // Collateral from the original object, quote from the reloaded one: same installation.
  auto e = intel_->Endorsements(true, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto a = AppraiseTdx(*quote, *e, TdxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << Notes(*a);
}

TEST_F(DcapSimTest, MalformedStateFailsWithBadState) {
  EXPECT_TRUE(FailsWith(SimIntelManufacturer::Load(AsBytes("{}")), Errc::kBadState));
  EXPECT_TRUE(FailsWith(SimIntelManufacturer::Load(AsBytes("not json")), Errc::kBadState));
  SecretBytes state = intel_->Serialize();
  std::string text(AsChars(state.view()));
  text.replace(text.find("teepnet-sim-intel/1"), 19, "teepnet-sim-intel/9");
  EXPECT_TRUE(FailsWith(SimIntelManufacturer::Load(AsBytes(text)), Errc::kBadState));
}

TEST_F(DcapSimTest, DebugEnclaveUnderNoDebugPolicyIsContraindicated) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave(/*debug=*/true));
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto a = AppraiseSgx(*quote, *e, SgxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->claims["debug"], "true");
  SgxPolicy allow;
  allow.common.allow_debug = true;
  a = AppraiseSgx(*quote, *e, allow, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kWarning) << Notes(*a);
}

TEST_F(DcapSimTest, DebugTdUnderNoDebugPolicyIsContraindicated) {
  auto platform = SimTdxPlatform::Create(*intel_, Td(/*debug=*/true));
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(true, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto a = AppraiseTdx(*quote, *e, TdxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.configuration, ar4si::kUnsafeConfig);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_F(DcapSimTest, GenuineIntelPinRejectsTheSimulatedChain) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  auto quote = platform->GetEvidence({});
  auto e = intel_->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto a = AppraiseSgx(*quote, e->WithRootPin(kIntelSgxRootCaSha256), SgxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

TEST_F(DcapSimTest, AnotherInstallationsCollateralIsContraindicated) {
  auto other = SimIntelManufacturer::Create(kNow - 86400);
  TEEPNET_ASSERT_OK(other);
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  auto quote = platform->GetEvidence({});
  auto e = other->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto a = AppraiseSgx(*quote, *e, SgxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_F(DcapSimTest, EveryFlippedBitOfTheSimulatedQuoteIsContraindicated) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  auto quote = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  DcapVerificationCache cache;
  // Header, body, signature length, quote signature, attestation key and QE report.
  size_t covered = 432 + 4 + 128 + 384 + 64;
  for (size_t bit = 0; bit < covered * 8; ++bit) {
    Bytes m = *quote;
    m[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = AppraiseSgx(m, *e, SgxPolicy{}, kNow, &cache);
    if (!a.ok()) continue;  // unparseable is a rejection too
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "byte " << bit / 8;
  }
}

TEST_F(DcapSimTest, CachedAttestationKeysAreImportedOnceAndOffCurvePointsRefused) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence({});
  TEEPNET_ASSERT_OK(quote);
  auto parsed = ParseDcapQuote(*quote);
  TEEPNET_ASSERT_OK(parsed);
  DcapVerificationCache cache;
  auto first = cache.AttestationKey(parsed->attestation_key);
  auto again = cache.AttestationKey(parsed->attestation_key);
  TEEPNET_ASSERT_OK(first);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(&first->handle(), &again->handle());  // one import, kept
  auto direct = crypto::PublicKey::FromCoordinates(
      crypto::KeyType::kP256, parsed->attestation_key.first(32), parsed->attestation_key.last(32));
  TEEPNET_ASSERT_OK(direct);
  EXPECT_TRUE(first->Equals(*direct));
  Bytes off_curve = ToBytes(parsed->attestation_key);
  off_curve.back() ^= 1;
  EXPECT_FALSE(cache.AttestationKey(off_curve).ok());
  EXPECT_FALSE(cache.AttestationKey(off_curve).ok());  // a failure is not remembered as a key
  EXPECT_FALSE(cache.AttestationKey(ByteView(off_curve).first(63)).ok());
}

TEST_F(DcapSimTest, AppraisalsThroughTheCacheMatchTheUncachedOne) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  TEEPNET_ASSERT_OK(platform);
  auto quote = platform->GetEvidence(Bytes(64, 0x3c));
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(false, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  auto fresh = AppraiseSgx(*quote, *e, SgxPolicy{}, kNow);
  TEEPNET_ASSERT_OK(fresh);
  EXPECT_EQ(fresh->Overall(), Tier::kAffirming) << Notes(*fresh);
  DcapVerificationCache cache;
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    auto cached = AppraiseSgx(*quote, *e, SgxPolicy{}, kNow, &cache);
    TEEPNET_ASSERT_OK(cached);
    EXPECT_EQ(cached->Overall(), fresh->Overall());
    EXPECT_EQ(cached->claims, fresh->claims);
    EXPECT_EQ(cached->notes, fresh->notes);
    EXPECT_EQ(cached->evidence_digest, fresh->evidence_digest);
  }
  // With its attestation key cached, a quote whose signature was altered still fails.
  Bytes forged = *quote;
  auto parsed = ParseDcapQuote(*quote);
  TEEPNET_ASSERT_OK(parsed);
  const size_t sig_at = static_cast<size_t>(parsed->quote_signature.data() - quote->data());
  forged[sig_at + 5] ^= 0x40;
  auto a = AppraiseSgx(forged, *e, SgxPolicy{}, kNow, &cache);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

TEST_F(DcapSimTest, ReportDataLongerThan64BytesFails) {
  auto platform = SimSgxPlatform::Create(*intel_, Enclave());
  EXPECT_FALSE(platform->GetEvidence(Bytes(65, 0)).ok());
}

}  // namespace
}  // namespace teepnet::attest
