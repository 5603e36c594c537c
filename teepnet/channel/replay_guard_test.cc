#include "teepnet/channel/replay_guard.h"

#include <gtest/gtest.h>

#include "teepnet/channel/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::channel {
namespace {

using ::teepnet::testing::FailsWith;

TEST(InMemoryReplayGuard, RefusesAnIdItHasSeenUntilItExpires) {
  InMemoryReplayGuard guard;
  Bytes id(16, 7);
  TEEPNET_ASSERT_OK(guard.Remember(id, 100, 10));
  EXPECT_TRUE(FailsWith(guard.Remember(id, 200, 50), Errc::kReplayed));
  // After expiry the staleness check of Open() refuses the message; the guard may forget it.
  TEEPNET_EXPECT_OK(guard.Remember(id, 300, 100));
}

TEST(InMemoryReplayGuard, PurgesExpiredIdsWhenFullAndRefusesWhenFullOfLiveOnes) {
  InMemoryReplayGuard guard(2);
  TEEPNET_ASSERT_OK(guard.Remember(Bytes(16, 1), 50, 0));
  TEEPNET_ASSERT_OK(guard.Remember(Bytes(16, 2), 500, 0));
  TEEPNET_ASSERT_OK(guard.Remember(Bytes(16, 3), 500, 60));  // id 1 expired and is purged
  EXPECT_EQ(guard.size(), 2u);
  EXPECT_TRUE(FailsWith(guard.Remember(Bytes(16, 4), 500, 60), Errc::kTooLarge));
}

}  // namespace
}  // namespace teepnet::channel
