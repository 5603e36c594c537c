#include <gtest/gtest.h>

#include "teepnet/base/clock.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/tam/query_token.h"
#include "teepnet/tam/report_nonce.h"
#include "teepnet/tam/tam_core.h"
#include "teepnet/tam/update_planner.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/secure_message.h"
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

// A step whose token consumption alone would succeed is refused whole when another part of
// it fails: the store applies steps in place, so the refusal must come before any change.
TEST(InMemoryTamStoreTest, RefusedStepLeavesItsValidTokenUnconsumed) {
  InMemoryTamStore store;
  TokenRecord token;
  token.token = Bytes(16, 1);
  TamTransaction issue;
  issue.issue_token = token;
  TEEPNET_ASSERT_OK(store.Commit(issue));
  const auto before = store.Snapshot();

  TamTransaction reissue;  // consumes a live token, then issues a value already taken
  reissue.consume_token = token.token;
  reissue.device = Bytes{7};
  reissue.issue_token = token;
  EXPECT_TRUE(FailsWith(store.Commit(reissue), Errc::kStoreFailure));
  EXPECT_EQ(store.Snapshot(), before);

  TamTransaction deviceless;  // consumes a live token, then changes state for no device
  deviceless.consume_token = token.token;
  deviceless.status = DeviceStatus{};
  EXPECT_TRUE(FailsWith(store.Commit(deviceless), Errc::kStoreFailure));
  EXPECT_EQ(store.Snapshot(), before);

  TamTransaction consume;  // the token is still live
  consume.consume_token = token.token;
  TEEPNET_ASSERT_OK(store.Commit(consume));
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

TEST_F(TamCoreTest, ConnectIssuesAFreshSelfAuthenticatingTokenAndWritesNothing) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  const auto before = store_.Snapshot();
  TamResult first = (*tam)->ProcessConnect();
  TamResult second = (*tam)->ProcessConnect();
  ASSERT_EQ(first.outcome, Outcome::kQueryRequestSent);
  ASSERT_EQ(second.outcome, Outcome::kQueryRequestSent);
  // An empty POST is unauthenticated: it must not make the TAM write (no token row, no commit).
  EXPECT_EQ(store_.Snapshot(), before);
  EXPECT_EQ(store_.Snapshot().commits, 0u);
  EXPECT_NE(first.response, second.response);
}

TEST_F(TamCoreTest, ConnectSucceedsEvenWhenTheStoreWouldFail) {
  auto tam = TamCore::Create(Config(), store_, clock_, crypto::SystemRandom::Get());
  store_.FailNextCommit();
  TamResult r = (*tam)->ProcessConnect();
  EXPECT_EQ(r.outcome, Outcome::kQueryRequestSent);
  EXPECT_TRUE(r.response.has_value());
}

// --- ERR_ATTESTATION_REQUIRED from an Agent (draft §"TAM Processing": "the TAM MUST send a new
// QueryRequest with an attestation-payload"; digest §6.1: "use the challenge ... for eat_nonce").

// The payload is "tam:" followed by the challenge it was given.
class FakeTamAttester final : public TamAttester {
 public:
  Result<TamAttestation> Attest(const TamAttestationRequest& request) override {
    ++calls;
    if (request.tam_key != nullptr) tam_key = *request.tam_key;
    device = ToBytes(request.device_id);
    if (fail) return Error(Code::kUnavailable, "attester down");
    Bytes payload = {'t', 'a', 'm', ':'};
    if (request.challenge) Append(payload, *request.challenge);
    return TamAttestation{payload, std::string("application/x-test-tam-evidence")};
  }
  int calls = 0;
  bool fail = false;
  std::optional<crypto::PublicKey> tam_key;
  Bytes device;
};

class TamAttestationRequiredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TamConfig config;
    config.signing_keys = {
        teep::SigningKey{tam_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt}};
    auto tam = TamCore::Create(config, store_, clock_, crypto::SystemRandom::Get(), nullptr,
                               with_attester_ ? &attester_ : nullptr);
    ASSERT_TRUE(tam.ok());
    tam_ = std::move(tam).value();
    auto id = tam_->EnrollDevice(
        cose::CoseKey::FromPublicKey(agent_key_.public_key()).Encode(false), "device");
    ASSERT_TRUE(id.ok());
    device_ = *id;
  }
  teep::QueryRequest QueryOf(const TamResult& r) {
    EXPECT_TRUE(r.response.has_value());
    auto verified = teep::VerifyMessage(r.response.value_or(Bytes()), teep::RfcProfile(),
                                        {teep::PeerKey{tam_key_.public_key(), std::nullopt}});
    EXPECT_TRUE(verified.ok());
    if (!verified.ok()) return {};
    EXPECT_FALSE(verified->multi_signer);
    return std::get<teep::QueryRequest>(verified->message);
  }
  // The Agent's ERR_ATTESTATION_REQUIRED answering `query`.
  Bytes AttestationRequired(const teep::QueryRequest& query, const Bytes& challenge) {
    teep::ErrorMessage e;
    e.token = query.token;
    e.err_code = teep::ErrorCode::kAttestationRequired;
    e.supported_freshness_mechanisms = {teep::kFreshnessNonce};
    e.challenge = challenge;
    return *teep::SignMessage(
        e, teep::RfcProfile(),
        teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), device_});
  }

  bool with_attester_ = true;
  crypto::PrivateKey tam_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey agent_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  InMemoryTamStore store_;
  FakeClock clock_{1000};
  FakeTamAttester attester_;
  std::unique_ptr<TamCore> tam_;
  DeviceId device_;
};

TEST_F(TamAttestationRequiredTest, RetriesWithItsOwnAttestationCarryingTheChallenge) {
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  const Bytes challenge(32, 0xC7);
  TamResult r = tam_->ProcessMessage(AttestationRequired(first, challenge));
  ASSERT_EQ(r.outcome, Outcome::kQueryRequestSent);
  const teep::QueryRequest retry = QueryOf(r);  // COSE_Sign1 with the Agent's suite
  Bytes expected = {'t', 'a', 'm', ':'};
  Append(expected, challenge);
  EXPECT_EQ(retry.attestation_payload, expected);
  EXPECT_EQ(retry.attestation_payload_format, "application/x-test-tam-evidence");
  EXPECT_NE(retry.token, first.token);
  EXPECT_EQ(attester_.calls, 1);
  ASSERT_TRUE(attester_.tam_key.has_value());
  EXPECT_TRUE(attester_.tam_key->Equals(tam_key_.public_key()));  // the EAT's cnf
  EXPECT_EQ(attester_.device, device_);
  // The Error used the first token (now recorded, bound to the device); the retry's token is
  // not stored (it is self-authenticating and bound to the device: SecondRequestForTheRetry...).
  auto used = store_.FindToken(*first.token);
  ASSERT_TRUE(used.ok() && used->has_value());
  EXPECT_TRUE((*used)->consumed);
  EXPECT_EQ((*used)->device_id, device_);
  auto token = store_.FindToken(*retry.token);
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->has_value());
  auto status = store_.GetStatus(device_);
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ((*status)->last_error_code,
            teep::RfcProfile().Code(teep::ErrorCode::kAttestationRequired));
}

TEST_F(TamAttestationRequiredTest, SecondRequestForTheRetryIsRecordedNotRetried) {
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  const teep::QueryRequest retry =
      QueryOf(tam_->ProcessMessage(AttestationRequired(first, Bytes(32, 1))));
  TamResult r = tam_->ProcessMessage(AttestationRequired(retry, Bytes(32, 2)));
  EXPECT_EQ(r.outcome, Outcome::kErrorRecorded);
  EXPECT_FALSE(r.response.has_value());
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), Errc::kTamAttestationUnavailable));
  EXPECT_EQ(attester_.calls, 1);
}

TEST_F(TamAttestationRequiredTest, FailingAttesterIsRecordedInTheDeviceStatus) {
  attester_.fail = true;
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  TamResult r = tam_->ProcessMessage(AttestationRequired(first, Bytes(32, 1)));
  EXPECT_EQ(r.outcome, Outcome::kErrorRecorded);
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), Errc::kTamAttestationUnavailable));
  auto status = store_.GetStatus(device_);
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ((*status)->last_result, LastResult::kError);
  EXPECT_TRUE((*status)->last_error_message.has_value());
  // The token is used up: the same Error again is a replay.
  const auto before = store_.Snapshot();
  TamResult again = tam_->ProcessMessage(AttestationRequired(first, Bytes(32, 1)));
  EXPECT_TRUE(FailsWith(Result<int>(*again.drop_reason), Errc::kTokenReplayed));
  EXPECT_EQ(store_.Snapshot(), before);
}

class TamWithoutAttesterTest : public TamAttestationRequiredTest {
 protected:
  void SetUp() override {
    with_attester_ = false;
    TamAttestationRequiredTest::SetUp();
  }
};

TEST_F(TamWithoutAttesterTest, RecordsThatTheDeviceRequiresTamAttestation) {
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  TamResult r = tam_->ProcessMessage(AttestationRequired(first, Bytes(32, 1)));
  EXPECT_EQ(r.outcome, Outcome::kErrorRecorded);
  EXPECT_FALSE(r.response.has_value());
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), Errc::kTamAttestationUnavailable));
  auto status = store_.GetStatus(device_);
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ((*status)->last_result, LastResult::kError);
  EXPECT_EQ((*status)->last_error_code,
            teep::RfcProfile().Code(teep::ErrorCode::kAttestationRequired));
  EXPECT_TRUE((*status)->last_error_message.has_value());
  EXPECT_EQ(attester_.calls, 0);
}

// Other err-codes are recorded as before; only ERR_ATTESTATION_REQUIRED asks the attester.
TEST_F(TamAttestationRequiredTest, OtherErrorsDoNotAskTheAttester) {
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  teep::ErrorMessage e;
  e.token = first.token;
  e.err_code = teep::ErrorCode::kTemporaryError;
  TamResult r = tam_->ProcessMessage(*teep::SignMessage(
      e, teep::RfcProfile(),
      teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), device_}));
  EXPECT_EQ(r.outcome, Outcome::kErrorRecorded);
  EXPECT_FALSE(r.drop_reason.has_value());
  EXPECT_EQ(attester_.calls, 0);
}

// Reads tokens as if nobody had used them yet, like a replica that read just before another
// one committed: the store's compare-and-set is then what catches the replay.
class StaleTokenReads final : public TamStore {
 public:
  explicit StaleTokenReads(TamStore& base) : base_(base) {}
  Status PutDevice(const DeviceRecord& d) override { return base_.PutDevice(d); }
  Status RemoveDevice(ByteView id) override { return base_.RemoveDevice(id); }
  Result<std::optional<DeviceRecord>> FindDevice(ByteView id) const override {
    return base_.FindDevice(id);
  }
  Result<std::vector<DeviceRecord>> ListDevices() const override { return base_.ListDevices(); }
  Status PutPackage(const Package& p) override { return base_.PutPackage(p); }
  Result<std::optional<Package>> FindPackage(const suit::ComponentId& id,
                                             uint64_t seq) const override {
    return base_.FindPackage(id, seq);
  }
  Result<std::optional<Package>> FindLatestPackage(const suit::ComponentId& id) const override {
    return base_.FindLatestPackage(id);
  }
  Result<DesiredState> GetDesiredState(ByteView id) const override {
    return base_.GetDesiredState(id);
  }
  Status SetDesiredState(ByteView id, const DesiredState& d) override {
    return base_.SetDesiredState(id, d);
  }
  Result<std::optional<DeviceStatus>> GetStatus(ByteView id) const override {
    return base_.GetStatus(id);
  }
  Result<std::optional<TokenRecord>> FindToken(ByteView token) const override {
    auto found = base_.FindToken(token);
    if (found.ok() && found->has_value()) {
      (*found)->consumed = false;
      (*found)->device_id.reset();  // as issued by ProcessConnect
    }
    return found;
  }
  Result<size_t> PurgeTokens(int64_t now) override { return base_.PurgeTokens(now); }
  Status Commit(const TamTransaction& txn) override { return base_.Commit(txn); }

 private:
  TamStore& base_;
};

TEST_F(TamAttestationRequiredTest, ErrorWhoseTokenAnotherRequestUsedFirstIsDropped) {
  StaleTokenReads stale(store_);
  auto tam = TamCore::Create(tam_->config(), stale, clock_, crypto::SystemRandom::Get(), nullptr,
                             &attester_);
  ASSERT_TRUE(tam.ok());
  const teep::QueryRequest first = QueryOf((*tam)->ProcessConnect());
  const Bytes error = AttestationRequired(first, Bytes(32, 1));
  ASSERT_EQ((*tam)->ProcessMessage(error).outcome, Outcome::kQueryRequestSent);
  const auto before = store_.Snapshot();
  TamResult again = (*tam)->ProcessMessage(error);  // the stale read lets it through to Commit
  EXPECT_EQ(again.outcome, Outcome::kDropped);
  EXPECT_FALSE(again.response.has_value());
  EXPECT_TRUE(FailsWith(Result<int>(*again.drop_reason), Errc::kTokenReplayed));
  EXPECT_EQ(store_.Snapshot(), before);
}

// --- Self-authenticating QueryRequest tokens (query_token.h): nothing is stored until a validly
// signed response uses one, and then only that it was used.

// Records the challenge each appraisal was given; affirms everything.
class RecordingAppraiser final : public EvidenceAppraiser {
 public:
  Result<Appraisal> Appraise(const AttestationInput& input) override {
    challenges.push_back(input.challenge ? ToBytes(*input.challenge) : Bytes());
    return Appraisal{true, "affirming", {}};
  }
  std::vector<Bytes> challenges;
};

class TamQueryTokenTest : public TamAttestationRequiredTest {
 protected:
  std::unique_ptr<TamCore> Core(TamStore& store, EvidenceAppraiser* appraiser = nullptr) {
    TamConfig config = tam_->config();
    if (appraiser != nullptr) config.attestation = AttestationPolicy::kRequest;
    auto tam = TamCore::Create(config, store, clock_, crypto::SystemRandom::Get(), appraiser);
    EXPECT_TRUE(tam.ok());
    return tam.ok() ? std::move(tam).value() : nullptr;
  }
  // The Agent's QueryResponse carrying `token` (and an attestation-payload when asked).
  Bytes Response(const Bytes& token, bool with_payload = false) {
    teep::QueryResponse r;
    r.token = token;
    if (with_payload) r.attestation_payload = Bytes{0xA0};
    return *teep::SignMessage(
        r, teep::RfcProfile(),
        teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), device_});
  }
  void ExpectDroppedWithNoStateChange(TamCore& tam, const Bytes& message, Errc why) {
    const auto before = store_.Snapshot();
    TamResult r = tam.ProcessMessage(message);
    EXPECT_EQ(r.outcome, Outcome::kDropped);
    EXPECT_FALSE(r.response.has_value());
    ASSERT_TRUE(r.drop_reason.has_value());
    EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), why)) << r.drop_reason->ToString();
    EXPECT_EQ(store_.Snapshot(), before);
  }
};

TEST_F(TamQueryTokenTest, ResponseUsesTheTokenInOneCommitAndRecordsItAsUsed) {
  const teep::QueryRequest query = QueryOf(tam_->ProcessConnect());
  EXPECT_EQ(store_.Snapshot().commits, 0u);
  TamResult r = tam_->ProcessMessage(Response(*query.token));
  EXPECT_EQ(r.outcome, Outcome::kUpToDate);
  EXPECT_EQ(store_.Snapshot().commits, 1u);
  auto used = store_.FindToken(*query.token);
  ASSERT_TRUE(used.ok() && used->has_value());
  EXPECT_TRUE((*used)->consumed);
  EXPECT_EQ((*used)->device_id, device_);
  EXPECT_EQ((*used)->expires_at, 1000 + TamConfig().token_lifetime_seconds);
  // Purged once it has expired (then the token itself is refused as expired).
  EXPECT_EQ(*store_.PurgeTokens(1000 + TamConfig().token_lifetime_seconds), 1u);
}

TEST_F(TamQueryTokenTest, EveryBitFlippedTokenIsDroppedAsUnknownWithNoStateChange) {
  const teep::QueryRequest query = QueryOf(tam_->ProcessConnect());
  for (size_t bit = 0; bit < query.token->size() * 8; bit += 7) {
    Bytes flipped = *query.token;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ExpectDroppedWithNoStateChange(*tam_, Response(flipped), Errc::kUnknownToken);
  }
  // The genuine token still works afterwards.
  EXPECT_EQ(tam_->ProcessMessage(Response(*query.token)).outcome, Outcome::kUpToDate);
}

TEST_F(TamQueryTokenTest, ForgedTokenOfTheRightShapeIsDroppedAsUnknown) {
  Bytes forged(kQueryTokenSize, 0x42);
  forged[0] = 1;  // the version byte
  ASSERT_TRUE(QueryTokens::IsQueryToken(forged));
  ExpectDroppedWithNoStateChange(*tam_, Response(forged), Errc::kUnknownToken);
  // A token made under another TAM key.
  QueryTokens other =
      *QueryTokens::FromSigningKey(*crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  ExpectDroppedWithNoStateChange(
      *tam_, Response(*other.Issue(1000, {}, std::nullopt, crypto::SystemRandom::Get())),
      Errc::kUnknownToken);
}

TEST_F(TamQueryTokenTest, ExpiredTokenIsDroppedWithNoStateChange) {
  const teep::QueryRequest query = QueryOf(tam_->ProcessConnect());
  clock_.Advance(TamConfig().token_lifetime_seconds);
  ExpectDroppedWithNoStateChange(*tam_, Response(*query.token), Errc::kTokenExpired);
}

TEST_F(TamQueryTokenTest, ReplayedResponseIsDroppedEveryTime) {
  const teep::QueryRequest query = QueryOf(tam_->ProcessConnect());
  const Bytes response = Response(*query.token);
  ASSERT_EQ(tam_->ProcessMessage(response).outcome, Outcome::kUpToDate);
  ExpectDroppedWithNoStateChange(*tam_, response, Errc::kTokenReplayed);
  ExpectDroppedWithNoStateChange(*tam_, response, Errc::kTokenReplayed);
  // Another message answering the same token is a replay too.
  teep::ErrorMessage e;
  e.token = query.token;
  e.err_code = teep::ErrorCode::kTemporaryError;
  ExpectDroppedWithNoStateChange(
      *tam_,
      *teep::SignMessage(
          e, teep::RfcProfile(),
          teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), device_}),
      Errc::kTokenReplayed);
}

TEST_F(TamQueryTokenTest, TwoCoresOverOneStoreAcceptEachOthersTokensOnce) {
  // Two replicas: the same TAM key, one store. The token one issued is accepted by the other,
  // and the first to commit wins; the other refuses it as a replay.
  std::unique_ptr<TamCore> replica = Core(store_);
  ASSERT_NE(replica, nullptr);
  const teep::QueryRequest query = QueryOf(tam_->ProcessConnect());
  const Bytes response = Response(*query.token);
  EXPECT_EQ(replica->ProcessMessage(response).outcome, Outcome::kUpToDate);
  ExpectDroppedWithNoStateChange(*tam_, response, Errc::kTokenReplayed);
  ExpectDroppedWithNoStateChange(*replica, response, Errc::kTokenReplayed);
}

TEST_F(TamQueryTokenTest, ChallengeRoundTripsToTheAppraiser) {
  RecordingAppraiser appraiser;
  std::unique_ptr<TamCore> tam = Core(store_, &appraiser);
  ASSERT_NE(tam, nullptr);
  const teep::QueryRequest first = QueryOf(tam->ProcessConnect());
  const teep::QueryRequest second = QueryOf(tam->ProcessConnect());
  ASSERT_TRUE(first.data_item_requested.attestation);
  ASSERT_TRUE(first.challenge.has_value() && second.challenge.has_value());
  EXPECT_EQ(first.challenge->size(), kQueryChallengeSize);
  EXPECT_NE(*first.challenge, *second.challenge);
  EXPECT_EQ(store_.Snapshot().commits, 0u);
  // Answered in the other order: each appraisal gets the challenge its own QueryRequest sent.
  EXPECT_EQ(tam->ProcessMessage(Response(*second.token, true)).outcome, Outcome::kUpToDate);
  EXPECT_EQ(tam->ProcessMessage(Response(*first.token, true)).outcome, Outcome::kUpToDate);
  EXPECT_EQ(appraiser.challenges, (std::vector<Bytes>{*second.challenge, *first.challenge}));
}

TEST_F(TamQueryTokenTest, AttestationBitTravelsInTheToken) {
  // A TAM that asked for attestation checks the payload is there, though it stored nothing.
  RecordingAppraiser appraiser;
  std::unique_ptr<TamCore> tam = Core(store_, &appraiser);
  ASSERT_NE(tam, nullptr);
  const teep::QueryRequest query = QueryOf(tam->ProcessConnect());
  TamResult r = tam->ProcessMessage(Response(*query.token, false));
  EXPECT_EQ(r.outcome, Outcome::kUpdateSent);  // an err-code Update: the payload is missing
  auto status = store_.GetStatus(device_);
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ((*status)->last_result, LastResult::kBadResponse);
  EXPECT_TRUE(appraiser.challenges.empty());
}

TEST_F(TamQueryTokenTest, RetryTokenAnswersOnlyTheDeviceItWentTo) {
  const teep::QueryRequest first = QueryOf(tam_->ProcessConnect());
  const teep::QueryRequest retry =
      QueryOf(tam_->ProcessMessage(AttestationRequired(first, Bytes(32, 1))));
  ASSERT_TRUE(retry.token.has_value());
  // Another enrolled device answering the retry's token.
  auto other_key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto other = tam_->EnrollDevice(
      cose::CoseKey::FromPublicKey(other_key.public_key()).Encode(false), "other");
  TEEPNET_ASSERT_OK(other);
  teep::QueryResponse r;
  r.token = retry.token;
  ExpectDroppedWithNoStateChange(
      *tam_,
      *teep::SignMessage(
          r, teep::RfcProfile(),
          teep::SigningKey{other_key, teep::CipherSuite::Sign1(teep::kAlgESP256), *other}),
      Errc::kUnknownToken);
  EXPECT_EQ(tam_->ProcessMessage(Response(*retry.token)).outcome, Outcome::kUpToDate);
}

}  // namespace
}  // namespace teepnet::tam
