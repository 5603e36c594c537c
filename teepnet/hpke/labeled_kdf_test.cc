#include "teepnet/hpke/labeled_kdf.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::hpke {
namespace {

using ::teepnet::testing::FailsWith;

const Suite kSuite{KemId::kP256HkdfSha256, KdfId::kHkdfSha384, AeadId::kAes256Gcm};

TEST(LabeledKdfTest, ExtractFramesIkmWithVersionSuiteAndLabel) {
  auto kdf = LabeledKdf::ForSuite(kSuite);
  TEEPNET_ASSERT_OK(kdf);
  EXPECT_EQ(kdf->hash(), crypto::HashAlgorithm::kSha384);
  const Bytes salt = {1, 2, 3};
  const Bytes ikm = {9, 9};
  Bytes framed = ToBytes(std::string_view("HPKE-v1"));
  Append(framed, HpkeSuiteId(kSuite));
  Append(framed, AsBytes("secret"));
  Append(framed, ikm);
  auto expected = crypto::HkdfExtract(crypto::HashAlgorithm::kSha384, salt, framed);
  TEEPNET_ASSERT_OK(expected);
  auto got = kdf->Extract(salt, "secret", ikm);
  TEEPNET_ASSERT_OK(got);
  EXPECT_EQ(ToHex(got->view()), ToHex(expected->view()));
}

TEST(LabeledKdfTest, ExpandPrefixesTheTwoByteLength) {
  auto kdf = LabeledKdf::ForKem(KemId::kX25519HkdfSha256);
  TEEPNET_ASSERT_OK(kdf);
  const Bytes prk(32, 0x42);
  const Bytes info = {7};
  Bytes framed = {0x00, 0x2a};  // I2OSP(42, 2)
  Append(framed, AsBytes("HPKE-v1"));
  Append(framed, KemSuiteId(KemId::kX25519HkdfSha256));
  Append(framed, AsBytes("shared_secret"));
  Append(framed, info);
  auto expected = crypto::HkdfExpand(crypto::HashAlgorithm::kSha256, prk, framed, 42);
  TEEPNET_ASSERT_OK(expected);
  auto got = kdf->Expand(prk, "shared_secret", info, 42);
  TEEPNET_ASSERT_OK(got);
  EXPECT_EQ(ToHex(got->view()), ToHex(expected->view()));
}

TEST(LabeledKdfTest, ExpandOfZeroBytesIsEmpty) {
  auto kdf = LabeledKdf::ForSuite(kSuite);
  TEEPNET_ASSERT_OK(kdf);
  auto got = kdf->Expand(Bytes(48, 1), "sec", {}, 0);
  TEEPNET_ASSERT_OK(got);
  EXPECT_TRUE(got->empty());
}

TEST(LabeledKdfTest, ExpandBeyondHkdfLimitFails) {
  auto kdf = LabeledKdf::ForSuite(kSuite);
  TEEPNET_ASSERT_OK(kdf);
  TEEPNET_EXPECT_OK(kdf->Expand(Bytes(48, 1), "sec", {}, 255 * 48));
  EXPECT_TRUE(
      FailsWith(kdf->Expand(Bytes(48, 1), "sec", {}, 255 * 48 + 1), crypto::Errc::kBadLength));
  EXPECT_TRUE(FailsWith(kdf->Expand(Bytes(48, 1), "sec", {}, 70000), crypto::Errc::kBadLength));
}

}  // namespace
}  // namespace teepnet::hpke
