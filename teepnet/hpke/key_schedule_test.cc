#include "teepnet/hpke/key_schedule.h"

#include <gtest/gtest.h>

#include "teepnet/hpke/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;

const Bytes kPsk(32, 0x5a);
const Bytes kPskId = {'i', 'd'};

TEST(VerifyPskInputsTest, PskWithoutIdFails) {
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kPsk, PskInputs{kPsk, {}}), Errc::kBadPsk));
}

TEST(VerifyPskInputsTest, IdWithoutPskFails) {
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kAuthPsk, PskInputs{{}, kPskId}), Errc::kBadPsk));
}

TEST(VerifyPskInputsTest, PskInBaseOrAuthModeFails) {
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kBase, PskInputs{kPsk, kPskId}), Errc::kBadPsk));
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kAuth, PskInputs{kPsk, kPskId}), Errc::kBadPsk));
}

TEST(VerifyPskInputsTest, MissingPskInPskModesFails) {
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kPsk, PskInputs{}), Errc::kBadPsk));
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kAuthPsk, PskInputs{}), Errc::kBadPsk));
}

TEST(VerifyPskInputsTest, PskShorterThan32BytesFails) {
  const Bytes short_psk(31, 0x5a);
  EXPECT_TRUE(FailsWith(VerifyPskInputs(Mode::kPsk, PskInputs{short_psk, kPskId}), Errc::kBadPsk));
}

TEST(VerifyPskInputsTest, ConsistentInputsPass) {
  TEEPNET_EXPECT_OK(VerifyPskInputs(Mode::kBase, PskInputs{}));
  TEEPNET_EXPECT_OK(VerifyPskInputs(Mode::kAuth, PskInputs{}));
  TEEPNET_EXPECT_OK(VerifyPskInputs(Mode::kPsk, PskInputs{kPsk, kPskId}));
  TEEPNET_EXPECT_OK(VerifyPskInputs(Mode::kAuthPsk, PskInputs{kPsk, kPskId}));
}

TEST(KeyScheduleTest, ExportOnlySuiteDerivesOnlyTheExporterSecret) {
  const Suite suite{KemId::kX25519HkdfSha256, KdfId::kHkdfSha512, AeadId::kExportOnly};
  auto out = KeySchedule(suite, Mode::kBase, Bytes(32, 1), {}, PskInputs{});
  TEEPNET_ASSERT_OK(out);
  EXPECT_TRUE(out->key.empty());
  EXPECT_TRUE(out->base_nonce.empty());
  EXPECT_EQ(out->exporter_secret.size(), 64u);
  EXPECT_EQ(out->key_schedule_context.size(), 1u + 64 + 64);
}

TEST(KeyScheduleTest, SizesFollowTheAead) {
  const Suite suite{KemId::kP256HkdfSha256, KdfId::kHkdfSha384, AeadId::kChaCha20Poly1305};
  auto out = KeySchedule(suite, Mode::kPsk, Bytes(32, 1), {}, PskInputs{kPsk, kPskId});
  TEEPNET_ASSERT_OK(out);
  EXPECT_EQ(out->key.size(), 32u);
  EXPECT_EQ(out->base_nonce.size(), 12u);
  EXPECT_EQ(out->exporter_secret.size(), 48u);
  EXPECT_EQ(out->key_schedule_context.front(), 0x01);
}

TEST(KeyScheduleTest, UndefinedModeFails) {
  const Suite suite{KemId::kP256HkdfSha256, KdfId::kHkdfSha256, AeadId::kAes128Gcm};
  EXPECT_TRUE(FailsWith(KeySchedule(suite, static_cast<Mode>(7), Bytes(32, 1), {}, PskInputs{}),
                        Errc::kUnsupportedMode));
}

}  // namespace
}  // namespace teepnet::hpke
