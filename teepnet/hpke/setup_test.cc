#include "teepnet/hpke/setup.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/hpke/single_shot.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;

const Bytes kInfo = {'i', 'n', 'f', 'o'};
const Bytes kAad = {'a', 'a', 'd'};
const Bytes kPlaintext = {'s', 'e', 'c', 'r', 'e', 't'};
const Bytes kPsk(32, 0x11);
const Bytes kPskId = {'p', 's', 'k', '-', '1'};

class SetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kem = Dhkem::Create(suite_.kem);
    TEEPNET_ASSERT_OK(kem);
    recipient_.emplace(*kem->GenerateKeyPair(crypto::SystemRandom::Get()));
    sender_.emplace(*kem->GenerateKeyPair(crypto::SystemRandom::Get()));
  }

  SenderParams Sender(Mode mode) const {
    SenderParams p;
    p.mode = mode;
    p.info = kInfo;
    if (UsesPsk(mode)) p.psk = PskInputs{kPsk, kPskId};
    if (UsesAuth(mode)) p.sender_key = sender_->private_key;
    return p;
  }
  RecipientParams Recipient(Mode mode) const {
    RecipientParams p;
    p.mode = mode;
    p.info = kInfo;
    if (UsesPsk(mode)) p.psk = PskInputs{kPsk, kPskId};
    if (UsesAuth(mode)) p.sender_public_key = sender_->public_key;
    return p;
  }
  Result<Sealed> SealWith(const SenderParams& params) {
    return Seal(suite_, recipient_->public_key, params, kAad, kPlaintext,
                crypto::SystemRandom::Get());
  }
  Result<SecretBytes> OpenWith(const Sealed& sealed, const RecipientParams& params) {
    return Open(suite_, sealed.enc, recipient_->private_key, params, kAad, sealed.ciphertext);
  }

  Suite suite_{KemId::kX25519HkdfSha256, KdfId::kHkdfSha256, AeadId::kChaCha20Poly1305};
  std::optional<KeyPair> recipient_, sender_;
};

TEST_F(SetupTest, EveryModeRoundTrips) {
  for (Mode mode : {Mode::kBase, Mode::kPsk, Mode::kAuth, Mode::kAuthPsk}) {
    auto sealed = SealWith(Sender(mode));
    TEEPNET_ASSERT_OK(sealed);
    auto pt = OpenWith(*sealed, Recipient(mode));
    TEEPNET_ASSERT_OK(pt);
    EXPECT_EQ(ToHex(pt->view()), ToHex(kPlaintext));
  }
}

TEST_F(SetupTest, WrongPskFailsToOpen) {
  auto sealed = SealWith(Sender(Mode::kPsk));
  TEEPNET_ASSERT_OK(sealed);
  RecipientParams params = Recipient(Mode::kPsk);
  const Bytes other_psk(32, 0x12);
  params.psk.psk = other_psk;
  EXPECT_TRUE(FailsWith(OpenWith(*sealed, params), Errc::kOpenFailed));
}

TEST_F(SetupTest, WrongPskIdFailsToOpen) {
  auto sealed = SealWith(Sender(Mode::kAuthPsk));
  TEEPNET_ASSERT_OK(sealed);
  RecipientParams params = Recipient(Mode::kAuthPsk);
  const Bytes other_id = {'p', 's', 'k', '-', '2'};
  params.psk.psk_id = other_id;
  EXPECT_TRUE(FailsWith(OpenWith(*sealed, params), Errc::kOpenFailed));
}

TEST_F(SetupTest, WrongSenderKeyInAuthModeFailsToOpen) {
  for (Mode mode : {Mode::kAuth, Mode::kAuthPsk}) {
    auto sealed = SealWith(Sender(mode));
    TEEPNET_ASSERT_OK(sealed);
    auto kem = Dhkem::Create(suite_.kem);
    auto impostor = kem->GenerateKeyPair(crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(impostor);
    RecipientParams params = Recipient(mode);
    params.sender_public_key = impostor->public_key;
    EXPECT_TRUE(FailsWith(OpenWith(*sealed, params), Errc::kOpenFailed));
  }
}

TEST_F(SetupTest, ModeMismatchFailsToOpen) {
  auto sealed = SealWith(Sender(Mode::kAuth));
  TEEPNET_ASSERT_OK(sealed);
  EXPECT_TRUE(FailsWith(OpenWith(*sealed, Recipient(Mode::kBase)), Errc::kOpenFailed));
}

TEST_F(SetupTest, DifferentInfoFailsToOpen) {
  auto sealed = SealWith(Sender(Mode::kBase));
  TEEPNET_ASSERT_OK(sealed);
  RecipientParams params = Recipient(Mode::kBase);
  params.info = {};
  EXPECT_TRUE(FailsWith(OpenWith(*sealed, params), Errc::kOpenFailed));
}

TEST_F(SetupTest, TamperedEncFailsToOpen) {
  auto sealed = SealWith(Sender(Mode::kBase));
  TEEPNET_ASSERT_OK(sealed);
  for (size_t i = 0; i < sealed->enc.size(); ++i) {
    Sealed tampered{sealed->enc, sealed->ciphertext};
    tampered.enc[i] ^= 0x04;
    auto pt = OpenWith(tampered, Recipient(Mode::kBase));
    // Another X25519 point gives another shared secret (kOpenFailed), or a low-order one an
    // all-zero DH (kBadEncapsulatedKey); never the plaintext.
    EXPECT_FALSE(pt.ok()) << i;
  }
}

TEST_F(SetupTest, TruncatedEncFailsWithBadEncapsulatedKey) {
  auto sealed = SealWith(Sender(Mode::kBase));
  TEEPNET_ASSERT_OK(sealed);
  Sealed truncated{Bytes(sealed->enc.begin(), sealed->enc.end() - 1), sealed->ciphertext};
  EXPECT_TRUE(FailsWith(OpenWith(truncated, Recipient(Mode::kBase)), Errc::kBadEncapsulatedKey));
}

TEST_F(SetupTest, AuthModeWithoutSenderKeyFails) {
  SenderParams params = Sender(Mode::kAuth);
  params.sender_key.reset();
  EXPECT_TRUE(FailsWith(SealWith(params), Errc::kBadSenderKey));
  auto sealed = SealWith(Sender(Mode::kAuth));
  TEEPNET_ASSERT_OK(sealed);
  RecipientParams rp = Recipient(Mode::kAuth);
  rp.sender_public_key.reset();
  EXPECT_TRUE(FailsWith(OpenWith(*sealed, rp), Errc::kBadSenderKey));
}

TEST_F(SetupTest, SenderKeyInUnauthenticatedModeFails) {
  SenderParams params = Sender(Mode::kPsk);
  params.sender_key = sender_->private_key;
  EXPECT_TRUE(FailsWith(SealWith(params), Errc::kBadSenderKey));
}

TEST_F(SetupTest, PskInBaseModeFails) {
  SenderParams params = Sender(Mode::kBase);
  params.psk = PskInputs{kPsk, kPskId};
  EXPECT_TRUE(FailsWith(SealWith(params), Errc::kBadPsk));
}

TEST_F(SetupTest, UnsupportedSuiteFails) {
  suite_.aead = static_cast<AeadId>(0x0004);
  EXPECT_TRUE(FailsWith(SealWith(Sender(Mode::kBase)), Errc::kUnsupportedSuite));
}

TEST_F(SetupTest, RecipientKeyOfAnotherKemFails) {
  auto p256 = Dhkem::Create(KemId::kP256HkdfSha256);
  auto other = p256->GenerateKeyPair(crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(other);
  EXPECT_TRUE(FailsWith(Seal(suite_, other->public_key, Sender(Mode::kBase), kAad, kPlaintext,
                             crypto::SystemRandom::Get()),
                        Errc::kKeyTypeMismatch));
}

TEST_F(SetupTest, ExhaustedRandomnessFailsSetup) {
  ReplayRandom random(Bytes(8, 0));
  EXPECT_FALSE(SetupSender(suite_, recipient_->public_key, Sender(Mode::kBase), random).ok());
}

TEST_F(SetupTest, SendAndReceiveExportAgree) {
  for (Mode mode : {Mode::kBase, Mode::kPsk, Mode::kAuth, Mode::kAuthPsk}) {
    auto sent = SendExport(suite_, recipient_->public_key, Sender(mode), AsBytes("exp"), 40,
                           crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(sent);
    auto received = ReceiveExport(suite_, sent->enc, recipient_->private_key, Recipient(mode),
                                  AsBytes("exp"), 40);
    TEEPNET_ASSERT_OK(received);
    EXPECT_EQ(ToHex(received->view()), ToHex(sent->exported.view()));
  }
}

// Single-shot base mode over every KEM x AEAD combination the project offers.
class SingleShotTest : public ::testing::TestWithParam<Suite> {};

TEST_P(SingleShotTest, SealBaseOpensWithOpenBase) {
  const Suite suite = GetParam();
  auto kem = Dhkem::Create(suite.kem);
  TEEPNET_ASSERT_OK(kem);
  auto recipient = kem->GenerateKeyPair(crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(recipient);
  auto sealed =
      SealBase(suite, recipient->public_key, kInfo, kAad, kPlaintext, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  EXPECT_EQ(sealed->enc.size(), kem->info().n_enc);
  auto pt = OpenBase(suite, sealed->enc, recipient->private_key, kInfo, kAad, sealed->ciphertext);
  TEEPNET_ASSERT_OK(pt);
  EXPECT_EQ(ToHex(pt->view()), ToHex(kPlaintext));
  EXPECT_TRUE(FailsWith(
      OpenBase(suite, sealed->enc, recipient->private_key, kInfo, kPlaintext, sealed->ciphertext),
      Errc::kOpenFailed));
}

std::vector<Suite> AllEncryptingSuites() {
  std::vector<Suite> out;
  for (KemId kem : {KemId::kP256HkdfSha256, KemId::kP384HkdfSha384, KemId::kP521HkdfSha512,
                    KemId::kX25519HkdfSha256}) {
    for (KdfId kdf : {KdfId::kHkdfSha256, KdfId::kHkdfSha384, KdfId::kHkdfSha512}) {
      for (AeadId aead : {AeadId::kAes128Gcm, AeadId::kAes256Gcm, AeadId::kChaCha20Poly1305}) {
        out.push_back(Suite{kem, kdf, aead});
      }
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllSuites, SingleShotTest, ::testing::ValuesIn(AllEncryptingSuites()),
                         [](const ::testing::TestParamInfo<Suite>& param_info) {
                           return "Kem" + std::to_string(static_cast<int>(param_info.param.kem)) +
                                  "Kdf" + std::to_string(static_cast<int>(param_info.param.kdf)) +
                                  "Aead" + std::to_string(static_cast<int>(param_info.param.aead));
                         });

}  // namespace
}  // namespace teepnet::hpke
