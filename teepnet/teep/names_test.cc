#include "teepnet/teep/names.h"

#include <gtest/gtest.h>

namespace teepnet::teep {
namespace {

TEST(NamesTest, LabelsAreNamedPerProfile) {
  EXPECT_EQ(DescribeLabel(RfcProfile(), 19), "token");
  EXPECT_EQ(DescribeLabel(LegacyProfile(), 20), "token");
  EXPECT_EQ(DescribeLabel(LegacyProfile(), 19), "suit-reports");
  EXPECT_FALSE(DescribeLabel(RfcProfile(), 23).has_value());
}

TEST(NamesTest, TypesAndCodesAreNamedPerProfile) {
  EXPECT_EQ(DescribeMessageType(RfcProfile(), 4), "success");
  EXPECT_EQ(DescribeMessageType(LegacyProfile(), 4), std::nullopt);
  EXPECT_EQ(DescribeErrorCode(RfcProfile(), 11), "ERR_MANIFEST_PROCESSING_FAILED");
  EXPECT_EQ(DescribeErrorCode(LegacyProfile(), 17), "ERR_MANIFEST_PROCESSING_FAILED");
  EXPECT_EQ(DescribeErrorCode(LegacyProfile(), 11), std::nullopt);
}

TEST(NamesTest, TablesAreSortedAndComplete) {
  const auto labels = LabelNames(LegacyProfile());
  ASSERT_EQ(labels.size(), kFieldCount);
  EXPECT_EQ(labels.front().value, 1u);
  EXPECT_EQ(labels.back().name, "err-code");
  EXPECT_EQ(MessageTypeNames(RfcProfile()).size(), kMessageTypeCount);
  EXPECT_EQ(ErrorCodeNames(RfcProfile()).size(), kErrorCodeCount);
  EXPECT_EQ(DescribeDataItems(RfcProfile(), 3),
            (std::vector<std::string_view>{"attestation", "trusted-components"}));
  EXPECT_EQ(SuiteAlgorithmNames(LegacyProfile()).size(), 4u);
}

}  // namespace
}  // namespace teepnet::teep
