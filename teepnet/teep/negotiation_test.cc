#include "teepnet/teep/negotiation.h"

#include <gtest/gtest.h>

#include "teepnet/teep/errc.h"
#include "teepnet/teep/types.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::teep {
namespace {

using ::teepnet::testing::FailsWith;

TEST(NegotiationTest, FirstOfferedSuiteWeSupportWins) {
  const std::vector<CipherSuite> offered = {CipherSuite::Sign1(kAlgESP256),
                                            CipherSuite::Sign1(kAlgEd25519)};
  auto chosen =
      SelectCipherSuite(offered, {CipherSuite::Sign1(kAlgEd25519), CipherSuite::Sign1(kAlgESP256)});
  TEEPNET_ASSERT_OK(chosen);
  EXPECT_EQ(*chosen, CipherSuite::Sign1(kAlgESP256));
  auto only_ed = SelectCipherSuite(offered, {CipherSuite::Sign1(kAlgEd25519)});
  TEEPNET_ASSERT_OK(only_ed);
  EXPECT_EQ(*only_ed, CipherSuite::Sign1(kAlgEd25519));
}

TEST(NegotiationTest, NoCommonSuiteFails) {
  EXPECT_TRUE(FailsWith(
      SelectCipherSuite({CipherSuite::Sign1(kAlgES256)}, {CipherSuite::Sign1(kAlgESP256)}),
      Errc::kNoCommonCipherSuite));
}

TEST(NegotiationTest, AbsentVersionsMeanVersionZero) {
  auto v = SelectVersion({}, {0});
  TEEPNET_ASSERT_OK(v);
  EXPECT_EQ(*v, 0u);
  EXPECT_TRUE(FailsWith(SelectVersion({1, 2}, {0}), Errc::kNoCommonVersion));
}

TEST(NegotiationTest, AbsentFreshnessMeansNonce) {
  auto m = SelectFreshnessMechanism({}, {kFreshnessNonce});
  TEEPNET_ASSERT_OK(m);
  EXPECT_EQ(*m, kFreshnessNonce);
  EXPECT_TRUE(FailsWith(SelectFreshnessMechanism({}, {kFreshnessTimestamp}),
                        Errc::kNoCommonFreshnessMechanism));
  auto ts = SelectFreshnessMechanism({kFreshnessTimestamp, kFreshnessNonce}, {kFreshnessNonce});
  TEEPNET_ASSERT_OK(ts);
  EXPECT_EQ(*ts, kFreshnessNonce);
}

}  // namespace
}  // namespace teepnet::teep
