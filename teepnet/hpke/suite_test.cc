#include "teepnet/hpke/suite.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;

TEST(SuiteTest, EverySupportedIdentifierIsAccepted) {
  for (uint16_t kem : {0x0010, 0x0011, 0x0012, 0x0020}) {
    for (uint16_t kdf : {0x0001, 0x0002, 0x0003}) {
      for (uint16_t aead : {0x0001, 0x0002, 0x0003, 0xFFFF}) {
        TEEPNET_EXPECT_OK(SuiteFromWire(kem, kdf, aead));
      }
    }
  }
}

TEST(SuiteTest, UnknownOrReservedIdentifiersAreUnsupported) {
  // 0x0021 is DHKEM(X448), which OpenSSL 3.0 could do but this project does not offer; 0x0000
  // is reserved in every table (RFC 9180 §7).
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0021, 1, 1), Errc::kUnsupportedSuite));
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0000, 1, 1), Errc::kUnsupportedSuite));
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0020, 0x0000, 1), Errc::kUnsupportedSuite));
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0020, 0x0004, 1), Errc::kUnsupportedSuite));
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0020, 1, 0x0000), Errc::kUnsupportedSuite));
  EXPECT_TRUE(FailsWith(SuiteFromWire(0x0020, 1, 0x0004), Errc::kUnsupportedSuite));
}

TEST(SuiteTest, ModesAboveAuthPskAreUnsupported) {
  for (uint8_t mode = 0; mode <= 3; ++mode) TEEPNET_EXPECT_OK(ModeFromWire(mode));
  EXPECT_TRUE(FailsWith(ModeFromWire(4), Errc::kUnsupportedMode));
  EXPECT_TRUE(FailsWith(ModeFromWire(0xff), Errc::kUnsupportedMode));
}

TEST(SuiteTest, SuiteIdsFollowTheRfcFraming) {
  const Suite suite{KemId::kX25519HkdfSha256, KdfId::kHkdfSha256, AeadId::kExportOnly};
  EXPECT_EQ(ToHex(HpkeSuiteId(suite)),
            "48504b45"
            "0020"
            "0001"
            "ffff");
  EXPECT_EQ(ToHex(KemSuiteId(KemId::kP521HkdfSha512)),
            "4b454d"
            "0012");
}

TEST(SuiteTest, KemSizesMatchTable2) {
  struct Row {
    KemId kem;
    size_t n_secret, n_enc, n_pk, n_sk;
  };
  for (const Row& row :
       {Row{KemId::kP256HkdfSha256, 32, 65, 65, 32}, Row{KemId::kP384HkdfSha384, 48, 97, 97, 48},
        Row{KemId::kP521HkdfSha512, 64, 133, 133, 66},
        Row{KemId::kX25519HkdfSha256, 32, 32, 32, 32}}) {
    auto info = LookupKem(row.kem);
    TEEPNET_ASSERT_OK(info);
    EXPECT_EQ(info->n_secret, row.n_secret);
    EXPECT_EQ(info->n_enc, row.n_enc);
    EXPECT_EQ(info->n_pk, row.n_pk);
    EXPECT_EQ(info->n_sk, row.n_sk);
  }
  EXPECT_EQ(LookupKem(KemId::kP521HkdfSha512)->bitmask, 0x01);
  EXPECT_EQ(LookupKem(KemId::kP384HkdfSha384)->bitmask, 0xff);
}

TEST(SuiteTest, ExportOnlyAeadHasNoKeyOrNonce) {
  auto info = LookupAead(AeadId::kExportOnly);
  TEEPNET_ASSERT_OK(info);
  EXPECT_FALSE(info->algorithm.has_value());
  EXPECT_EQ(info->n_k, 0u);
  EXPECT_EQ(info->n_n, 0u);
}

}  // namespace
}  // namespace teepnet::hpke
