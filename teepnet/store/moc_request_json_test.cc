#include "teepnet/store/moc_request_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "teepnet/store/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;

moc::Request Sample() {
  moc::Request r;
  r.id = "req-1";
  r.tenant_id = "tnt-1";
  r.use_case = 2;
  r.hardware = moc::Architecture::kSgx;
  r.ua_package = "pkg-ua";
  r.state = moc::RequestState::kDeployingUa;
  r.steps = {moc::Step{moc::RequestState::kPlaced, 7, "placed"}};
  r.channel_instance = "tc-81416161";
  r.receipt = Bytes{0xd2, 0x84, 0x43};
  moc::Action a;
  a.seq = 3;
  a.kind = moc::ActionKind::kRemovePackages;
  a.packages = {"pkg-ua"};
  r.outbox = {a};
  r.version = 4;
  return r;
}

// The stored document with one member replaced (or removed, for a null value).
std::string With(const char* key, const nlohmann::json& value) {
  nlohmann::json j = nlohmann::json::parse(EncodeMocRequest(Sample()));
  if (value.is_null()) {
    j.erase(key);
  } else {
    j[key] = value;
  }
  return j.dump();
}

TEST(MocRequestJson, RoundTripsARequest) {
  auto decoded = DecodeMocRequest(EncodeMocRequest(Sample()));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, Sample());
}

TEST(MocRequestJson, ReadsARowWrittenBeforeTheChannelInstanceAndReceiptExisted) {
  nlohmann::json j = nlohmann::json::parse(EncodeMocRequest(Sample()));
  j.erase("channel_instance");
  j.erase("receipt");
  auto decoded = DecodeMocRequest(j.dump());
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(decoded->channel_instance, "");
  EXPECT_TRUE(decoded->receipt.empty());
  EXPECT_EQ(decoded->id, Sample().id);
}

TEST(MocRequestJson, ReadsDamagedDocumentsAsBadColumns) {
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("receipt", "zz")), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("channel_instance", 5)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest("not json"), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest("[]"), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("id", nullptr)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("id", 7)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("use_case", 5)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("state", 12)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("hardware", -1)), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("ear", "zz")), Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(DecodeMocRequest(With("version", -1)), Errc::kBadColumn));
  EXPECT_TRUE(
      FailsWith(DecodeMocRequest(With("outbox", nlohmann::json::array({1}))), Errc::kBadColumn));
  EXPECT_TRUE(
      FailsWith(DecodeMocRequest(With("steps", nlohmann::json::object())), Errc::kBadColumn));
}

}  // namespace
}  // namespace teepnet::store
