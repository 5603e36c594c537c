#include "teepnet/eat/ear.h"

#include <gtest/gtest.h>

#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

Ear Sample() {
  Ear e;
  e.iat = 1700000000;
  e.verifier_developer = "https://teepnet.invalid";
  e.verifier_build = "teepnet 0.1";
  e.nonce = Bytes(16, 0x42);
  EarAppraisal a;
  a.status = attest::Tier::kAffirming;
  a.trust.instance_identity = 2;
  a.trust.executables = 33;
  a.policy_ids = {"p1"};
  a.evidence_digest = Bytes(32, 0xee);
  a.attested_keys = {Bytes{0x30, 0x01}};
  TeepEatClaims t;
  t.ueid = Bytes(33, 1);
  a.teep = t;
  e.submods["PSA"] = a;
  return e;
}

void ExpectSame(const Ear& a, const Ear& b) {
  EXPECT_EQ(a.profile, b.profile);
  EXPECT_EQ(a.iat, b.iat);
  EXPECT_EQ(a.nonce, b.nonce);
  EXPECT_EQ(a.verifier_build, b.verifier_build);
  ASSERT_EQ(b.submods.count("PSA"), 1u);
  const EarAppraisal& x = a.submods.at("PSA");
  const EarAppraisal& y = b.submods.at("PSA");
  EXPECT_EQ(x.status, y.status);
  EXPECT_EQ(x.trust.executables, y.trust.executables);
  EXPECT_EQ(x.trust.configuration, y.trust.configuration);
  EXPECT_EQ(x.policy_ids, y.policy_ids);
  EXPECT_EQ(x.evidence_digest, y.evidence_digest);
  EXPECT_EQ(x.attested_keys, y.attested_keys);
  ASSERT_TRUE(y.teep.has_value());
  EXPECT_EQ(x.teep->ueid, y.teep->ueid);
}

TEST(EarTest, CborRoundTrips) {
  auto back = EarFromCbor(EarToCbor(Sample()));
  TEEPNET_ASSERT_OK(back);
  ExpectSame(Sample(), *back);
}

TEST(EarTest, JsonRoundTrips) {
  auto back = EarFromJson(EarToJson(Sample()));
  TEEPNET_ASSERT_OK(back);
  ExpectSame(Sample(), *back);
}

TEST(EarTest, StatusOutsideTheTiersFails) {
  cbor::Value v = EarToCbor(Sample());
  for (auto& [k, sub] : v.mutable_map()) {
    if (k == cbor::Value::Int(266)) {
      sub.mutable_map()[0].second.mutable_map()[0].second = cbor::Value::Int(5);
    }
  }
  EXPECT_TRUE(FailsWith(EarFromCbor(v), Errc::kBadClaim));
}

TEST(EarTest, MissingSubmodsFails) {
  nlohmann::json j = EarToJson(Sample());
  j.erase("submods");
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kMissingClaim));
}

TEST(EarTest, UnknownTrustClaimFails) {
  nlohmann::json j = EarToJson(Sample());
  j["submods"]["PSA"]["ear_trustworthiness_vector"]["sparkle"] = 2;
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
}

TEST(EarTest, FromAppraisalTakesTheOverallTier) {
  attest::Appraisal a{
      attest::Architecture::kCca, attest::EvidenceFormat::kCcaToken, {}, {}, {}, {}, {}};
  a.trust.instance_identity = 2;
  a.trust.configuration = 99;
  a.evidence_digest = Bytes(32, 1);
  EarAppraisal e = Ear::FromAppraisal(a, "pol");
  EXPECT_EQ(e.status, attest::Tier::kContraindicated);
  EXPECT_EQ(e.trust.configuration, 99);
  EXPECT_EQ(e.policy_ids, std::vector<std::string>{"pol"});
  EXPECT_EQ(*e.evidence_digest, Bytes(32, 1));
}

}  // namespace
}  // namespace teepnet::eat
