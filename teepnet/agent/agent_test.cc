#include <gtest/gtest.h>

#include <algorithm>

#include "teepnet/agent/agent_core.h"
#include "teepnet/agent/errc.h"
#include "teepnet/agent/staging_store.h"
#include "teepnet/agent/tc_claims.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/clock.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/random.h"
#include "teepnet/teep/errc.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/secure_message.h"
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

// --- TAM attestation (AgentConfig::require_tam_attestation) ---

// Every Fill gives bytes all equal to the call's number (1, 2, ...), so each challenge is known.
class CountingRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override {
    ++calls;
    std::fill(out.begin(), out.end(), static_cast<uint8_t>(calls));
    return OkStatus();
  }
  int calls = 0;
};

// The payload is the eat_nonce itself; the verdict and failures are set by the test.
class FakeTamVerifier final : public TamAttestationVerifier {
 public:
  Result<TamAttestationVerdict> Verify(const TamAttestationInput& input) override {
    ++calls;
    if (input.format) last_format = std::string(*input.format);
    if (input.tam_key != nullptr) last_key = *input.tam_key;
    if (fail) return Error(Code::kUnavailable, "verifier unreachable");
    return TamAttestationVerdict{affirming, ToBytes(input.payload), affirming ? "ok" : "no"};
  }
  int calls = 0;
  bool affirming = true;
  bool fail = false;
  std::optional<std::string> last_format;
  std::optional<crypto::PublicKey> last_key;
};

class AgentTamAttestationTest : public ::testing::Test {
 protected:
  AgentConfig Config(bool require = true) {
    AgentConfig config;
    config.signing_key =
        teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt};
    config.tams = {TrustedTam{"https://a", {teep::PeerKey{tam_a_.public_key(), std::nullopt}}},
                   TrustedTam{"https://b", {teep::PeerKey{tam_b_.public_key(), std::nullopt}}}};
    config.require_tam_attestation = require;
    return config;
  }
  std::unique_ptr<AgentCore> Make(AgentConfig config) {
    auto agent =
        AgentCore::Create(std::move(config), store_, nullptr, clock_, random_, nullptr, &verifier_);
    EXPECT_TRUE(agent.ok());
    return agent.ok() ? std::move(agent).value() : nullptr;
  }
  static teep::QueryRequest Query(std::optional<Bytes> payload = std::nullopt) {
    teep::QueryRequest q;
    q.token = Bytes(16, 0x70);
    q.supported_teep_cipher_suites = {teep::CipherSuite::Sign1(teep::kAlgESP256)};
    q.supported_suit_cose_profiles = {teep::SuitCoseProfile{{-16, -9, -29, -65534}}};
    q.data_item_requested.trusted_components = true;
    if (payload) {
      q.attestation_payload = std::move(payload);
      q.attestation_payload_format = "application/x-test-tam-evidence";
    }
    return q;
  }
  static Bytes SignedBy(const teep::TeepMessage& m, const crypto::PrivateKey& key) {
    auto wire = teep::SignMessage(
        m, teep::RfcProfile(),
        teep::SigningKey{key, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt});
    EXPECT_TRUE(wire.ok());
    return wire.ok() ? *wire : Bytes();
  }
  teep::TeepMessage Reply(const AgentResult& r) {
    EXPECT_TRUE(r.response.has_value());
    auto verified = teep::VerifyMessage(r.response.value_or(Bytes()), teep::RfcProfile(),
                                        {teep::PeerKey{agent_key_.public_key(), std::nullopt}});
    EXPECT_TRUE(verified.ok());
    return verified.ok() ? verified->message : teep::TeepMessage();
  }
  teep::ErrorMessage ErrorReply(const AgentResult& r) {
    teep::TeepMessage m = Reply(r);
    EXPECT_TRUE(std::holds_alternative<teep::ErrorMessage>(m));
    return std::holds_alternative<teep::ErrorMessage>(m) ? std::get<teep::ErrorMessage>(m)
                                                         : teep::ErrorMessage();
  }
  // The challenge of the ERR_ATTESTATION_REQUIRED answering a payload-less QueryRequest.
  Bytes Challenge(AgentCore& agent, const crypto::PrivateKey& tam) {
    teep::ErrorMessage e = ErrorReply(agent.ProcessMessage(SignedBy(Query(), tam)));
    EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kAttestationRequired));
    return e.challenge.value_or(Bytes());
  }

  crypto::PrivateKey agent_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey tam_a_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey tam_b_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  InMemoryTcStore store_;
  FakeClock clock_{5000};
  CountingRandom random_;
  FakeTamVerifier verifier_;
};

TEST_F(AgentTamAttestationTest, RequiredTamAttestationNeedsAVerifierAndTheNonceMechanism) {
  EXPECT_TRUE(
      FailsWith(AgentCore::Create(Config(), store_, nullptr, clock_, random_, nullptr, nullptr),
                Errc::kBadConfig));
  AgentConfig timestamp_only = Config();
  timestamp_only.freshness_mechanisms = {teep::kFreshnessTimestamp};
  EXPECT_TRUE(FailsWith(AgentCore::Create(std::move(timestamp_only), store_, nullptr, clock_,
                                          random_, nullptr, &verifier_),
                        Errc::kBadConfig));
  AgentConfig no_lifetime = Config();
  no_lifetime.tam_challenge_lifetime_seconds = 0;
  EXPECT_TRUE(FailsWith(AgentCore::Create(std::move(no_lifetime), store_, nullptr, clock_, random_,
                                          nullptr, &verifier_),
                        Errc::kBadConfig));
}

TEST_F(AgentTamAttestationTest, QueryRequestWithoutPayloadGetsAttestationRequiredAndAChallenge) {
  auto agent = Make(Config());
  AgentResult r = agent->ProcessMessage(SignedBy(Query(), tam_a_));
  ASSERT_EQ(r.outcome, AgentOutcome::kErrorSent);
  EXPECT_EQ(r.err_code, teep::ErrorCode::kAttestationRequired);
  EXPECT_TRUE(FailsWith(Result<int>(*r.error), Errc::kTamAttestationRequired));
  teep::ErrorMessage e = ErrorReply(r);
  EXPECT_EQ(e.token, Query().token);
  // "with supported-freshness-mechanisms and a challenge", the latter from the injected Random.
  EXPECT_EQ(e.supported_freshness_mechanisms, std::vector<uint64_t>{teep::kFreshnessNonce});
  EXPECT_EQ(e.challenge, Bytes(kTamChallengeSize, 1));
  EXPECT_EQ(agent->outstanding_tam_challenges(), 1u);
  EXPECT_EQ(Challenge(*agent, tam_a_), Bytes(kTamChallengeSize, 2));  // fresh every time
  EXPECT_EQ(agent->outstanding_tam_challenges(), 2u);
  EXPECT_EQ(verifier_.calls, 0);
}

TEST_F(AgentTamAttestationTest, RetryWhoseEatNonceIsTheChallengeIsAnsweredOnce) {
  auto agent = Make(Config());
  const Bytes challenge = Challenge(*agent, tam_a_);
  AgentResult r = agent->ProcessMessage(SignedBy(Query(challenge), tam_a_));
  ASSERT_EQ(r.outcome, AgentOutcome::kQueryResponseSent);
  EXPECT_EQ(verifier_.calls, 1);
  EXPECT_EQ(verifier_.last_format, "application/x-test-tam-evidence");
  ASSERT_TRUE(verifier_.last_key.has_value());
  EXPECT_TRUE(verifier_.last_key->Equals(tam_a_.public_key()));  // for the cnf check
  EXPECT_EQ(agent->outstanding_tam_challenges(), 0u);
  // The same attested QueryRequest again: the challenge is used up.
  AgentResult replay = agent->ProcessMessage(SignedBy(Query(challenge), tam_a_));
  EXPECT_EQ(replay.err_code, teep::ErrorCode::kAttestationRequired);
}

TEST_F(AgentTamAttestationTest, RefusedOrUnfreshPayloadIsAskedForAgain) {
  auto agent = Make(Config());
  const Bytes challenge = Challenge(*agent, tam_a_);
  verifier_.affirming = false;
  AgentResult refused = agent->ProcessMessage(SignedBy(Query(challenge), tam_a_));
  EXPECT_EQ(refused.err_code, teep::ErrorCode::kAttestationRequired);
  EXPECT_TRUE(ErrorReply(refused).challenge.has_value());
  verifier_.affirming = true;
  AgentResult unknown = agent->ProcessMessage(SignedBy(Query(Bytes(32, 0xEE)), tam_a_));
  EXPECT_EQ(unknown.err_code, teep::ErrorCode::kAttestationRequired);
  EXPECT_TRUE(FailsWith(Result<int>(*unknown.error), Errc::kTamAttestationRequired));
  // The original challenge is still good.
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(challenge), tam_a_)).outcome,
            AgentOutcome::kQueryResponseSent);
}

TEST_F(AgentTamAttestationTest, VerifierThatCannotRunGetsTemporaryError) {
  auto agent = Make(Config());
  const Bytes challenge = Challenge(*agent, tam_a_);
  verifier_.fail = true;
  AgentResult r = agent->ProcessMessage(SignedBy(Query(challenge), tam_a_));
  EXPECT_EQ(r.err_code, teep::ErrorCode::kTemporaryError);
  EXPECT_TRUE(FailsWith(Result<int>(*r.error), Errc::kTamVerifierFailed));
  EXPECT_EQ(agent->outstanding_tam_challenges(), 1u);
}

TEST_F(AgentTamAttestationTest, ChallengeIsBoundToTheTamItWasSentTo) {
  auto agent = Make(Config());
  const Bytes challenge = Challenge(*agent, tam_a_);
  AgentResult r = agent->ProcessMessage(SignedBy(Query(challenge), tam_b_));
  EXPECT_EQ(r.err_code, teep::ErrorCode::kAttestationRequired);
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(challenge), tam_a_)).outcome,
            AgentOutcome::kQueryResponseSent);
}

TEST_F(AgentTamAttestationTest, ChallengeExpiresAfterItsLifetime) {
  auto agent = Make(Config());
  const Bytes challenge = Challenge(*agent, tam_a_);
  clock_.Advance(AgentConfig().tam_challenge_lifetime_seconds);
  AgentResult r = agent->ProcessMessage(SignedBy(Query(challenge), tam_a_));
  EXPECT_EQ(r.err_code, teep::ErrorCode::kAttestationRequired);
}

TEST_F(AgentTamAttestationTest, OutstandingChallengesAreBoundedOldestFirst) {
  auto agent = Make(Config());
  const Bytes first = Challenge(*agent, tam_a_);
  Bytes last;
  for (size_t i = 0; i < kMaxOutstandingTamChallenges; ++i) last = Challenge(*agent, tam_a_);
  EXPECT_EQ(agent->outstanding_tam_challenges(), kMaxOutstandingTamChallenges);
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(first), tam_a_)).err_code,
            teep::ErrorCode::kAttestationRequired);
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(last), tam_a_)).outcome,
            AgentOutcome::kQueryResponseSent);
}

TEST_F(AgentTamAttestationTest, WithoutThePolicyThePayloadIsNotVerified) {
  auto agent = Make(Config(false));
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(), tam_a_)).outcome,
            AgentOutcome::kQueryResponseSent);
  EXPECT_EQ(agent->ProcessMessage(SignedBy(Query(Bytes(32, 1)), tam_a_)).outcome,
            AgentOutcome::kQueryResponseSent);
  EXPECT_EQ(verifier_.calls, 0);
  EXPECT_EQ(random_.calls, 0);
}

// Each way a QueryRequest can fail answers with the err-code of the draft's table (digest
// §2.6), carrying the list that code makes mandatory (§2.5).
TEST_F(AgentTamAttestationTest, EachRefusalAnswersWithTheErrCodeOfTheDraftsTable) {
  auto agent = Make(Config(false));
  teep::QueryRequest version = Query();
  version.versions = {7};
  teep::ErrorMessage e = ErrorReply(agent->ProcessMessage(SignedBy(version, tam_a_)));
  EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kUnsupportedMsgVersion));
  EXPECT_EQ(e.versions, std::vector<uint32_t>{0});

  teep::QueryRequest suites = Query();
  suites.supported_teep_cipher_suites = {teep::CipherSuite::Sign1(teep::kAlgEd25519)};
  e = ErrorReply(agent->ProcessMessage(SignedBy(suites, tam_a_)));
  EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kUnsupportedCipherSuites));
  EXPECT_EQ(e.supported_teep_cipher_suites,
            std::vector<teep::CipherSuite>{teep::CipherSuite::Sign1(teep::kAlgESP256)});

  teep::QueryRequest freshness = Query();
  freshness.data_item_requested.attestation = true;
  freshness.supported_freshness_mechanisms = {teep::kFreshnessTimestamp};
  e = ErrorReply(agent->ProcessMessage(SignedBy(freshness, tam_a_)));
  EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kUnsupportedFreshnessMechanisms));
  EXPECT_EQ(e.supported_freshness_mechanisms, std::vector<uint64_t>{teep::kFreshnessNonce});

  // Attestation asked of an Agent with no attester: its fields cannot be satisfied.
  freshness.supported_freshness_mechanisms = {teep::kFreshnessNonce};
  AgentResult no_attester = agent->ProcessMessage(SignedBy(freshness, tam_a_));
  EXPECT_EQ(no_attester.err_code, teep::ErrorCode::kPermanentError);
  EXPECT_TRUE(FailsWith(Result<int>(*no_attester.error), Errc::kAttestationUnavailable));

  // Signed with an algorithm for which the Agent trusts no TAM key: "Processing of a
  // certificate failed". (A P-256 signature that no trusted P-256 key verifies cannot be told
  // from a damaged one and gets ERR_PERMANENT_ERROR, as the sweeps check.)
  auto stranger = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  auto stranger_wire = teep::SignMessage(
      Query(), teep::RfcProfile(),
      teep::SigningKey{stranger, teep::CipherSuite::Sign1(teep::kAlgEd25519), std::nullopt});
  ASSERT_TRUE(stranger_wire.ok());
  EXPECT_EQ(agent->ProcessMessage(*stranger_wire).err_code, teep::ErrorCode::kBadCertificate);

  // A TAM does not send Success.
  teep::Success success;
  success.token = Bytes(16, 3);
  AgentResult unexpected = agent->ProcessMessage(SignedBy(success, tam_a_));
  EXPECT_EQ(unexpected.err_code, teep::ErrorCode::kPermanentError);
  EXPECT_TRUE(FailsWith(Result<int>(*unexpected.error), Errc::kUnexpectedMessage));
  EXPECT_EQ(ErrorReply(unexpected).token, success.token);
}

// digest §6.2 step 2.3: "If a TAM SUIT Report uses an unsupported profile: send Error
// ERR_UNSUPPORTED_SUIT_REPORT plus the list."
TEST_F(AgentTamAttestationTest, TamSuitReportInAnUnsupportedProfileGetsUnsupportedSuitReport) {
  auto agent = Make(Config(false));
  const Bytes report_map = {0xA1, 0x02, 0x48, 1, 2, 3, 4, 5, 6, 7, 8};  // {2: nonce}
  auto ed25519 = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  const Bytes ed25519_report = *teep::SignPayload(
      report_map,
      teep::SigningKey{ed25519, teep::CipherSuite::Sign1(teep::kAlgEd25519), std::nullopt});
  const Bytes esp256_report = *teep::SignPayload(
      report_map,
      teep::SigningKey{tam_a_, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt});

  teep::QueryRequest q = Query();
  q.suit_reports = {report_map, esp256_report};  // unprotected, and a supported profile
  EXPECT_EQ(agent->ProcessMessage(SignedBy(q, tam_a_)).outcome, AgentOutcome::kQueryResponseSent);

  q.suit_reports = {esp256_report, ed25519_report};
  AgentResult r = agent->ProcessMessage(SignedBy(q, tam_a_));
  EXPECT_TRUE(FailsWith(Result<int>(*r.error), Errc::kUnsupportedTamReport));
  teep::ErrorMessage e = ErrorReply(r);
  EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kUnsupportedSuitReport));
  ASSERT_FALSE(e.supported_suit_cose_profiles.empty());  // "MUST" carry the Agent's profiles
  for (const teep::SuitCoseProfile& profile : e.supported_suit_cose_profiles) {
    EXPECT_EQ(profile.algs[1], teep::kAlgESP256);
  }
  q.suit_reports = {Bytes{0x82, 0x01, 0x02}};  // neither a SUIT_Report nor a COSE_Sign1
  EXPECT_EQ(agent->ProcessMessage(SignedBy(q, tam_a_)).err_code,
            teep::ErrorCode::kUnsupportedSuitReport);
}

// --- Unsolicited QueryResponse (RFC 9397 §6.2.1 RequestTA; digest §6.2) ---

UnsolicitedQueryResponseFacts AllThreeHold() {
  UnsolicitedQueryResponseFacts facts;
  facts.last_query_request = UnsolicitedQueryResponseFacts::LastQueryRequest{false, false, 100};
  facts.tam_key_cached = true;
  return facts;
}

TEST(UnsolicitedQueryResponseTest, AllowedOnlyWhenAllThreeConditionsHold) {
  EXPECT_TRUE(MayAttachUnsolicitedQueryResponse(AllThreeHold(), 200));
  UnsolicitedQueryResponseFacts never_queried = AllThreeHold();
  never_queried.last_query_request.reset();
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(never_queried, 200));
}

TEST(UnsolicitedQueryResponseTest, LastQueryRequestWithTokenOrChallengeForbidsIt) {
  UnsolicitedQueryResponseFacts token = AllThreeHold();
  token.last_query_request->had_token = true;
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(token, 200));
  UnsolicitedQueryResponseFacts challenge = AllThreeHold();
  challenge.last_query_request->had_challenge = true;
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(challenge, 200));
}

TEST(UnsolicitedQueryResponseTest, ProcessErrorSinceTheLastQueryRequestForbidsIt) {
  UnsolicitedQueryResponseFacts facts = AllThreeHold();
  facts.last_process_error_at = 99;  // before the QueryRequest: no effect
  EXPECT_TRUE(MayAttachUnsolicitedQueryResponse(facts, 200));
  facts.last_process_error_at = 100;  // same second: counted as since
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(facts, 200));
  facts.last_process_error_at = 150;
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(facts, 200));
}

TEST(UnsolicitedQueryResponseTest, UncachedOrExpiredTamKeyForbidsIt) {
  UnsolicitedQueryResponseFacts uncached = AllThreeHold();
  uncached.tam_key_cached = false;
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(uncached, 200));
  UnsolicitedQueryResponseFacts certificate = AllThreeHold();
  certificate.tam_key_not_after = 300;
  EXPECT_TRUE(MayAttachUnsolicitedQueryResponse(certificate, 299));
  EXPECT_FALSE(MayAttachUnsolicitedQueryResponse(certificate, 300));
}

// teepnet's TAM always sends a token, so its Agent never attaches an unsolicited message.
TEST_F(AgentCoreTest, RequestTaNeverAttachesAnUnsolicitedMessage) {
  auto agent = Make(Config());
  auto contact = (*agent)->RequestTA(kManifest);
  ASSERT_TRUE(contact.has_value());
  EXPECT_FALSE(contact->message.has_value());
}

}  // namespace
}  // namespace teepnet::agent
