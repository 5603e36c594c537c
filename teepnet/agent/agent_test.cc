#include <gtest/gtest.h>

#include "teepnet/agent/agent_core.h"
#include "teepnet/agent/errc.h"
#include "teepnet/agent/staging_store.h"
#include "teepnet/agent/tc_claims.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/clock.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/random.h"
#include "teepnet/teep/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::agent {
namespace {

using teepnet::testing::FailsWith;

const suit::ComponentId kManifest = suit::MakeComponentId({"dev", "tc", "suit"});
const suit::ComponentId kComponent = suit::MakeComponentId({"dev", "tc", "ta"});

TEST(TcClaimsTest, InstalledTcRoundTripsThroughClaims) {
  InstalledTc tc{kManifest, 7, Bytes{0x82, 0x2F, 0x41, 0x00}};
  teep::SystemPropertyClaims claims = ToClaims(tc);
  EXPECT_EQ(claims.system_component_id, kManifest.segments);
  ASSERT_EQ(claims.parameters.size(), 2u);
  EXPECT_EQ(claims.parameters[0].key, kClaimManifestSequenceNumber);
  EXPECT_EQ(claims.parameters[1].key, kClaimImageDigest);
  auto back = FromClaims(claims);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, tc);
}

TEST(TcClaimsTest, ClaimsWithoutSequenceOrDigestStillIdentifyTheManifest) {
  teep::SystemPropertyClaims claims;
  claims.system_component_id = kManifest.segments;
  claims.parameters.push_back({99, Bytes{0x01}});  // unknown parameter: ignored
  auto tc = FromClaims(claims);
  TEEPNET_ASSERT_OK(tc);
  EXPECT_FALSE(tc->sequence_number.has_value());
  EXPECT_TRUE(tc->manifest_digest.empty());
}

TEST(TcClaimsTest, KnownClaimOfTheWrongTypeFails) {
  teep::SystemPropertyClaims claims;
  claims.system_component_id = kManifest.segments;
  claims.parameters.push_back({kClaimManifestSequenceNumber, Bytes{0x41, 0x00}});
  EXPECT_TRUE(FailsWith(FromClaims(claims), teep::Errc::kWrongFieldType));
  claims.parameters = {{kClaimImageDigest, Bytes{0x01}}};
  EXPECT_TRUE(FailsWith(FromClaims(claims), teep::Errc::kWrongFieldType));
}

TEST(StagingStoreTest, StagedChangesAreVisibleButNotApplied) {
  InMemoryTcStore base;
  suit::StoreTransaction seed;
  seed.writes[kComponent] = Bytes{1};
  TEEPNET_ASSERT_OK(base.Commit(seed));
  const auto before = base.Snapshot();

  internal::StagingStore staging(base);
  suit::StoreTransaction remove;
  remove.removals.insert(kComponent);
  TEEPNET_ASSERT_OK(staging.Commit(remove));
  EXPECT_FALSE(staging.ReadComponent(kComponent).has_value());
  suit::StoreTransaction write;
  write.writes[kComponent] = Bytes{2};
  write.installed_manifests.push_back(suit::ManifestRecord{kManifest, 3, {}, {}});
  TEEPNET_ASSERT_OK(staging.Commit(write));
  EXPECT_EQ(staging.ReadComponent(kComponent), Bytes{2});
  EXPECT_TRUE(staging.FindManifest(kManifest).has_value());
  EXPECT_EQ(base.Snapshot(), before);

  suit::StoreTransaction combined = staging.Combined();
  EXPECT_TRUE(combined.removals.empty());  // a later write supersedes the removal
  TEEPNET_ASSERT_OK(base.Commit(combined));
  EXPECT_EQ(base.ReadComponent(kComponent), Bytes{2});
  EXPECT_EQ(base.ListManifests().size(), 1u);
}

TEST(InMemoryTcStoreTest, FailedCommitLeavesTheStoreAsItWas) {
  InMemoryTcStore store;
  store.FailNextCommit();
  suit::StoreTransaction txn;
  txn.writes[kComponent] = Bytes{1};
  EXPECT_FALSE(store.Commit(txn).ok());
  EXPECT_TRUE(store.Snapshot().components.empty());
  TEEPNET_EXPECT_OK(store.Commit(txn));
}

class AgentCoreTest : public ::testing::Test {
 protected:
  AgentConfig Config() {
    AgentConfig config;
    config.signing_key = teep::SigningKey{*crypto::PrivateKey::Generate(crypto::KeyType::kP256),
                                          teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt};
    auto tam_key = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    config.tams = {TrustedTam{"https://a", {teep::PeerKey{tam_key.public_key(), std::nullopt}}},
                   TrustedTam{"https://b", {teep::PeerKey{tam_key.public_key(), std::nullopt}}}};
    return config;
  }
  Result<std::unique_ptr<AgentCore>> Make(AgentConfig config) {
    return AgentCore::Create(std::move(config), store_, nullptr, clock_,
                             crypto::SystemRandom::Get());
  }
  InMemoryTcStore store_;
  FakeClock clock_{0};
};

TEST_F(AgentCoreTest, ConfigWithoutKeyOrTamFails) {
  EXPECT_TRUE(FailsWith(Make(AgentConfig()), Errc::kBadConfig));
  AgentConfig no_tam = Config();
  no_tam.tams.clear();
  EXPECT_TRUE(FailsWith(Make(std::move(no_tam)), Errc::kBadConfig));
  AgentConfig keyless_tam = Config();
  keyless_tam.tams[0].keys.clear();
  EXPECT_TRUE(FailsWith(Make(std::move(keyless_tam)), Errc::kBadConfig));
}

TEST_F(AgentCoreTest, KidDefaultsToTheRfc9679Thumbprint) {
  AgentConfig config = Config();
  const Bytes expected =
      *cose::CoseKey::FromPublicKey(config.signing_key->key.public_key()).Thumbprint();
  auto agent = Make(std::move(config));
  TEEPNET_ASSERT_OK(agent);
  EXPECT_EQ((*agent)->kid(), expected);
}

TEST_F(AgentCoreTest, PolicyCheckReturnsEachTamOnceThenNothing) {
  auto agent = Make(Config());
  EXPECT_EQ((*agent)->RequestPolicyCheck()->tam_uri, "https://a");
  EXPECT_EQ((*agent)->RequestPolicyCheck()->tam_uri, "https://b");
  EXPECT_FALSE((*agent)->RequestPolicyCheck().has_value());
  EXPECT_EQ((*agent)->RequestPolicyCheck()->tam_uri, "https://a");  // the next round
}

TEST_F(AgentCoreTest, RequestTaUsesTheHintWhenItNamesATrustedTam) {
  auto agent = Make(Config());
  EXPECT_EQ((*agent)->RequestTA(kManifest, 4, "https://b")->tam_uri, "https://b");
  EXPECT_EQ((*agent)->RequestTA(kManifest, 4, "https://elsewhere")->tam_uri, "https://a");
  ASSERT_EQ((*agent)->pending_requests().size(), 1u);
  EXPECT_EQ((*agent)->pending_requests()[0].tc_manifest_sequence_number, 4u);
}

TEST_F(AgentCoreTest, UnrequestOfANotInstalledTcReturnsNothing) {
  auto agent = Make(Config());
  EXPECT_FALSE((*agent)->UnrequestTA(kManifest).has_value());
  EXPECT_TRUE((*agent)->pending_unrequests().empty());
}

TEST_F(AgentCoreTest, EmptyInputIsAnsweredWithASignedError) {
  auto agent = Make(Config());
  AgentResult r = (*agent)->ProcessMessage({});
  EXPECT_EQ(r.outcome, AgentOutcome::kErrorSent);
  EXPECT_TRUE(r.response.has_value());
  EXPECT_EQ(r.err_code, teep::ErrorCode::kPermanentError);
}

}  // namespace
}  // namespace teepnet::agent
