#include "teepnet/crypto/hmac_key.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::HexOrDie;

Bytes Text(std::string_view s) {
  return ToBytes(s);
}

struct Rfc4231Case {
  const char* section;
  Bytes key, data;
  std::string sha256;
};

// RFC 4231 §4.2-§4.8, the HMAC-SHA-256 results (§4.6 is truncated to 128 bits; §4.7 and §4.8
// have a key longer than the block, which HMAC hashes first).
std::vector<Rfc4231Case> Rfc4231Cases() {
  return {
      {"4.2", Bytes(20, 0x0b), Text("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"4.3", Text("Jefe"), Text("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"4.4", Bytes(20, 0xaa), Bytes(50, 0xdd),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4.5", HexOrDie("0102030405060708090a0b0c0d0e0f10111213141516171819"), Bytes(50, 0xcd),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"4.6", Bytes(20, 0x0c), Text("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
      {"4.7", Bytes(131, 0xaa), Text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"4.8", Bytes(131, 0xaa),
       Text("This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

TEST(HmacKeyTest, GivesTheRfc4231HmacSha256Results) {
  for (const Rfc4231Case& c : Rfc4231Cases()) {
    auto key = HmacKey::Create(HashAlgorithm::kSha256, c.key);
    TEEPNET_ASSERT_OK(key);
    // Twice: computing must leave the key's template as it was.
    for (int round = 0; round < 2; ++round) {
      auto mac = key->Compute(c.data);
      TEEPNET_ASSERT_OK(mac);
      EXPECT_EQ(ToHex(*mac).substr(0, c.sha256.size()), c.sha256) << "RFC 4231 §" << c.section;
    }
  }
}

TEST(HmacKeyTest, GivesWhatHmacGivesForEveryHashAndLength) {
  Random& random = SystemRandom::Get();
  for (HashAlgorithm hash : {HashAlgorithm::kSha256, HashAlgorithm::kSha384, HashAlgorithm::kSha512,
                             HashAlgorithm::kSm3}) {
    for (size_t key_size : {0u, 1u, 32u, 64u, 65u, 200u}) {
      Bytes key_bytes(key_size);
      TEEPNET_ASSERT_OK(random.Fill(key_bytes));
      auto key = HmacKey::Create(hash, key_bytes);
      TEEPNET_ASSERT_OK(key);
      EXPECT_EQ(key->hash(), hash);
      for (size_t data_size : {0u, 1u, 51u, 55u, 56u, 64u, 1000u}) {
        Bytes data(data_size);
        TEEPNET_ASSERT_OK(random.Fill(data));
        auto expected = Hmac(hash, key_bytes, data);
        TEEPNET_ASSERT_OK(expected);
        auto mac = key->Compute(data);
        TEEPNET_ASSERT_OK(mac);
        EXPECT_EQ(*mac, *expected)
            << HashName(hash) << " key " << key_size << " data " << data_size;
      }
    }
  }
}

TEST(HmacKeyTest, PartsGiveTheMacOfTheirConcatenation) {
  const Bytes key_bytes(32, 0x42);
  auto key = HmacKey::Create(HashAlgorithm::kSha256, key_bytes);
  TEEPNET_ASSERT_OK(key);
  const Bytes a = Text("teepnet tam query token"), b(27, 0x17), c(32, 0xd1);
  Bytes all = a;
  all.insert(all.end(), b.begin(), b.end());
  all.insert(all.end(), c.begin(), c.end());
  auto whole = Hmac(HashAlgorithm::kSha256, key_bytes, all);
  TEEPNET_ASSERT_OK(whole);
  auto parts = key->Compute({ByteView(a), ByteView(b), ByteView(), ByteView(c)});
  TEEPNET_ASSERT_OK(parts);
  EXPECT_EQ(*parts, *whole);
}

TEST(HmacKeyTest, ManyThreadsComputingOnOneKeyAllGetTheRightMac) {
  const Bytes key_bytes(32, 0x5a);
  auto key = HmacKey::Create(HashAlgorithm::kSha256, key_bytes);
  TEEPNET_ASSERT_OK(key);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  // Each thread MACs its own inputs, so a context shared by mistake would mix inputs and give
  // a wrong MAC rather than a lucky right one.
  std::vector<std::vector<Bytes>> expected(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      Bytes data(static_cast<size_t>(1 + (i % 97)), static_cast<uint8_t>(t));
      data[0] = static_cast<uint8_t>(i);
      expected[static_cast<size_t>(t)].push_back(*Hmac(HashAlgorithm::kSha256, key_bytes, data));
    }
  }
  std::atomic<int> wrong{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        Bytes data(static_cast<size_t>(1 + (i % 97)), static_cast<uint8_t>(t));
        data[0] = static_cast<uint8_t>(i);
        auto mac = key->Compute(data);
        if (!mac.ok() || *mac != expected[static_cast<size_t>(t)][static_cast<size_t>(i)]) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(HmacKeyTest, MovedKeyKeepsComputingAndTheOldOneRefuses) {
  auto key = HmacKey::Create(HashAlgorithm::kSha256, Bytes(20, 0x0b));
  TEEPNET_ASSERT_OK(key);
  HmacKey moved = std::move(key).value();
  auto mac = moved.Compute(Text("Hi There"));
  TEEPNET_ASSERT_OK(mac);
  EXPECT_EQ(ToHex(*mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  HmacKey other = std::move(moved);
  EXPECT_FALSE(moved.Compute(Text("Hi There")).ok());  // NOLINT(bugprone-use-after-move)
  TEEPNET_EXPECT_OK(other.Compute(Text("Hi There")));
}

}  // namespace
}  // namespace teepnet::crypto
