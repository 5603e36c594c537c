#include "services/moc/user_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "teepnet/base/clock.h"
#include "teepnet/crypto/random.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using nlohmann::json;

class NullSink final : public ActionSink {
 public:
  Status Execute(const Request&, const Action&) override { return OkStatus(); }
};

class UserApiHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DeviceCapacity device;
    device.device_id = "cca-1";
    device.architecture = Architecture::kCca;
    device.architecture_attested = true;
    device.instance_types = {InstanceType::kContainer, InstanceType::kVm};
    device.slots_total = 8;
    TEEPNET_ASSERT_OK(service_.ReportCapacity(device));
    net::HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    options.max_body_bytes = UserApi::MaxBodyBytes();
    auto server = net::HttpServer::Start(options, [this](const net::HttpRequest& r) {
      if (!UserApi::Serves(r.Path())) return net::HttpResponse::Status(404);
      return api_.Handle(r);
    });
    ASSERT_TRUE(server.ok()) << server.error().ToString();
    server_ = std::move(server).value();
    auto client = net::HttpClient::Create("http://127.0.0.1:" + std::to_string(server_->port()));
    ASSERT_TRUE(client.ok());
    client_ = std::move(client).value();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  net::HttpResponse Send(std::string_view method, std::string_view target, std::string_view token,
                         std::string_view body = {}) {
    net::HeaderList headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    auto r = client_->Send(method, target, headers, AsBytes(body));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : net::HttpResponse::Status(0);
  }

  InMemoryMocStore store_;
  SystemClock clock_;
  NullSink sink_;
  MocService service_{store_, clock_, crypto::SystemRandom::Get(), sink_, HashToken("admin-t")};
  UserApiRouter router_{service_};
  UserApi api_{router_};
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(UserApiHttpTest, ServesTheUserApiOverHttp) {
  const net::HttpResponse created =
      Send("POST", "/api/v1/tenants", "admin-t", R"({"name":"acme"})");
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  const std::string token = json::parse(AsChars(created.body)).at("token").get<std::string>();

  const net::HttpResponse devices = Send("GET", "/api/v1/devices", token);
  ASSERT_EQ(devices.status, 200);
  EXPECT_EQ(devices.Header("content-type"), "application/json");
  const json list = json::parse(AsChars(devices.body));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("architecture"), "cca");

  const net::HttpResponse request =
      Send("POST", "/api/v1/requests", token, R"({"use_case":4,"instance":"vm"})");
  ASSERT_EQ(request.status, 201);
  EXPECT_EQ(json::parse(AsChars(request.body)).at("state"), "attesting_agent");
}

TEST_F(UserApiHttpTest, AnswersErrorsAsJsonWithAStableCode) {
  const net::HttpResponse r = Send("GET", "/api/v1/requests", "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(json::parse(AsChars(r.body)).at("error").at("code"), "unauthenticated");
}

}  // namespace
}  // namespace teepnet::moc
