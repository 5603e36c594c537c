// EAR issuance from a Verifier verdict: the signed JWT / CWT carry the verdict's status, trust
// vector, evidence digest and the policy id with its hash.
#include "teepnet/attest/verifier_ear.h"

#include <gtest/gtest.h>

#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/base/hex.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

constexpr int64_t kNow = 1790000000;

Verdict PsaVerdict(const Bytes& nonce, const std::optional<Bytes>& expected) {
  auto p = SimPsaPlatform::Create();
  EXPECT_TRUE(p.ok());
  auto evidence = p->GetEvidence(nonce);
  EXPECT_TRUE(evidence.ok());
  VerifierConfig c;
  c.psa = p->Endorsements();
  Verifier verifier(std::move(c));
  std::optional<ByteView> rd;
  if (expected) rd = ByteView(*expected);
  auto v = verifier.Verify(*evidence, std::nullopt, rd, kNow);
  EXPECT_TRUE(v.ok());
  return *v;
}

TEST(VerdictEar, JwtCarriesStatusTrustVectorAndPolicyHash) {
  const Bytes nonce(32, 0x5a);
  Verdict v = PsaVerdict(nonce, nonce);
  ASSERT_EQ(v.appraisal.Overall(), Tier::kAffirming);
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  EarIssueOptions o;
  o.iat = kNow;
  o.nonce = nonce;
  o.attested_keys.push_back(Bytes{0x30, 0x00});
  auto jwt = IssueVerdictEarJwt(v, o, *key);
  TEEPNET_ASSERT_OK(jwt);
  eat::RelyingPartyPolicy rp;
  rp.now = kNow + 10;
  rp.nonce = nonce;
  auto ear = eat::AcceptEarJwt(*jwt, key->public_key(), rp);
  TEEPNET_ASSERT_OK(ear);
  ASSERT_EQ(ear->submods.count("trustzone"), 1u);
  const eat::EarAppraisal& a = ear->submods.at("trustzone");
  EXPECT_EQ(a.status, Tier::kAffirming);
  EXPECT_EQ(a.trust.instance_identity, v.appraisal.trust.instance_identity);
  EXPECT_EQ(a.trust.executables, v.appraisal.trust.executables);
  ASSERT_EQ(a.policy_ids.size(), 1u);
  EXPECT_EQ(a.policy_ids[0], "teepnet/psa/default@sha256:" + ToHex(v.policy_hash));
  EXPECT_EQ(a.evidence_digest, v.appraisal.evidence_digest);
  EXPECT_EQ(a.attested_keys, o.attested_keys);
}

TEST(VerdictEar, CwtOfAContraindicatedVerdictIsRefusedByTheRelyingParty) {
  Verdict v = PsaVerdict(Bytes(32, 1), Bytes(32, 2));
  ASSERT_EQ(v.appraisal.Overall(), Tier::kContraindicated);
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  EarIssueOptions o;
  o.iat = kNow;
  o.submod = "device";
  auto cwt = IssueVerdictEarCwt(v, o, *key);
  TEEPNET_ASSERT_OK(cwt);
  auto ear = eat::VerifyEarCwt(*cwt, key->public_key());
  TEEPNET_ASSERT_OK(ear);
  EXPECT_EQ(ear->submods.at("device").status, Tier::kContraindicated);
  eat::RelyingPartyPolicy rp;
  rp.now = kNow;
  EXPECT_TRUE(teepnet::testing::FailsWith(eat::AcceptEarCwt(*cwt, key->public_key(), rp),
                                          eat::Errc::kNotAffirming));
}

}  // namespace
}  // namespace teepnet::attest
