#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "services/net/http.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/tls_test_pki.h"
#include "teepnet/testing/matchers.h"

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

std::string BaseUrl(const HttpServer& s) {
  return "http://127.0.0.1:" + std::to_string(s.port());
}

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

// Each connection stays on one server thread; a handler that blocks (the TAM endpoint waits
// for its step to be durable) must not hold up a connection that arrives meanwhile.
TEST(HttpTest, HandlerThatBlocksDoesNotHoldUpAnotherConnection) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool released = false;
  HttpServerOptions options;
  options.threads = 2;
  auto server = HttpServer::Start(options, [&](const HttpRequest& req) {
    std::unique_lock<std::mutex> lock(mu);
    if (req.Path() == "/block") {
      entered = true;
      cv.notify_all();
      // Bounded, so a server that serialises the two connections fails instead of hanging.
      bool ok = cv.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
      return HttpResponse::Status(ok ? 200 : 503);
    }
    released = true;
    cv.notify_all();
    return HttpResponse::Status(204);
  });
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  const std::string url = BaseUrl(**server);
  Result<HttpResponse> blocked = Error(Code::kInternal, "not sent");
  std::thread first([&] {
    auto client = HttpClient::Create(url);
    if (client.ok()) blocked = (*client)->Post("/block", "", {});
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return entered; }));
  }
  HttpClientOptions short_wait;
  short_wait.request_timeout_ms = 5000;
  auto second = HttpClient::Create(url, short_wait);
  ASSERT_TRUE(second.ok());
  auto release = (*second)->Post("/release", "", {});
  first.join();
  ASSERT_TRUE(release.ok()) << release.error().ToString();
  EXPECT_EQ(release->status, 204);
  ASSERT_TRUE(blocked.ok()) << blocked.error().ToString();
  EXPECT_EQ(blocked->status, 200);
}

TEST(HttpTest, DeferredResponseGivenFromAnotherThreadReachesTheClient) {
  std::mutex mu;
  std::vector<HttpResponder> waiting;
  HttpServerOptions options;
  options.threads = 2;
  auto server =
      HttpServer::Start(options, Echo, [&](const HttpRequest& req, const HttpResponder& respond) {
        if (req.Path() != "/wait") return false;
        std::lock_guard<std::mutex> lock(mu);
        waiting.push_back(respond);
        return true;
      });
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  auto client = HttpClient::Create(BaseUrl(**server));
  ASSERT_TRUE(client.ok());
  std::thread answer([&] {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!waiting.empty()) {
          waiting.front()(HttpResponse::WithBody(200, "text/plain", ToBytes("woken")));
          waiting.clear();
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto res = (*client)->Get("/wait");
  answer.join();
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->body, ToBytes("woken"));
  // The connection reads its next request after the deferred answer.
  auto next = (*client)->Post("/x", "application/octet-stream", ToBytes("again"));
  ASSERT_TRUE(next.ok()) << next.error().ToString();
  EXPECT_EQ(next->body, ToBytes("again"));
}

TEST(HttpTest, UrlsAreParsedIntoHostPortAndPath) {
  auto u = ParseHttpUrl("http://127.0.0.1:8443/base/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/base");
  auto secure = ParseHttpUrl("https://tam.example/tam");
  ASSERT_TRUE(secure.ok());
  EXPECT_TRUE(secure->tls);
  EXPECT_EQ(secure->port, 443);
  EXPECT_EQ(secure->Origin(), "https://tam.example:443");
  EXPECT_FALSE(u->tls);
  EXPECT_FALSE(ParseHttpUrl("ftp://x").ok());
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

// HTTPS: the same server and client over crypto::TlsSession.
namespace teepnet::net {
namespace {

using teepnet::testing::FailsWith;

class HttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "teepnet-https-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(pki_, dir_));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  HttpServerOptions TlsOptions() const {
    HttpServerOptions options;
    options.tls_cert_file = dir_ + "/server.pem";
    options.tls_key_file = dir_ + "/server.key";
    return options;
  }
  HttpClientOptions Trusting(const std::string& ca_file) const {
    HttpClientOptions options;
    options.tls_ca_file = ca_file;
    return options;
  }
  static std::string HttpsUrl(const HttpServer& s) {
    return "https://127.0.0.1:" + std::to_string(s.port());
  }

  crypto::testing::TlsTestPki pki_ = crypto::testing::MakeTlsTestPki("IP:127.0.0.1");
  std::string dir_;
};

TEST_F(HttpsTest, RoundTripsRequestsOverOneKeptAliveTlsConnection) {
  auto server = StartEcho(TlsOptions());
  auto client = HttpClient::Create(HttpsUrl(*server), Trusting(dir_ + "/ca.pem"));
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  // Small bodies and one spanning many TLS records.
  for (size_t size : {size_t{0}, size_t{5}, size_t{300 * 1024}}) {
    Bytes body(size);
    for (size_t i = 0; i < size; ++i) body[i] = static_cast<uint8_t>(i * 7);
    auto res = (*client)->Post("/tam", "application/teep+cbor", body);
    ASSERT_TRUE(res.ok()) << res.error().ToString();
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, body);
    EXPECT_EQ(res->Header("X-Content-Type"), "application/teep+cbor");
  }
}

TEST_F(HttpsTest, AcceptsThePinnedServerCertificateInsteadOfTheCa) {
  auto server = StartEcho(TlsOptions());
  auto client = HttpClient::Create(HttpsUrl(*server), Trusting(dir_ + "/server.pem"));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/empty");
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->status, 204);
}

TEST_F(HttpsTest, ClientRefusesAServerItsCaDidNotIssueAndTheServerCarriesOn) {
  auto server = StartEcho(TlsOptions());
  auto stranger = crypto::testing::MakeTlsTestPki("IP:127.0.0.1", "a stranger CA");
  std::string other_dir = dir_ + "/other";
  std::filesystem::create_directory(other_dir);
  TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(stranger, other_dir));
  auto client = HttpClient::Create(HttpsUrl(*server), Trusting(other_dir + "/ca.pem"));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/empty");
  EXPECT_TRUE(FailsWith(res, crypto::Errc::kChainUntrusted));
  EXPECT_EQ(res.error().code(), Code::kUnauthenticated);

  auto trusting = HttpClient::Create(HttpsUrl(*server), Trusting(dir_ + "/ca.pem"));
  ASSERT_TRUE(trusting.ok());
  auto ok = (*trusting)->Get("/empty");
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->status, 204);
}

TEST_F(HttpsTest, ClientRefusesAServerCertificateForAnotherHost) {
  auto elsewhere = crypto::testing::MakeTlsTestPki("DNS:tam.example");
  TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(elsewhere, dir_));
  auto server = StartEcho(TlsOptions());
  auto client = HttpClient::Create(HttpsUrl(*server), Trusting(dir_ + "/ca.pem"));
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(FailsWith((*client)->Get("/empty"), crypto::Errc::kPeerNameMismatch));
}

TEST_F(HttpsTest, HttpsUrlWithoutTrustAnchorsIsRefusedUpFront) {
  auto client = HttpClient::Create("https://127.0.0.1:1");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code(), Code::kInvalidArgument);
}

TEST_F(HttpsTest, HttpsClientGetsATlsErrorFromAPlainHttpServer) {
  auto server = StartEcho();
  auto client = HttpClient::Create(HttpsUrl(*server), Trusting(dir_ + "/ca.pem"));
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(FailsWith((*client)->Get("/empty"), crypto::Errc::kTlsProtocol));
}

TEST_F(HttpsTest, HttpsServerGivesAPlainHttpClientNothing) {
  auto server = StartEcho(TlsOptions());
  auto client = HttpClient::Create(BaseUrl(*server));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/empty");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code(), Code::kUnavailable) << res.error().ToString();
}

TEST_F(HttpsTest, ServerRefusesToStartWithHalfATlsConfigurationOrAMismatchedKey) {
  HttpServerOptions cert_only = TlsOptions();
  cert_only.tls_key_file.clear();
  EXPECT_FALSE(HttpServer::Start(cert_only, Echo).ok());
  auto other = crypto::testing::MakeTlsTestPki();
  std::string other_dir = dir_ + "/other";
  std::filesystem::create_directory(other_dir);
  TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(other, other_dir));
  HttpServerOptions mismatched = TlsOptions();
  mismatched.tls_key_file = other_dir + "/server.key";
  EXPECT_TRUE(FailsWith(HttpServer::Start(mismatched, Echo), crypto::Errc::kBadKey));
}

}  // namespace
}  // namespace teepnet::net
