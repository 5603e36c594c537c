#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "services/net/http.h"

namespace teepnet::net {
namespace {

HttpResponse Echo(const HttpRequest& req) {
  if (req.Path() == "/empty") return HttpResponse::Status(204);
  HttpResponse r = HttpResponse::WithBody(200, "application/octet-stream", req.body);
  r.headers.emplace_back("X-Method", req.method);
  r.headers.emplace_back("X-Content-Type", std::string(req.Header("content-type")));
  return r;
}

std::unique_ptr<HttpServer> StartEcho(HttpServerOptions options = {}) {
  auto server = HttpServer::Start(options, Echo);
  EXPECT_TRUE(server.ok()) << server.error().ToString();
  return std::move(server).value();
}

std::string BaseUrl(const HttpServer& s) { return "http://127.0.0.1:" + std::to_string(s.port()); }

TEST(HttpTest, PostIsEchoedWithItsHeadersOverOneKeptAliveConnection) {
  auto server = StartEcho();
  auto client = HttpClient::Create(BaseUrl(*server));
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    Bytes body = {1, 2, 3, static_cast<uint8_t>(i)};
    auto res = (*client)->Post("/tam", "application/teep+cbor", body);
    ASSERT_TRUE(res.ok()) << res.error().ToString();
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, body);
    EXPECT_EQ(res->Header("x-method"), "POST");
    EXPECT_EQ(res->Header("X-Content-Type"), "application/teep+cbor");
  }
}

TEST(HttpTest, EmptyPostWithoutContentTypeReachesTheHandler) {
  auto server = StartEcho();
  auto client = HttpClient::Create(BaseUrl(*server));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Post("/tam", "", {});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->Header("X-Content-Type"), "");
  auto empty = (*client)->Post("/empty", "", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->status, 204);
  EXPECT_TRUE(empty->body.empty());
}

TEST(HttpTest, OversizedBodyIsRefusedWith413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  auto server = StartEcho(options);
  auto client = HttpClient::Create(BaseUrl(*server));
  ASSERT_TRUE(client.ok());
  Bytes big(4096, 0xab);
  auto res = (*client)->Post("/tam", "application/teep+cbor", big);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->status, 413);
}

TEST(HttpTest, StoppedServerGivesUnavailable) {
  auto server = StartEcho();
  std::string url = BaseUrl(*server);
  server->Stop();
  auto client = HttpClient::Create(url);
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code(), Code::kUnavailable);
}

TEST(HttpTest, ManyConcurrentClientsAreAllServed) {
  auto server = StartEcho();
  std::string url = BaseUrl(*server);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&, t] {
      auto client = HttpClient::Create(url);
      if (!client.ok()) return;
      for (int i = 0; i < 10; ++i) {
        Bytes body = {static_cast<uint8_t>(t), static_cast<uint8_t>(i)};
        auto res = (*client)->Post("/x", "application/octet-stream", body);
        if (res.ok() && res->body == body) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 500);
}

TEST(HttpTest, UrlsAreParsedIntoHostPortAndPath) {
  auto u = ParseHttpUrl("http://127.0.0.1:8443/base/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/base");
  EXPECT_FALSE(ParseHttpUrl("https://x").ok());
  EXPECT_FALSE(ParseHttpUrl("http://x:0").ok());
  EXPECT_FALSE(ParseHttpUrl("http://:80").ok());
}

}  // namespace
}  // namespace teepnet::net

namespace teepnet::net {
namespace {

TEST(HttpTest, ServerThatNeverAnswersTimesOutInsteadOfHanging) {
  // A handler that holds the request longer than the client's deadline.
  auto server = HttpServer::Start({}, [](const HttpRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return HttpResponse::Status(204);
  });
  ASSERT_TRUE(server.ok());
  HttpClientOptions options;
  options.request_timeout_ms = 150;
  auto client = HttpClient::Create(BaseUrl(**server), options);
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code(), Code::kDeadlineExceeded);
}

TEST(HttpTest, StoppedServerNoLongerAcceptsConnections) {
  for (int i = 0; i < 20; ++i) {
    auto server = StartEcho();
    std::string url = BaseUrl(*server);
    server->Stop();
    HttpClientOptions options;
    options.request_timeout_ms = 500;
    auto client = HttpClient::Create(url, options);
    ASSERT_TRUE(client.ok());
    auto res = (*client)->Get("/");
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code(), Code::kUnavailable) << res.error().ToString();
  }
}

}  // namespace
}  // namespace teepnet::net
