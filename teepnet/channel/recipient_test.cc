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

}  // namespace
}  // namespace teepnet::channel
