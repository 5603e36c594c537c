#include "teepnet/eat/ear_token.h"

#include <gtest/gtest.h>

#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1800000000;

Ear Sample(attest::Tier status = attest::Tier::kAffirming) {
  Ear e;
  e.iat = kNow - 10;
  e.verifier_developer = "https://teepnet.invalid";
  e.verifier_build = "teepnet 0.1";
  e.nonce = Bytes(16, 0x42);
  EarAppraisal a;
  a.status = status;
  a.trust.instance_identity = 2;
  e.submods["CCA"] = a;
  return e;
}

RelyingPartyPolicy Policy() {
  RelyingPartyPolicy p;
  p.now = kNow;
  p.nonce = Bytes(16, 0x42);
  return p;
}

class EarTokenTest : public ::testing::TestWithParam<crypto::KeyType> {};

TEST_P(EarTokenTest, JwtIssuedIsAccepted) {
  auto key = crypto::PrivateKey::Generate(GetParam());
  TEEPNET_ASSERT_OK(key);
  auto jwt = IssueEarJwt(Sample(), *key);
  TEEPNET_ASSERT_OK(jwt);
  auto ear = AcceptEarJwt(*jwt, key->public_key(), Policy());
  TEEPNET_ASSERT_OK(ear);
  EXPECT_EQ(ear->submods.at("CCA").status, attest::Tier::kAffirming);
}

TEST_P(EarTokenTest, CwtIssuedIsAccepted) {
  auto key = crypto::PrivateKey::Generate(GetParam());
  TEEPNET_ASSERT_OK(key);
  auto cwt = IssueEarCwt(Sample(), *key);
  TEEPNET_ASSERT_OK(cwt);
  TEEPNET_EXPECT_OK(AcceptEarCwt(*cwt, key->public_key(), Policy()));
}

INSTANTIATE_TEST_SUITE_P(Curves, EarTokenTest,
                         ::testing::Values(crypto::KeyType::kP256, crypto::KeyType::kP384,
                                           crypto::KeyType::kP521));

class EarTokenP256Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(k.ok());
    key_ = *k;
  }
  std::optional<crypto::PrivateKey> key_;
};

TEST_F(EarTokenP256Test, EveryBitFlipOfTheJwtSignatureFails) {
  auto jwt = IssueEarJwt(Sample(), *key_);
  TEEPNET_ASSERT_OK(jwt);
  const size_t sig_start = jwt->rfind('.') + 1;
  for (size_t i = sig_start; i < jwt->size(); ++i) {
    std::string m = *jwt;
    m[i] = m[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(VerifyEarJwt(m, key_->public_key()).ok()) << i;
  }
}

TEST_F(EarTokenP256Test, EveryBitFlipOfTheCwtFails) {
  auto cwt = IssueEarCwt(Sample(), *key_);
  TEEPNET_ASSERT_OK(cwt);
  for (size_t bit = 0; bit < cwt->size() * 8; ++bit) {
    Bytes m = *cwt;
    m[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(AcceptEarCwt(m, key_->public_key(), Policy()).ok()) << bit;
  }
}

TEST_F(EarTokenP256Test, OtherKeyFailsSignature) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(other);
  auto jwt = IssueEarJwt(Sample(), *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(VerifyEarJwt(*jwt, other->public_key()), Errc::kSignatureInvalid));
}

TEST_F(EarTokenP256Test, KeyOfAnotherCurveIsAnAlgMismatch) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP384);
  TEEPNET_ASSERT_OK(other);
  auto jwt = IssueEarJwt(Sample(), *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(VerifyEarJwt(*jwt, other->public_key()), Errc::kUnsupportedAlg));
}

TEST_F(EarTokenP256Test, StaleEarIsRefused) {
  Ear e = Sample();
  e.iat = kNow - 301;
  auto jwt = IssueEarJwt(e, *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptEarJwt(*jwt, key_->public_key(), Policy()), Errc::kStale));
}

TEST_F(EarTokenP256Test, FutureEarIsRefused) {
  Ear e = Sample();
  e.iat = kNow + 31;
  auto jwt = IssueEarJwt(e, *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptEarJwt(*jwt, key_->public_key(), Policy()), Errc::kStale));
}

TEST_F(EarTokenP256Test, WrongOrMissingNonceIsRefused) {
  Ear e = Sample();
  e.nonce = Bytes(16, 0x43);
  auto jwt = IssueEarJwt(e, *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptEarJwt(*jwt, key_->public_key(), Policy()), Errc::kNonceMismatch));
  e.nonce.reset();
  auto cwt = IssueEarCwt(e, *key_);
  TEEPNET_ASSERT_OK(cwt);
  EXPECT_TRUE(FailsWith(AcceptEarCwt(*cwt, key_->public_key(), Policy()), Errc::kNonceMismatch));
}

TEST_F(EarTokenP256Test, ContraindicatedOrWarningStatusIsRefused) {
  for (attest::Tier t :
       {attest::Tier::kContraindicated, attest::Tier::kWarning, attest::Tier::kNone}) {
    auto cwt = IssueEarCwt(Sample(t), *key_);
    TEEPNET_ASSERT_OK(cwt);
    EXPECT_TRUE(FailsWith(AcceptEarCwt(*cwt, key_->public_key(), Policy()), Errc::kNotAffirming));
  }
  RelyingPartyPolicy lenient = Policy();
  lenient.worst_accepted = attest::Tier::kWarning;
  auto cwt = IssueEarCwt(Sample(attest::Tier::kWarning), *key_);
  TEEPNET_ASSERT_OK(cwt);
  TEEPNET_EXPECT_OK(AcceptEarCwt(*cwt, key_->public_key(), lenient));
}

TEST_F(EarTokenP256Test, UnknownProfileIsRefused) {
  Ear e = Sample();
  e.profile = "tag:example.com,2020:other";
  auto jwt = IssueEarJwt(e, *key_);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(FailsWith(AcceptEarJwt(*jwt, key_->public_key(), Policy()), Errc::kWrongProfile));
}

TEST_F(EarTokenP256Test, MalformedCompactJwsFails) {
  EXPECT_TRUE(FailsWith(VerifyEarJwt("a.b", key_->public_key()), Errc::kBadJws));
  EXPECT_TRUE(FailsWith(VerifyEarJwt("a.b.c.d", key_->public_key()), Errc::kBadJws));
  EXPECT_TRUE(FailsWith(VerifyEarJwt("e30.e30.AA", key_->public_key()), Errc::kBadJws));
}

}  // namespace
}  // namespace teepnet::eat
