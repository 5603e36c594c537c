// The Broker's long poll (wake_client.h) against the M/OC's real wait endpoint
// (services/moc/device_wait_api.h) over HTTP on 127.0.0.1, and against an M/OC without it.
// No assertion depends on timing: waits end by a Notify() or a zero timeout.
#include <thread>

#include <gtest/gtest.h>

#include "services/device/wake_client.h"
#include "services/moc/device_wait_api.h"
#include "services/moc/device_wakeups.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::device {
namespace {

class WakeClientTest : public ::testing::Test {
 protected:
  void Start(bool with_wait_endpoint) {
    net::HttpDeferredHandler deferred;
    if (with_wait_endpoint) {
      deferred = [this](const net::HttpRequest& r, const net::HttpResponder& respond) {
        return api_.Take(r, respond);
      };
    }
    auto server = net::HttpServer::Start(
        {}, [](const net::HttpRequest&) { return net::HttpResponse::Status(404); }, deferred);
    TEEPNET_ASSERT_OK(server);
    server_ = std::move(server).value();
  }
  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  void TearDown() override {
    wakeups_.Close();
    if (server_) server_->Stop();
  }

  moc::DeviceWakeups wakeups_;
  moc::DeviceWaitApi api_{wakeups_};
  std::unique_ptr<net::HttpServer> server_;
};

TEST_F(WakeClientTest, ReturnsTrueOnceTheMocHasWorkForTheDevice) {
  Start(true);
  auto client = WakeClient::Create(Origin(), "dev-1", kMaxWakeWaitMs);
  TEEPNET_ASSERT_OK(client);
  std::thread notifier([this] { wakeups_.Notify("dev-1"); });
  Result<bool> woke = (*client)->Wait(kMaxWakeWaitMs);
  notifier.join();
  TEEPNET_ASSERT_OK(woke);
  EXPECT_TRUE(*woke);
}

TEST_F(WakeClientTest, ReturnsFalseWhenTheWaitEndsWithoutWork) {
  Start(true);
  wakeups_.Notify("dev-2");  // another device's work
  auto client = WakeClient::Create(Origin(), "dev-1", kMaxWakeWaitMs);
  TEEPNET_ASSERT_OK(client);
  Result<bool> woke = (*client)->Wait(0);
  TEEPNET_ASSERT_OK(woke);
  EXPECT_FALSE(*woke);
}

TEST_F(WakeClientTest, ReportsAnMocWithoutTheEndpointAsUnimplemented) {
  Start(false);
  auto client = WakeClient::Create(Origin(), "dev-1", 1000);
  TEEPNET_ASSERT_OK(client);
  Result<bool> woke = (*client)->Wait(1000);
  ASSERT_FALSE(woke.ok());
  EXPECT_EQ(woke.error().code(), Code::kUnimplemented);
}

}  // namespace
}  // namespace teepnet::device
