#include "teepnet/base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "teepnet/base/errc.h"

namespace teepnet {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Error(BaseErrc::kBadHex, "must be positive", 3);
  return v;
}

Result<int> Doubled(int v) {
  TEEPNET_ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return 2 * x;
}

Status CheckBoth(int a, int b) {
  TEEPNET_RETURN_IF_ERROR(ParsePositive(a));
  TEEPNET_RETURN_IF_ERROR(ParsePositive(b));
  return OkStatus();
}

TEST(ResultTest, ValueMeansSuccess) {
  Result<int> r = Doubled(4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 8);
}

TEST(ResultTest, ErrorPropagatesThroughAssignOrReturnWithReasonAndOffset) {
  Result<int> r = Doubled(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(BaseErrc::kBadHex));
  EXPECT_FALSE(r.error().Is(BaseErrc::kIo));
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().offset(), 3u);
  EXPECT_EQ(r.error().ToString(), "base/bad-hex at offset 3: must be positive");
}

TEST(ResultTest, ReturnIfErrorStopsAtFirstFailure) {
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_FALSE(CheckBoth(1, -2).ok());
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<std::string>> r = std::make_unique<std::string>("x");
  ASSERT_TRUE(r.ok());
  std::unique_ptr<std::string> taken = std::move(r).value();
  EXPECT_EQ(*taken, "x");
}

TEST(ResultTest, InPlaceBuildsTheValueAndAnErrorCanReplaceIt) {
  Result<std::string> r(std::in_place, 3, 'a');
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "aaa");
  r->append("b");
  EXPECT_EQ(*r, "aaab");
  r = Error(BaseErrc::kIo, "replaced");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(BaseErrc::kIo));
  EXPECT_EQ(r.error().message(), "replaced");
}

TEST(ResultTest, ContextAndOffsetBaseAreAppliedToCopies) {
  Error e(BaseErrc::kTruncated, "inner", 2);
  Error wrapped = e.WithContext("outer").WithOffsetBase(10);
  EXPECT_EQ(wrapped.message(), "outer: inner");
  EXPECT_EQ(wrapped.offset(), 12u);
  EXPECT_EQ(e.offset(), 2u);
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  Result<int> r = ParsePositive(0);
  EXPECT_DEATH((void)r.value(), "must be positive");
}

}  // namespace
}  // namespace teepnet
