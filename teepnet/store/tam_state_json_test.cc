#include "teepnet/store/tam_state_json.h"

#include <gtest/gtest.h>

#include "teepnet/store/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;

TEST(TamStateJsonTest, DesiredStateRoundTrips) {
  tam::DesiredState d{{{suit::MakeComponentId({"a", "b"}), 7}, {suit::MakeComponentId({"c"}), 0}},
                      {suit::MakeComponentId({"gone"})}};
  auto back = DecodeDesiredState(EncodeDesiredState(d));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, d);
}

TEST(TamStateJsonTest, EmptyStatusRoundTrips) {
  tam::DeviceStatus s;
  auto back = DecodeDeviceStatus(EncodeDeviceStatus(s));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, s);
}

TEST(TamStateJsonTest, TokenDetailsRoundTrip) {
  tam::TokenRecord t;
  t.data_items.attestation = true;
  t.data_items.suit_reports = true;
  t.data_items.unassigned_bits = 1u << 9;
  t.challenge = Bytes{0xde, 0xad};
  t.sent_manifests.push_back({suit::MakeComponentId({"m"}), 3});
  t.sent_removals.push_back(suit::MakeComponentId({"r"}));
  tam::TokenRecord back;
  TEEPNET_ASSERT_OK(DecodeTokenDetails(EncodeTokenDetails(t), &back));
  EXPECT_EQ(back, t);
}

// A damaged database must give an error, never an exception or a crash.
TEST(TamStateJsonTest, DamagedColumnsFailWithBadColumn) {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      R"({"install": [], "remove": "x"})",
      R"({"install": [{"manifest_id": ["zz"], "seq": 1}], "remove": []})",
      R"({"install": [{"manifest_id": ["00"], "seq": -1}], "remove": []})",
      R"({"install": [{"manifest_id": "00", "seq": 1}], "remove": []})",
      R"({"install": [{"seq": 1}], "remove": []})",
  };
  for (const char* text : bad) {
    EXPECT_TRUE(FailsWith(DecodeDesiredState(text), Errc::kBadColumn)) << text;
  }
  const char* bad_status[] = {
      R"({"installed": [], "requested": [], "unneeded": [], "last_contact": 0,
          "last_result": 99})",
      R"({"installed": [], "requested": [], "unneeded": [], "last_contact": "x",
          "last_result": 0})",
      R"({"installed": [{}], "requested": [], "unneeded": [], "last_contact": 0,
          "last_result": 0})",
      R"({"installed": [], "requested": [], "unneeded": [], "last_contact": 0,
          "last_result": 0, "suite": [[18]]})",
  };
  for (const char* text : bad_status) {
    EXPECT_TRUE(FailsWith(DecodeDeviceStatus(text), Errc::kBadColumn)) << text;
  }
  tam::TokenRecord t;
  EXPECT_TRUE(FailsWith(DecodeTokenDetails(R"({"data_items": 1})", &t), Errc::kBadColumn));
}

}  // namespace
}  // namespace teepnet::store
