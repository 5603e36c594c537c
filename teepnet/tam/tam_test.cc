#include <gtest/gtest.h>

#include "teepnet/base/clock.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/tam/report_nonce.h"
#include "teepnet/tam/tam_core.h"
#include "teepnet/tam/update_planner.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::tam {
namespace {

using teepnet::testing::FailsWith;

const suit::ComponentId kA = suit::MakeComponentId({"a", "suit"});
const suit::ComponentId kB = suit::MakeComponentId({"b", "suit"});

Bytes Report(std::optional<Bytes> nonce) {
  cbor::Writer w;
  w.WriteMapHeader(nonce ? 2 : 1);
  if (nonce) {
    w.WriteUint(2);
    w.WriteBytes(*nonce);
  }
  w.WriteUint(4);
  w.WriteBool(true);
  return std::move(w).Take();
}

TEST(ReportNonceTest, MatchingNoncesPass) {
  const Bytes token(16, 9);
  TEEPNET_EXPECT_OK(CheckReportNonces({Report(token), Report(token)}, token));
  TEEPNET_EXPECT_OK(CheckReportNonces({}, token));
}

TEST(ReportNonceTest, MissingOrDifferentNonceFails) {
  const Bytes token(16, 9);
  EXPECT_TRUE(
      FailsWith(CheckReportNonces({Report(std::nullopt)}, token), Errc::kReportNonceMismatch));
  EXPECT_TRUE(FailsWith(CheckReportNonces({Report(token), Report(Bytes(16, 8))}, token),
                        Errc::kReportNonceMismatch));
}

TEST(ReportNonceTest, ReportThatIsNotAMapFails) {
  EXPECT_TRUE(FailsWith(ReadReportNonce(Bytes{0x80}), Errc::kBadSuitReport));
  EXPECT_TRUE(FailsWith(ReadReportNonce(Bytes{0xA1, 0x02}), Errc::kBadSuitReport));
  Bytes trailing = Report(Bytes(8, 1));
  trailing.push_back(0x00);
  EXPECT_TRUE(FailsWith(ReadReportNonce(trailing), Errc::kBadSuitReport));
}

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint64_t seq : {1, 2}) {
      ASSERT_TRUE(store_.PutPackage(Package{kA, seq, Bytes{uint8_t(seq)}, Bytes{0xA0}}).ok());
    }
    ASSERT_TRUE(store_.PutPackage(Package{kB, 5, Bytes{5}, Bytes{0xB0}}).ok());
  }
  Result<UpdatePlan> Plan(const DesiredState& desired, std::vector<agent::InstalledTc> installed,
                          std::vector<teep::RequestedTcInfo> requested = {},
                          std::vector<suit::ComponentId> unneeded = {}) {
    return PlanUpdate(PlannerPolicy{}, store_, desired, installed, requested, unneeded);
  }
  InMemoryTamStore store_;
};

TEST_F(PlannerTest, MissingComponentIsInstalled) {
  auto plan = Plan(DesiredState{{{kA, 2}}, {}}, {});
  TEEPNET_ASSERT_OK(plan);
  ASSERT_EQ(plan->install.size(), 1u);
  EXPECT_EQ(plan->install[0].sequence_number, 2u);
}

TEST_F(PlannerTest, LowerSequenceIsUpdatedAndEqualOrHigherIsLeft) {
  EXPECT_EQ(Plan(DesiredState{{{kA, 2}}, {}}, {{kA, 1, {}}})->install.size(), 1u);
  EXPECT_TRUE(Plan(DesiredState{{{kA, 2}}, {}}, {{kA, 2, {}}})->empty());
  EXPECT_TRUE(Plan(DesiredState{{{kA, 1}}, {}}, {{kA, 2, {}}})->empty());
}

TEST_F(PlannerTest, WithoutSequenceNumberTheDigestDecides) {
  EXPECT_TRUE(Plan(DesiredState{{{kA, 2}}, {}}, {{kA, std::nullopt, Bytes{2}}})->empty());
  EXPECT_EQ(Plan(DesiredState{{{kA, 2}}, {}}, {{kA, std::nullopt, Bytes{1}}})->install.size(), 1u);
}

TEST_F(PlannerTest, RemovalIsSentOnlyWhileInstalled) {
  EXPECT_EQ(Plan(DesiredState{{}, {kA}}, {{kA, 1, {}}})->remove,
            std::vector<suit::ComponentId>{kA});
  EXPECT_TRUE(Plan(DesiredState{{}, {kA}}, {})->empty());
}

TEST_F(PlannerTest, RequestedTcIsInstalledFromTheCatalogAndAddedToDesired) {
  teep::RequestedTcInfo want;
  want.component_id = agent::ToTeepId(kB);
  want.tc_manifest_sequence_number = 3;
  auto plan = Plan(DesiredState{}, {}, {want});
  TEEPNET_ASSERT_OK(plan);
  ASSERT_EQ(plan->install.size(), 1u);
  ASSERT_TRUE(plan->new_desired.has_value());
  EXPECT_EQ(plan->new_desired->install, (std::vector<PackageRef>{{kB, 5}}));
  want.tc_manifest_sequence_number = 6;  // nothing in the catalog is new enough
  EXPECT_TRUE(Plan(DesiredState{}, {}, {want})->empty());
}

TEST_F(PlannerTest, UnneededManifestIsRemovedAndDroppedFromDesired) {
  auto plan = Plan(DesiredState{{{kA, 2}}, {}}, {{kA, 2, {}}}, {}, {kA});
  TEEPNET_ASSERT_OK(plan);
  EXPECT_EQ(plan->remove, std::vector<suit::ComponentId>{kA});
  EXPECT_TRUE(plan->install.empty());
  ASSERT_TRUE(plan->new_desired.has_value());
  EXPECT_TRUE(plan->new_desired->install.empty());
}

TEST_F(PlannerTest, DesiredPackageMissingFromCatalogFails) {
  EXPECT_TRUE(FailsWith(Plan(DesiredState{{{kA, 9}}, {}}, {}), Errc::kUnknownPackage));
}

TEST(InMemoryTamStoreTest, ConsumingATokenTwiceFailsTheSecondCommit) {
  InMemoryTamStore store;
  TokenRecord token;
  token.token = Bytes(16, 1);
  TamTransaction issue;
  issue.issue_token = token;
  TEEPNET_ASSERT_OK(store.Commit(issue));
  TamTransaction consume;
  consume.consume_token = token.token;
  TEEPNET_ASSERT_OK(store.Commit(consume));
  const auto before = store.Snapshot();
  EXPECT_TRUE(FailsWith(store.Commit(consume), Errc::kTokenReplayed));
  EXPECT_EQ(store.Snapshot(), before);
  consume.consume_token = Bytes(16, 2);
  EXPECT_TRUE(FailsWith(store.Commit(consume), Errc::kUnknownToken));
}

TEST(InMemoryTamStoreTest, PerDeviceCapEvictsTheOldestOutstandingToken) {
  InMemoryTamStore store(2);
  for (uint8_t i = 1; i <= 3; ++i) {
    TokenRecord token;
    token.token = Bytes(16, i);
    token.device_id = Bytes{7};
    token.issued_at = i;
    TamTransaction txn;
    txn.issue_token = token;
    TEEPNET_ASSERT_OK(store.Commit(txn));
  }
  EXPECT_FALSE(store.FindToken(Bytes(16, 1))->has_value());
  EXPECT_TRUE(store.FindToken(Bytes(16, 3))->has_value());
}

TEST(InMemoryTamStoreTest, PurgeRemovesExpiredTokens) {
  InMemoryTamStore store;
  TokenRecord token;
  token.token = Bytes(16, 1);
  token.expires_at = 100;
  TamTransaction txn;
  txn.issue_token = token;
  TEEPNET_ASSERT_OK(store.Commit(txn));
  EXPECT_EQ(*store.PurgeTokens(99), 0u);
  EXPECT_EQ(*store.PurgeTokens(100), 1u);
}

class TamCoreTest : public ::testing::Test {
 protected:
  TamConfig Config() {
    TamConfig config;
    config.signing_keys = {teep::SigningKey{*crypto::PrivateKey::Generate(crypto::KeyType::kP256),
                                            teep::CipherSuite::Sign1(teep::kAlgESP256),
                                            std::nullopt}};
    return config;
  }
  InMemoryTamStore store_;
  FakeClock clock_{1000};
};

TEST_F(TamCoreTest, ConfigWithoutKeysOrWithForeignSuiteFails) {
  EXPECT_TRUE(FailsWith(TamCore::Create(TamConfig(), store_, clock_, crypto::SystemRandom::Get()),
                        Errc::kBadConfig));
  TamConfig config = Config();
  config.signing_keys[0].suite = teep::CipherSuite::Sign1(-35);
  EXPECT_TRUE(FailsWith(TamCore::Create(config, store_, clock_, crypto::SystemRandom::Get()),
                        Errc::kBadConfig));
}

TEST_F(TamCoreTest, EnrollDeviceKeysTheDeviceByItsThumbprint) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(tam);
  auto key = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  const cose::CoseKey cose_key = cose::CoseKey::FromPublicKey(key.public_key());
  auto id = (*tam)->EnrollDevice(cose_key.Encode(false), "dev");
  TEEPNET_ASSERT_OK(id);
  EXPECT_EQ(*id, *cose_key.Thumbprint());
  EXPECT_TRUE(store_.FindDevice(*id)->has_value());
}

TEST_F(TamCoreTest, EnrollDeviceRefusesKeysNoSuiteUses) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  auto x25519 = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  EXPECT_TRUE(FailsWith(
      (*tam)->EnrollDevice(cose::CoseKey::FromPublicKey(x25519.public_key()).Encode(false), "x"),
      Errc::kBadDeviceKey));
  EXPECT_TRUE(FailsWith((*tam)->EnrollDevice(Bytes{0xA0}, "x"), Errc::kBadDeviceKey));
}

TEST_F(TamCoreTest, AddPackageRefusesNonEnvelopes) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  EXPECT_TRUE(FailsWith((*tam)->AddPackage(Bytes{0x01}), Errc::kBadPackage));
}

TEST_F(TamCoreTest, DesiredStateNeedsAnEnrolledDeviceAndKnownPackages) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  EXPECT_TRUE(FailsWith((*tam)->SetDesiredState(Bytes{1}, DesiredState{}), Errc::kUnknownDevice));
  auto key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto id = (*tam)->EnrollDevice(cose::CoseKey::FromPublicKey(key.public_key()).Encode(false), "d");
  EXPECT_TRUE(
      FailsWith((*tam)->SetDesiredState(*id, DesiredState{{{kA, 1}}, {}}), Errc::kUnknownPackage));
}

TEST_F(TamCoreTest, ConnectIssuesAFreshUnboundTokenPerQueryRequest) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  TamResult first = (*tam)->ProcessConnect();
  TamResult second = (*tam)->ProcessConnect();
  ASSERT_EQ(first.outcome, Outcome::kQueryRequestSent);
  ASSERT_EQ(store_.Snapshot().tokens.size(), 2u);
  for (const auto& [value, record] : store_.Snapshot().tokens) {
    EXPECT_EQ(value.size(), 16u);
    EXPECT_FALSE(record.device_id.has_value());
    EXPECT_EQ(record.expires_at, 1000 + TamConfig().token_lifetime_seconds);
  }
  EXPECT_NE(first.response, second.response);
}

TEST_F(TamCoreTest, ConnectWithFailedStoreSendsNothing) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  store_.FailNextCommit();
  TamResult r = (*tam)->ProcessConnect();
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_FALSE(r.response.has_value());
}

}  // namespace
}  // namespace teepnet::tam
