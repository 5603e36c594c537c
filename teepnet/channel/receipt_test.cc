#include "teepnet/channel/receipt.h"

#include <gtest/gtest.h>

#include "teepnet/base/file.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::channel {
namespace {

using ::teepnet::testing::FailsWith;

Receipt SampleReceipt() {
  return Receipt{"req-42", "tc-8162746100", crypto::Sha256(AsBytes("the PD")),
                 crypto::Sha256(AsBytes("the TA executable")), std::nullopt};
}

// A COSE_Sign1 over `payload` signed like SignReceipt does (EdDSA, kid = thumbprint), so tests
// can put payloads SignReceipt would never produce behind a valid signature.
Bytes SignRaw(ByteView payload, const crypto::PrivateKey& key) {
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kEdDSA;
  options.unprotected_headers.SetKid(
      cose::CoseKey::FromPublicKey(key.public_key()).Thumbprint().value());
  return cose::CreateSign1(key, payload, options).value();
}

class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    proof_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    agent_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  }
  std::optional<crypto::PrivateKey> proof_, agent_;
};

TEST_F(ReceiptTest, AnEd25519ProofKeyReceiptRoundTrips) {
  auto signed_receipt = SignReceipt(SampleReceipt(), *proof_);
  TEEPNET_ASSERT_OK(signed_receipt);
  auto receipt = VerifyReceipt(*signed_receipt, proof_->public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(*receipt, SampleReceipt());
  auto kid = ReceiptKeyId(*signed_receipt);
  TEEPNET_ASSERT_OK(kid);
  EXPECT_EQ(*kid, cose::CoseKey::FromPublicKey(proof_->public_key()).Thumbprint().value());
}

TEST_F(ReceiptTest, AWorkloadResultRidesInsideTheSignedPayload) {
  Receipt with_result = SampleReceipt();
  with_result.result = Bytes{0xa1, 0x61, 'u', 0x41, 0x07};
  auto signed_receipt = SignReceipt(with_result, *proof_);
  TEEPNET_ASSERT_OK(signed_receipt);
  auto receipt = VerifyReceipt(*signed_receipt, proof_->public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(*receipt, with_result);
  // Five elements without a result, six with one.
  EXPECT_EQ((*EncodeReceiptPayload(SampleReceipt()))[0], 0x85);
  EXPECT_EQ((*EncodeReceiptPayload(with_result))[0], 0x86);
}

TEST_F(ReceiptTest, RefusesAResultThatIsNotABstrOrTooLarge) {
  Bytes payload = *EncodeReceiptPayload(SampleReceipt());
  payload[0] = 0x86;
  payload.push_back(0x01);  // an integer where the result bstr belongs
  EXPECT_TRUE(FailsWith(DecodeReceiptPayload(payload), Errc::kMalformed));
  Receipt huge = SampleReceipt();
  huge.result = Bytes(kMaxReceiptResultBytes + 1, 0);
  EXPECT_TRUE(FailsWith(EncodeReceiptPayload(huge), Errc::kMalformed));
}

TEST_F(ReceiptTest, AP256AgentKeyReceiptRoundTripsWithEsp256) {
  Receipt agent_receipt = SampleReceipt();
  agent_receipt.instance = "";  // the Agent was the recipient (cases 1, 4)
  auto signed_receipt = SignReceipt(agent_receipt, *agent_);
  TEEPNET_ASSERT_OK(signed_receipt);
  auto msg = cose::Sign1Message::Decode(*signed_receipt);
  TEEPNET_ASSERT_OK(msg);
  EXPECT_EQ(msg->algorithm().id, cose::Algorithm::kESP256);
  auto receipt = VerifyReceipt(*signed_receipt, agent_->public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(*receipt, agent_receipt);
}

TEST_F(ReceiptTest, TheEncodedPayloadIsTheDocumentedArray) {
  auto payload = EncodeReceiptPayload(SampleReceipt());
  TEEPNET_ASSERT_OK(payload);
  cbor::Writer w;
  w.WriteArrayHeader(5);
  w.WriteText("teepnet/receipt/v1");
  w.WriteText("req-42");
  w.WriteText("tc-8162746100");
  w.WriteBytes(SampleReceipt().pd_digest);
  w.WriteBytes(SampleReceipt().measurement);
  EXPECT_EQ(*payload, w.bytes());
}

TEST_F(ReceiptTest, RefusesAReceiptSignedByAnotherKey) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  auto signed_receipt = SignReceipt(SampleReceipt(), *other);
  TEEPNET_ASSERT_OK(signed_receipt);
  EXPECT_TRUE(FailsWith(VerifyReceipt(*signed_receipt, proof_->public_key()), Errc::kBadReceipt));
}

TEST_F(ReceiptTest, RefusesAKeyOfAnotherTypeThanTheSignature) {
  auto signed_receipt = SignReceipt(SampleReceipt(), *proof_);
  TEEPNET_ASSERT_OK(signed_receipt);
  EXPECT_TRUE(FailsWith(VerifyReceipt(*signed_receipt, agent_->public_key()), Errc::kBadReceipt));
}

TEST_F(ReceiptTest, RefusesATamperedPayload) {
  auto signed_receipt = SignReceipt(SampleReceipt(), *proof_);
  TEEPNET_ASSERT_OK(signed_receipt);
  // The last byte of the payload is the measurement's; the 64-byte signature follows it with
  // its 2-byte head, so the byte sits 67 from the end.
  Bytes tampered = *signed_receipt;
  tampered[tampered.size() - 67] ^= 0x01;
  EXPECT_TRUE(FailsWith(VerifyReceipt(tampered, proof_->public_key()), Errc::kBadReceipt));
}

TEST_F(ReceiptTest, RefusesASignedPayloadWithAnotherContextString) {
  cbor::Writer w;
  w.WriteArrayHeader(5);
  w.WriteText("teepnet/receipt/v0");
  w.WriteText("req-42");
  w.WriteText("tc-8162746100");
  w.WriteBytes(SampleReceipt().pd_digest);
  w.WriteBytes(SampleReceipt().measurement);
  EXPECT_TRUE(FailsWith(VerifyReceipt(SignRaw(w.bytes(), *proof_), proof_->public_key()),
                        Errc::kWrongContext));
}

TEST_F(ReceiptTest, RefusesTrailingBytesAfterThePayloadArray) {
  Bytes payload = EncodeReceiptPayload(SampleReceipt()).value();
  payload.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeReceiptPayload(payload), Errc::kMalformed));
  EXPECT_TRUE(
      FailsWith(VerifyReceipt(SignRaw(payload, *proof_), proof_->public_key()), Errc::kMalformed));
}

TEST_F(ReceiptTest, RefusesTrailingBytesAfterTheCoseSign1) {
  Bytes signed_receipt = SignReceipt(SampleReceipt(), *proof_).value();
  signed_receipt.push_back(0x00);
  EXPECT_TRUE(FailsWith(VerifyReceipt(signed_receipt, proof_->public_key()), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(ReceiptKeyId(signed_receipt), Errc::kMalformed));
}

TEST_F(ReceiptTest, RefusesADigestThatIsNotSha256Sized) {
  Receipt bad = SampleReceipt();
  bad.pd_digest.pop_back();
  EXPECT_TRUE(FailsWith(SignReceipt(bad, *proof_), Errc::kMalformed));
  cbor::Writer w;
  w.WriteArrayHeader(5);
  w.WriteText(kReceiptContext);
  w.WriteText("req-42");
  w.WriteText("");
  w.WriteBytes(Bytes(31, 0xaa));
  w.WriteBytes(Bytes(32, 0xbb));
  EXPECT_TRUE(FailsWith(DecodeReceiptPayload(w.bytes()), Errc::kMalformed));
}

TEST_F(ReceiptTest, RefusesAnOverlongRequestId) {
  Receipt bad = SampleReceipt();
  bad.request_id.assign(kMaxReceiptRequestIdBytes + 1, 'r');
  EXPECT_TRUE(FailsWith(SignReceipt(bad, *proof_), Errc::kMalformed));
}

TEST_F(ReceiptTest, RefusesANonDeterministicPayload) {
  // The array head written in two bytes (0x98 0x05) instead of the preferred one (0x85).
  Bytes payload = EncodeReceiptPayload(SampleReceipt()).value();
  payload[0] = 0x05;
  payload.insert(payload.begin(), 0x98);
  EXPECT_TRUE(FailsWith(DecodeReceiptPayload(payload), Errc::kMalformed));
}

TEST_F(ReceiptTest, RefusesAnOversizedReceiptUnread) {
  Bytes huge(kMaxReceiptBytes + 1, 0x00);
  EXPECT_TRUE(FailsWith(VerifyReceipt(huge, proof_->public_key()), Errc::kTooLarge));
}

TEST_F(ReceiptTest, RefusesAKeyTypeThatCannotSignReceipts) {
  auto x25519 = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  EXPECT_TRUE(FailsWith(SignReceipt(SampleReceipt(), *x25519), Errc::kMalformed));
}

TEST(ReceiptFuzzSeed, TheSignedSeedVerifiesWithTheFuzzersKey) {
  // The committed seed must reach the payload decoder behind a valid signature, or the fuzzer
  // never explores past the signature check.
  auto bytes = ReadFile(std::string(TEEPNET_CHANNEL_SOURCE_DIR) +
                        "/fuzz/corpus/channel_receipt_fuzzer/signed_receipt");
  TEEPNET_ASSERT_OK(bytes);
  auto key = crypto::PrivateKey::FromRaw(crypto::KeyType::kEd25519, Bytes(32, 0x22));
  TEEPNET_ASSERT_OK(key);
  auto receipt = VerifyReceipt(*bytes, key->public_key());
  TEEPNET_ASSERT_OK(receipt);
  EXPECT_EQ(receipt->instance, "tc-81427461");
  // Ed25519 is deterministic: SignReceipt writes exactly the seed.
  EXPECT_EQ(SignReceipt(*receipt, *key).value(), *bytes);
}

}  // namespace
}  // namespace teepnet::channel
