#include "teepnet/channel/recipient.h"

#include <gtest/gtest.h>

#include "teepnet/channel/errc.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::channel {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1800000000;

Bytes EncodeKey(const crypto::PublicKey& key) {
  cbor::Writer w;
  cose::CoseKey::FromPublicKey(key).WriteTo(w, /*include_private=*/false);
  return std::move(w).Take();
}

class RecipientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    verifier_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    device_id_ = *RecipientKid(agent_->public_key());
  }
  eat::Ear MakeEar(std::vector<Bytes> keys, attest::Tier status = attest::Tier::kAffirming) {
    eat::Ear ear;
    ear.iat = kNow - 5;
    ear.verifier_developer = "teepnet";
    ear.verifier_build = "test";
    ear.nonce = Bytes(16, 0x33);
    eat::EarAppraisal a;
    a.status = status;
    a.trust.hardware = 2;
    a.attested_keys = std::move(keys);
    ear.submods["teep-agent"] = std::move(a);
    return ear;
  }
  eat::RelyingPartyPolicy Policy() {
    eat::RelyingPartyPolicy p;
    p.now = kNow;
    p.nonce = Bytes(16, 0x33);
    return p;
  }
  std::optional<crypto::PrivateKey> agent_, hpke_, verifier_;
  Bytes device_id_;
};

TEST_F(RecipientTest, AnAcceptedEarYieldsTheAttestedHpkeKeyAndSealingToItOpensInTheTee) {
  auto jwt = eat::IssueEarJwt(
      MakeEar({EncodeKey(agent_->public_key()), EncodeKey(hpke_->public_key())}), *verifier_);
  TEEPNET_ASSERT_OK(jwt);
  auto recipient = AcceptRecipient(*jwt, verifier_->public_key(), Policy(), {device_id_, {}});
  TEEPNET_ASSERT_OK(recipient);
  EXPECT_TRUE(recipient->key.Equals(hpke_->public_key()));
  EXPECT_EQ(recipient->submod, "teep-agent");

  Binding binding{"req-1", device_id_, "", "bundle"};
  auto sealed =
      Seal(recipient->key, AsBytes("bundle bytes"), binding, kNow, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  InMemoryReplayGuard guard;
  OpenPolicy at;
  at.now_unix = kNow;
  TEEPNET_EXPECT_OK(Open(*sealed, *hpke_, binding, at, guard));
}

TEST_F(RecipientTest, RefusesAnEarSignedByAnotherVerifier) {
  auto impostor = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto jwt = eat::IssueEarJwt(
      MakeEar({EncodeKey(agent_->public_key()), EncodeKey(hpke_->public_key())}), *impostor);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptRecipient(*jwt, verifier_->public_key(), Policy(), {device_id_, {}}),
                        Errc::kNotAttested));
}

TEST_F(RecipientTest, RefusesAContraindicatedEar) {
  auto jwt =
      eat::IssueEarJwt(MakeEar({EncodeKey(agent_->public_key()), EncodeKey(hpke_->public_key())},
                               attest::Tier::kContraindicated),
                       *verifier_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptRecipient(*jwt, verifier_->public_key(), Policy(), {device_id_, {}}),
                        Errc::kNotAttested));
}

TEST_F(RecipientTest, RefusesAnEarForAnotherDevice) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  eat::Ear ear = MakeEar({EncodeKey(other->public_key()), EncodeKey(hpke_->public_key())});
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, {device_id_, {}}), Errc::kDeviceMismatch));
}

TEST_F(RecipientTest, NeverPicksTheAgentSigningKeyAsRecipient) {
  eat::Ear ear = MakeEar({EncodeKey(agent_->public_key())});
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, {device_id_, {}}), Errc::kNoAttestedKey));
}

TEST_F(RecipientTest, NeedsTheRecipientNamedWhenSeveralKeysAreAttested) {
  auto ta = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  eat::Ear ear = MakeEar({EncodeKey(agent_->public_key()), EncodeKey(hpke_->public_key()),
                          EncodeKey(ta->public_key())});
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, {device_id_, {}}), Errc::kInstanceMismatch));
  Bytes ta_kid = *RecipientKid(ta->public_key());
  auto chosen = SelectRecipient(ear, {device_id_, ta_kid});
  TEEPNET_ASSERT_OK(chosen);
  EXPECT_TRUE(chosen->key.Equals(ta->public_key()));
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, {device_id_, Bytes(32, 0)}), Errc::kInstanceMismatch));
}

// Cases 2 and 3: the EAR as the TAM's appraiser writes it (keys as SubjectPublicKeyInfo DER)
// with a TA instance in the device's submodule.
class InstanceRecipientTest : public RecipientTest {
 protected:
  void SetUp() override {
    RecipientTest::SetUp();
    ta_hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    ta_proof_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  }
  eat::EarInstance Instance() {
    return eat::EarInstance{"tc-8141", Bytes(32, 0x5a), ta_hpke_->public_key().ToSpkiDer(),
                            ta_proof_->public_key().ToSpkiDer()};
  }
  eat::Ear SpkiEar() {
    eat::Ear ear = MakeEar({agent_->public_key().ToSpkiDer(), hpke_->public_key().ToSpkiDer()});
    ear.submods["teep-agent"].instances.push_back(Instance());
    return ear;
  }
  Expectations ForInstance(std::string name) {
    Expectations e;
    e.device_id = device_id_;
    e.instance = std::move(name);
    return e;
  }
  std::optional<crypto::PrivateKey> ta_hpke_, ta_proof_;
};

TEST_F(InstanceRecipientTest, SelectsTheInstanceHpkeKeyWithItsProofKeyAndMeasurement) {
  auto chosen = SelectRecipient(SpkiEar(), ForInstance("tc-8141"));
  TEEPNET_ASSERT_OK(chosen);
  EXPECT_TRUE(chosen->key.Equals(ta_hpke_->public_key()));
  EXPECT_EQ(chosen->kid, *RecipientKid(ta_hpke_->public_key()));
  ASSERT_TRUE(chosen->receipt_key.has_value());
  EXPECT_TRUE(chosen->receipt_key->Equals(ta_proof_->public_key()));
  EXPECT_EQ(chosen->measurement, Bytes(32, 0x5a));
  EXPECT_EQ(chosen->submod, "teep-agent");
  EXPECT_EQ(chosen->status, attest::Tier::kAffirming);
}

TEST_F(InstanceRecipientTest, TheAgentAsRecipientSignsReceiptsWithItsAttestedTeepKey) {
  auto chosen = SelectRecipient(SpkiEar(), {device_id_, {}});
  TEEPNET_ASSERT_OK(chosen);
  EXPECT_TRUE(chosen->key.Equals(hpke_->public_key()));
  ASSERT_TRUE(chosen->receipt_key.has_value());
  EXPECT_TRUE(chosen->receipt_key->Equals(agent_->public_key()));
  EXPECT_TRUE(chosen->measurement.empty());
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceTheEarDoesNotList) {
  EXPECT_TRUE(
      FailsWith(SelectRecipient(SpkiEar(), ForInstance("tc-8142")), Errc::kInstanceMismatch));
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceListedOnlyInASubmoduleWithoutTheDevice) {
  eat::Ear ear = SpkiEar();
  ear.submods["teep-agent"].instances.clear();
  eat::EarAppraisal elsewhere;
  elsewhere.status = attest::Tier::kAffirming;
  elsewhere.instances.push_back(Instance());
  ear.submods["another"] = elsewhere;
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, ForInstance("tc-8141")), Errc::kInstanceMismatch));
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceForAnotherDevice) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  Expectations expect = ForInstance("tc-8141");
  expect.device_id = *RecipientKid(other->public_key());
  EXPECT_TRUE(FailsWith(SelectRecipient(SpkiEar(), expect), Errc::kDeviceMismatch));
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceWhoseHpkeKeyIsNotX25519) {
  eat::Ear ear = SpkiEar();
  ear.submods["teep-agent"].instances[0].hpke_key = ta_proof_->public_key().ToSpkiDer();
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, ForInstance("tc-8141")), Errc::kNoAttestedKey));
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceWhoseProofKeyIsNotEd25519) {
  eat::Ear ear = SpkiEar();
  ear.submods["teep-agent"].instances[0].proof_key = Bytes{0x30, 0x00};
  EXPECT_TRUE(FailsWith(SelectRecipient(ear, ForInstance("tc-8141")), Errc::kNoAttestedKey));
}

TEST_F(InstanceRecipientTest, RefusesAnInstanceAndARecipientKidTogether) {
  Expectations expect = ForInstance("tc-8141");
  expect.recipient_kid = *RecipientKid(ta_hpke_->public_key());
  auto chosen = SelectRecipient(SpkiEar(), expect);
  ASSERT_FALSE(chosen.ok());
  EXPECT_EQ(chosen.error().code(), Code::kInvalidArgument);
}

TEST_F(InstanceRecipientTest, AnAcceptedEarSealsToTheInstanceAndOnlyItsKeyOpens) {
  auto jwt = eat::IssueEarJwt(SpkiEar(), *verifier_);
  TEEPNET_ASSERT_OK(jwt);
  auto recipient = AcceptRecipient(*jwt, verifier_->public_key(), Policy(), ForInstance("tc-8141"));
  TEEPNET_ASSERT_OK(recipient);
  Binding binding{"req-2", device_id_, "tc-8141", "pd"};
  auto sealed = Seal(recipient->key, AsBytes("PD"), binding, kNow, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  OpenPolicy at;
  at.now_unix = kNow;
  InMemoryReplayGuard guard;
  EXPECT_TRUE(FailsWith(Open(*sealed, *hpke_, binding, at, guard), Errc::kWrongRecipient));
  TEEPNET_EXPECT_OK(Open(*sealed, *ta_hpke_, binding, at, guard));
}

}  // namespace
}  // namespace teepnet::channel
