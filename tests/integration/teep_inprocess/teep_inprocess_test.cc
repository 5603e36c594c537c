// TAM <-> Broker <-> Agent in one process over a fake transport: the full lifecycle of a
// Trusted Component (install, update to a higher sequence number, uninstall), then every way
// a message can be wrong on each hop, checked against store snapshots.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "fixture.h"
#include "teepnet/agent/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/sign.h"
#include "teepnet/tam/errc.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::inprocess {
namespace {

using teepnet::testing::FailsWith;

const suit::ManifestRecord* Installed(const World& w, const suit::ComponentId& id) {
  auto it = w.agent_store.Snapshot().manifests.find(id);
  return it == w.agent_store.Snapshot().manifests.end() ? nullptr : &it->second;
}

std::optional<Bytes> Content(const World& w, const suit::ComponentId& id) {
  return w.agent_store.ReadComponent(id);
}

tam::DeviceStatus StatusOf(const World& w) {
  auto status = w.tam_store.GetStatus(w.device_id);
  if (!status.ok() || !status->has_value()) return tam::DeviceStatus();
  return **status;
}

// The Agent's reply, verified with the Agent's key.
teep::TeepMessage AgentReply(const agent::AgentResult& result) {
  EXPECT_TRUE(result.response.has_value());
  auto verified = teep::VerifyMessage(*result.response, teep::RfcProfile(),
                                      {teep::PeerKey{AgentP256Key().public_key(), std::nullopt}});
  EXPECT_TRUE(verified.ok()) << verified.error().ToString();
  return verified->message;
}

teep::ErrorMessage AgentError(const agent::AgentResult& result) {
  teep::TeepMessage m = AgentReply(result);
  EXPECT_TRUE(std::holds_alternative<teep::ErrorMessage>(m));
  return std::get<teep::ErrorMessage>(m);
}

void SetDesired(World& w, std::vector<tam::PackageRef> install,
                std::vector<suit::ComponentId> remove = {}) {
  TEEPNET_ASSERT_OK(w.tam->SetDesiredState(w.device_id, tam::DesiredState{install, remove}));
}

// The messages of one install session, captured in flight.
struct Captured {
  Bytes query_request, query_response, update, success;
};

Captured CaptureInstall(World& w) {
  EXPECT_TRUE(w.tam->AddPackage(FixtureEnvelope(1, "first")).ok());
  SetDesired(w, {{FixtureManifestId(), 1}});
  Captured c;
  // Drive the hops by hand so each message can be kept.
  c.query_request = *w.tam->ProcessConnect().response;
  c.query_response = *w.agent->ProcessMessage(c.query_request).response;
  return c;
}

TEST(TeepInProcessTest, InstallUpdateAndUninstallThroughTheBroker) {
  World w;
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "version one")));
  SetDesired(w, {{FixtureManifestId(), 1}});

  // Install: empty POST -> QueryRequest -> QueryResponse -> Update -> Success -> 204.
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  ASSERT_EQ(w.wire_log.size(), 4u);
  ASSERT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  ASSERT_NE(Installed(w, FixtureManifestId()), nullptr);
  EXPECT_EQ(Installed(w, FixtureManifestId())->sequence_number, 1u);
  EXPECT_EQ(Content(w, FixtureComponentId()), ToBytes(std::string_view("version one")));
  tam::DeviceStatus status = StatusOf(w);
  EXPECT_EQ(status.last_result, tam::LastResult::kSuccess);
  ASSERT_EQ(status.installed.size(), 1u);
  EXPECT_EQ(status.installed[0].sequence_number, 1u);

  // Nothing to do: the QueryResponse gets a 204.
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.wire_log.size(), 2u);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kUpToDate);
  EXPECT_EQ(StatusOf(w).installed[0].sequence_number, 1u);

  // Update to a higher sequence number.
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(2, "version two")));
  SetDesired(w, {{FixtureManifestId(), 2}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  EXPECT_EQ(Installed(w, FixtureManifestId())->sequence_number, 2u);
  EXPECT_EQ(Content(w, FixtureComponentId()), ToBytes(std::string_view("version two")));
  EXPECT_EQ(StatusOf(w).installed[0].sequence_number, 2u);

  // Uninstall: the manifest goes out in unneeded-manifest-list; its uninstall sequence unlinks
  // the component.
  SetDesired(w, {}, {FixtureManifestId()});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  EXPECT_EQ(Installed(w, FixtureManifestId()), nullptr);
  EXPECT_FALSE(Content(w, FixtureComponentId()).has_value());
  EXPECT_TRUE(StatusOf(w).installed.empty());

  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kUpToDate);
}

TEST(TeepInProcessTest, OfficialIntegratedPayloadEnvelopeInstallsWithThePublishedSigner) {
  // draft-ietf-teep-protocol Appendix E example 2, signed with the published example key.
  auto signer = crypto::PublicKey::FromPem(
      AsChars(teepnet::testing::ReadVectorFile("teep/keys/suit_example_signer_p256.public.pem")));
  ASSERT_TRUE(signer.ok());
  World::Options options;
  options.adjust_agent = [&](agent::AgentConfig& c) { c.tc_signers.signing_keys = {*signer}; };
  World w(options);
  auto package = w.tam->AddPackage(
      teepnet::testing::ReadVectorFile("teep/master-a9d2fad/suit_integrated.cbor"));
  TEEPNET_ASSERT_OK(package);
  EXPECT_EQ(package->sequence_number, 3u);
  SetDesired(w, {{package->manifest_id, 3}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  const suit::ComponentId ta{{ToBytes(std::string_view("TEEP-Device")),
                              ToBytes(std::string_view("SecureFS")),
                              teepnet::testing::HexOrDie("8D82573A926D4754935332DC29997F74"),
                              ToBytes(std::string_view("ta"))}};
  EXPECT_EQ(Content(w, ta), ToBytes(std::string_view("Hello, Secure World!")));
}

TEST(TeepInProcessTest, OfficialUriEnvelopeFetchesThroughTheFetcher) {
  auto signer = crypto::PublicKey::FromPem(
      AsChars(teepnet::testing::ReadVectorFile("teep/keys/suit_example_signer_p256.public.pem")));
  ASSERT_TRUE(signer.ok());
  World::Options options;
  options.adjust_agent = [&](agent::AgentConfig& c) { c.tc_signers.signing_keys = {*signer}; };
  World w(options);
  w.fetcher.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta",
                teepnet::testing::ReadVectorFile(
                    "teep/master-a9d2fad/8d82573a-926d-4754-9353-32dc29997f74.ta"));
  auto package =
      w.tam->AddPackage(teepnet::testing::ReadVectorFile("teep/master-a9d2fad/suit_uri.cbor"));
  TEEPNET_ASSERT_OK(package);
  SetDesired(w, {{package->manifest_id, 3}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  EXPECT_EQ(w.fetcher.fetches(), 1u);
}

TEST(TeepInProcessTest, TamperedUpdateIsAnsweredWithErrorAndChangesNothing) {
  World w;
  Captured c = CaptureInstall(w);
  tam::TamResult sent = w.tam->ProcessMessage(c.query_response);
  ASSERT_EQ(sent.outcome, tam::Outcome::kUpdateSent);
  Bytes update = *sent.response;
  update[update.size() - 5] ^= 0x01;  // inside the signature
  const auto agent_before = w.agent_store.Snapshot();
  agent::AgentResult reply = w.agent->ProcessMessage(update);
  EXPECT_EQ(reply.outcome, agent::AgentOutcome::kErrorSent);
  EXPECT_TRUE(FailsWith(Result<int>(*reply.error), teep::Errc::kSignatureInvalid));
  EXPECT_TRUE(AgentError(reply).err_code.Is(teep::ErrorCode::kPermanentError));
  EXPECT_EQ(w.agent_store.Snapshot(), agent_before);
  // The Error carries no token (the Update was not authentic), so the TAM drops it.
  const auto tam_before = w.tam_store.Snapshot();
  tam::TamResult dropped = w.tam->ProcessMessage(*reply.response);
  EXPECT_EQ(dropped.outcome, tam::Outcome::kDropped);
  EXPECT_TRUE(FailsWith(Result<int>(*dropped.drop_reason), tam::Errc::kMissingToken));
  EXPECT_EQ(w.tam_store.Snapshot(), tam_before);
}

TEST(TeepInProcessTest, TamperedQueryResponseIsDroppedWithNoStateChange) {
  World w;
  Captured c = CaptureInstall(w);
  Bytes tampered = c.query_response;
  tampered[tampered.size() / 2] ^= 0x80;
  const auto before = w.tam_store.Snapshot();
  tam::TamResult r = w.tam->ProcessMessage(tampered);
  EXPECT_EQ(r.outcome, tam::Outcome::kDropped);
  EXPECT_FALSE(r.response.has_value());
  EXPECT_EQ(w.tam_store.Snapshot(), before);
  // The genuine one still works afterwards.
  EXPECT_EQ(w.tam->ProcessMessage(c.query_response).outcome, tam::Outcome::kUpdateSent);
}

TEST(TeepInProcessTest, ReplayedQueryResponseAndSuccessAreIgnored) {
  World w;
  Captured c = CaptureInstall(w);
  tam::TamResult update = w.tam->ProcessMessage(c.query_response);
  ASSERT_EQ(update.outcome, tam::Outcome::kUpdateSent);
  Bytes success = *w.agent->ProcessMessage(*update.response).response;
  ASSERT_EQ(w.tam->ProcessMessage(success).outcome, tam::Outcome::kSuccessRecorded);

  const auto before = w.tam_store.Snapshot();
  tam::TamResult again = w.tam->ProcessMessage(c.query_response);
  EXPECT_TRUE(FailsWith(Result<int>(*again.drop_reason), tam::Errc::kTokenReplayed));
  tam::TamResult success_again = w.tam->ProcessMessage(success);
  EXPECT_TRUE(FailsWith(Result<int>(*success_again.drop_reason), tam::Errc::kTokenReplayed));
  EXPECT_EQ(w.tam_store.Snapshot(), before);
}

TEST(TeepInProcessTest, QueryResponseAfterTokenLifetimeIsIgnored) {
  World w;
  Captured c = CaptureInstall(w);
  w.clock.Advance(World::DefaultTamConfig().token_lifetime_seconds);
  const auto before = w.tam_store.Snapshot();
  tam::TamResult r = w.tam->ProcessMessage(c.query_response);
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), tam::Errc::kTokenExpired));
  EXPECT_EQ(w.tam_store.Snapshot(), before);
}

TEST(TeepInProcessTest, UnknownAgentKeyIsDropped) {
  World::Options options;
  options.enroll = false;
  World w(options);
  Bytes query = *w.tam->ProcessConnect().response;
  Bytes response = *w.agent->ProcessMessage(query).response;
  const auto before = w.tam_store.Snapshot();
  tam::TamResult r = w.tam->ProcessMessage(response);
  EXPECT_EQ(r.outcome, tam::Outcome::kDropped);
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), tam::Errc::kUnknownDevice));
  EXPECT_EQ(w.tam_store.Snapshot(), before);
}

TEST(TeepInProcessTest, AgentAnswersGarbageWithPermanentError) {
  World w;
  const Bytes garbage = {0x01, 0x02, 0x03};
  agent::AgentResult r = w.agent->ProcessMessage(garbage);
  ASSERT_EQ(r.outcome, agent::AgentOutcome::kErrorSent);
  teep::ErrorMessage e = AgentError(r);
  EXPECT_TRUE(e.err_code.Is(teep::ErrorCode::kPermanentError));
  EXPECT_FALSE(e.token.has_value());
}

TEST(TeepInProcessTest, AgentAnswersAnUntrustedTamWithBadCertificate) {
  // The Agent trusts only the TAM's Ed25519 key; a P-256 signature has no key to check it.
  World::Options options;
  options.adjust_agent = [](agent::AgentConfig& c) {
    c.tams[0].keys.erase(c.tams[0].keys.begin());
  };
  World w(options);
  teep::QueryRequest q;
  q.token = Bytes(16, 7);
  q.supported_teep_cipher_suites = {teep::CipherSuite::Sign1(teep::kAlgESP256)};
  q.supported_suit_cose_profiles = {teep::SuitCoseProfile{{-16, -9, -29, -65534}}};
  q.data_item_requested.trusted_components = true;
  auto wire =
      teep::SignMessage(q, teep::RfcProfile(),
                        teep::SigningKey{OtherAgentP256Key(),
                                         teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt});
  ASSERT_TRUE(wire.ok());
  agent::AgentResult r = w.agent->ProcessMessage(*wire);
  EXPECT_TRUE(AgentError(r).err_code.Is(teep::ErrorCode::kBadCertificate));
}

TEST(TeepInProcessTest, TamWithOnlyEd25519GetsUnsupportedCipherSuitesAndRecordsIt) {
  World::Options options;
  options.tam.signing_keys = {
      teep::SigningKey{TamEd25519Key(), teep::CipherSuite::Sign1(teep::kAlgEd25519), std::nullopt}};
  World w(options);
  Bytes query = *w.tam->ProcessConnect().response;
  agent::AgentResult r = w.agent->ProcessMessage(query);
  teep::ErrorMessage e = AgentError(r);
  ASSERT_TRUE(e.err_code.Is(teep::ErrorCode::kUnsupportedCipherSuites));
  // "MUST include supported-teep-cipher-suites".
  EXPECT_EQ(e.supported_teep_cipher_suites,
            std::vector<teep::CipherSuite>{teep::CipherSuite::Sign1(teep::kAlgESP256)});
  tam::TamResult recorded = w.tam->ProcessMessage(*r.response);
  EXPECT_EQ(recorded.outcome, tam::Outcome::kErrorRecorded);
  EXPECT_EQ(StatusOf(w).last_error_code,
            teep::RfcProfile().Code(teep::ErrorCode::kUnsupportedCipherSuites));
}

TEST(TeepInProcessTest, FailingManifestRollsBackTheWholeUpdate) {
  World w;
  // Two manifests in one Update; the second fails its vendor condition.
  const suit::ComponentId other_manifest =
      suit::MakeComponentId({"TEEP-Device", "SecureFS", "fixture-tc", "suit"});
  (void)other_manifest;
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "good")));
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(2, "bad", Bytes(16, 0xEE))));
  SetDesired(w, {{FixtureManifestId(), 2}});
  const auto agent_before = w.agent_store.Snapshot();
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kErrorRecorded);
  EXPECT_EQ(w.agent_store.Snapshot(), agent_before);
  EXPECT_EQ(StatusOf(w).last_error_code,
            teep::RfcProfile().Code(teep::ErrorCode::kManifestProcessingFailed));
}

TEST(TeepInProcessTest, ErrorWithReportsCarriesTheTokenAsNonce) {
  World w;
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "bad", Bytes(16, 0xEE))));
  SetDesired(w, {{FixtureManifestId(), 1}});
  Bytes query = *w.tam->ProcessConnect().response;
  Bytes response = *w.agent->ProcessMessage(query).response;
  tam::TamResult update = w.tam->ProcessMessage(response);
  ASSERT_EQ(update.outcome, tam::Outcome::kUpdateSent);
  agent::AgentResult r = w.agent->ProcessMessage(*update.response);
  teep::ErrorMessage e = AgentError(r);
  ASSERT_TRUE(e.err_code.Is(teep::ErrorCode::kManifestProcessingFailed));
  ASSERT_EQ(e.suit_reports.size(), 1u);
  ASSERT_EQ(r.reports.size(), 1u);
  EXPECT_EQ(r.reports[0].nonce, e.token);
}

TEST(TeepInProcessTest, TamStoreFailureWithholdsTheReply) {
  World w;
  Captured c = CaptureInstall(w);
  const auto before = w.tam_store.Snapshot();
  w.tam_store.FailNextCommit();
  tam::TamResult r = w.tam->ProcessMessage(c.query_response);
  EXPECT_EQ(r.outcome, tam::Outcome::kFailed);
  EXPECT_FALSE(r.response.has_value());
  EXPECT_EQ(w.tam_store.Snapshot(), before);
}

// --- Attestation hook ---

class FixedEvidence final : public agent::EvidenceProvider {
 public:
  Result<agent::Evidence> Collect(const agent::EvidenceRequest& request) override {
    seen_challenge = request.challenge.has_value();
    return agent::Evidence{ToBytes(std::string_view("evidence")),
                           std::string("application/x-test-evidence")};
  }
  bool seen_challenge = false;
};

class FixedAppraiser final : public tam::EvidenceAppraiser {
 public:
  explicit FixedAppraiser(bool affirming) : affirming_(affirming) {}
  Result<tam::Appraisal> Appraise(const tam::AttestationInput& input) override {
    EXPECT_EQ(AsChars(input.payload), "evidence");
    EXPECT_TRUE(input.challenge.has_value());
    return tam::Appraisal{affirming_, affirming_ ? "affirming" : "contraindicated", {}};
  }

 private:
  bool affirming_;
};

TEST(TeepInProcessTest, RequiredAttestationThatFailsGetsAttestationRequiredUpdate) {
  FixedEvidence evidence;
  FixedAppraiser appraiser(false);
  World::Options options;
  options.tam.attestation = tam::AttestationPolicy::kRequire;
  options.appraiser = &appraiser;
  options.evidence = &evidence;
  World w(options);
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "x")));
  SetDesired(w, {{FixtureManifestId(), 1}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_TRUE(evidence.seen_challenge);
  EXPECT_EQ(StatusOf(w).last_result, tam::LastResult::kAttestationFailed);
  ASSERT_TRUE(w.agent->last_tam_error().has_value());
  EXPECT_EQ(w.agent->last_tam_error()->first,
            teep::RfcProfile().Code(teep::ErrorCode::kAttestationRequired));
  EXPECT_EQ(Installed(w, FixtureManifestId()), nullptr);
}

TEST(TeepInProcessTest, RequiredAttestationThatPassesInstalls) {
  FixedEvidence evidence;
  FixedAppraiser appraiser(true);
  World::Options options;
  options.tam.attestation = tam::AttestationPolicy::kRequire;
  options.appraiser = &appraiser;
  options.evidence = &evidence;
  World w(options);
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "x")));
  SetDesired(w, {{FixtureManifestId(), 1}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_NE(Installed(w, FixtureManifestId()), nullptr);
  ASSERT_TRUE(StatusOf(w).appraisal.has_value());
  EXPECT_TRUE(StatusOf(w).appraisal->affirming);
}

TEST(TeepInProcessTest, RequestTaInstallsFromTheCatalogAndUnrequestTaRemoves) {
  World w;
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "on request")));
  auto contact = w.agent->RequestTA(FixtureManifestId());
  ASSERT_TRUE(contact.has_value());
  EXPECT_EQ(contact->tam_uri, World::kTamUri);
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_NE(Installed(w, FixtureManifestId()), nullptr);
  EXPECT_TRUE(w.agent->pending_requests().empty());
  EXPECT_FALSE(w.agent->RequestTA(FixtureManifestId()).has_value());  // installed already

  ASSERT_TRUE(w.agent->UnrequestTA(FixtureManifestId()).has_value());
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(Installed(w, FixtureManifestId()), nullptr);
  EXPECT_TRUE(w.agent->pending_unrequests().empty());
  // The TAM dropped it from the desired state, so the next poll leaves it uninstalled.
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kUpToDate);
}

// --- TAM attestation (the Agent requires it; draft §"QueryRequest Message" processing and
// §"TAM Processing" of ERR_ATTESTATION_REQUIRED).

// The TAM's "EAT": a marker and the eat_nonce. Test-only.
constexpr std::string_view kTamEatPrefix = "tam-eat:";

class EchoTamAttester final : public tam::TamAttester {
 public:
  Result<tam::TamAttestation> Attest(const tam::TamAttestationRequest& request) override {
    ++calls;
    saw_tam_key = request.tam_key != nullptr;
    Bytes payload = ToBytes(kTamEatPrefix);
    if (request.challenge) Append(payload, *request.challenge);
    return tam::TamAttestation{payload, std::string("application/x-test-tam-evidence")};
  }
  int calls = 0;
  bool saw_tam_key = false;
};

class PrefixTamVerifier final : public agent::TamAttestationVerifier {
 public:
  explicit PrefixTamVerifier(bool affirming) : affirming_(affirming) {}
  Result<agent::TamAttestationVerdict> Verify(const agent::TamAttestationInput& input) override {
    ++calls;
    EXPECT_EQ(input.format, "application/x-test-tam-evidence");
    EXPECT_NE(input.tam_key, nullptr);
    agent::TamAttestationVerdict verdict;
    const ByteView prefix = AsBytes(kTamEatPrefix);
    if (input.payload.size() < prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), input.payload.begin())) {
      verdict.reason = "not a TAM EAT";
      return verdict;
    }
    verdict.affirming = affirming_;
    verdict.eat_nonce = ToBytes(input.payload.subspan(prefix.size()));
    return verdict;
  }
  int calls = 0;

 private:
  bool affirming_;
};

teep::TeepMessage TamMessage(const Bytes& wire) {
  auto verified = teep::VerifyMessage(wire, teep::RfcProfile(),
                                      {teep::PeerKey{TamP256Key().public_key(), std::nullopt},
                                       teep::PeerKey{TamEd25519Key().public_key(), std::nullopt}});
  EXPECT_TRUE(verified.ok()) << verified.error().ToString();
  return verified->message;
}

World::Options TamAttestationOptions(tam::TamAttester* attester,
                                     agent::TamAttestationVerifier* verifier) {
  World::Options options;
  options.tam_attester = attester;
  options.tam_verifier = verifier;
  options.adjust_agent = [](agent::AgentConfig& c) { c.require_tam_attestation = true; };
  return options;
}

TEST(TeepInProcessTest, AgentRequiringTamAttestationInstallsAfterTheAttestedRetry) {
  EchoTamAttester attester;
  PrefixTamVerifier verifier(true);
  World w(TamAttestationOptions(&attester, &verifier));
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "attested tam")));
  SetDesired(w, {{FixtureManifestId(), 1}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  // QueryRequest -> Error 7 -> attested QueryRequest -> QueryResponse -> Update -> Success.
  ASSERT_EQ(w.wire_log.size(), 6u);
  EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
  EXPECT_EQ(Content(w, FixtureComponentId()), ToBytes(std::string_view("attested tam")));

  auto verified = teep::VerifyMessage(w.wire_log[1].bytes, teep::RfcProfile(),
                                      {teep::PeerKey{AgentP256Key().public_key(), std::nullopt}});
  ASSERT_TRUE(verified.ok());
  const auto& error = std::get<teep::ErrorMessage>(verified->message);
  ASSERT_TRUE(error.err_code.Is(teep::ErrorCode::kAttestationRequired));
  ASSERT_TRUE(error.challenge.has_value());
  EXPECT_EQ(error.challenge->size(), agent::kTamChallengeSize);
  EXPECT_EQ(error.supported_freshness_mechanisms, std::vector<uint64_t>{teep::kFreshnessNonce});
  const auto retry = std::get<teep::QueryRequest>(TamMessage(w.wire_log[2].bytes));
  Bytes expected = ToBytes(kTamEatPrefix);
  Append(expected, *error.challenge);
  EXPECT_EQ(retry.attestation_payload, expected);
  EXPECT_EQ(attester.calls, 1);
  EXPECT_TRUE(attester.saw_tam_key);
  EXPECT_EQ(verifier.calls, 1);
  EXPECT_EQ(w.agent->outstanding_tam_challenges(), 0u);  // used up

  // The attested QueryRequest replayed: its challenge is gone, so the Agent asks again.
  agent::AgentResult replay = w.agent->ProcessMessage(w.wire_log[2].bytes);
  EXPECT_TRUE(AgentError(replay).err_code.Is(teep::ErrorCode::kAttestationRequired));
  EXPECT_TRUE(FailsWith(Result<int>(*replay.error), agent::Errc::kTamAttestationRequired));
}

TEST(TeepInProcessTest, TamWithoutAttesterRecordsThatTheDeviceRequiresTamAttestation) {
  PrefixTamVerifier verifier(true);
  World w(TamAttestationOptions(nullptr, &verifier));
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "never")));
  SetDesired(w, {{FixtureManifestId(), 1}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  ASSERT_EQ(w.wire_log.size(), 2u);  // QueryRequest, Error; then 204
  const tam::TamResult& last = w.tam_results.back();
  EXPECT_EQ(last.outcome, tam::Outcome::kErrorRecorded);
  EXPECT_TRUE(FailsWith(Result<int>(*last.drop_reason), tam::Errc::kTamAttestationUnavailable));
  const tam::DeviceStatus status = StatusOf(w);
  EXPECT_EQ(status.last_result, tam::LastResult::kError);
  EXPECT_EQ(status.last_error_code, teep::RfcProfile().Code(teep::ErrorCode::kAttestationRequired));
  EXPECT_TRUE(status.last_error_message.has_value());
  EXPECT_EQ(Installed(w, FixtureManifestId()), nullptr);
  EXPECT_EQ(verifier.calls, 0);
}

TEST(TeepInProcessTest, RefusedTamAttestationEndsTheSessionAfterOneRetry) {
  EchoTamAttester attester;
  PrefixTamVerifier verifier(false);
  World w(TamAttestationOptions(&attester, &verifier));
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "never")));
  SetDesired(w, {{FixtureManifestId(), 1}});
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  ASSERT_EQ(w.wire_log.size(), 4u);  // QueryRequest, Error, attested QueryRequest, Error
  EXPECT_EQ(attester.calls, 1);
  EXPECT_TRUE(FailsWith(Result<int>(*w.tam_results.back().drop_reason),
                        tam::Errc::kTamAttestationUnavailable));
  EXPECT_EQ(Installed(w, FixtureManifestId()), nullptr);
}

// A TAM silently drops what it does not accept (digest §8 item 11); the HTTP layer answers 204
// and the store does not move.
TEST(TeepInProcessTest, TamDropsValidlySignedMessagesItDoesNotAcceptWithNoStateChange) {
  World w;
  Captured c = CaptureInstall(w);
  teep::SigningKey agent_key{AgentP256Key(), teep::CipherSuite::Sign1(teep::kAlgESP256),
                             w.agent->kid()};
  const auto query = std::get<teep::QueryRequest>(TamMessage(c.query_request));
  const auto before = w.tam_store.Snapshot();
  auto expect_dropped = [&](const teep::TeepMessage& m, auto reason) {
    tam::TamResult r = w.tam->ProcessMessage(*teep::SignMessage(m, teep::RfcProfile(), agent_key));
    EXPECT_EQ(r.outcome, tam::Outcome::kDropped);
    EXPECT_FALSE(r.response.has_value());
    EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), reason));
    EXPECT_EQ(w.tam_store.Snapshot(), before);
  };
  expect_dropped(query, tam::Errc::kUnexpectedMessage);  // an Agent sent a QueryRequest
  teep::ErrorMessage unknown;
  unknown.token = Bytes(16, 0x5A);
  expect_dropped(unknown, tam::Errc::kUnknownToken);
  teep::Success early;  // a Success answering the QueryRequest's token
  early.token = query.token;
  expect_dropped(early, tam::Errc::kTokenPurposeMismatch);
  teep::ErrorMessage bad_nonce;
  bad_nonce.token = query.token;
  cbor::Writer report;
  report.WriteMapHeader(1);
  report.WriteUint(2);
  report.WriteBytes(Bytes(16, 0xAB));
  bad_nonce.suit_reports = {report.bytes()};
  expect_dropped(bad_nonce, tam::Errc::kReportNonceMismatch);
  // After all that, the genuine QueryResponse still gets its Update.
  EXPECT_EQ(w.tam->ProcessMessage(c.query_response).outcome, tam::Outcome::kUpdateSent);
}

// --- Sweeps: every prefix and every bit of each message type, as it flows through the cores.

// The TAM refuses every damaged copy and its store does not move.
void SweepAtTam(World& w, const Bytes& message, const char* what) {
  const auto before = w.tam_store.Snapshot();
  size_t refused = 0;
  for (size_t n = 0; n < message.size(); ++n) {
    tam::TamResult r = w.tam->ProcessMessage(ByteView(message.data(), n));
    ASSERT_EQ(r.outcome, tam::Outcome::kDropped) << what << " prefix " << n;
    ++refused;
  }
  for (size_t bit = 0; bit < message.size() * 8; ++bit) {
    Bytes flipped = message;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    tam::TamResult r = w.tam->ProcessMessage(flipped);
    ASSERT_EQ(r.outcome, tam::Outcome::kDropped) << what << " bit " << bit;
    ASSERT_FALSE(r.response.has_value());
    ++refused;
  }
  EXPECT_EQ(w.tam_store.Snapshot(), before) << what;
  EXPECT_EQ(refused, message.size() * 9);
}

// Byte ranges of the signatures of a COSE_Sign (the first QueryRequest is signed once per
// suite). RFC 9052 §4.1 lets a verifier rely on any one signer, so damage confined to a
// signature the Agent does not rely on leaves the authenticated message intact.
std::vector<std::pair<size_t, size_t>> SignerSignatureRanges(const Bytes& message) {
  std::vector<std::pair<size_t, size_t>> ranges;
  auto sign = cose::SignMessage::Decode(message);
  if (!sign.ok()) return ranges;
  for (const cose::Signer& signer : sign->signers()) {
    const size_t start = static_cast<size_t>(signer.signature.data() - message.data());
    ranges.emplace_back(start, start + signer.signature.size());
  }
  return ranges;
}

// The Agent answers every damaged copy with an Error and its store does not move.
void SweepAtAgent(World& w, const Bytes& message, const char* what) {
  const auto before = w.agent_store.Snapshot();
  for (size_t n = 0; n < message.size(); ++n) {
    agent::AgentResult r = w.agent->ProcessMessage(ByteView(message.data(), n));
    ASSERT_EQ(r.outcome, agent::AgentOutcome::kErrorSent) << what << " prefix " << n;
  }
  const auto signatures = SignerSignatureRanges(message);
  size_t accepted_in_other_signer = 0;
  for (size_t bit = 0; bit < message.size() * 8; ++bit) {
    Bytes flipped = message;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    agent::AgentResult r = w.agent->ProcessMessage(flipped);
    if (r.outcome != agent::AgentOutcome::kErrorSent) {
      const size_t byte = bit / 8;
      const bool in_signature = std::any_of(signatures.begin(), signatures.end(), [&](auto range) {
        return byte >= range.first && byte < range.second;
      });
      ASSERT_TRUE(in_signature) << what << " bit " << bit << " accepted outside a signature";
      ++accepted_in_other_signer;
    }
  }
  // Each signer's signature is damaged in turn while the other still verifies, so every such
  // flip lands inside a signature (asserted above); a COSE_Sign1 admits none (see below).
  if (signatures.empty()) {
    EXPECT_EQ(accepted_in_other_signer, 0u) << what;
  }
  EXPECT_EQ(w.agent_store.Snapshot(), before) << what;
}

TEST(TeepInProcessSweepTest, EveryTruncationAndBitFlipOfEachMessageIsRefused) {
  World w;
  Captured c = CaptureInstall(w);
  SweepAtAgent(w, c.query_request, "QueryRequest");
  SweepAtTam(w, c.query_response, "QueryResponse");
  tam::TamResult update = w.tam->ProcessMessage(c.query_response);
  ASSERT_EQ(update.outcome, tam::Outcome::kUpdateSent);
  c.update = *update.response;
  SweepAtAgent(w, c.update, "Update");
  c.success = *w.agent->ProcessMessage(c.update).response;
  World fresh;  // the sweep's Error replies would not change the Agent; check Success at a TAM
  SweepAtTam(w, c.success, "Success");
  EXPECT_EQ(w.tam->ProcessMessage(c.success).outcome, tam::Outcome::kSuccessRecorded);
}

TEST(TeepInProcessSweepTest, EveryTruncationAndBitFlipOfASign1QueryRequestIsAnsweredWithError) {
  World::Options options;
  options.tam.multi_sign_query_request = false;
  World w(options);
  Bytes query = *w.tam->ProcessConnect().response;
  ASSERT_TRUE(SignerSignatureRanges(query).empty());  // a COSE_Sign1: no damage is harmless
  SweepAtAgent(w, query, "QueryRequest (COSE_Sign1)");
}

TEST(TeepInProcessSweepTest, EveryTruncationAndBitFlipOfAnErrorIsRefused) {
  World w;
  TEEPNET_ASSERT_OK(w.tam->AddPackage(FixtureEnvelope(1, "bad", Bytes(16, 0xEE))));
  SetDesired(w, {{FixtureManifestId(), 1}});
  Bytes query = *w.tam->ProcessConnect().response;
  Bytes response = *w.agent->ProcessMessage(query).response;
  Bytes update = *w.tam->ProcessMessage(response).response;
  Bytes error = *w.agent->ProcessMessage(update).response;
  SweepAtTam(w, error, "Error");
  EXPECT_EQ(w.tam->ProcessMessage(error).outcome, tam::Outcome::kErrorRecorded);
}

// Recorded scripts replay in a fresh world with the same outcomes: the fuzz seeds (which are
// such scripts) reach deep into both cores.
TEST(TeepInProcessScriptTest, RecordedLifecycleReplaysInAFreshWorld) {
  World w;
  w.AddFixturePackages();
  w.Desire(ScriptOp::kDesireV1);
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  w.Desire(ScriptOp::kDesireV2);
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
  w.Desire(ScriptOp::kDesireRemove);
  ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);

  World replay;
  replay.AddFixturePackages();
  std::vector<tam::TamResult> results =
      replay.RunTamScript(DecodeScript(EncodeScript(w.tam_script)));
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.back().outcome, tam::Outcome::kSuccessRecorded);
  EXPECT_EQ(replay.tam_store.Snapshot().status, w.tam_store.Snapshot().status);

  World agent_replay;
  std::vector<agent::AgentResult> agent_results =
      agent_replay.RunAgentScript(DecodeScript(EncodeScript(w.agent_script)));
  ASSERT_FALSE(agent_results.empty());
  EXPECT_EQ(agent_results.back().outcome, agent::AgentOutcome::kSuccessSent);
  EXPECT_EQ(agent_replay.agent_store.Snapshot(), w.agent_store.Snapshot());

  // Regenerates the committed fuzz seeds when asked; otherwise this part does nothing.
  const char* dir = std::getenv("TEEPNET_WRITE_FUZZ_SEEDS");
  if (dir == nullptr) return;
  for (size_t n = 1; n <= w.tam_script.size(); ++n) {
    std::vector<ScriptStep> prefix(w.tam_script.begin(), w.tam_script.begin() + n);
    if (prefix.back().op != ScriptOp::kMessage) continue;
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(std::string(dir) + "/tam_process_fuzzer/lifecycle_" + std::to_string(n),
                        EncodeScript(prefix)));
  }
  for (size_t n = 1; n <= w.agent_script.size(); ++n) {
    std::vector<ScriptStep> prefix(w.agent_script.begin(), w.agent_script.begin() + n);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(std::string(dir) + "/agent_process_fuzzer/lifecycle_" + std::to_string(n),
                        EncodeScript(prefix)));
  }
}

// More scenarios for the fuzz seeds: each script is replayed here to show it does what its
// name says (so a seed is not just bytes), and written out when TEEPNET_WRITE_FUZZ_SEEDS is set.
TEST(TeepInProcessScriptTest, SeedScenariosReplayAsDescribed) {
  const char* dir = std::getenv("TEEPNET_WRITE_FUZZ_SEEDS");
  auto write = [&](const std::string& target, const std::string& name,
                   const std::vector<ScriptStep>& steps) {
    if (dir == nullptr) return;
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(std::string(dir) + "/" + target + "/" + name, EncodeScript(steps)));
  };
  const teep::SigningKey agent_key{AgentP256Key(), teep::CipherSuite::Sign1(teep::kAlgESP256),
                                   std::nullopt};
  const teep::SigningKey tam_key{TamP256Key(), teep::CipherSuite::Sign1(teep::kAlgESP256),
                                 std::nullopt};

  // A fresh fuzz world's first token (deterministic CounterRandom).
  World probe;
  probe.AddFixturePackages();
  const Bytes query = *probe.tam->ProcessConnect().response;
  auto verified = teep::VerifyMessage(query, teep::RfcProfile(),
                                      {teep::PeerKey{TamP256Key().public_key(), std::nullopt}});
  ASSERT_TRUE(verified.ok());
  const Bytes first_token = *std::get<teep::QueryRequest>(verified->message).token;
  teep::SigningKey kid_key = agent_key;
  kid_key.kid = probe.agent->kid();

  {  // An Agent Error answering the QueryRequest: recorded.
    teep::ErrorMessage e;
    e.token = first_token;
    e.err_code = teep::ErrorCode::kTemporaryError;
    e.err_msg = "busy";
    Bytes wire = *teep::SignMessage(e, teep::RfcProfile(), kid_key);
    std::vector<ScriptStep> steps = {{ScriptOp::kConnect, {}}, {ScriptOp::kMessage, wire}};
    World w;
    w.AddFixturePackages();
    EXPECT_EQ(w.RunTamScript(steps).back().outcome, tam::Outcome::kErrorRecorded);
    write("tam_process_fuzzer", "error_recorded", steps);
  }
  {  // ERR_ATTESTATION_REQUIRED from the Agent to a TAM with no attester: recorded.
    teep::ErrorMessage e;
    e.token = first_token;
    e.err_code = teep::ErrorCode::kAttestationRequired;
    e.supported_freshness_mechanisms = {teep::kFreshnessNonce};
    e.challenge = Bytes(32, 0x3C);
    Bytes wire = *teep::SignMessage(e, teep::RfcProfile(), kid_key);
    std::vector<ScriptStep> steps = {{ScriptOp::kConnect, {}}, {ScriptOp::kMessage, wire}};
    World w;
    w.AddFixturePackages();
    tam::TamResult last = w.RunTamScript(steps).back();
    EXPECT_EQ(last.outcome, tam::Outcome::kErrorRecorded);
    EXPECT_TRUE(FailsWith(Result<int>(*last.drop_reason), tam::Errc::kTamAttestationUnavailable));
    write("tam_process_fuzzer", "attestation_required", steps);
  }
  {  // A QueryResponse whose SUIT report nonce is wrong: Update with an err-code.
    teep::QueryResponse r;
    r.token = first_token;
    cbor::Writer report;
    report.WriteMapHeader(1);
    report.WriteUint(2);
    report.WriteBytes(Bytes(16, 0xAB));
    r.suit_reports = {report.bytes()};
    Bytes wire = *teep::SignMessage(r, teep::RfcProfile(), kid_key);
    std::vector<ScriptStep> steps = {{ScriptOp::kConnect, {}}, {ScriptOp::kMessage, wire}};
    World w;
    w.AddFixturePackages();
    tam::TamResult last = w.RunTamScript(steps).back();
    EXPECT_EQ(last.outcome, tam::Outcome::kUpdateSent);
    EXPECT_TRUE(FailsWith(Result<int>(*last.drop_reason), tam::Errc::kReportNonceMismatch));
    write("tam_process_fuzzer", "bad_report_nonce", steps);
  }
  {  // A QueryResponse from a key that was never enrolled: dropped.
    teep::QueryResponse r;
    r.token = first_token;
    teep::SigningKey other{OtherAgentP256Key(), teep::CipherSuite::Sign1(teep::kAlgESP256),
                           Bytes(32, 0x55)};
    std::vector<ScriptStep> steps = {
        {ScriptOp::kConnect, {}},
        {ScriptOp::kMessage, *teep::SignMessage(r, teep::RfcProfile(), other)}};
    World w;
    w.AddFixturePackages();
    EXPECT_TRUE(FailsWith(Result<int>(*w.RunTamScript(steps).back().drop_reason),
                          tam::Errc::kUnknownDevice));
    write("tam_process_fuzzer", "unknown_device", steps);
  }
  {  // Requested / unneeded TCs drive the TAM (RequestTA, then UnrequestTA).
    World w;
    w.AddFixturePackages();
    ASSERT_TRUE(w.agent->RequestTA(FixtureManifestId()).has_value());
    ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
    ASSERT_TRUE(w.agent->UnrequestTA(FixtureManifestId()).has_value());
    ASSERT_EQ(w.RunSession(), broker::SessionState::kSucceeded);
    EXPECT_EQ(w.tam_results.back().outcome, tam::Outcome::kSuccessRecorded);
    write("tam_process_fuzzer", "request_then_unrequest", w.tam_script);
    std::vector<ScriptStep> agent_steps = {{ScriptOp::kRequestTa, {}}};
    for (const ScriptStep& step : w.agent_script) agent_steps.push_back(step);
    write("agent_process_fuzzer", "request_then_unrequest", agent_steps);
    // The replay of a used QueryResponse is ignored.
    std::vector<ScriptStep> replay = w.tam_script;
    replay.push_back(w.tam_script[1]);
    World again;
    again.AddFixturePackages();
    EXPECT_TRUE(FailsWith(Result<int>(*again.RunTamScript(replay).back().drop_reason),
                          tam::Errc::kTokenReplayed));
    write("tam_process_fuzzer", "replayed_query_response", replay);
  }
  {  // Agent side: Sign1 QueryRequest, attestation bit without an attester, an Update that
     // only carries an err-code, a replayed Update, garbage.
    teep::QueryRequest q;
    q.token = Bytes(16, 0x01);
    q.supported_teep_cipher_suites = {teep::CipherSuite::Sign1(teep::kAlgESP256)};
    q.supported_suit_cose_profiles = {teep::SuitCoseProfile{{-16, -9, -29, -65534}}};
    q.data_item_requested.trusted_components = true;
    q.data_item_requested.suit_reports = true;
    const Bytes sign1_query = *teep::SignMessage(q, teep::RfcProfile(), tam_key);
    q.data_item_requested.attestation = true;
    q.challenge = Bytes(32, 0x02);
    const Bytes attested_query = *teep::SignMessage(q, teep::RfcProfile(), tam_key);
    teep::Update u;
    u.err_code = teep::ErrorCode::kAttestationRequired;
    u.err_msg = "attest first";
    const Bytes error_update = *teep::SignMessage(u, teep::RfcProfile(), tam_key);
    World w;
    auto results = w.RunAgentScript({{ScriptOp::kMessage, sign1_query},
                                     {ScriptOp::kMessage, attested_query},
                                     {ScriptOp::kMessage, error_update}});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].outcome, agent::AgentOutcome::kQueryResponseSent);
    EXPECT_TRUE(FailsWith(Result<int>(*results[1].error), agent::Errc::kAttestationUnavailable));
    EXPECT_EQ(results[2].outcome, agent::AgentOutcome::kNoReply);
    write("agent_process_fuzzer", "sign1_query", {{ScriptOp::kMessage, sign1_query}});
    write("agent_process_fuzzer", "attested_query", {{ScriptOp::kMessage, attested_query}});
    write("agent_process_fuzzer", "error_update", {{ScriptOp::kMessage, error_update}});

    World lifecycle;
    lifecycle.AddFixturePackages();
    lifecycle.Desire(ScriptOp::kDesireV1);
    ASSERT_EQ(lifecycle.RunSession(), broker::SessionState::kSucceeded);
    const Bytes update = lifecycle.agent_script.back().bytes;
    World twice;
    auto replayed =
        twice.RunAgentScript({{ScriptOp::kMessage, update}, {ScriptOp::kMessage, update}});
    EXPECT_EQ(replayed.back().outcome,
              agent::AgentOutcome::kSuccessSent);  // same sequence: idempotent
    write("agent_process_fuzzer", "update_twice",
          {{ScriptOp::kMessage, update}, {ScriptOp::kMessage, update}});
    write("agent_process_fuzzer", "garbage", {{ScriptOp::kMessage, {0xD2, 0x84, 0x40}}});
    write("tam_process_fuzzer", "garbage",
          {{ScriptOp::kConnect, {}}, {ScriptOp::kMessage, {0xA0}}});
  }
}

}  // namespace
}  // namespace teepnet::inprocess
