#include "teepnet/crypto/signature.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::Base64OrDie;
using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;
using ::teepnet::testing::ReadVectorJson;

// RFC 8032 §7.1, TEST 1-3.
TEST(Ed25519Test, Rfc8032VectorsSignAndVerify) {
  struct Case {
    std::string secret, pub, message, sig;
  };
  const Case cases[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
       "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
       "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
      {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
       "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760"
       "984dc6594a7c15e9716ed28dc027beceea1ec40a"},
  };
  for (const Case& c : cases) {
    auto key = PrivateKey::FromRaw(KeyType::kEd25519, HexOrDie(c.secret));
    TEEPNET_ASSERT_OK(key);
    Bytes msg = HexOrDie(c.message);
    auto sig = Sign(*key, SignatureAlgorithm::kEd25519, msg);
    TEEPNET_ASSERT_OK(sig);
    EXPECT_EQ(ToHex(*sig), c.sig);
    auto pub = PublicKey::FromRaw(KeyType::kEd25519, HexOrDie(c.pub));
    TEEPNET_ASSERT_OK(pub);
    TEEPNET_EXPECT_OK(Verify(*pub, SignatureAlgorithm::kEd25519, msg, *sig));
    Bytes bad = *sig;
    bad[10] ^= 4;
    EXPECT_TRUE(
        FailsWith(Verify(*pub, SignatureAlgorithm::kEd25519, msg, bad), Errc::kSignatureInvalid));
  }
}

// COSE WG examples (RFC 9052 Appendix C.1.1 shape): ES256 over ToBeSigned with key "11".
TEST(EcdsaTest, CoseExampleSignatureVerifies) {
  for (const char* file : {"cose/ecdsa-examples/ecdsa-01.json"}) {
    nlohmann::json v = ReadVectorJson(file);
    const auto& key = v["input"]["sign"]["signers"][0]["key"];
    auto pub = PublicKey::FromCoordinates(KeyType::kP256, Base64OrDie(key["x"].get<std::string>()),
                                          Base64OrDie(key["y"].get<std::string>()));
    TEEPNET_ASSERT_OK(pub);
    Bytes tbs = HexOrDie(v["intermediates"]["signers"][0]["ToBeSign_hex"].get<std::string>());
    Bytes cbor = HexOrDie(v["output"]["cbor"].get<std::string>());
    // The signature is the final 64-byte bstr of the COSE_Sign structure.
    ASSERT_GE(cbor.size(), 64u);
    Bytes sig(cbor.end() - 64, cbor.end());
    TEEPNET_EXPECT_OK(Verify(*pub, SignatureAlgorithm::kEcdsaSha256, tbs, sig));
    tbs.back() ^= 1;
    EXPECT_TRUE(FailsWith(Verify(*pub, SignatureAlgorithm::kEcdsaSha256, tbs, sig),
                          Errc::kSignatureInvalid));
  }
}

// ECDSA verification keeps a per-thread context for the last key: switching keys, switching
// the hash, and a new key that may reuse a freed key's address must each verify afresh.
TEST(EcdsaTest, KeysTakenInTurnEachVerifyOnlyTheirOwnSignatures) {
  const Bytes msg = ToBytes(std::string_view("teepnet ecdsa key switching"));
  auto a = PrivateKey::Generate(KeyType::kP256);
  auto b = PrivateKey::Generate(KeyType::kP256);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  auto sig_a = Sign(*a, SignatureAlgorithm::kEcdsaSha256, msg);
  auto sig_b = Sign(*b, SignatureAlgorithm::kEcdsaSha256, msg);
  auto sig_a384 = Sign(*a, SignatureAlgorithm::kEcdsaSha384, msg);
  TEEPNET_ASSERT_OK(sig_a);
  TEEPNET_ASSERT_OK(sig_b);
  TEEPNET_ASSERT_OK(sig_a384);
  const PublicKey pa = a->public_key();
  const PublicKey pb = b->public_key();
  for (int round = 0; round < 3; ++round) {
    TEEPNET_EXPECT_OK(Verify(pa, SignatureAlgorithm::kEcdsaSha256, msg, *sig_a));
    EXPECT_TRUE(FailsWith(Verify(pb, SignatureAlgorithm::kEcdsaSha256, msg, *sig_a),
                          Errc::kSignatureInvalid));
    TEEPNET_EXPECT_OK(Verify(pb, SignatureAlgorithm::kEcdsaSha256, msg, *sig_b));
    EXPECT_TRUE(FailsWith(Verify(pa, SignatureAlgorithm::kEcdsaSha256, msg, *sig_b),
                          Errc::kSignatureInvalid));
    TEEPNET_EXPECT_OK(Verify(pa, SignatureAlgorithm::kEcdsaSha384, msg, *sig_a384));
    EXPECT_TRUE(FailsWith(Verify(pa, SignatureAlgorithm::kEcdsaSha256, msg, *sig_a384),
                          Errc::kSignatureInvalid));
  }
  for (int round = 0; round < 3; ++round) {
    Bytes old_sig;
    {
      auto gone = PrivateKey::Generate(KeyType::kP256);
      TEEPNET_ASSERT_OK(gone);
      auto s = Sign(*gone, SignatureAlgorithm::kEcdsaSha256, msg);
      TEEPNET_ASSERT_OK(s);
      TEEPNET_EXPECT_OK(Verify(gone->public_key(), SignatureAlgorithm::kEcdsaSha256, msg, *s));
      old_sig = *s;
    }
    auto fresh = PrivateKey::Generate(KeyType::kP256);
    TEEPNET_ASSERT_OK(fresh);
    EXPECT_TRUE(
        FailsWith(Verify(fresh->public_key(), SignatureAlgorithm::kEcdsaSha256, msg, old_sig),
                  Errc::kSignatureInvalid));
  }
}

// ECDSA signing reuses contexts kept with the key: a key signing in turn with two hashes, and
// from several threads at once, must give a fresh, valid signature every time (a context
// handed to two callers, or one set up for the other hash, would show here).
TEST(EcdsaTest, OneKeySignsWithBothHashesAndFromManyThreadsAtOnce) {
  const Bytes msg = ToBytes(std::string_view("teepnet ecdsa signing contexts"));
  auto key = PrivateKey::Generate(KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  const PublicKey pub = key->public_key();
  for (int round = 0; round < 3; ++round) {
    auto s256 = Sign(*key, SignatureAlgorithm::kEcdsaSha256, msg);
    auto s384 = Sign(*key, SignatureAlgorithm::kEcdsaSha384, msg);
    TEEPNET_ASSERT_OK(s256);
    TEEPNET_ASSERT_OK(s384);
    TEEPNET_EXPECT_OK(Verify(pub, SignatureAlgorithm::kEcdsaSha256, msg, *s256));
    TEEPNET_EXPECT_OK(Verify(pub, SignatureAlgorithm::kEcdsaSha384, msg, *s384));
    EXPECT_TRUE(FailsWith(Verify(pub, SignatureAlgorithm::kEcdsaSha256, msg, *s384),
                          Errc::kSignatureInvalid));
  }
  constexpr int kThreads = 6;
  constexpr int kSignsPerThread = 40;
  std::vector<std::vector<Bytes>> sigs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSignsPerThread; ++i) {
        auto s = Sign(*key, SignatureAlgorithm::kEcdsaSha256, msg);
        if (s.ok()) sigs[t].push_back(*s);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<Bytes> all;
  for (const auto& per_thread : sigs) {
    ASSERT_EQ(per_thread.size(), static_cast<size_t>(kSignsPerThread));
    for (const Bytes& s : per_thread) {
      TEEPNET_EXPECT_OK(Verify(pub, SignatureAlgorithm::kEcdsaSha256, msg, s));
      all.push_back(s);
    }
  }
  // ECDSA draws a fresh nonce per signature (RFC 6979 is not used): no two may be equal.
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

struct RoundTrip {
  KeyType key;
  SignatureAlgorithm alg;
  size_t sig_size;  // 0: variable
};

class SignatureRoundTripTest : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(SignatureRoundTripTest, SignedMessageVerifiesAndTamperingFails) {
  const RoundTrip& p = GetParam();
  auto key = PrivateKey::Generate(p.key);
  TEEPNET_ASSERT_OK(key);
  Bytes msg = ToBytes(std::string_view("teepnet signature round trip"));
  auto sig = Sign(*key, p.alg, msg);
  TEEPNET_ASSERT_OK(sig);
  if (p.sig_size != 0) {
    EXPECT_EQ(sig->size(), p.sig_size);
  }
  PublicKey pub = key->public_key();
  TEEPNET_EXPECT_OK(Verify(pub, p.alg, msg, *sig));
  // A fresh public key object from the SPKI verifies too.
  auto spki = PublicKey::FromSpkiDer(pub.ToSpkiDer());
  TEEPNET_ASSERT_OK(spki);
  TEEPNET_EXPECT_OK(Verify(*spki, p.alg, msg, *sig));

  Bytes bad_msg = msg;
  bad_msg[0] ^= 1;
  EXPECT_TRUE(FailsWith(Verify(pub, p.alg, bad_msg, *sig), Errc::kSignatureInvalid));
  for (size_t i = 0; i < sig->size(); i += 5) {
    Bytes bad = *sig;
    bad[i] ^= 0x20;
    EXPECT_TRUE(FailsWith(Verify(pub, p.alg, msg, bad), Errc::kSignatureInvalid)) << i;
  }
  EXPECT_TRUE(FailsWith(Verify(pub, p.alg, msg, ByteView(*sig).first(sig->size() - 1)),
                        Errc::kSignatureInvalid));
  EXPECT_TRUE(FailsWith(Verify(pub, p.alg, msg, {}), Errc::kSignatureInvalid));
  auto other = PrivateKey::Generate(p.key);
  TEEPNET_ASSERT_OK(other);
  EXPECT_TRUE(FailsWith(Verify(other->public_key(), p.alg, msg, *sig), Errc::kSignatureInvalid));
}

INSTANTIATE_TEST_SUITE_P(
    AllAlgorithms, SignatureRoundTripTest,
    ::testing::Values(RoundTrip{KeyType::kP256, SignatureAlgorithm::kEcdsaSha256, 64},
                      RoundTrip{KeyType::kP256, SignatureAlgorithm::kEcdsaSha512, 64},
                      RoundTrip{KeyType::kP384, SignatureAlgorithm::kEcdsaSha384, 96},
                      RoundTrip{KeyType::kP521, SignatureAlgorithm::kEcdsaSha512, 132},
                      RoundTrip{KeyType::kEd25519, SignatureAlgorithm::kEd25519, 64},
                      RoundTrip{KeyType::kSm2, SignatureAlgorithm::kSm2Sm3, 64},
                      RoundTrip{KeyType::kRsa, SignatureAlgorithm::kRsaPssSha256, 256},
                      RoundTrip{KeyType::kRsa, SignatureAlgorithm::kRsaPssSha384, 256},
                      RoundTrip{KeyType::kRsa, SignatureAlgorithm::kRsaPssSha512, 256},
                      RoundTrip{KeyType::kRsa, SignatureAlgorithm::kRsaPkcs1Sha256, 256}));

TEST(Sm2Test, DistinguishingIdIsBoundIntoTheSignature) {
  auto key = PrivateKey::Generate(KeyType::kSm2);
  TEEPNET_ASSERT_OK(key);
  Bytes msg = {1, 2, 3, 4};
  ByteView id = AsBytes("HYGON-SSD-PEK");
  auto sig = SignSm2(*key, id, msg);
  TEEPNET_ASSERT_OK(sig);
  TEEPNET_EXPECT_OK(VerifySm2(key->public_key(), id, msg, *sig));
  EXPECT_TRUE(FailsWith(VerifySm2(key->public_key(), AsBytes("HYGON-SSD-CEK"), msg, *sig),
                        Errc::kSignatureInvalid));
  // Without an explicit ID the default "1234567812345678" applies.
  EXPECT_TRUE(FailsWith(Verify(key->public_key(), SignatureAlgorithm::kSm2Sm3, msg, *sig),
                        Errc::kSignatureInvalid));
  auto default_sig = Sign(*key, SignatureAlgorithm::kSm2Sm3, msg);
  TEEPNET_ASSERT_OK(default_sig);
  TEEPNET_EXPECT_OK(VerifySm2(key->public_key(), AsBytes("1234567812345678"), msg, *default_sig));
}

TEST(SignatureTest, KeyOfTheWrongTypeFails) {
  auto ed = PrivateKey::Generate(KeyType::kEd25519);
  auto p256 = PrivateKey::Generate(KeyType::kP256);
  auto sm2 = PrivateKey::Generate(KeyType::kSm2);
  auto x = PrivateKey::Generate(KeyType::kX25519);
  Bytes msg = {1};
  EXPECT_TRUE(FailsWith(Sign(*ed, SignatureAlgorithm::kEcdsaSha256, msg), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Sign(*p256, SignatureAlgorithm::kEd25519, msg), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Sign(*sm2, SignatureAlgorithm::kEcdsaSha256, msg), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Sign(*p256, SignatureAlgorithm::kSm2Sm3, msg), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(FailsWith(Sign(*x, SignatureAlgorithm::kEd25519, msg), Errc::kKeyTypeMismatch));
  EXPECT_TRUE(
      FailsWith(Verify(p256->public_key(), SignatureAlgorithm::kRsaPssSha256, msg, Bytes(256, 1)),
                Errc::kKeyTypeMismatch));
}

TEST(EcdsaEncodingTest, RawAndDerConvertBothWays) {
  Bytes raw(64);
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(i + 1);
  raw[0] = 0x80;  // r needs a leading zero in DER
  raw[32] = 0;    // s has a leading zero byte in raw form
  auto der = EcdsaRawToDer(raw);
  TEEPNET_ASSERT_OK(der);
  EXPECT_EQ((*der)[0], 0x30);
  auto back = EcdsaDerToRaw(*der, 32);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, raw);
}

TEST(EcdsaEncodingTest, MalformedInputsFail) {
  EXPECT_TRUE(FailsWith(EcdsaRawToDer(Bytes(63, 1)), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(EcdsaRawToDer({}), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(EcdsaDerToRaw(Bytes{0x30, 0x00}, 32), Errc::kBadEncoding));
  Bytes der = *EcdsaRawToDer(Bytes(96, 0x7f));
  // r and s of 48 bytes do not fit a 32-byte curve.
  EXPECT_TRUE(FailsWith(EcdsaDerToRaw(der, 32), Errc::kBadEncoding));
  der.push_back(0);
  EXPECT_TRUE(FailsWith(EcdsaDerToRaw(der, 48), Errc::kBadEncoding));
}

}  // namespace
}  // namespace teepnet::crypto
