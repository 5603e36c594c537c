#include "teepnet/hpke/context.h"

#include <gtest/gtest.h>

#include <limits>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/hpke/context_test_peer.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/hpke/setup.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;

constexpr uint64_t kMaxSeq = std::numeric_limits<uint64_t>::max();
const Bytes kAad = {'a', 'a', 'd'};
const Bytes kPlaintext = {'h', 'e', 'l', 'l', 'o', ' ', 'h', 'p', 'k', 'e'};

// A connected sender/recipient pair over a fresh recipient key.
struct Pair {
  SenderContext sender;
  RecipientContext recipient;
};

Pair MakePair(const Suite& suite) {
  auto kem = Dhkem::Create(suite.kem);
  auto recipient_key = kem->GenerateKeyPair(crypto::SystemRandom::Get());
  SenderParams sp;
  sp.info = AsBytes("context test");
  auto setup = SetupSender(suite, recipient_key->public_key, sp, crypto::SystemRandom::Get());
  if (!setup.ok()) ADD_FAILURE() << setup.error().ToString();
  RecipientParams rp;
  rp.info = AsBytes("context test");
  auto recipient = SetupRecipient(suite, setup->enc, recipient_key->private_key, rp);
  if (!recipient.ok()) ADD_FAILURE() << recipient.error().ToString();
  return Pair{std::move(setup->context), std::move(recipient).value()};
}

const Suite kSuite{KemId::kX25519HkdfSha256, KdfId::kHkdfSha256, AeadId::kAes128Gcm};

TEST(ContextTest, MessagesOpenInOrderAndAdvanceBothCounters) {
  Pair pair = MakePair(kSuite);
  for (uint64_t i = 0; i < 5; ++i) {
    auto ct = pair.sender.Seal(kAad, kPlaintext);
    TEEPNET_ASSERT_OK(ct);
    EXPECT_EQ(ct->size(), kPlaintext.size() + 16);
    auto pt = pair.recipient.Open(kAad, *ct);
    TEEPNET_ASSERT_OK(pt);
    EXPECT_EQ(ToHex(pt->view()), ToHex(kPlaintext));
  }
  EXPECT_EQ(pair.sender.sequence_number(), 5u);
  EXPECT_EQ(pair.recipient.sequence_number(), 5u);
}

TEST(ContextTest, EqualPlaintextsGiveDifferentCiphertexts) {
  Pair pair = MakePair(kSuite);
  auto first = pair.sender.Seal(kAad, kPlaintext);
  auto second = pair.sender.Seal(kAad, kPlaintext);
  TEEPNET_ASSERT_OK(first);
  TEEPNET_ASSERT_OK(second);
  EXPECT_NE(ToHex(*first), ToHex(*second));
}

TEST(ContextTest, OutOfOrderOpenFailsAndKeepsTheSequenceNumber) {
  Pair pair = MakePair(kSuite);
  auto first = pair.sender.Seal(kAad, kPlaintext);
  auto second = pair.sender.Seal(kAad, kPlaintext);
  TEEPNET_ASSERT_OK(first);
  TEEPNET_ASSERT_OK(second);
  EXPECT_TRUE(FailsWith(pair.recipient.Open(kAad, *second), Errc::kOpenFailed));
  EXPECT_EQ(pair.recipient.sequence_number(), 0u);
  TEEPNET_EXPECT_OK(pair.recipient.Open(kAad, *first));
  TEEPNET_EXPECT_OK(pair.recipient.Open(kAad, *second));
}

TEST(ContextTest, EveryFlippedCiphertextBitFailsToOpen) {
  Pair pair = MakePair(kSuite);
  auto ct = pair.sender.Seal(kAad, kPlaintext);
  TEEPNET_ASSERT_OK(ct);
  for (size_t bit = 0; bit < ct->size() * 8; ++bit) {
    Bytes tampered = *ct;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_TRUE(FailsWith(pair.recipient.Open(kAad, tampered), Errc::kOpenFailed)) << bit;
  }
  TEEPNET_EXPECT_OK(pair.recipient.Open(kAad, *ct));
}

TEST(ContextTest, TamperedAadFailsToOpen) {
  Pair pair = MakePair(kSuite);
  auto ct = pair.sender.Seal(kAad, kPlaintext);
  TEEPNET_ASSERT_OK(ct);
  EXPECT_TRUE(FailsWith(pair.recipient.Open(AsBytes("aae"), *ct), Errc::kOpenFailed));
  EXPECT_TRUE(FailsWith(pair.recipient.Open({}, *ct), Errc::kOpenFailed));
}

TEST(ContextTest, CiphertextShorterThanTheTagFailsToOpen) {
  Pair pair = MakePair(kSuite);
  auto ct = pair.sender.Seal(kAad, {});
  TEEPNET_ASSERT_OK(ct);
  ASSERT_EQ(ct->size(), 16u);
  for (size_t n = 0; n < ct->size(); ++n) {
    EXPECT_TRUE(FailsWith(pair.recipient.Open(kAad, ByteView(*ct).first(n)), Errc::kOpenFailed));
  }
  TEEPNET_EXPECT_OK(pair.recipient.Open(kAad, *ct));
}

TEST(ContextTest, SealAtTheLastSequenceNumberFailsWithMessageLimit) {
  Pair pair = MakePair(kSuite);
  ContextTestPeer::SetSequenceNumber(pair.sender, kMaxSeq - 1);
  auto last = pair.sender.Seal(kAad, kPlaintext);
  TEEPNET_ASSERT_OK(last);
  EXPECT_EQ(pair.sender.sequence_number(), kMaxSeq);
  EXPECT_TRUE(FailsWith(pair.sender.Seal(kAad, kPlaintext), Errc::kMessageLimitReached));
  EXPECT_EQ(pair.sender.sequence_number(), kMaxSeq);

  ContextTestPeer::SetSequenceNumber(pair.recipient, kMaxSeq - 1);
  auto pt = pair.recipient.Open(kAad, *last);
  TEEPNET_ASSERT_OK(pt);
  EXPECT_EQ(ToHex(pt->view()), ToHex(kPlaintext));
  EXPECT_TRUE(FailsWith(pair.recipient.Open(kAad, *last), Errc::kMessageLimitReached));
}

TEST(ContextTest, NonceIsBaseNonceXorBigEndianSequence) {
  Pair pair = MakePair(kSuite);
  const Bytes base = ContextTestPeer::Nonce(pair.sender, 0);
  Bytes expected = base;
  expected[11] ^= 0x02;
  expected[10] ^= 0x01;
  expected[4] ^= 0x80;
  EXPECT_EQ(ToHex(ContextTestPeer::Nonce(pair.sender, 0x8000000000000102ull)), ToHex(expected));
}

TEST(ContextTest, ExportAgreesAndRespectsTheLengthLimit) {
  Pair pair = MakePair(kSuite);
  auto a = pair.sender.Export(AsBytes("ctx"), 255 * 32);
  auto b = pair.recipient.Export(AsBytes("ctx"), 255 * 32);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(ToHex(a->view()), ToHex(b->view()));
  auto other = pair.sender.Export(AsBytes("ctx2"), 32);
  TEEPNET_ASSERT_OK(other);
  EXPECT_NE(ToHex(other->view()), ToHex(a->view().first(32)));
  EXPECT_TRUE(FailsWith(pair.sender.Export({}, 255 * 32 + 1), Errc::kBadExportLength));
  auto empty = pair.recipient.Export({}, 0);
  TEEPNET_ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(ContextTest, ExportOnlyContextRefusesSealAndOpen) {
  Pair pair = MakePair(Suite{KemId::kP256HkdfSha256, KdfId::kHkdfSha256, AeadId::kExportOnly});
  EXPECT_TRUE(FailsWith(pair.sender.Seal(kAad, kPlaintext), Errc::kExportOnly));
  EXPECT_TRUE(FailsWith(pair.recipient.Open(kAad, Bytes(32, 0)), Errc::kExportOnly));
  EXPECT_EQ(pair.sender.sequence_number(), 0u);
  TEEPNET_EXPECT_OK(pair.sender.Export({}, 16));
}

TEST(ContextTest, EveryAeadRoundTrips) {
  for (AeadId aead : {AeadId::kAes128Gcm, AeadId::kAes256Gcm, AeadId::kChaCha20Poly1305}) {
    Pair pair = MakePair(Suite{KemId::kX25519HkdfSha256, KdfId::kHkdfSha384, aead});
    auto ct = pair.sender.Seal(kAad, kPlaintext);
    TEEPNET_ASSERT_OK(ct);
    auto pt = pair.recipient.Open(kAad, *ct);
    TEEPNET_ASSERT_OK(pt);
    EXPECT_EQ(ToHex(pt->view()), ToHex(kPlaintext));
  }
}

}  // namespace
}  // namespace teepnet::hpke
