#include "teepnet/evidence/teep_evidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/verifier.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/recipient.h"
#include "teepnet/channel/replay_guard.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/eat/errc.h"
#include "teepnet/evidence/agent_evidence.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/evidence/tam_appraiser.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::evidence {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1795000000;

// A platform that signs fixed report data whatever it is asked for: what an attacker who
// reuses evidence produced for other claims achieves.
class FixedReportDataPlatform final : public attest::Platform {
 public:
  FixedReportDataPlatform(attest::Platform& inner, Bytes report_data)
      : inner_(inner), report_data_(std::move(report_data)) {}
  attest::Architecture architecture() const override { return inner_.architecture(); }
  attest::EvidenceFormat format() const override { return inner_.format(); }
  Result<Bytes> GetEvidence(ByteView) override { return inner_.GetEvidence(report_data_); }
  std::string measurement_hex() const override { return inner_.measurement_hex(); }

 private:
  attest::Platform& inner_;
  Bytes report_data_;
};

// One simulated TrustZone device: its platform, Agent key, HPKE key, TA instance keyring and
// evidence provider.
struct Device {
  attest::SimPsaPlatform platform;
  crypto::PrivateKey agent_key;
  crypto::PrivateKey hpke_key;
  agent::InMemoryTcStore store;
  InMemoryInstanceKeyring instances;
  std::unique_ptr<PlatformEvidenceProvider> provider;

  static std::unique_ptr<Device> Make(bool debug = false) {
    auto platform = attest::SimPsaPlatform::Create();
    auto agent_key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    auto hpke_key = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    if (!platform.ok() || !agent_key.ok() || !hpke_key.ok()) return nullptr;
    auto d = std::unique_ptr<Device>(
        new Device{*std::move(platform), *agent_key, *hpke_key, {}, {}, {}});
    if (debug) d->platform.set_lifecycle(0x4000);
    d->provider = std::make_unique<PlatformEvidenceProvider>(
        d->platform, d->store, d->agent_key, std::vector<crypto::PublicKey>{hpke_key->public_key()},
        AgentIdentity{Bytes(16, 0x7e), ToBytes(std::string_view("sim-trustzone")), "1.0"},
        &d->instances);
    return d;
  }

  // Installs a TC the way the SUIT processor commits one: the component's bytes and the
  // record of its (signed) manifest. Returns the envelope.
  Bytes Install(const suit::ComponentId& id, ByteView image) {
    auto signer = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    suit::testing::ManifestSpec spec;
    spec.components = {id};
    Bytes envelope = suit::testing::SignEnvelope(suit::testing::EncodeManifest(spec), *signer);
    // SUIT_Digest [-16 (SHA-256), bstr]: the manifests claim carries it as encoded.
    Bytes digest{0x82, 0x2f, 0x58, 0x20};
    Bytes sha = crypto::Sha256(envelope);
    digest.insert(digest.end(), sha.begin(), sha.end());
    suit::StoreTransaction txn;
    txn.writes[id] = ToBytes(image);
    txn.installed_manifests.push_back(suit::ManifestRecord{id, 1, envelope, digest});
    EXPECT_TRUE(store.Commit(txn).ok());
    return envelope;
  }

  Result<agent::Evidence> Collect(ByteView challenge) {
    crypto::PublicKey pub = agent_key.public_key();
    agent::EvidenceRequest request;
    request.challenge = challenge;
    request.agent_key = &pub;
    return provider->Collect(request);
  }
};

class TeepEvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = Device::Make();
    b_ = Device::Make();
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
    attest::PsaEndorsements endorsements = a_->platform.Endorsements();
    const attest::PsaEndorsements b_endorsements = b_->platform.Endorsements();
    for (const auto& anchor : b_endorsements.trust_anchors()) endorsements.AddTrustAnchor(anchor);
    for (const auto& ref : b_endorsements.sw_references()) endorsements.AddSwReference(ref);
    attest::VerifierConfig config;
    config.psa = std::move(endorsements);
    auto verifier = attest::Verifier::Create(std::move(config));
    ASSERT_TRUE(verifier.ok());
    verifiers_ = std::make_unique<FixedVerifier>(
        std::make_shared<const attest::Verifier>(*std::move(verifier)));
    auto ear_key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(ear_key.ok());
    ear_public_ = std::make_unique<crypto::PublicKey>(ear_key->public_key());
    appraiser_ = std::make_unique<TeepEvidenceAppraiser>(*verifiers_, *ear_key, clock_);
  }

  Result<tam::Appraisal> Appraise(ByteView payload, const Device& sender, ByteView challenge) {
    crypto::PublicKey pub = sender.agent_key.public_key();
    tam::AttestationInput input;
    input.payload = payload;
    input.format = kTeepEvidenceMediaType;
    input.challenge = challenge;
    input.agent_key = &pub;
    return appraiser_->Appraise(input);
  }

  eat::Ear VerifiedEar(const tam::Appraisal& a) {
    auto ear = eat::VerifyEarJwt(AsChars(a.attestation_result), *ear_public_);
    EXPECT_TRUE(ear.ok());
    return ear.ok() ? *ear : eat::Ear{};
  }

  FakeClock clock_{kNow};
  std::unique_ptr<Device> a_, b_;
  std::unique_ptr<FixedVerifier> verifiers_;
  std::unique_ptr<crypto::PublicKey> ear_public_;
  std::unique_ptr<TeepEvidenceAppraiser> appraiser_;
  const Bytes challenge_ = Bytes(32, 0xc4);
};

TEST_F(TeepEvidenceTest, GenuineEvidenceIsAffirmedAndTheEarNamesTheAgentAndHpkeKeys) {
  auto evidence = a_->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  EXPECT_EQ(evidence->format, std::string(kTeepEvidenceMediaType));
  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_TRUE(appraisal->affirming) << appraisal->reason;
  eat::Ear ear = VerifiedEar(*appraisal);
  ASSERT_EQ(ear.submods.count("trustzone"), 1u);
  const eat::EarAppraisal& sub = ear.submods.at("trustzone");
  EXPECT_EQ(sub.status, attest::Tier::kAffirming);
  EXPECT_EQ(ear.nonce, challenge_);
  const auto& keys = sub.attested_keys;
  EXPECT_NE(std::find(keys.begin(), keys.end(), a_->hpke_key.public_key().ToSpkiDer()), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), a_->agent_key.public_key().ToSpkiDer()),
            keys.end());
}

TEST_F(TeepEvidenceTest, EvidenceForAnotherChallengeIsContraindicated) {
  auto evidence = a_->Collect(Bytes(32, 0x11));
  TEEPNET_ASSERT_OK(evidence);
  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
  EXPECT_EQ(VerifiedEar(*appraisal).submods.at("trustzone").status, attest::Tier::kContraindicated);
}

TEST_F(TeepEvidenceTest, PlatformEvidenceOverOtherKeysIsContraindicated) {
  // The platform signed a binding for another HPKE key than the one the EAT names.
  auto claims = a_->provider->ClaimsFor(challenge_);
  TEEPNET_ASSERT_OK(claims);
  BoundClaims other = *claims;
  auto substitute = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  TEEPNET_ASSERT_OK(substitute);
  other.hpke_keys = {cose::CoseKey::FromPublicKey(substitute->public_key()).Encode(false)};
  FixedReportDataPlatform lying(a_->platform, BindingOf(other));
  auto eat = BuildTeepEvidence(*claims, lying, a_->agent_key);
  TEEPNET_ASSERT_OK(eat);
  auto appraisal = Appraise(*eat, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
  EXPECT_EQ(VerifiedEar(*appraisal).submods.at("trustzone").status, attest::Tier::kContraindicated);
}

TEST_F(TeepEvidenceTest, EvidenceSwappedInFromAnotherDeviceIsContraindicated) {
  // Device B's genuine platform evidence (bound to B's claims) inside A's signed EAT.
  auto b_claims = b_->provider->ClaimsFor(challenge_);
  TEEPNET_ASSERT_OK(b_claims);
  auto a_claims = a_->provider->ClaimsFor(challenge_);
  TEEPNET_ASSERT_OK(a_claims);
  FixedReportDataPlatform b_evidence(b_->platform, BindingOf(*b_claims));
  auto eat = BuildTeepEvidence(*a_claims, b_evidence, a_->agent_key);
  TEEPNET_ASSERT_OK(eat);
  auto appraisal = Appraise(*eat, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
}

TEST_F(TeepEvidenceTest, EatSignedByAnotherAgentIsRefused) {
  auto evidence = b_->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  // The TEEP message came from A, the EAT from B.
  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
  EXPECT_TRUE(appraisal->attestation_result.empty());
  EXPECT_TRUE(FailsWith(VerifyTeepEvidence(evidence->payload, a_->agent_key.public_key()),
                        eat::Errc::kSignatureInvalid));
}

TEST_F(TeepEvidenceTest, UnlabelledPayloadIsNotTakenForEvidence) {
  auto evidence = a_->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  crypto::PublicKey pub = a_->agent_key.public_key();
  tam::AttestationInput input;
  input.payload = evidence->payload;
  input.challenge = ByteView(challenge_);
  input.agent_key = &pub;
  auto appraisal = appraiser_->Appraise(input);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
}

TEST_F(TeepEvidenceTest, DebugPlatformIsContraindicated) {
  auto debug = Device::Make(/*debug=*/true);
  ASSERT_NE(debug, nullptr);
  attest::VerifierConfig config;
  config.psa = debug->platform.Endorsements();
  auto verifier = attest::Verifier::Create(std::move(config));
  TEEPNET_ASSERT_OK(verifier);
  FixedVerifier source(std::make_shared<const attest::Verifier>(*std::move(verifier)));
  auto ear_key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(ear_key);
  TeepEvidenceAppraiser appraiser(source, *ear_key, clock_);
  auto evidence = debug->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  crypto::PublicKey pub = debug->agent_key.public_key();
  tam::AttestationInput input;
  input.payload = evidence->payload;
  input.format = kTeepEvidenceMediaType;
  input.challenge = ByteView(challenge_);
  input.agent_key = &pub;
  auto appraisal = appraiser.Appraise(input);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming) << appraisal->reason;
}

// USE-CASES "Device capacity": the Agent's capacity claim travels in its signed, bound
// evidence, and the EAR of accepted evidence carries it to the M/OC.
TEST_F(TeepEvidenceTest, TheCapacityClaimIsBoundAndReachesTheEarOfAcceptedEvidence) {
  a_->provider->SetCapacity(CapacityClaim{{"process", "container"}, 12});
  auto evidence = a_->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  auto verified = VerifyTeepEvidence(evidence->payload, a_->agent_key.public_key());
  TEEPNET_ASSERT_OK(verified);
  ASSERT_TRUE(verified->capacity.has_value());
  EXPECT_EQ(*verified->capacity, (CapacityClaim{{"process", "container"}, 12}));
  auto claims = a_->provider->ClaimsFor(challenge_);
  TEEPNET_ASSERT_OK(claims);
  EXPECT_EQ(verified->binding, BindingOf(*claims));
  claims->capacity->slots = 13;  // another slot count is another binding
  EXPECT_NE(verified->binding, BindingOf(*claims));

  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  ASSERT_TRUE(appraisal->affirming) << appraisal->reason;
  const eat::Ear ear = VerifiedEar(*appraisal);
  ASSERT_EQ(ear.submods.count("trustzone"), 1u);
  ASSERT_TRUE(ear.submods.at("trustzone").capacity.has_value());
  EXPECT_EQ(*ear.submods.at("trustzone").capacity,
            (eat::EarCapacity{{"process", "container"}, 12}));
}

TEST_F(TeepEvidenceTest, EvidenceWithoutACapacityClaimAndRefusedEvidenceCarryNoCapacity) {
  auto plain = a_->Collect(challenge_);
  TEEPNET_ASSERT_OK(plain);
  auto appraisal = Appraise(plain->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(VerifiedEar(*appraisal).submods.at("trustzone").capacity.has_value());
  // Evidence for another challenge is contraindicated: its claim is not passed on.
  a_->provider->SetCapacity(CapacityClaim{{"process"}, 2});
  auto stale = a_->Collect(Bytes(32, 0x01));
  TEEPNET_ASSERT_OK(stale);
  auto refused = Appraise(stale->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(refused);
  EXPECT_FALSE(refused->affirming);
  EXPECT_FALSE(VerifiedEar(*refused).submods.at("trustzone").capacity.has_value());
}

TEST(TeepEvidenceCapacity, AcceptsOnlyKnownDistinctInstanceTypesAndABoundedSlotCount) {
  TEEPNET_EXPECT_OK(CheckCapacityClaim({{"process", "container", "vm"}, 1}));
  TEEPNET_EXPECT_OK(CheckCapacityClaim({{"vm"}, kMaxCapacitySlots}));
  EXPECT_TRUE(FailsWith(CheckCapacityClaim({{}, 1}), eat::Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(CheckCapacityClaim({{"gpu"}, 1}), eat::Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(CheckCapacityClaim({{"vm", "vm"}, 1}), eat::Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(CheckCapacityClaim({{"vm"}, 0}), eat::Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(CheckCapacityClaim({{"vm"}, kMaxCapacitySlots + 1}), eat::Errc::kBadClaim));
}

// The claims map of ClaimsMap(true, true) with a teepnet_capacity entry written by `write`.
Bytes ClaimsWithCapacity(const std::function<void(cbor::Writer&)>& write) {
  cbor::Writer w;
  w.WriteMapHeader(4);
  w.WriteUint(eat::eat_claim::kCnf);
  w.WriteMapHeader(1);
  w.WriteUint(3);
  w.WriteBytes(Bytes(32, 0x0b));
  w.WriteUint(eat::eat_claim::kNonce);
  w.WriteBytes(Bytes(16, 0x0c));
  // Deterministic order: -70001 (0x3a00011170) before -70004 (0x3a00011173).
  w.WriteInt(kClaimPlatformEvidence);
  w.WriteArrayHeader(2);
  w.WriteText("psa");
  w.WriteBytes(Bytes{0xd2});
  w.WriteInt(kClaimCapacity);
  write(w);
  return std::move(w).Take();
}

TEST(TeepEvidencePayload, DecodesTheCapacityClaimAndRefusesMalformedOnes) {
  auto good = DecodeTeepEvidencePayload(ClaimsWithCapacity([](cbor::Writer& w) {
    w.WriteMapHeader(2);
    w.WriteUint(1);
    w.WriteArrayHeader(1);
    w.WriteText("vm");
    w.WriteUint(2);
    w.WriteUint(7);
  }));
  TEEPNET_ASSERT_OK(good);
  ASSERT_TRUE(good->capacity.has_value());
  EXPECT_EQ(*good->capacity, (CapacityClaim{{"vm"}, 7}));
  const std::vector<std::function<void(cbor::Writer&)>> bad = {
      [](cbor::Writer& w) { w.WriteUint(3); },  // not a map
      [](cbor::Writer& w) {                     // slots missing
        w.WriteMapHeader(1);
        w.WriteUint(1);
        w.WriteArrayHeader(1);
        w.WriteText("vm");
      },
      [](cbor::Writer& w) {  // an instance type that is not text
        w.WriteMapHeader(2);
        w.WriteUint(1);
        w.WriteArrayHeader(1);
        w.WriteUint(0);
        w.WriteUint(2);
        w.WriteUint(1);
      },
      [](cbor::Writer& w) {  // a negative slot count
        w.WriteMapHeader(2);
        w.WriteUint(1);
        w.WriteArrayHeader(1);
        w.WriteText("vm");
        w.WriteUint(2);
        w.WriteInt(-1);
      },
      [](cbor::Writer& w) {  // an unknown instance type
        w.WriteMapHeader(2);
        w.WriteUint(1);
        w.WriteArrayHeader(1);
        w.WriteText("gpu");
        w.WriteUint(2);
        w.WriteUint(1);
      },
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(
        FailsWith(DecodeTeepEvidencePayload(ClaimsWithCapacity(bad[i])), eat::Errc::kBadClaim));
  }
}

TEST(TeepEvidenceBinding, BindingFillsTheReportDataFieldAndCoversTheHpkeKeys) {
  BoundClaims c;
  c.nonce = Bytes(16, 1);
  c.cnf_kid = Bytes(32, 2);
  Bytes first = BindingOf(c);
  EXPECT_EQ(first.size(), kReportDataSize);
  c.hpke_keys.push_back(Bytes{0xa0});
  EXPECT_NE(BindingOf(c), first);
}

// A claims map with cnf, eat_nonce and (unless left out) the platform evidence, keys in the
// order given.
Bytes ClaimsMap(bool sorted, bool with_evidence) {
  cbor::Writer w;
  w.WriteMapHeader(with_evidence ? 3 : 2);
  auto cnf = [&] {
    w.WriteUint(eat::eat_claim::kCnf);
    w.WriteMapHeader(1);
    w.WriteUint(3);
    w.WriteBytes(Bytes(32, 0x0b));
  };
  auto nonce = [&] {
    w.WriteUint(eat::eat_claim::kNonce);
    w.WriteBytes(Bytes(16, 0x0c));
  };
  if (sorted) {
    cnf();
    nonce();
  } else {
    nonce();
    cnf();
  }
  if (with_evidence) {
    w.WriteInt(kClaimPlatformEvidence);
    w.WriteArrayHeader(2);
    w.WriteText("psa");
    w.WriteBytes(Bytes{0xd2});
  }
  return std::move(w).Take();
}

TEST(TeepEvidencePayload, RefusesClaimsThatAreNotDeterministicallyEncoded) {
  TEEPNET_EXPECT_OK(DecodeTeepEvidencePayload(ClaimsMap(true, true)));
  // The binding hashes the received bytes, which only match the Agent's hash input when the
  // encoding is the deterministic one.
  EXPECT_TRUE(FailsWith(DecodeTeepEvidencePayload(ClaimsMap(false, true)), eat::Errc::kBadClaim));
}

TEST(TeepEvidencePayload, RefusesClaimsWithoutPlatformEvidence) {
  EXPECT_TRUE(
      FailsWith(DecodeTeepEvidencePayload(ClaimsMap(true, false)), eat::Errc::kMissingClaim));
}

TEST(TeepEvidencePayload, BindingLeavesOutOnlyThePlatformEvidence) {
  auto decoded = DecodeTeepEvidencePayload(ClaimsMap(true, true));
  TEEPNET_ASSERT_OK(decoded);
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(eat::eat_claim::kCnf);
  w.WriteMapHeader(1);
  w.WriteUint(3);
  w.WriteBytes(Bytes(32, 0x0b));
  w.WriteUint(eat::eat_claim::kNonce);
  w.WriteBytes(Bytes(16, 0x0c));
  EXPECT_EQ(decoded->binding, crypto::Digest(crypto::HashAlgorithm::kSha512, w.bytes()));
}

TEST(TeepEvidencePayload, FuzzSeedsAreAcceptedPayloads) {
  // The committed seeds must reach the accepting path, or the fuzzer starts from nothing.
  const char* source = std::getenv("TEEPNET_SOURCE_DIR");
  if (source == nullptr) source = TEEPNET_EVIDENCE_SOURCE_DIR;
  for (const char* seed : {"minimal.cbor", "with_keys_and_manifests.cbor", "with_instances.cbor",
                           "with_capacity.cbor"}) {
    auto bytes = ReadFile(std::string(source) + "/fuzz/corpus/teep_evidence_fuzzer/" + seed);
    TEEPNET_ASSERT_OK(bytes);
    auto decoded = DecodeTeepEvidencePayload(*bytes);
    TEEPNET_EXPECT_OK(decoded) << seed;
  }
}

// Issue 5, cases 2 and 3, in one process: an Agent with an installed TC lists the TC's instance
// in its evidence, the TAM's EAR names it, a Network User seals a PD to it, only the instance's
// key opens it, and the instance's receipt verifies with the key the EAR names.
TEST_F(TeepEvidenceTest, AnInstalledTcBecomesAnAttestedInstanceThatOpensThePdAndSignsTheReceipt) {
  const suit::ComponentId id = suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello-ta"});
  const Bytes image = ToBytes(std::string_view("the hello TA executable"));
  const Bytes envelope = a_->Install(id, image);
  const std::string name = InstanceNameOf(id);
  auto named = InstanceNameOfEnvelope(envelope);
  TEEPNET_ASSERT_OK(named);
  EXPECT_EQ(*named, name);  // what the M/OC computes from the uploaded package

  auto evidence = a_->Collect(challenge_);
  TEEPNET_ASSERT_OK(evidence);
  auto verified = VerifyTeepEvidence(evidence->payload, a_->agent_key.public_key());
  TEEPNET_ASSERT_OK(verified);
  ASSERT_EQ(verified->instances.size(), 1u);
  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  ASSERT_TRUE(appraisal->affirming) << appraisal->reason;
  eat::Ear ear = VerifiedEar(*appraisal);
  const eat::EarAppraisal& sub = ear.submods.at("trustzone");
  ASSERT_EQ(sub.instances.size(), 1u);
  EXPECT_EQ(sub.instances[0].name, name);
  EXPECT_EQ(sub.instances[0].measurement, crypto::Sha256(image));

  // The Network User's side: accept the EAR, pick the instance, seal the PD.
  eat::RelyingPartyPolicy policy;
  policy.now = kNow;
  policy.nonce = challenge_;
  channel::Expectations expect;
  expect.device_id = *KeyThumbprint(a_->agent_key.public_key());
  expect.instance = name;
  auto recipient = channel::AcceptRecipient(AsChars(appraisal->attestation_result), *ear_public_,
                                            policy, expect);
  TEEPNET_ASSERT_OK(recipient);
  ASSERT_TRUE(recipient->receipt_key.has_value());
  EXPECT_EQ(recipient->measurement, crypto::Sha256(image));
  const Bytes pd = ToBytes(std::string_view("the user's personalization data"));
  channel::Binding binding{"req-7", expect.device_id, name, "pd"};
  auto sealed = channel::Seal(recipient->key, pd, binding, kNow, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);

  // The TEE's side: the Agent's own HPKE key does not open it, the instance's key does.
  const InstanceIdentity* identity = a_->instances.Find(name);
  ASSERT_NE(identity, nullptr);
  channel::OpenPolicy at;
  at.now_unix = kNow;
  channel::InMemoryReplayGuard guard;
  EXPECT_FALSE(channel::Open(*sealed, a_->hpke_key, binding, at, guard).ok());
  auto opened = channel::Open(*sealed, identity->hpke, binding, at, guard);
  TEEPNET_ASSERT_OK(opened);
  EXPECT_EQ(ToBytes(opened->content.view()), pd);

  // The instance's receipt, checked with the key and measurement the EAR named.
  channel::Receipt receipt{"req-7", name, crypto::Sha256(opened->content.view()),
                           identity->measurement, std::nullopt};
  auto signed_receipt = channel::SignReceipt(receipt, identity->proof);
  TEEPNET_ASSERT_OK(signed_receipt);
  auto checked = channel::VerifyReceipt(*signed_receipt, *recipient->receipt_key);
  TEEPNET_ASSERT_OK(checked);
  EXPECT_EQ(checked->pd_digest, crypto::Sha256(pd));
  EXPECT_EQ(checked->measurement, recipient->measurement);
  // A receipt signed by the Agent's key is not the instance's.
  auto forged = channel::SignReceipt(receipt, a_->agent_key);
  TEEPNET_ASSERT_OK(forged);
  EXPECT_FALSE(channel::VerifyReceipt(*forged, *recipient->receipt_key).ok());
}

TEST_F(TeepEvidenceTest, TheSameTcKeepsItsInstanceKeysAcrossEvidence) {
  const suit::ComponentId id = suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello-ta"});
  a_->Install(id, AsBytes("v1"));
  auto first = VerifyTeepEvidence(a_->Collect(challenge_)->payload, a_->agent_key.public_key());
  auto second =
      VerifyTeepEvidence(a_->Collect(Bytes(32, 0x01))->payload, a_->agent_key.public_key());
  TEEPNET_ASSERT_OK(first);
  TEEPNET_ASSERT_OK(second);
  ASSERT_EQ(first->instances.size(), 1u);
  ASSERT_EQ(second->instances.size(), 1u);
  EXPECT_TRUE(first->instances[0].hpke.Equals(second->instances[0].hpke));
  EXPECT_TRUE(first->instances[0].proof.Equals(second->instances[0].proof));
}

TEST_F(TeepEvidenceTest, ANewVersionOfTheTcIsMeasuredAgainAndGetsNewInstanceKeys) {
  const suit::ComponentId id = suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello-ta"});
  a_->Install(id, AsBytes("v1"));
  auto first = VerifyTeepEvidence(a_->Collect(challenge_)->payload, a_->agent_key.public_key());
  a_->Install(id, AsBytes("v2"));  // another manifest (digest) for the same component
  auto second =
      VerifyTeepEvidence(a_->Collect(Bytes(32, 0x01))->payload, a_->agent_key.public_key());
  TEEPNET_ASSERT_OK(first);
  TEEPNET_ASSERT_OK(second);
  ASSERT_EQ(first->instances.size(), 1u);
  ASSERT_EQ(second->instances.size(), 1u);
  EXPECT_EQ(first->instances[0].measurement, evidence::MeasureImage(AsBytes("v1")));
  EXPECT_EQ(second->instances[0].measurement, evidence::MeasureImage(AsBytes("v2")));
  EXPECT_FALSE(first->instances[0].hpke.Equals(second->instances[0].hpke));
}

TEST_F(TeepEvidenceTest, RefusedEvidenceNamesNoInstances) {
  a_->Install(suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello-ta"}), AsBytes("v1"));
  auto evidence = a_->Collect(Bytes(32, 0x11));  // not the TAM's challenge
  TEEPNET_ASSERT_OK(evidence);
  auto appraisal = Appraise(evidence->payload, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
  EXPECT_TRUE(VerifiedEar(*appraisal).submods.at("trustzone").instances.empty());
}

TEST_F(TeepEvidenceTest, PlatformEvidenceOverOtherInstanceKeysIsContraindicated) {
  a_->Install(suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello-ta"}), AsBytes("v1"));
  auto claims = a_->provider->ClaimsFor(challenge_);
  TEEPNET_ASSERT_OK(claims);
  ASSERT_EQ(claims->instances.size(), 1u);
  // The platform bound other instance keys than the ones the EAT lists.
  BoundClaims other = *claims;
  auto substitute = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  TEEPNET_ASSERT_OK(substitute);
  other.instances[0].hpke_key =
      cose::CoseKey::FromPublicKey(substitute->public_key()).Encode(false);
  FixedReportDataPlatform lying(a_->platform, BindingOf(other));
  auto eat = BuildTeepEvidence(*claims, lying, a_->agent_key);
  TEEPNET_ASSERT_OK(eat);
  auto appraisal = Appraise(*eat, *a_, challenge_);
  TEEPNET_ASSERT_OK(appraisal);
  EXPECT_FALSE(appraisal->affirming);
  EXPECT_TRUE(VerifiedEar(*appraisal).submods.at("trustzone").instances.empty());
}

}  // namespace
}  // namespace teepnet::evidence
