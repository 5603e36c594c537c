// The device long poll: DeviceWakeups (who is answered, when, and that nothing is lost between
// a Broker's round and its next wait), DeviceWaitApi over HTTP on 127.0.0.1, and the request
// loop's wake-ups. No assertion depends on timing: a test waits for an answer, never for a
// duration, and long timeouts are only ever ended by a Notify() or Close().
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "services/moc/device_wait_api.h"
#include "services/moc/device_wakeups.h"
#include "services/moc/request_loop.h"
#include "services/net/http.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

constexpr int64_t kForever = kMaxDeviceWaitMs;  // ended by Notify() or Close() in these tests

// Collects the answers a wait gets.
struct Answers {
  std::mutex mu;
  std::vector<WaitAnswer> got;
  DeviceWakeups::Answer Callback() {
    return [this](WaitAnswer a) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(a);
    };
  }
  std::vector<WaitAnswer> Get() {
    std::lock_guard<std::mutex> lock(mu);
    return got;
  }
};

TEST(DeviceWakeups, AnswersAWaitingDeviceWhenItGetsWork) {
  DeviceWakeups wakeups;
  Answers a;
  wakeups.Wait("dev-1", kForever, a.Callback());
  EXPECT_TRUE(a.Get().empty());
  EXPECT_EQ(wakeups.waiting(), 1u);
  wakeups.Notify("dev-1");
  EXPECT_EQ(a.Get(), std::vector<WaitAnswer>{WaitAnswer::kWork});
  EXPECT_EQ(wakeups.waiting(), 0u);
}

TEST(DeviceWakeups, KeepsWorkThatArrivedBetweenWaitsForTheNextWaitOnly) {
  DeviceWakeups wakeups;
  wakeups.Notify("dev-1");  // while the Broker was busy with a round
  Answers first;
  wakeups.Wait("dev-1", kForever, first.Callback());
  EXPECT_EQ(first.Get(), std::vector<WaitAnswer>{WaitAnswer::kWork});
  // Collected: the next wait waits.
  Answers second;
  wakeups.Wait("dev-1", kForever, second.Callback());
  EXPECT_TRUE(second.Get().empty());
  wakeups.Close();
  EXPECT_EQ(second.Get(), std::vector<WaitAnswer>{WaitAnswer::kTimeout});
}

TEST(DeviceWakeups, DoesNotWakeOtherDevices) {
  DeviceWakeups wakeups;
  Answers a;
  wakeups.Wait("dev-1", kForever, a.Callback());
  wakeups.Notify("dev-2");
  EXPECT_TRUE(a.Get().empty());
  EXPECT_EQ(wakeups.waiting(), 1u);
  wakeups.Close();
  EXPECT_EQ(a.Get(), std::vector<WaitAnswer>{WaitAnswer::kTimeout});
}

TEST(DeviceWakeups, AnswersTimeoutWhenTheWaitRunsOut) {
  DeviceWakeups wakeups;
  std::promise<WaitAnswer> answered;
  wakeups.Wait("dev-1", 0, [&](WaitAnswer a) { answered.set_value(a); });
  EXPECT_EQ(answered.get_future().get(), WaitAnswer::kTimeout);
}

TEST(DeviceWakeups, AnswersTheOlderWaitOfADeviceThatWaitsTooOften) {
  DeviceWakeups wakeups;
  std::vector<std::unique_ptr<Answers>> answers;
  for (size_t i = 0; i <= kMaxWaitsPerDevice; ++i) {
    answers.push_back(std::make_unique<Answers>());
    wakeups.Wait("dev-1", kForever, answers.back()->Callback());
  }
  EXPECT_EQ(answers.front()->Get(), std::vector<WaitAnswer>{WaitAnswer::kTimeout});
  EXPECT_EQ(wakeups.waiting(), kMaxWaitsPerDevice);
  wakeups.Notify("dev-1");
  for (size_t i = 1; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i]->Get(), std::vector<WaitAnswer>{WaitAnswer::kWork});
  }
}

TEST(DeviceWakeups, AnswersEveryWaitOnCloseAndLaterOnesAtOnce) {
  DeviceWakeups wakeups;
  Answers a;
  wakeups.Wait("dev-1", kForever, a.Callback());
  wakeups.Close();
  EXPECT_EQ(a.Get(), std::vector<WaitAnswer>{WaitAnswer::kTimeout});
  Answers later;
  wakeups.Wait("dev-1", kForever, later.Callback());
  EXPECT_EQ(later.Get(), std::vector<WaitAnswer>{WaitAnswer::kTimeout});
}

// --- GET /device/v1/devices/{id}/wait over HTTP ---

class DeviceWaitApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = net::HttpServer::Start(
        {}, [](const net::HttpRequest&) { return net::HttpResponse::Status(404); },
        [this](const net::HttpRequest& r, const net::HttpResponder& respond) {
          return api_.Take(r, respond);
        });
    TEEPNET_ASSERT_OK(server);
    server_ = std::move(server).value();
    auto client = net::HttpClient::Create("http://127.0.0.1:" + std::to_string(server_->port()));
    TEEPNET_ASSERT_OK(client);
    client_ = std::move(client).value();
  }
  void TearDown() override {
    wakeups_.Close();
    server_->Stop();
  }

  DeviceWakeups wakeups_;
  DeviceWaitApi api_{wakeups_};
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(DeviceWaitApiTest, Answers200AsSoonAsTheDeviceHasWork) {
  // Whether the Notify lands before or during the wait, the wait is answered with work.
  std::thread notifier([this] { wakeups_.Notify("abc123"); });
  auto r = client_->Get("/device/v1/devices/abc123/wait?timeout_ms=30000");
  notifier.join();
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(std::string(AsChars(r->body)), R"({"work":true})");
}

TEST_F(DeviceWaitApiTest, Answers204WhenTheTimeoutPassesWithoutWork) {
  auto r = client_->Get("/device/v1/devices/abc123/wait?timeout_ms=0");
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->status, 204);
  // The connection serves the next request.
  wakeups_.Notify("abc123");
  auto again = client_->Get("/device/v1/devices/abc123/wait");
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(DeviceWaitApiTest, RefusesBadTimeoutsMethodsAndIds) {
  for (const char* target :
       {"/device/v1/devices/abc/wait?timeout_ms=30001", "/device/v1/devices/abc/wait?timeout_ms=-1",
        "/device/v1/devices/abc/wait?timeout_ms=", "/device/v1/devices/abc/wait?other=1",
        "/device/v1/devices/a%20b/wait?timeout_ms=0"}) {
    auto r = client_->Get(target);
    TEEPNET_ASSERT_OK(r);
    EXPECT_EQ(r->status, 400) << target;
  }
  auto post = client_->Post("/device/v1/devices/abc/wait", "application/json", {});
  TEEPNET_ASSERT_OK(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(wakeups_.waiting(), 0u);
}

TEST(DeviceWaitApi, ServesOnlyTheWaitPath) {
  EXPECT_TRUE(DeviceWaitApi::Serves("/device/v1/devices/abc/wait"));
  EXPECT_FALSE(DeviceWaitApi::Serves("/device/v1/devices/abc/inbox"));
  EXPECT_FALSE(DeviceWaitApi::Serves("/device/v1/devices//wait"));
  EXPECT_FALSE(DeviceWaitApi::Serves("/device/v1/devices/a/b/wait"));
  EXPECT_FALSE(DeviceWaitApi::Serves("/api/v1/devices/abc/wait"));
}

// --- the request loop ---

TEST(RequestLoop, RunsAPassAtStartAndOnEveryWake) {
  std::mutex mu;
  std::condition_variable cv;
  int passes = 0;
  // A tick of an hour: only Wake() can cause the second pass.
  RequestLoop loop(
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        ++passes;
        cv.notify_all();
      },
      3600 * 1000);
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return passes >= 1; });
  }
  loop.Wake();
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return passes >= 2; });
  EXPECT_GE(passes, 2);
  lock.unlock();
  loop.Stop();
}

}  // namespace
}  // namespace teepnet::moc
