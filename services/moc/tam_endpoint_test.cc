#include "services/moc/tam_endpoint.h"

#include <gtest/gtest.h>

#include "teepnet/base/clock.h"
#include "teepnet/crypto/random.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

class TamEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    tam::TamConfig config;
    config.signing_keys.push_back(
        teep::SigningKey{*key, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt});
    auto core =
        tam::TamCore::Create(std::move(config), store_, clock_, crypto::SystemRandom::Get());
    ASSERT_TRUE(core.ok()) << core.error().ToString();
    core_ = std::move(core).value();
    endpoint_ = std::make_unique<TamEndpoint>(*core_, log_);
  }

  static net::HttpRequest Post(Bytes body, net::HeaderList headers) {
    net::HttpRequest r;
    r.method = "POST";
    r.target = "/tam";
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.peer = "127.0.0.1:1";
    return r;
  }

  tam::InMemoryTamStore store_;
  FakeClock clock_{1714560000};
  common::JsonLog log_{"test", /*fd=*/-1};  // lines go nowhere
  std::unique_ptr<tam::TamCore> core_;
  std::unique_ptr<TamEndpoint> endpoint_;
};

TEST_F(TamEndpointTest, EmptyPostWithoutContentTypeStartsASession) {
  net::HttpResponse r = endpoint_->Handle(Post({}, {{"accept", "application/teep+cbor"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
  EXPECT_EQ(r.Header("content-type"), "application/teep+cbor");
  // otrp-over-http: every response with a body carries the three security headers.
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("content-security-policy"), "default-src 'none'");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  // The QueryRequest's token is self-authenticating (tam/query_token.h): an empty POST writes
  // nothing to the store.
  EXPECT_TRUE(store_.Snapshot().tokens.empty());
  EXPECT_EQ(store_.Snapshot().commits, 0u);
}

TEST_F(TamEndpointTest, BodyWithWrongContentTypeGets415) {
  auto before = store_.Snapshot();
  net::HttpResponse r = endpoint_->Handle(
      Post(Bytes{0xa0}, {{"accept", "application/teep+cbor"}, {"content-type", "text/plain"}}));
  EXPECT_EQ(r.status, 415);
  r = endpoint_->Handle(Post(Bytes{0xa0}, {{"accept", "application/teep+cbor"}}));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(store_.Snapshot(), before);
}

TEST_F(TamEndpointTest, MissingOrIncompatibleAcceptGets406) {
  EXPECT_EQ(endpoint_->Handle(Post({}, {})).status, 406);
  EXPECT_EQ(endpoint_->Handle(Post({}, {{"accept", "text/html"}})).status, 406);
  EXPECT_EQ(endpoint_->Handle(Post({}, {{"accept", "application/teep+cbor;q=0"}})).status, 406);
  EXPECT_TRUE(store_.Snapshot().tokens.empty());
}

TEST_F(TamEndpointTest, MethodsOtherThanPostGet405) {
  net::HttpRequest r = Post({}, {{"accept", "application/teep+cbor"}});
  r.method = "GET";
  net::HttpResponse response = endpoint_->Handle(r);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("allow"), "POST");
}

TEST_F(TamEndpointTest, MalformedMessageIsDroppedWith204AndNoStateChange) {
  auto before = store_.Snapshot();
  for (const Bytes& body : {Bytes{0xff}, Bytes{0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40}, Bytes(64, 0)}) {
    net::HttpResponse r = endpoint_->Handle(Post(
        body, {{"accept", "application/teep+cbor"}, {"content-type", "application/teep+cbor"}}));
    EXPECT_EQ(r.status, 204);
    EXPECT_TRUE(r.body.empty());
  }
  EXPECT_EQ(store_.Snapshot(), before);
  EXPECT_EQ(endpoint_->counters().dropped.load(), 3u);
}

TEST(AcceptsTeepTest, MediaRangesAreMatchedWithParametersAndQ) {
  EXPECT_TRUE(AcceptsTeep("application/teep+cbor"));
  EXPECT_TRUE(AcceptsTeep("Application/TEEP+CBOR"));
  EXPECT_TRUE(AcceptsTeep("text/html, application/*;q=0.5"));
  EXPECT_TRUE(AcceptsTeep("*/*"));
  EXPECT_TRUE(AcceptsTeep("application/teep+cbor; q=1"));
  EXPECT_FALSE(AcceptsTeep(""));
  EXPECT_FALSE(AcceptsTeep("application/cbor"));
  EXPECT_FALSE(AcceptsTeep("application/teep+cbor;q=0.0"));
}

TEST(IsTeepContentTypeTest, ParametersAndCaseAreIgnored) {
  EXPECT_TRUE(IsTeepContentType("application/teep+cbor"));
  EXPECT_TRUE(IsTeepContentType("application/teep+cbor; charset=binary"));
  EXPECT_FALSE(IsTeepContentType("application/cbor"));
  EXPECT_FALSE(IsTeepContentType(""));
}

}  // namespace
}  // namespace teepnet::moc
