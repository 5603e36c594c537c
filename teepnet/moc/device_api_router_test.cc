#include "teepnet/moc/device_api_router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/moc/delivery_test_support.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/limits.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using nlohmann::json;
using testing::CountingRandom;
using testing::Device;
using testing::kEarJwtMediaType;
using testing::RecordingSink;
using testing::TestDevice;

const Bytes kSealed = ToBytes(std::string_view("sealed bundle for the Agent"));

class DeviceApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TEEPNET_ASSERT_OK(service_.ReportCapacity(
        Device(device_.id(), Architecture::kSgx, {InstanceType::kProcess}, 4)));
    Result<NewTenant> t = service_.CreateTenant(Principal{true, ""}, "alice");
    TEEPNET_ASSERT_OK(t);
    alice_ = Principal{false, t->tenant.id};
    RequestSpec spec;
    spec.use_case = 1;
    spec.instance = InstanceType::kProcess;
    request_id_ = service_.CreateRequest(alice_, spec)->id;
  }

  void Relay() {
    TEEPNET_ASSERT_OK(service_.HandleEvent(
        request_id_, Event::Affirmed(device_.id(), device_.EarJwt("", clock_.NowUnixSeconds()),
                                     kEarJwtMediaType)));
    TEEPNET_ASSERT_OK(service_.PostSealedData(alice_, request_id_, kSealed));
  }

  ApiResponse Call(std::string method, std::string target, Bytes body = {}) {
    return router_.Handle(ApiRequest{std::move(method), std::move(target), "", std::move(body)});
  }
  ApiResponse PostReceipt(const json& body, std::string device = "") {
    return Call("POST",
                "/device/v1/devices/" + (device.empty() ? device_.id() : device) + "/receipts",
                ToBytes(body.dump()));
  }
  json ReceiptBody(const Bytes& receipt) const {
    return json{{"request_id", request_id_}, {"receipt", eat::Base64UrlEncode(receipt)}};
  }
  static json Body(const ApiResponse& r) { return json::parse(AsChars(r.body)); }
  static std::string ErrorCode(const ApiResponse& r) {
    const json body = Body(r);
    return body.at("error").at("code").get<std::string>();
  }

  InMemoryMocStore store_;
  FakeClock clock_{1'800'000'000};
  CountingRandom random_;
  RecordingSink sink_;
  MocService service_{store_, clock_, random_, sink_, HashToken("admin")};
  DeviceApiRouter router_{service_};
  TestDevice device_;
  Principal alice_;
  std::string request_id_;
};

TEST_F(DeviceApiTest, ServesTheInboxAndFinishesTheRequestOnItsReceipt) {
  const std::string inbox = "/device/v1/devices/" + device_.id() + "/inbox";
  ApiResponse empty = Call("GET", inbox);
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(Body(empty), json({{"items", json::array()}}));

  Relay();
  const ApiResponse listed = Call("GET", inbox);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.content_type, "application/json");
  const json items = Body(listed).at("items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0], json({{"request_id", request_id_},
                            {"target", "agent"},
                            {"instance", ""},
                            {"purpose", "bundle"},
                            {"instance_type", "process"},
                            {"digest", ToHex(crypto::Sha256(kSealed))},
                            {"sealed", eat::Base64UrlEncode(kSealed)}}));

  const ApiResponse done = PostReceipt(ReceiptBody(device_.AgentReceipt(request_id_)));
  ASSERT_EQ(done.status, 200) << AsChars(done.body);
  EXPECT_EQ(Body(done), json({{"request_id", request_id_}, {"state", "done"}}));
  EXPECT_EQ(Body(Call("GET", inbox)).at("items").size(), 0u);
}

TEST_F(DeviceApiTest, NamesTheRequestedInstanceTypeInTheInboxItem) {
  // The device also offers containers now; a container request's item tells the Broker so.
  TEEPNET_ASSERT_OK(service_.ReportCapacity(Device(
      device_.id(), Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer}, 4)));
  RequestSpec spec;
  spec.use_case = 1;
  spec.instance = InstanceType::kContainer;
  Result<Request> created = service_.CreateRequest(alice_, spec);
  TEEPNET_ASSERT_OK(created);
  request_id_ = created->id;
  Relay();
  const json items = Body(Call("GET", "/device/v1/devices/" + device_.id() + "/inbox")).at("items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("request_id"), request_id_);
  EXPECT_EQ(items[0].at("instance_type"), "container");
}

TEST_F(DeviceApiTest, AnswersWith400ForBadJsonBadBase64AndUnknownFields) {
  Relay();
  const std::string target = "/device/v1/devices/" + device_.id() + "/receipts";
  ApiResponse r = Call("POST", target, ToBytes(std::string_view("{\"request_id\":")));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_json");
  r = Call("POST", target, ToBytes(std::string_view("[1,2]")));
  EXPECT_EQ(ErrorCode(r), "invalid_json");
  r = PostReceipt(json{{"request_id", request_id_}, {"receipt", "not base64url!"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_argument");
  r = PostReceipt(json{{"request_id", request_id_}, {"receipt", ""}});
  EXPECT_EQ(ErrorCode(r), "invalid_argument");
  r = PostReceipt(json{{"request_id", request_id_}, {"receipt", 7}});
  EXPECT_EQ(ErrorCode(r), "invalid_argument");
  json extra = ReceiptBody(device_.AgentReceipt(request_id_));
  extra["state"] = "done";
  r = PostReceipt(extra);
  EXPECT_EQ(ErrorCode(r), "invalid_argument");
  r = PostReceipt(json{{"request_id", "req/../x"}, {"receipt", "AAAA"}});
  EXPECT_EQ(ErrorCode(r), "invalid_argument");
  // Nothing of it changed the request.
  EXPECT_EQ(store_.Snapshot().requests.at(request_id_).state, RequestState::kSealedDataRelayed);
}

TEST_F(DeviceApiTest, RefusesABodyAboveItsLimitUnread) {
  Relay();
  const ApiResponse r = Call("POST", "/device/v1/devices/" + device_.id() + "/receipts",
                             Bytes(kMaxReceiptBodyBytes + 1, '{'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "body_too_large");
}

TEST_F(DeviceApiTest, MapsRefusedReceiptsToTheirStatuses) {
  // Not waiting for a receipt yet.
  ApiResponse r = PostReceipt(ReceiptBody(device_.AgentReceipt(request_id_)));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(ErrorCode(r), "wrong_state");
  Relay();
  // Signed by a key the EAR does not name.
  const TestDevice stranger;
  r = PostReceipt(ReceiptBody(stranger.AgentReceipt(request_id_)));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "receipt_invalid");
  // Posted for another device, or for a request that does not exist.
  r = PostReceipt(ReceiptBody(device_.AgentReceipt(request_id_)), stranger.id());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "request_not_found");
  r = PostReceipt(json{{"request_id", "req-0000000000000000"},
                       {"receipt", eat::Base64UrlEncode(device_.AgentReceipt(request_id_))}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(store_.Snapshot().requests.at(request_id_).state, RequestState::kSealedDataRelayed);
}

TEST_F(DeviceApiTest, RefusesOtherPathsMethodsAndDeviceIds) {
  EXPECT_EQ(Call("POST", "/device/v1/devices/" + device_.id() + "/inbox").status, 405);
  EXPECT_EQ(Call("GET", "/device/v1/devices/" + device_.id() + "/receipts").status, 405);
  EXPECT_EQ(Call("GET", "/device/v1/devices/" + device_.id() + "/outbox").status, 404);
  EXPECT_EQ(Call("GET", "/device/v1/devices/" + device_.id()).status, 404);
  EXPECT_EQ(Call("GET", "/device/v1/other").status, 404);
  EXPECT_EQ(Call("GET", "/device/v1/devices//inbox").status, 400);
  EXPECT_EQ(Call("GET", "/device/v1/devices/a%2Fb/inbox").status, 400);
  EXPECT_EQ(Call("GET", "/device/v1/devices/" + std::string(kMaxDeviceIdBytes + 1, 'a') + "/inbox")
                .status,
            400);
  EXPECT_TRUE(DeviceApiRouter::Serves("/device/v1/devices/x/inbox"));
  EXPECT_FALSE(DeviceApiRouter::Serves("/api/v1/requests"));
}

}  // namespace
}  // namespace teepnet::moc
