// TA instance names, the in-memory keyring, and the teepnet_instances claim (-70003) of the
// Agent's Evidence as the verifier decodes it.
#include "teepnet/evidence/instance_keyring.h"

#include <gtest/gtest.h>

#include <functional>

#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/errc.h"
#include "teepnet/evidence/teep_evidence.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::evidence {
namespace {

using ::teepnet::testing::FailsWith;

TEST(InstanceName, IsTcFollowedByTheHexOfTheComponentIdCbor) {
  const suit::ComponentId id = suit::MakeComponentId({"ta"});
  // [h'7461'] = 81 42 74 61
  EXPECT_EQ(InstanceNameOf(id), "tc-81427461");
}

TEST(InstanceName, OfAnEnvelopeIsTheNameOfItsFirstComponent) {
  auto signer = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(signer);
  suit::testing::ManifestSpec spec;
  spec.components = {suit::MakeComponentId({"TEEP-Device", "SecureFS", "app"}),
                     suit::MakeComponentId({"other"})};
  Bytes envelope = suit::testing::SignEnvelope(suit::testing::EncodeManifest(spec), *signer);
  auto name = InstanceNameOfEnvelope(envelope);
  TEEPNET_ASSERT_OK(name);
  EXPECT_EQ(*name, InstanceNameOf(spec.components[0]));
}

TEST(InstanceName, RefusesBytesThatAreNotAnEnvelope) {
  EXPECT_FALSE(InstanceNameOfEnvelope(AsBytes("not a SUIT envelope")).ok());
}

TEST(InMemoryInstanceKeyring, KeepsKeysForTheSameImageAndRenewsThemForANewOne) {
  InMemoryInstanceKeyring keyring;
  const suit::ComponentId id = suit::MakeComponentId({"ta"});
  auto first = keyring.Ensure(id, AsBytes("v1"));
  TEEPNET_ASSERT_OK(first);
  EXPECT_EQ((*first)->name, InstanceNameOf(id));
  EXPECT_EQ((*first)->measurement, crypto::Sha256(AsBytes("v1")));
  crypto::PublicKey hpke = (*first)->hpke.public_key();
  auto same = keyring.Ensure(id, AsBytes("v1"));
  TEEPNET_ASSERT_OK(same);
  EXPECT_TRUE((*same)->hpke.public_key().Equals(hpke));
  auto renewed = keyring.Ensure(id, AsBytes("v2"));
  TEEPNET_ASSERT_OK(renewed);
  EXPECT_FALSE((*renewed)->hpke.public_key().Equals(hpke));
  EXPECT_EQ(keyring.Find(InstanceNameOf(id)), *renewed);
  EXPECT_EQ(keyring.size(), 1u);
}

// A platform whose evidence is a fixed byte string: enough for the claims decoder.
class StubPlatform final : public attest::Platform {
 public:
  attest::Architecture architecture() const override { return attest::Architecture::kTrustZone; }
  attest::EvidenceFormat format() const override { return attest::EvidenceFormat::kPsaToken; }
  Result<Bytes> GetEvidence(ByteView) override { return Bytes{0xd2}; }
  std::string measurement_hex() const override { return ""; }
};

class InstanceClaimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    proof_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  }
  InstanceClaim Claim(std::string name = "tc-81427461") {
    return InstanceClaim{std::move(name), Bytes(32, 0x33),
                         cose::CoseKey::FromPublicKey(hpke_->public_key()).Encode(false),
                         cose::CoseKey::FromPublicKey(proof_->public_key()).Encode(false)};
  }
  static BoundClaims BaseClaims() {
    BoundClaims c;
    c.nonce = Bytes(16, 1);
    c.cnf_kid = Bytes(32, 2);
    c.ueid = Bytes(33, 2);
    c.ueid[0] = 0x01;  // RAND
    c.oemid = Bytes(16, 3);
    c.hwmodel = Bytes{4};
    c.hwversion = "1";
    return c;
  }
  // Signs an EAT over claims with these instances and decodes it as the TAM does.
  Result<VerifiedTeepEvidence> RoundTrip(std::vector<InstanceClaim> instances) {
    BoundClaims c = BaseClaims();
    c.instances = std::move(instances);
    StubPlatform platform;
    TEEPNET_ASSIGN_OR_RETURN(Bytes eat, BuildTeepEvidence(c, platform, *agent_));
    return VerifyTeepEvidence(eat, agent_->public_key());
  }
  std::optional<crypto::PrivateKey> agent_, hpke_, proof_;
};

TEST_F(InstanceClaimTest, DecodesTheInstancesTheAgentListed) {
  auto verified = RoundTrip({Claim(), Claim("tc-81427462")});
  TEEPNET_ASSERT_OK(verified);
  ASSERT_EQ(verified->instances.size(), 2u);
  EXPECT_EQ(verified->instances[0].name, "tc-81427461");
  EXPECT_EQ(verified->instances[0].measurement, Bytes(32, 0x33));
  EXPECT_TRUE(verified->instances[0].hpke.Equals(hpke_->public_key()));
  EXPECT_TRUE(verified->instances[0].proof.Equals(proof_->public_key()));
}

TEST_F(InstanceClaimTest, NoInstancesMeansNoClaim) {
  BoundClaims c = BaseClaims();
  Bytes without = EncodeBoundClaims(c);
  c.instances.push_back(Claim());
  EXPECT_NE(BindingOf(c), crypto::Digest(crypto::HashAlgorithm::kSha512, without));
  auto verified = RoundTrip({});
  TEEPNET_ASSERT_OK(verified);
  EXPECT_TRUE(verified->instances.empty());
}

TEST_F(InstanceClaimTest, RefusesANameWithoutTheTcPrefix) {
  EXPECT_TRUE(FailsWith(RoundTrip({Claim("ta-81427461")}), eat::Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(RoundTrip({Claim("tc-")}), eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesAnOverlongName) {
  EXPECT_TRUE(FailsWith(RoundTrip({Claim("tc-" + std::string(kMaxInstanceNameBytes, 'a'))}),
                        eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesAMeasurementThatIsNotSha256Sized) {
  InstanceClaim c = Claim();
  c.measurement.resize(48);
  EXPECT_TRUE(FailsWith(RoundTrip({c}), eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesKeysOfTheWrongType) {
  InstanceClaim swapped = Claim();
  std::swap(swapped.hpke_key, swapped.proof_key);
  EXPECT_TRUE(FailsWith(RoundTrip({swapped}), eat::Errc::kBadClaim));
  InstanceClaim garbage = Claim();
  garbage.proof_key = Bytes{0xa0};
  EXPECT_TRUE(FailsWith(RoundTrip({garbage}), eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesAPrivateKeyInTheClaim) {
  InstanceClaim leaked = Claim();
  leaked.hpke_key = cose::CoseKey::FromPrivateKey(*hpke_).Encode(/*include_private=*/true);
  EXPECT_TRUE(FailsWith(RoundTrip({leaked}), eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesTheSameNameTwice) {
  EXPECT_TRUE(FailsWith(RoundTrip({Claim(), Claim()}), eat::Errc::kBadClaim));
}

TEST_F(InstanceClaimTest, RefusesMoreInstancesThanTheLimit) {
  std::vector<InstanceClaim> many;
  for (size_t i = 0; i <= kMaxInstanceClaims; ++i)
    many.push_back(
        Claim("tc-" + ToHex(Bytes{static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)})));
  EXPECT_TRUE(FailsWith(RoundTrip(std::move(many)), eat::Errc::kBadClaim));
}

}  // namespace
}  // namespace teepnet::evidence
