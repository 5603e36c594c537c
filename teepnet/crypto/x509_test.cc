#include "teepnet/crypto/x509.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/test_certs.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::crypto::testing::CertSpec;
using ::teepnet::crypto::testing::MakeCert;
using ::teepnet::crypto::testing::MakeCrl;
using ::teepnet::testing::FailsWith;

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1750000000;  // 2025-06-15

struct Pki {
  PrivateKey root_key, inter_key, leaf_key;
  Certificate root, inter, leaf;
};

Pki MakePki(KeyType type, HashAlgorithm hash = HashAlgorithm::kSha256) {
  PrivateKey root_key = *PrivateKey::Generate(type);
  PrivateKey inter_key = *PrivateKey::Generate(type);
  PrivateKey leaf_key = *PrivateKey::Generate(type);
  CertSpec root{"Root", "Root", kNow - 100 * kDay, kNow + 100 * kDay, 1, true, 1};
  root.hash = hash;
  CertSpec inter{"Inter", "Root", kNow - 50 * kDay, kNow + 50 * kDay, 2, true, 0};
  inter.hash = hash;
  CertSpec leaf{"Leaf", "Inter", kNow - 10 * kDay, kNow + 10 * kDay, 3, false};
  leaf.hash = hash;
  Certificate root_cert = MakeCert(root, root_key.public_key(), root_key);
  Certificate inter_cert = MakeCert(inter, inter_key.public_key(), root_key);
  Certificate leaf_cert = MakeCert(leaf, leaf_key.public_key(), inter_key);
  return Pki{std::move(root_key),  std::move(inter_key),  std::move(leaf_key),
             std::move(root_cert), std::move(inter_cert), std::move(leaf_cert)};
}

ChainOptions At(int64_t t) {
  ChainOptions o;
  o.at_unix_time = t;
  return o;
}

TEST(GeneratedChainTest, EcdsaP256AndP384AndSm2ChainsVerify) {
  for (auto [type, hash] : {std::pair{KeyType::kP256, HashAlgorithm::kSha256},
                            std::pair{KeyType::kP384, HashAlgorithm::kSha384},
                            std::pair{KeyType::kSm2, HashAlgorithm::kSm3},
                            std::pair{KeyType::kEd25519, HashAlgorithm::kSha256}}) {
    SCOPED_TRACE(KeyTypeName(type));
    Pki pki = MakePki(type, hash);
    TEEPNET_EXPECT_OK(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, At(kNow)));
    // The intermediate alone chains too, and the root is its own anchor.
    TEEPNET_EXPECT_OK(VerifyChain(pki.inter, {}, {pki.root}, At(kNow)));
    TEEPNET_EXPECT_OK(VerifyChain(pki.root, {}, {pki.root}, At(kNow)));
  }
}

TEST(GeneratedChainTest, FieldsReadBack) {
  Pki pki = MakePki(KeyType::kP256);
  EXPECT_EQ(pki.leaf.subject(), "CN=Leaf,O=teepnet tests");
  EXPECT_EQ(pki.leaf.issuer(), "CN=Inter,O=teepnet tests");
  EXPECT_EQ(pki.leaf.serial(), Bytes{3});
  EXPECT_EQ(pki.leaf.not_before(), kNow - 10 * kDay);
  EXPECT_EQ(pki.leaf.not_after(), kNow + 10 * kDay);
  EXPECT_FALSE(pki.leaf.is_ca());
  EXPECT_TRUE(pki.inter.is_ca());
  auto key = pki.leaf.public_key();
  TEEPNET_ASSERT_OK(key);
  EXPECT_TRUE(key->Equals(pki.leaf_key.public_key()));
  // basicConstraints (2.5.29.19) of a CA: SEQUENCE { BOOLEAN TRUE, INTEGER 0 }.
  auto bc = pki.inter.Extension("2.5.29.19");
  ASSERT_TRUE(bc.has_value());
  EXPECT_EQ(ToHex(*bc), "30060101ff020100");
  EXPECT_FALSE(pki.leaf.Extension("1.3.6.1.4.1.3704.1.3.1").has_value());
  EXPECT_FALSE(pki.leaf.Extension("not an oid").has_value());
  auto again = Certificate::FromDer(pki.leaf.der());
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(again->der(), pki.leaf.der());
}

TEST(GeneratedChainTest, ExpiredOrNotYetValidCertificateFails) {
  Pki pki = MakePki(KeyType::kP256);
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, At(kNow + 11 * kDay)),
                        Errc::kCertificateExpired));
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, At(kNow - 11 * kDay)),
                        Errc::kCertificateExpired));
  // The root's own validity counts too.
  EXPECT_TRUE(FailsWith(VerifyChain(pki.root, {}, {pki.root}, At(kNow + 101 * kDay)),
                        Errc::kCertificateExpired));
}

TEST(GeneratedChainTest, WrongRootFails) {
  Pki pki = MakePki(KeyType::kP256);
  Pki other = MakePki(KeyType::kP256);  // same names, different keys
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {other.root}, At(kNow)),
                        Errc::kCertificateInvalid));
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {}, {pki.root}, At(kNow)), Errc::kChainUntrusted));
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {}, At(kNow)), Errc::kChainUntrusted));
  // A copy of the root inside the intermediates does not make it a trust anchor.
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter, pki.root}, {other.root}, At(kNow)),
                        Errc::kChainUntrusted));
}

TEST(GeneratedChainTest, NonCaIntermediateFails) {
  Pki pki = MakePki(KeyType::kP256);
  PrivateKey fake_key = *PrivateKey::Generate(KeyType::kP256);
  Certificate not_ca = MakeCert({"Inter", "Root", kNow - kDay, kNow + kDay, 7, false},
                                pki.inter_key.public_key(), pki.root_key);
  EXPECT_TRUE(
      FailsWith(VerifyChain(pki.leaf, {not_ca}, {pki.root}, At(kNow)), Errc::kCertificateInvalid));
}

TEST(GeneratedChainTest, PathLengthConstraintIsEnforced) {
  Pki pki = MakePki(KeyType::kP256);  // the intermediate has pathlen 0
  PrivateKey sub_key = *PrivateKey::Generate(KeyType::kP256);
  Certificate sub = MakeCert({"Sub", "Inter", kNow - kDay, kNow + kDay, 8, true},
                             sub_key.public_key(), pki.inter_key);
  Certificate leaf = MakeCert({"Leaf2", "Sub", kNow - kDay, kNow + kDay, 9, false},
                              pki.leaf_key.public_key(), sub_key);
  EXPECT_TRUE(FailsWith(VerifyChain(leaf, {sub, pki.inter}, {pki.root}, At(kNow)),
                        Errc::kCertificateInvalid));
}

TEST(GeneratedChainTest, UnknownCriticalExtensionFails) {
  Pki pki = MakePki(KeyType::kP256);
  CertSpec spec{"Leaf", "Inter", kNow - kDay, kNow + kDay, 10, false};
  spec.unknown_critical = true;
  Certificate leaf = MakeCert(spec, pki.leaf_key.public_key(), pki.inter_key);
  EXPECT_TRUE(
      FailsWith(VerifyChain(leaf, {pki.inter}, {pki.root}, At(kNow)), Errc::kCertificateInvalid));
}

TEST(GeneratedChainTest, TamperedCertificateFails) {
  Pki pki = MakePki(KeyType::kP384, HashAlgorithm::kSha384);
  Bytes der = pki.leaf.der();
  // Flip a bit inside the subject CN ("Leaf" → "Lean"), keeping the DER well formed.
  std::string text(AsChars(der));
  size_t at = text.find("Leaf");
  ASSERT_NE(at, std::string::npos);
  der[at + 3] ^= 0x08;
  auto tampered = Certificate::FromDer(der);
  TEEPNET_ASSERT_OK(tampered);
  EXPECT_TRUE(FailsWith(VerifyChain(*tampered, {pki.inter}, {pki.root}, At(kNow)),
                        Errc::kCertificateInvalid));
}

TEST(GeneratedChainTest, RevokedCertificateFails) {
  Pki pki = MakePki(KeyType::kP256);
  Crl crl = MakeCrl(pki.inter, pki.inter_key, {3, 99}, kNow - kDay);
  EXPECT_TRUE(crl.IsRevoked(pki.leaf));
  EXPECT_FALSE(crl.IsRevoked(pki.inter));  // different issuer
  EXPECT_EQ(crl.issuer(), "CN=Inter,O=teepnet tests");
  EXPECT_EQ(crl.this_update(), kNow - kDay);
  EXPECT_EQ(crl.next_update(), kNow + 29 * kDay);
  ChainOptions options = At(kNow);
  options.crls = {crl};
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, options),
                        Errc::kCertificateRevoked));

  Crl clean = MakeCrl(pki.inter, pki.inter_key, {4}, kNow - kDay);
  Crl root_crl = MakeCrl(pki.root, pki.root_key, {}, kNow - kDay);
  options.crls = {clean, root_crl};
  options.require_crls = true;
  TEEPNET_EXPECT_OK(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, options));
  options.crls = {clean};
  EXPECT_TRUE(
      FailsWith(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, options), Errc::kChainUntrusted));
}

TEST(GeneratedChainTest, CrlSignedByAnotherKeyFails) {
  Pki pki = MakePki(KeyType::kP256);
  PrivateKey forger = *PrivateKey::Generate(KeyType::kP256);
  Crl forged = MakeCrl(pki.inter, forger, {}, kNow - kDay);
  ChainOptions options = At(kNow);
  options.crls = {forged};
  EXPECT_TRUE(FailsWith(VerifyChain(pki.leaf, {pki.inter}, {pki.root}, options),
                        Errc::kCertificateInvalid));
}

TEST(GeneratedChainTest, RsaPssSignedChainVerifies) {
  PrivateKey root_key = *PrivateKey::Generate(KeyType::kRsa);
  PrivateKey leaf_key = *PrivateKey::Generate(KeyType::kP384);
  CertSpec root{"RsaRoot", "RsaRoot", kNow - kDay, kNow + kDay, 1, true};
  root.rsa_pss = true;
  root.hash = HashAlgorithm::kSha384;
  CertSpec leaf{"EcLeaf", "RsaRoot", kNow - kDay, kNow + kDay, 2, false};
  leaf.rsa_pss = true;
  leaf.hash = HashAlgorithm::kSha384;
  Certificate root_cert = MakeCert(root, root_key.public_key(), root_key);
  Certificate leaf_cert = MakeCert(leaf, leaf_key.public_key(), root_key);
  TEEPNET_EXPECT_OK(VerifyChain(leaf_cert, {}, {root_cert}, At(kNow)));
}

TEST(CertificateParsingTest, MalformedInputsFail) {
  EXPECT_TRUE(FailsWith(Certificate::FromDer(Bytes{0x30, 0x01}), Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(Certificate::FromPem("nothing here"), Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(Certificate::ParsePemBundle(""), Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(
      Certificate::FromPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
      Errc::kBadEncoding));
  EXPECT_TRUE(FailsWith(Crl::FromDer(Bytes{0x30, 0x00}), Errc::kBadEncoding));
  Pki pki = MakePki(KeyType::kP256);
  Bytes der = pki.leaf.der();
  der.push_back(0);
  EXPECT_TRUE(FailsWith(Certificate::FromDer(der), Errc::kBadEncoding));
  for (size_t n = 0; n < pki.leaf.der().size(); n += 17) {
    EXPECT_FALSE(Certificate::FromDer(ByteView(pki.leaf.der()).first(n)).ok()) << n;
  }
}

}  // namespace
}  // namespace teepnet::crypto
