// gtest helpers that assert on error reasons, never on message text.
#ifndef TEEPNET_TESTING_MATCHERS_H_
#define TEEPNET_TESTING_MATCHERS_H_

#include <gtest/gtest.h>

#include "teepnet/base/result.h"

namespace teepnet::testing {

template <typename R>
::testing::AssertionResult IsOk(const R& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << r.error().ToString();
}

template <typename R, typename E>
::testing::AssertionResult FailsWith(const R& r, E reason) {
  if (r.ok()) return ::testing::AssertionFailure() << "succeeded, expected an error";
  if (r.error().Is(reason)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "failed with " << r.error().ToString();
}

}  // namespace teepnet::testing

#define TEEPNET_ASSERT_OK(expr) ASSERT_TRUE(::teepnet::testing::IsOk(expr))
#define TEEPNET_EXPECT_OK(expr) EXPECT_TRUE(::teepnet::testing::IsOk(expr))

#endif  // TEEPNET_TESTING_MATCHERS_H_
