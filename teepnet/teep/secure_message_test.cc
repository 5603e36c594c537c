#include "teepnet/teep/secure_message.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/errc.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/sign.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/teep/agent_error.h"
#include "teepnet/teep/test_message_builder.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::teep {
namespace {

using ::teepnet::teep::testing::TestMessageBuilder;
using ::teepnet::testing::FailsWith;

crypto::PrivateKey Generate(crypto::KeyType type) {
  auto key = crypto::PrivateKey::Generate(type);
  EXPECT_TRUE(key.ok());
  return *key;
}

class SecureMessageTest : public ::testing::Test {
 protected:
  SecureMessageTest()
      : p256_(Generate(crypto::KeyType::kP256)), ed25519_(Generate(crypto::KeyType::kEd25519)) {}

  SigningKey P256Signer() const { return SigningKey{p256_, CipherSuite::Sign1(kAlgESP256), {}}; }
  SigningKey EdSigner() const { return SigningKey{ed25519_, CipherSuite::Sign1(kAlgEd25519), {}}; }
  std::vector<PeerKey> BothPeers() const {
    return {PeerKey{p256_.public_key(), {}}, PeerKey{ed25519_.public_key(), {}}};
  }
  TeepMessage Query() const {
    auto m = DecodeMessage(TestMessageBuilder(MessageType::kQueryRequest, RfcProfile()).Build(),
                           RfcProfile());
    EXPECT_TRUE(m.ok());
    return *m;
  }

  crypto::PrivateKey p256_;
  crypto::PrivateKey ed25519_;
};

TEST_F(SecureMessageTest, Sign1RoundTripsWithEachSuite) {
  for (const SigningKey& signer : {P256Signer(), EdSigner()}) {
    auto wire = SignMessage(Query(), RfcProfile(), signer);
    TEEPNET_ASSERT_OK(wire);
    EXPECT_EQ((*wire)[0], 0xD2);  // tag 18: COSE_Sign1_Tagged
    auto verified = VerifyMessage(*wire, RfcProfile(), BothPeers());
    TEEPNET_ASSERT_OK(verified);
    EXPECT_EQ(verified->suite, signer.suite);
    EXPECT_FALSE(verified->multi_signer);
    EXPECT_TRUE(verified->message == Query());
  }
}

TEST_F(SecureMessageTest, ReportsWhichPeerKeyVerified) {
  auto wire = SignMessage(Query(), RfcProfile(), EdSigner());
  TEEPNET_ASSERT_OK(wire);
  auto verified = VerifyMessage(*wire, RfcProfile(), BothPeers());
  TEEPNET_ASSERT_OK(verified);
  EXPECT_EQ(verified->peer_key_index, 1u);
}

TEST_F(SecureMessageTest, CoseSignVerifiesForAnAgentWithOneAlgorithm) {
  auto wire = SignMessageMulti(Query(), RfcProfile(), {P256Signer(), EdSigner()});
  TEEPNET_ASSERT_OK(wire);
  EXPECT_EQ((*wire)[0], 0xD8);  // tag 98 needs a one-byte argument
  auto ed_only = VerifyMessage(*wire, RfcProfile(), {PeerKey{ed25519_.public_key(), {}}},
                               VerifyOptions{{CipherSuite::Sign1(kAlgEd25519)}, {}});
  TEEPNET_ASSERT_OK(ed_only);
  EXPECT_TRUE(ed_only->multi_signer);
  EXPECT_EQ(ed_only->suite, CipherSuite::Sign1(kAlgEd25519));
  auto p256_only = VerifyMessage(*wire, RfcProfile(), {PeerKey{p256_.public_key(), {}}});
  TEEPNET_ASSERT_OK(p256_only);
  EXPECT_EQ(p256_only->suite, CipherSuite::Sign1(kAlgESP256));
}

TEST_F(SecureMessageTest, CoseSignWithNoAcceptedSuiteFails) {
  auto wire = SignMessageMulti(Query(), RfcProfile(), {P256Signer()});
  TEEPNET_ASSERT_OK(wire);
  auto r = VerifyMessage(*wire, RfcProfile(), BothPeers(),
                         VerifyOptions{{CipherSuite::Sign1(kAlgEd25519)}, {}});
  EXPECT_TRUE(FailsWith(r, Errc::kUnsupportedCipherSuite));
  EXPECT_EQ(AgentErrorCodeFor(r.error()), ErrorCode::kUnsupportedCipherSuites);
}

TEST_F(SecureMessageTest, EveryFlippedBitOfASignedMessageIsRefused) {
  for (const SigningKey& signer : {P256Signer(), EdSigner()}) {
    auto wire = SignMessage(Query(), RfcProfile(), signer);
    TEEPNET_ASSERT_OK(wire);
    for (size_t bit = 0; bit < wire->size() * 8; ++bit) {
      Bytes flipped = *wire;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_FALSE(VerifyMessage(flipped, RfcProfile(), BothPeers()).ok()) << "bit " << bit;
    }
  }
}

TEST_F(SecureMessageTest, EveryFlippedBitOfACoseSignIsRefused) {
  auto wire = SignMessageMulti(Query(), RfcProfile(), {P256Signer(), EdSigner()});
  TEEPNET_ASSERT_OK(wire);
  for (size_t bit = 0; bit < wire->size() * 8; ++bit) {
    Bytes flipped = *wire;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto r = VerifyMessage(flipped, RfcProfile(), {PeerKey{ed25519_.public_key(), {}}},
                           VerifyOptions{{CipherSuite::Sign1(kAlgEd25519)}, {}});
    // Flips inside the ESP256 signer's signature do not touch what an Ed25519-only Agent
    // checks; every other flip must be refused.
    if (r.ok()) {
      auto original = cose::SignMessage::Decode(*wire);
      ASSERT_TRUE(original.ok());
      const ByteView sig = original->signers()[0].signature;
      const size_t start = static_cast<size_t>(sig.data() - wire->data());
      EXPECT_TRUE(bit / 8 >= start && bit / 8 < start + sig.size()) << "bit " << bit;
    }
  }
}

TEST_F(SecureMessageTest, EveryPrefixOfASignedMessageFails) {
  auto wire = SignMessage(Query(), RfcProfile(), P256Signer());
  TEEPNET_ASSERT_OK(wire);
  for (size_t n = 0; n < wire->size(); ++n) {
    EXPECT_FALSE(VerifyMessage(ByteView(*wire).first(n), RfcProfile(), BothPeers()).ok());
  }
}

TEST_F(SecureMessageTest, WrongKeyFailsWithSignatureInvalid) {
  auto wire = SignMessage(Query(), RfcProfile(), P256Signer());
  TEEPNET_ASSERT_OK(wire);
  auto other = Generate(crypto::KeyType::kP256);
  auto r = VerifyMessage(*wire, RfcProfile(), {PeerKey{other.public_key(), {}}});
  EXPECT_TRUE(FailsWith(r, Errc::kSignatureInvalid));
  EXPECT_EQ(AgentErrorCodeFor(r.error()), ErrorCode::kPermanentError);
}

TEST_F(SecureMessageTest, NoKeyOfTheRightTypeFailsWithNoTrustedKey) {
  auto wire = SignMessage(Query(), RfcProfile(), P256Signer());
  TEEPNET_ASSERT_OK(wire);
  auto r = VerifyMessage(*wire, RfcProfile(), {PeerKey{ed25519_.public_key(), {}}});
  EXPECT_TRUE(FailsWith(r, Errc::kNoTrustedKey));
  EXPECT_EQ(AgentErrorCodeFor(r.error()), ErrorCode::kBadCertificate);
}

TEST_F(SecureMessageTest, KidMismatchFailsWithNoTrustedKey) {
  SigningKey signer = P256Signer();
  signer.kid = Bytes{1, 2, 3};
  auto wire = SignMessage(Query(), RfcProfile(), signer);
  TEEPNET_ASSERT_OK(wire);
  EXPECT_TRUE(FailsWith(VerifyMessage(*wire, RfcProfile(), {PeerKey{p256_.public_key(), Bytes{9}}}),
                        Errc::kNoTrustedKey));
  TEEPNET_EXPECT_OK(
      VerifyMessage(*wire, RfcProfile(), {PeerKey{p256_.public_key(), Bytes{1, 2, 3}}}));
}

TEST_F(SecureMessageTest, Es256IsLegacyOnly) {
  auto wire =
      SignMessage(Query(), LegacyProfile(), SigningKey{p256_, CipherSuite::Sign1(kAlgES256), {}});
  TEEPNET_ASSERT_OK(wire);
  TEEPNET_EXPECT_OK(VerifyMessage(*wire, LegacyProfile(), BothPeers()));
  EXPECT_TRUE(
      FailsWith(VerifyMessage(*wire, RfcProfile(), BothPeers()), Errc::kUnsupportedCipherSuite));
}

TEST_F(SecureMessageTest, UnknownHeaderParameterFails) {
  const Bytes payload = *EncodeMessage(Query(), RfcProfile());
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kESP256;
  options.unprotected_headers.SetInt(99, 1);
  auto wire = cose::CreateSign1(p256_, payload, options);
  TEEPNET_ASSERT_OK(wire);
  EXPECT_TRUE(FailsWith(VerifyMessage(*wire, RfcProfile(), BothPeers()), Errc::kUnknownHeader));
  VerifyOptions understood;
  understood.extra_understood_headers = {99};
  TEEPNET_EXPECT_OK(VerifyMessage(*wire, RfcProfile(), BothPeers(), understood));
}

TEST_F(SecureMessageTest, UntaggedSign1IsAccepted) {
  const Bytes payload = *EncodeMessage(Query(), RfcProfile());
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kESP256;
  options.tagged = false;
  auto wire = cose::CreateSign1(p256_, payload, options);
  TEEPNET_ASSERT_OK(wire);
  TEEPNET_EXPECT_OK(VerifyMessage(*wire, RfcProfile(), BothPeers()));
}

TEST_F(SecureMessageTest, DetachedPayloadFails) {
  const Bytes payload = *EncodeMessage(Query(), RfcProfile());
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kESP256;
  options.detached = true;
  auto wire = cose::CreateSign1(p256_, payload, options);
  TEEPNET_ASSERT_OK(wire);
  EXPECT_TRUE(
      FailsWith(VerifyMessage(*wire, RfcProfile(), BothPeers()), cose::Errc::kMissingPayload));
}

TEST_F(SecureMessageTest, BareTeepMessageIsNotCose) {
  const Bytes payload = *EncodeMessage(Query(), RfcProfile());
  EXPECT_TRUE(FailsWith(VerifyMessage(payload, RfcProfile(), BothPeers()), Errc::kNotCose));
  EXPECT_TRUE(
      FailsWith(VerifyMessage(Bytes{0xC1, 0x00}, RfcProfile(), BothPeers()), Errc::kNotCose));
}

TEST_F(SecureMessageTest, MalformedCborFailsAtStepOne) {
  auto r = VerifyMessage(Bytes{0xD2, 0x84, 0x40}, RfcProfile(), BothPeers());
  EXPECT_TRUE(FailsWith(r, cbor::Errc::kTruncated));
  EXPECT_EQ(AgentErrorCodeFor(r.error()), ErrorCode::kPermanentError);
}

TEST_F(SecureMessageTest, SignedPayloadThatIsNotTeepFailsAtStepFive) {
  auto wire = SignPayload(Bytes{0xA0}, P256Signer());
  TEEPNET_ASSERT_OK(wire);
  EXPECT_TRUE(FailsWith(VerifyMessage(*wire, RfcProfile(), BothPeers()), Errc::kBadFrame));
}

TEST_F(SecureMessageTest, LegacyMessageVerifiedInRfcProfileFailsAtStepFive) {
  auto legacy = DecodeMessage(TestMessageBuilder(MessageType::kSuccess, LegacyProfile()).Build(),
                              LegacyProfile());
  TEEPNET_ASSERT_OK(legacy);
  auto wire = SignMessage(*legacy, LegacyProfile(), P256Signer());
  TEEPNET_ASSERT_OK(wire);
  EXPECT_TRUE(FailsWith(VerifyMessage(*wire, RfcProfile(), BothPeers()), Errc::kBadArity));
}

TEST_F(SecureMessageTest, SigningWithAnUnknownSuiteFails) {
  SigningKey signer = P256Signer();
  signer.suite = CipherSuite{{TeepOperation{18, -9}, TeepOperation{18, -19}}};
  EXPECT_TRUE(FailsWith(SignMessage(Query(), RfcProfile(), signer), Errc::kUnsupportedCipherSuite));
}

}  // namespace
}  // namespace teepnet::teep
