#include "teepnet/crypto/bench_baseline.h"

#include <gtest/gtest.h>

#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/ecdh.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::crypto::baseline {
namespace {

// The baselines must do the same work as the wrappers they are compared with, so each is
// checked against the teepnet call on the same input.

TEST(BareVerifierTest, AcceptsWhatTeepnetSignsAndRejectsTampering) {
  auto key = PrivateKey::Generate(KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  Bytes msg(100, 0x61);
  auto raw = Sign(*key, SignatureAlgorithm::kEcdsaSha256, msg);
  TEEPNET_ASSERT_OK(raw);
  auto der = EcdsaRawToDer(*raw);
  TEEPNET_ASSERT_OK(der);
  BareVerifier verifier(key->public_key(), HashAlgorithm::kSha256);
  EXPECT_TRUE(verifier.VerifyDer(msg, *der));
  EXPECT_TRUE(verifier.VerifyDer(msg, *der));  // the context is reusable
  msg[0] ^= 1;
  EXPECT_FALSE(verifier.VerifyDer(msg, *der));
}

TEST(BareVerifierTest, ChecksSm2SignaturesUnderTheirDistinguishingIdentifier) {
  auto key = PrivateKey::Generate(KeyType::kSm2);
  TEEPNET_ASSERT_OK(key);
  Bytes msg(180, 0x63);
  const std::string_view uid = "HYGON-SSD-CEK";
  auto raw = SignSm2(*key, AsBytes(uid), msg);
  TEEPNET_ASSERT_OK(raw);
  TEEPNET_EXPECT_OK(VerifySm2(key->public_key(), AsBytes(uid), msg, *raw));
  auto der = EcdsaRawToDer(*raw);
  TEEPNET_ASSERT_OK(der);
  BareVerifier verifier(key->public_key(), AsBytes(uid));
  EXPECT_TRUE(verifier.VerifyDer(msg, *der));
  EXPECT_TRUE(verifier.VerifyDer(msg, *der));  // the context is reusable
  // The identifier enters the signed hash: another one (here the GM/T default) must fail.
  BareVerifier other_id(key->public_key(), AsBytes(std::string_view("1234567812345678")));
  EXPECT_FALSE(other_id.VerifyDer(msg, *der));
  msg[0] ^= 1;
  EXPECT_FALSE(verifier.VerifyDer(msg, *der));
}

TEST(BareSignerTest, SignaturesVerifyThroughTeepnet) {
  for (KeyType type : {KeyType::kP384, KeyType::kEd25519}) {
    auto key = PrivateKey::Generate(type);
    TEEPNET_ASSERT_OK(key);
    Bytes msg(64, 0x62), sig;
    BareSigner signer(*key, HashAlgorithm::kSha384);
    ASSERT_TRUE(signer.Sign(msg, sig));
    if (type == KeyType::kEd25519) {
      TEEPNET_EXPECT_OK(Verify(key->public_key(), SignatureAlgorithm::kEd25519, msg, sig));
      BareVerifier verifier(key->public_key(), HashAlgorithm::kSha384);
      EXPECT_TRUE(verifier.VerifyEd25519(msg, sig));
    } else {
      auto raw = EcdsaDerToRaw(sig, CoordinateSize(type));
      TEEPNET_ASSERT_OK(raw);
      TEEPNET_EXPECT_OK(Verify(key->public_key(), SignatureAlgorithm::kEcdsaSha384, msg, *raw));
    }
  }
}

TEST(BareAeadTest, SealMatchesTeepnetAndOpens) {
  Bytes key(16, 1), nonce(12, 2), aad = {3, 4}, pt(1000, 5), out, back;
  ASSERT_TRUE(BareAesGcmSeal(key, nonce, aad, pt, out));
  auto sealed = AeadSeal(AeadAlgorithm::kAes128Gcm, key, nonce, aad, pt);
  TEEPNET_ASSERT_OK(sealed);
  EXPECT_EQ(out, *sealed);
  BareAead chacha(AeadAlgorithm::kChaCha20Poly1305);
  Bytes key32(32, 7);
  ASSERT_TRUE(chacha.Seal(key32, nonce, aad, pt, out));
  EXPECT_EQ(out, *AeadSeal(AeadAlgorithm::kChaCha20Poly1305, key32, nonce, aad, pt));
  ASSERT_TRUE(chacha.Open(key32, nonce, aad, out, back));
  EXPECT_EQ(back, pt);
  out[3] ^= 1;
  EXPECT_FALSE(chacha.Open(key32, nonce, aad, out, back));
}

TEST(BareDeriveTest, MatchesTeepnetEcdhAndDigest) {
  auto a = PrivateKey::Generate(KeyType::kX25519);
  auto b = PrivateKey::Generate(KeyType::kX25519);
  Bytes shared;
  ASSERT_TRUE(BareDerive(*a, b->public_key(), shared));
  auto ours = Ecdh(*a, b->public_key());
  TEEPNET_ASSERT_OK(ours);
  EXPECT_EQ(shared, ToBytes(ours->view()));
  Bytes digest;
  ASSERT_TRUE(BareDigest(HashAlgorithm::kSha512, shared, digest));
  EXPECT_EQ(digest, Digest(HashAlgorithm::kSha512, shared));
}

TEST(BareHkdfTest, MatchesTeepnetExtractThenExpand) {
  Bytes salt(13, 1), ikm(22, 2), info(10, 3), okm(42);
  ASSERT_TRUE(BareHkdf(HashAlgorithm::kSha256, salt, ikm, info, okm));
  auto ours = Hkdf(HashAlgorithm::kSha256, salt, ikm, info, okm.size());
  TEEPNET_ASSERT_OK(ours);
  EXPECT_EQ(okm, ToBytes(ours->view()));
}

}  // namespace
}  // namespace teepnet::crypto::baseline
