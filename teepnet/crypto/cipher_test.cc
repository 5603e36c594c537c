#include "teepnet/crypto/cipher.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;

struct GcmCase {
  const char* name;
  AeadAlgorithm alg;
  std::string key, iv, aad, pt, ct, tag;
};

// Known answers from "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega, Appendix B
// (the NIST submission): cases 3, 4 (AAD), 5 (64-bit IV), 6 (480-bit IV) and 16 (AES-256).
const std::string kGcmKey = "feffe9928665731c6d6a8f9467308308";
const std::string kGcmPt =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6"
    "b525b16aedf5aa0de657ba637b39";
const std::string kGcmAad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

const GcmCase kGcmCases[] = {
    {"case3", AeadAlgorithm::kAes128Gcm, kGcmKey, "cafebabefacedbaddecaf888", "",
     kGcmPt + "1aafd255",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac"
     "84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"case4", AeadAlgorithm::kAes128Gcm, kGcmKey, "cafebabefacedbaddecaf888", kGcmAad, kGcmPt,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac"
     "84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"case5", AeadAlgorithm::kAes128Gcm, kGcmKey, "cafebabefacedbad", kGcmAad, kGcmPt,
     "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4"
     "896b424989b5e1ebac0f07c23f4598",
     "3612d2e79e3b0785561be14aaca2fccb"},
    {"case6", AeadAlgorithm::kAes128Gcm, kGcmKey,
     "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a"
     "6b525416aedbf5a0de6a57a637b39b",
     kGcmAad, kGcmPt,
     "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d4"
     "8c7c6fd62875d2aca417034c34aee5",
     "619cc5aefffe0bfa462af43c1699d050"},
    {"case16", AeadAlgorithm::kAes256Gcm, kGcmKey + kGcmKey, "cafebabefacedbaddecaf888", kGcmAad,
     kGcmPt,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"
     "828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    // RFC 8439 §2.8.2.
    {"rfc8439", AeadAlgorithm::kChaCha20Poly1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     ToHex(AsBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                   "for the future, sunscreen would be it.")),
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da"
     "92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585"
     "808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
};

TEST(AeadTest, PublishedKnownAnswersSealAndOpen) {
  for (const GcmCase& c : kGcmCases) {
    SCOPED_TRACE(c.name);
    Bytes key = HexOrDie(c.key), iv = HexOrDie(c.iv), aad = HexOrDie(c.aad);
    Bytes pt = HexOrDie(c.pt);
    auto sealed = AeadSeal(c.alg, key, iv, aad, pt);
    TEEPNET_ASSERT_OK(sealed);
    EXPECT_EQ(ToHex(*sealed), c.ct + c.tag);
    auto opened = AeadOpen(c.alg, key, iv, aad, *sealed);
    TEEPNET_ASSERT_OK(opened);
    EXPECT_EQ(ToHex(opened->view()), c.pt);
  }
}

TEST(AeadTest, EveryFlippedBitFailsAuthentication) {
  const GcmCase& c = kGcmCases[1];
  Bytes key = HexOrDie(c.key), iv = HexOrDie(c.iv), aad = HexOrDie(c.aad);
  Bytes sealed = HexOrDie(c.ct + c.tag);
  for (size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    Bytes bad = sealed;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_TRUE(FailsWith(AeadOpen(c.alg, key, iv, aad, bad), Errc::kAuthenticationFailed))
        << "bit " << bit;
  }
}

TEST(AeadTest, ModifiedAadOrNonceOrKeyFailsAuthentication) {
  for (auto alg : {AeadAlgorithm::kAes128Gcm, AeadAlgorithm::kAes192Gcm, AeadAlgorithm::kAes256Gcm,
                   AeadAlgorithm::kChaCha20Poly1305}) {
    SCOPED_TRACE(AeadName(alg));
    Bytes key(AeadKeySize(alg), 0x11), nonce(AeadNonceSize(alg), 0x22), aad = {1, 2, 3};
    Bytes pt(37, 0x5a);
    auto sealed = AeadSeal(alg, key, nonce, aad, pt);
    TEEPNET_ASSERT_OK(sealed);
    EXPECT_EQ(sealed->size(), pt.size() + kAeadTagSize);
    Bytes aad2 = {1, 2, 4};
    EXPECT_TRUE(FailsWith(AeadOpen(alg, key, nonce, aad2, *sealed), Errc::kAuthenticationFailed));
    EXPECT_TRUE(FailsWith(AeadOpen(alg, key, nonce, {}, *sealed), Errc::kAuthenticationFailed));
    Bytes nonce2 = nonce;
    nonce2[0] ^= 1;
    EXPECT_TRUE(FailsWith(AeadOpen(alg, key, nonce2, aad, *sealed), Errc::kAuthenticationFailed));
    Bytes key2 = key;
    key2.back() ^= 0x80;
    EXPECT_TRUE(FailsWith(AeadOpen(alg, key2, nonce, aad, *sealed), Errc::kAuthenticationFailed));
  }
}

TEST(AeadTest, TruncatedCiphertextFails) {
  Bytes key(16, 1), nonce(12, 2);
  Bytes sealed = *AeadSeal(AeadAlgorithm::kAes128Gcm, key, nonce, {}, Bytes(20, 3));
  for (size_t n = 0; n < sealed.size(); ++n) {
    EXPECT_TRUE(
        FailsWith(AeadOpen(AeadAlgorithm::kAes128Gcm, key, nonce, {}, ByteView(sealed).first(n)),
                  Errc::kAuthenticationFailed))
        << n;
  }
}

TEST(AeadTest, EmptyPlaintextRoundTrips) {
  Bytes key(32, 9), nonce(12, 8);
  auto sealed = AeadSeal(AeadAlgorithm::kChaCha20Poly1305, key, nonce, {}, {});
  TEEPNET_ASSERT_OK(sealed);
  EXPECT_EQ(sealed->size(), kAeadTagSize);
  auto opened = AeadOpen(AeadAlgorithm::kChaCha20Poly1305, key, nonce, {}, *sealed);
  TEEPNET_ASSERT_OK(opened);
  EXPECT_TRUE(opened->empty());
}

TEST(AeadTest, WrongKeyOrNonceLengthFails) {
  Bytes pt(4, 0);
  EXPECT_TRUE(FailsWith(AeadSeal(AeadAlgorithm::kAes128Gcm, Bytes(32, 0), Bytes(12, 0), {}, pt),
                        Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AeadSeal(AeadAlgorithm::kAes256Gcm, Bytes(16, 0), Bytes(12, 0), {}, pt),
                        Errc::kBadLength));
  EXPECT_TRUE(
      FailsWith(AeadSeal(AeadAlgorithm::kAes128Gcm, Bytes(16, 0), {}, {}, pt), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AeadSeal(AeadAlgorithm::kAes128Gcm, Bytes(16, 0), Bytes(65, 0), {}, pt),
                        Errc::kBadLength));
  EXPECT_TRUE(
      FailsWith(AeadSeal(AeadAlgorithm::kChaCha20Poly1305, Bytes(32, 0), Bytes(16, 0), {}, pt),
                Errc::kBadLength));
  // A 16-byte GCM IV (used by some COSE-HPKE vectors) is accepted.
  TEEPNET_EXPECT_OK(AeadSeal(AeadAlgorithm::kAes128Gcm, Bytes(16, 0), Bytes(16, 0), {}, pt));
}

// RFC 3394 §4.1, §4.2 and §4.6.
TEST(AesKeyWrapTest, Rfc3394VectorsWrapAndUnwrap) {
  struct Case {
    std::string kek, key, wrapped;
  };
  const Case cases[] = {
      {"000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
       "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"},
      {"000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff",
       "96778b25ae6ca435f92b5b97c050aed2468ab8a17ad84e5d"},
      {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
       "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f",
       "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21"},
  };
  for (const Case& c : cases) {
    auto wrapped = AesKeyWrap(HexOrDie(c.kek), HexOrDie(c.key));
    TEEPNET_ASSERT_OK(wrapped);
    EXPECT_EQ(ToHex(*wrapped), c.wrapped);
    auto key = AesKeyUnwrap(HexOrDie(c.kek), *wrapped);
    TEEPNET_ASSERT_OK(key);
    EXPECT_EQ(ToHex(key->view()), c.key);
  }
}

TEST(AesKeyWrapTest, TamperedWrappedKeyFailsIntegrityCheck) {
  Bytes kek = HexOrDie("000102030405060708090a0b0c0d0e0f");
  Bytes wrapped = HexOrDie("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
  for (size_t i = 0; i < wrapped.size(); ++i) {
    Bytes bad = wrapped;
    bad[i] ^= 0x01;
    EXPECT_TRUE(FailsWith(AesKeyUnwrap(kek, bad), Errc::kAuthenticationFailed)) << i;
  }
  Bytes other_kek = kek;
  other_kek[0] ^= 1;
  EXPECT_TRUE(FailsWith(AesKeyUnwrap(other_kek, wrapped), Errc::kAuthenticationFailed));
}

TEST(AesKeyWrapTest, BadLengthsFail) {
  Bytes kek(16, 0);
  EXPECT_TRUE(FailsWith(AesKeyWrap(kek, Bytes(8, 0)), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AesKeyWrap(kek, Bytes(20, 0)), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AesKeyWrap(Bytes(15, 0), Bytes(16, 0)), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AesKeyUnwrap(kek, Bytes(16, 0)), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AesKeyUnwrap(kek, Bytes(25, 0)), Errc::kBadLength));
}

// NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt), first two blocks.
TEST(AesCtrTest, Sp800_38aVectorEncryptsAndDecrypts) {
  Bytes key = HexOrDie("2b7e151628aed2a6abf7158809cf4f3c");
  Bytes ctr = HexOrDie("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  Bytes pt = HexOrDie("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  auto ct = AesCtr(key, ctr, pt);
  TEEPNET_ASSERT_OK(ct);
  EXPECT_EQ(ToHex(*ct), "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff");
  auto back = AesCtr(key, ctr, *ct);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, pt);
  EXPECT_TRUE(FailsWith(AesCtr(key, Bytes(12, 0), pt), Errc::kBadLength));
  EXPECT_TRUE(FailsWith(AesCtr(Bytes(20, 0), ctr, pt), Errc::kBadLength));
}

}  // namespace
}  // namespace teepnet::crypto
