#include "teepnet/crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;

std::string Hex(ByteView b) {
  return ToHex(b);
}

// FIPS 180-4 examples ("abc", one block) and GB/T 32905-2016 Appendix A for SM3.
TEST(DigestTest, AbcMatchesPublishedDigests) {
  ByteView abc = AsBytes("abc");
  EXPECT_EQ(Hex(Digest(HashAlgorithm::kSha256, abc)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Digest(HashAlgorithm::kSha384, abc)),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(Hex(Digest(HashAlgorithm::kSha512, abc)),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(Hex(Digest(HashAlgorithm::kSm3, abc)),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(Hex(Sha256(abc)), Hex(Digest(HashAlgorithm::kSha256, abc)));
}

TEST(DigestTest, SizesMatchTheAlgorithms) {
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha256), 32u);
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha384), 48u);
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha512), 64u);
  EXPECT_EQ(DigestSize(HashAlgorithm::kSm3), 32u);
  EXPECT_EQ(Digest(HashAlgorithm::kSha384, {}).size(), 48u);
}

TEST(HasherTest, PiecewiseUpdatesEqualOneShotDigest) {
  std::string msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (auto alg : {HashAlgorithm::kSha256, HashAlgorithm::kSha384, HashAlgorithm::kSha512,
                   HashAlgorithm::kSm3}) {
    Hasher h(alg);
    ByteView all = AsBytes(msg);
    h.Update(all.first(5));
    h.Update({});
    h.Update(all.subspan(5));
    EXPECT_EQ(Hex(h.Finish()), Hex(Digest(alg, all))) << HashName(alg);
  }
  // FIPS 180-4 two-block example.
  EXPECT_EQ(Hex(Sha256(AsBytes(msg))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HasherTest, MovedHasherKeepsItsState) {
  Hasher a(HashAlgorithm::kSha256);
  a.Update(AsBytes("ab"));
  Hasher b(std::move(a));
  b.Update(AsBytes("c"));
  EXPECT_EQ(Hex(b.Finish()), Hex(Sha256(AsBytes("abc"))));
}

// RFC 4231 §4.2, §4.3, §4.4, §4.7 (key longer than the block) and §4.6 (truncated to 128 bits).
TEST(HmacTest, Rfc4231CasesMatch) {
  struct Case {
    std::string key, data, sha256, sha512;
  };
  const Case cases[] = {
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b27"
       "4eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f"
       "65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {std::string(40, 'a'), std::string(100, 'd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485"
       "a47e67c807b946a337bee8942674278859e13292fb"},
      {std::string(262, 'a'),
       "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d20486173"
       "68204b6579204669727374",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2"
       "215d6a1e5295e64f73f63f0aec8b915a985d786598"},
  };
  for (const Case& c : cases) {
    Bytes key = HexOrDie(c.key);
    Bytes data = HexOrDie(c.data);
    auto h256 = Hmac(HashAlgorithm::kSha256, key, data);
    auto h512 = Hmac(HashAlgorithm::kSha512, key, data);
    TEEPNET_ASSERT_OK(h256);
    TEEPNET_ASSERT_OK(h512);
    EXPECT_EQ(Hex(*h256), c.sha256);
    EXPECT_EQ(Hex(*h512), c.sha512);
    TEEPNET_EXPECT_OK(HmacVerify(HashAlgorithm::kSha256, key, data, *h256));
  }
  // §4.6: HMAC-SHA-256 truncated to 128 bits.
  Bytes key(20, 0x0c);
  Bytes data = ToBytes(std::string_view("Test With Truncation"));
  TEEPNET_EXPECT_OK(
      HmacVerify(HashAlgorithm::kSha256, key, data, HexOrDie("a3b6167473100ee06e0c796c2955552b")));
}

TEST(HmacTest, FlippedTagBitFailsVerification) {
  Bytes key(32, 0x42);
  Bytes data = ToBytes(std::string_view("payload"));
  Bytes tag = *Hmac(HashAlgorithm::kSha384, key, data);
  for (size_t bit = 0; bit < tag.size() * 8; bit += 7) {
    Bytes bad = tag;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_TRUE(
        FailsWith(HmacVerify(HashAlgorithm::kSha384, key, data, bad), Errc::kAuthenticationFailed));
  }
}

TEST(HmacTest, TagOfUnusableLengthFails) {
  Bytes key(32, 1);
  Bytes data(3, 2);
  Bytes tag = *Hmac(HashAlgorithm::kSha256, key, data);
  EXPECT_TRUE(FailsWith(HmacVerify(HashAlgorithm::kSha256, key, data, ByteView(tag).first(4)),
                        Errc::kAuthenticationFailed));
  Bytes longer = tag;
  longer.push_back(0);
  EXPECT_TRUE(FailsWith(HmacVerify(HashAlgorithm::kSha256, key, data, longer),
                        Errc::kAuthenticationFailed));
  EXPECT_TRUE(
      FailsWith(HmacVerify(HashAlgorithm::kSha256, key, data, {}), Errc::kAuthenticationFailed));
  TEEPNET_EXPECT_OK(HmacVerify(HashAlgorithm::kSha256, key, data, ByteView(tag).first(8)));
}

// RFC 5869 Appendix A.1-A.3 (SHA-256).
TEST(HkdfTest, Rfc5869AppendixACasesMatch) {
  struct Case {
    std::string ikm, salt, info;
    size_t length;
    std::string prk, okm;
  };
  const Case cases[] = {
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
       "f0f1f2f3f4f5f6f7f8f9", 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b"
       "2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
       "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b"
       "8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
       "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadb"
       "dcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
       82, "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c6"
       "5e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
  for (const Case& c : cases) {
    Bytes ikm = HexOrDie(c.ikm), salt = HexOrDie(c.salt), info = HexOrDie(c.info);
    auto prk = HkdfExtract(HashAlgorithm::kSha256, salt, ikm);
    TEEPNET_ASSERT_OK(prk);
    EXPECT_EQ(Hex(prk->view()), c.prk);
    auto okm = HkdfExpand(HashAlgorithm::kSha256, prk->view(), info, c.length);
    TEEPNET_ASSERT_OK(okm);
    EXPECT_EQ(Hex(okm->view()), c.okm);
    auto both = Hkdf(HashAlgorithm::kSha256, salt, ikm, info, c.length);
    TEEPNET_ASSERT_OK(both);
    EXPECT_EQ(Hex(both->view()), c.okm);
  }
}

TEST(HkdfTest, EmptyInputKeyingMaterialIsAccepted) {
  // HPKE's LabeledExtract never passes an empty IKM, but RFC 5869 allows it.
  auto prk = HkdfExtract(HashAlgorithm::kSha256, {}, {});
  TEEPNET_ASSERT_OK(prk);
  EXPECT_EQ(Hex(prk->view()), Hex(*Hmac(HashAlgorithm::kSha256, Bytes(32, 0), {})));
}

TEST(HkdfTest, OutputLongerThan255BlocksFails) {
  Bytes prk(32, 7);
  EXPECT_TRUE(
      FailsWith(HkdfExpand(HashAlgorithm::kSha256, prk, {}, 255 * 32 + 1), Errc::kBadLength));
  TEEPNET_EXPECT_OK(HkdfExpand(HashAlgorithm::kSha256, prk, {}, 255 * 32));
  EXPECT_TRUE(FailsWith(HkdfExpand(HashAlgorithm::kSha256, prk, {}, 0), Errc::kBadLength));
}

TEST(HkdfTest, PrkShorterThanHashLengthFails) {
  Bytes prk(31, 7);
  EXPECT_TRUE(FailsWith(HkdfExpand(HashAlgorithm::kSha256, prk, {}, 16), Errc::kBadLength));
}

TEST(ConstantTimeEqualTest, ComparesContentAndLength) {
  Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4}, d = {1, 2};
  EXPECT_TRUE(ConstantTimeEqual(a, b));
  EXPECT_FALSE(ConstantTimeEqual(a, c));
  EXPECT_FALSE(ConstantTimeEqual(a, d));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
}

TEST(RandomTest, FillsRequestedLengthWithFreshBytes) {
  auto a = RandomBytes(32);
  auto b = RandomBytes(32);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);  // a 2^-256 false failure
  auto empty = RandomBytes(0);
  TEEPNET_ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace teepnet::crypto
