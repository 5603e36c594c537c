#include "teepnet/moc/receipt_check.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/value.h"
#include "teepnet/moc/delivery_test_support.h"
#include "teepnet/moc/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;
using testing::kEarJwtMediaType;
using testing::TestDevice;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kInstance[] = "tc-8141746101";

Request Relayed(const TestDevice& device, int use_case, Bytes ear, std::string media_type) {
  Request r;
  r.id = "req-00000000000000a1";
  r.use_case = use_case;
  r.device_id = device.id();
  r.state = RequestState::kSealedDataRelayed;
  r.channel_instance = use_case == 2 || use_case == 3 ? kInstance : "";
  r.ear = std::move(ear);
  r.ear_media_type = std::move(media_type);
  return r;
}

TEST(ReceiptCheck, ReadsTheClaimsOfAStoredJwtAndCwt) {
  const TestDevice device;
  Result<eat::Ear> jwt = DecodeStoredEar(device.EarJwt(kInstance, kNow), kEarJwtMediaType);
  TEEPNET_ASSERT_OK(jwt);
  ASSERT_EQ(jwt->submods.count("teep-agent"), 1u);
  EXPECT_EQ(jwt->submods.at("teep-agent").instances.size(), 1u);
  Result<Bytes> cwt = eat::IssueEarCwt(device.EarClaims(kInstance, kNow), device.ear_key);
  TEEPNET_ASSERT_OK(cwt);
  Result<eat::Ear> from_cwt = DecodeStoredEar(*cwt, "application/eat+cwt");
  TEEPNET_ASSERT_OK(from_cwt);
  EXPECT_EQ(from_cwt->iat, kNow);

  EXPECT_TRUE(FailsWith(DecodeStoredEar({}, kEarJwtMediaType), Errc::kReceiptInvalid));
  EXPECT_TRUE(FailsWith(DecodeStoredEar(AsBytes(std::string_view("a.b")), kEarJwtMediaType),
                        Errc::kReceiptInvalid));
  EXPECT_TRUE(FailsWith(DecodeStoredEar(AsBytes(std::string_view("a.!!.c")), kEarJwtMediaType),
                        Errc::kReceiptInvalid));
  EXPECT_TRUE(FailsWith(DecodeStoredEar(*cwt, kEarJwtMediaType), Errc::kReceiptInvalid));
}

TEST(ReceiptCheck, AcceptsTheInstanceProofKeyForCases2And3AndTheAgentKeyForCases1And4) {
  const TestDevice device;
  const Request ta = Relayed(device, 2, device.EarJwt(kInstance, kNow), kEarJwtMediaType);
  Result<channel::Receipt> checked = CheckReceipt(ta, device.InstanceReceipt(ta.id, kInstance));
  TEEPNET_ASSERT_OK(checked);
  EXPECT_EQ(checked->measurement, device.measurement);
  const Request agent = Relayed(device, 1, device.EarJwt("", kNow), kEarJwtMediaType);
  TEEPNET_EXPECT_OK(CheckReceipt(agent, device.AgentReceipt(agent.id)));
}

TEST(ReceiptCheck, RefusesWhenTheEarDoesNotAttestTheDeviceOrTheInstance) {
  const TestDevice device;
  const TestDevice stranger;
  // An EAR about another device (its Agent key has another thumbprint).
  Request r = Relayed(device, 3, stranger.EarJwt(kInstance, kNow), kEarJwtMediaType);
  EXPECT_TRUE(
      FailsWith(CheckReceipt(r, device.InstanceReceipt(r.id, kInstance)), Errc::kReceiptInvalid));
  // An EAR from before the instance existed.
  r = Relayed(device, 3, device.EarJwt("", kNow), kEarJwtMediaType);
  EXPECT_TRUE(
      FailsWith(CheckReceipt(r, device.InstanceReceipt(r.id, kInstance)), Errc::kReceiptInvalid));
  // A case-3 request that never learnt its instance name.
  r = Relayed(device, 3, device.EarJwt(kInstance, kNow), kEarJwtMediaType);
  r.channel_instance.clear();
  EXPECT_TRUE(FailsWith(CheckReceipt(r, device.InstanceReceipt(r.id, "")), Errc::kReceiptInvalid));
  // Above the receipt size limit, before anything is parsed.
  r = Relayed(device, 1, device.EarJwt("", kNow), kEarJwtMediaType);
  EXPECT_TRUE(FailsWith(CheckReceipt(r, Bytes(channel::kMaxReceiptBytes + 1, 0xd2)),
                        Errc::kReceiptInvalid));
}

}  // namespace
}  // namespace teepnet::moc
