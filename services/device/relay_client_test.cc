#include "services/device/relay_client.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::device {
namespace {

using nlohmann::json;
using teepnet::testing::FailsWith;

const Bytes kSealed = ToBytes(std::string_view("sealed to the TA instance"));

json Item() {
  return {{"request_id", "req-00000000000000a1"},
          {"target", "ta"},
          {"instance", "tc-8141746101"},
          {"purpose", "pd"},
          {"digest", ToHex(crypto::Sha256(kSealed))},
          {"sealed", eat::Base64UrlEncode(kSealed)}};
}

Result<std::vector<InboxEntry>> Parse(const json& body) {
  return ParseInbox(AsBytes(body.dump()));
}

TEST(ParseInbox, ReadsEveryMemberOfAnItem) {
  auto inbox = Parse(json{{"items", json::array({Item()})}});
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  const InboxEntry& e = inbox->front();
  EXPECT_EQ(e.request_id, "req-00000000000000a1");
  EXPECT_TRUE(e.to_ta);
  EXPECT_EQ(e.instance, "tc-8141746101");
  EXPECT_EQ(e.purpose, "pd");
  EXPECT_EQ(e.digest, crypto::Sha256(kSealed));
  EXPECT_EQ(e.sealed, kSealed);
  EXPECT_EQ(e.instance_type, "process");  // an item without the member (an older M/OC)
  auto empty = Parse(json{{"items", json::array()}});
  TEEPNET_ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(ParseInbox, ReadsTheInstanceTypeTheRequestAskedFor) {
  for (const char* type : {"process", "container", "vm"}) {
    json item = Item();
    item["instance_type"] = type;
    auto inbox = Parse(json{{"items", json::array({item})}});
    TEEPNET_ASSERT_OK(inbox);
    ASSERT_EQ(inbox->size(), 1u);
    EXPECT_EQ(inbox->front().instance_type, type);
  }
}

TEST(ParseInbox, ReadsTheUaComponentOfATaDelivery) {
  json item = Item();
  item["ua_component"] = "tc-8141756101";
  auto inbox = Parse(json{{"items", json::array({item})}});
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->front().ua_component, "tc-8141756101");
  auto without = Parse(json{{"items", json::array({Item()})}});
  TEEPNET_ASSERT_OK(without);
  EXPECT_EQ(without->front().ua_component, "");
  // Case 1's UA travels in its bundle: an Agent delivery names no UA component.
  item["target"] = "agent";
  item["instance"] = "";
  EXPECT_TRUE(FailsWith(Parse(json{{"items", json::array({item})}}), common::Errc::kBadResponse));
}

TEST(ParseInbox, RefusesAnythingButTheDocumentedShape) {
  EXPECT_TRUE(FailsWith(ParseInbox(AsBytes(std::string_view("{"))), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(Parse(json::array()), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(Parse(json{{"items", 1}}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(Parse(json{{"items", json::array({1})}}), common::Errc::kBadResponse));
  for (const char* key : {"request_id", "target", "instance", "purpose", "digest", "sealed"}) {
    json item = Item();
    item.erase(key);
    EXPECT_TRUE(FailsWith(Parse(json{{"items", json::array({item})}}), common::Errc::kBadResponse))
        << key;
  }
  const std::pair<const char*, json> bad[] = {
      {"target", "tee"},
      {"digest", "abcd"},
      {"digest", std::string(64, 'z')},
      {"sealed", "!!"},
      {"sealed", ""},
      {"request_id", std::string(kMaxInboxFieldBytes + 1, 'r')},
      {"instance", 7},
      {"instance_type", "enclave"},
      {"instance_type", 1},
      {"ua_component", 7},
      {"ua_component", "ua-1"},
      {"ua_component", "tc-" + std::string(kMaxInboxFieldBytes, '8')},
  };
  for (const auto& [key, value] : bad) {
    json item = Item();
    item[key] = value;
    EXPECT_TRUE(FailsWith(Parse(json{{"items", json::array({item})}}), common::Errc::kBadResponse))
        << key << " = " << value.dump();
  }
}

// A stand-in M/OC on 127.0.0.1 answering with what the test sets.
class FakeMoc {
 public:
  FakeMoc() {
    auto server = net::HttpServer::Start({}, [this](const net::HttpRequest& r) {
      std::lock_guard lock(mu_);
      seen_.push_back(r);
      return r.method == "GET" ? inbox_ : receipt_;
    });
    EXPECT_TRUE(teepnet::testing::IsOk(server));
    server_ = std::move(server).value();
  }
  ~FakeMoc() { server_->Stop(); }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  void Answer(net::HttpResponse inbox, net::HttpResponse receipt) {
    std::lock_guard lock(mu_);
    inbox_ = std::move(inbox);
    receipt_ = std::move(receipt);
  }
  std::vector<net::HttpRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  net::HttpResponse inbox_ = net::HttpResponse::Status(500);
  net::HttpResponse receipt_ = net::HttpResponse::Status(500);
  std::vector<net::HttpRequest> seen_;
  std::unique_ptr<net::HttpServer> server_;
};

net::HttpResponse JsonAnswer(int status, const json& body) {
  return net::HttpResponse::WithBody(status, "application/json", ToBytes(body.dump()));
}

TEST(HttpRelayEndpoint, ReadsTheInboxAndPostsReceiptsOnTheDevicePaths) {
  FakeMoc moc;
  moc.Answer(JsonAnswer(200, json{{"items", json::array({Item()})}}),
             JsonAnswer(200, json{{"request_id", "req-00000000000000a1"}, {"state", "done"}}));
  auto endpoint = HttpRelayEndpoint::Create(moc.origin(), "ab12");
  TEEPNET_ASSERT_OK(endpoint);
  auto inbox = (*endpoint)->FetchInbox();
  TEEPNET_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->front().sealed, kSealed);
  TEEPNET_ASSERT_OK((*endpoint)->PostReceipt("req-00000000000000a1", Bytes{0xd2, 0x84}));

  const std::vector<net::HttpRequest> seen = moc.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/device/v1/devices/ab12/inbox");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].target, "/device/v1/devices/ab12/receipts");
  EXPECT_EQ(seen[1].Header("content-type"), "application/json");
  EXPECT_EQ(json::parse(AsChars(seen[1].body)),
            json({{"request_id", "req-00000000000000a1"}, {"receipt", "0oQ"}}));
}

TEST(HttpRelayEndpoint, TellsARefusalFromAnAnswerWorthRetrying) {
  FakeMoc moc;
  auto endpoint = HttpRelayEndpoint::Create(moc.origin(), "ab12");
  TEEPNET_ASSERT_OK(endpoint);
  moc.Answer(JsonAnswer(503, json::object()), JsonAnswer(503, json::object()));
  auto inbox = (*endpoint)->FetchInbox();
  ASSERT_FALSE(inbox.ok());
  EXPECT_EQ(inbox.error().code(), Code::kUnavailable);
  Status post = (*endpoint)->PostReceipt("req-1", Bytes{1});
  ASSERT_FALSE(post.ok());
  EXPECT_EQ(post.error().code(), Code::kUnavailable);

  moc.Answer(JsonAnswer(404, json::object()),
             JsonAnswer(400, json{{"error", {{"code", "receipt_invalid"}, {"message", "no"}}}}));
  EXPECT_TRUE(FailsWith((*endpoint)->FetchInbox(), common::Errc::kRemoteRefused));
  EXPECT_TRUE(FailsWith((*endpoint)->PostReceipt("req-1", Bytes{1}), common::Errc::kRemoteRefused));
  moc.Answer(JsonAnswer(200, json{{"items", "none"}}), JsonAnswer(409, json::object()));
  EXPECT_TRUE(FailsWith((*endpoint)->FetchInbox(), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith((*endpoint)->PostReceipt("req-1", Bytes{1}), common::Errc::kRemoteRefused));
}

TEST(HttpRelayEndpoint, ReportsAnUnreachableMocAsUnavailable) {
  std::string origin;
  {
    FakeMoc gone;
    origin = gone.origin();
  }
  auto endpoint = HttpRelayEndpoint::Create(origin, "ab12");
  TEEPNET_ASSERT_OK(endpoint);
  auto inbox = (*endpoint)->FetchInbox();
  ASSERT_FALSE(inbox.ok());
  EXPECT_EQ(inbox.error().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace teepnet::device
