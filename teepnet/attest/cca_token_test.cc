#include "teepnet/attest/cca_token.h"

#include <gtest/gtest.h>

#include "teepnet/attest/cca_sim_platform.h"
#include "teepnet/attest/errc.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;

TEST(CcaTokenTest, WrongOuterTagFails) {
  cbor::Writer w;
  w.WriteTag(400);
  w.WriteMapHeader(0);
  EXPECT_TRUE(FailsWith(ParseCcaToken(w.bytes()), Errc::kCcaBadCollection));
}

TEST(CcaTokenTest, CollectionWithOneTokenFails) {
  cbor::Writer w;
  w.WriteTag(399);
  w.WriteMapHeader(1);
  w.WriteUint(44234);
  w.WriteBytes(Bytes{0xd2});
  EXPECT_TRUE(FailsWith(ParseCcaToken(w.bytes()), Errc::kCcaBadCollection));
}

TEST(CcaTokenTest, RepeatedPlatformKeyFails) {
  cbor::Writer w;
  w.WriteTag(399);
  w.WriteMapHeader(2);
  w.WriteUint(44234);
  w.WriteBytes(Bytes{0xd2});
  w.WriteUint(44234);
  w.WriteBytes(Bytes{0xd2});
  EXPECT_TRUE(FailsWith(ParseCcaToken(w.bytes()), Errc::kCcaBadCollection));
}

TEST(CcaTokenTest, TokensThatAreNotCoseSign1Fail) {
  Bytes t = EncodeCcaCollection(Bytes{0x01}, Bytes{0x02});
  EXPECT_TRUE(FailsWith(ParseCcaToken(t), Errc::kPsaBadToken));
}

TEST(CcaTokenTest, CmwCollectionTagIsAccepted) {
  auto p = SimCcaPlatform::Create();
  TEEPNET_ASSERT_OK(p);
  auto token = p->GetEvidence(Bytes(64, 1));
  TEEPNET_ASSERT_OK(token);
  Bytes cmw = *token;
  // d9 018f (399) -> d9 038b (907)
  ASSERT_EQ(cmw[0], 0xd9);
  cmw[1] = 0x03;
  cmw[2] = 0x8b;
  TEEPNET_EXPECT_OK(ParseCcaToken(cmw));
}

TEST(CcaTokenTest, MalformedRealmKeyFailsWithItsReason) {
  CcaRealmClaims c;
  c.public_key_claim = Bytes(97, 0x04);  // not on the curve
  EXPECT_TRUE(FailsWith(RealmPublicKey(c), Errc::kCcaBadRealmKey));
  c.key_encoding = RealmKeyEncoding::kCoseKey;
  c.public_key_claim = Bytes{0xa0};
  EXPECT_TRUE(FailsWith(RealmPublicKey(c), Errc::kCcaBadRealmKey));
}

TEST(CcaTokenTest, HashNamesAreTheNamedInformationOnes) {
  EXPECT_EQ(HashFromName("sha-256"), crypto::HashAlgorithm::kSha256);
  EXPECT_EQ(HashFromName("sha-512"), crypto::HashAlgorithm::kSha512);
  EXPECT_FALSE(HashFromName("SHA256").has_value());
}

}  // namespace
}  // namespace teepnet::attest
