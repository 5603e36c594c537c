// The Network User's flow (services/cli/request_flow.h) against a stand-in M/OC on 127.0.0.1
// that plays the device too: it issues an EAR for an Agent, opens what the user seals with the
// Agent's HPKE key and answers with a receipt. The real programs run this in
// tests/e2e/use_cases_e2e_test.cc; here each refusal can be provoked on purpose.
#include "services/cli/request_flow.h"

#include <gtest/gtest.h>

#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/net/http.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/bundle.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cli {
namespace {

using nlohmann::json;

const Bytes kTa = ToBytes(std::string_view("static TA executable"));
constexpr std::string_view kPd = "{\"db-password\":\"s3cret\"}";

// The M/OC and the device in one: case 4 (bundle sealed to the Agent).
class FakeMoc {
 public:
  enum class Twist { kNone, kContraindicated, kReceiptOverOtherPd, kReceiptByOtherKey };

  // `drop_creates`: how many POSTs of a request are answered by closing the connection (the
  // request is created by the first one all the same, as an M/OC that committed and crashed).
  explicit FakeMoc(Twist twist, int drop_creates = 0) : twist_(twist), drop_creates_(drop_creates) {
    verifier_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    agent_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    device_id_ = *cose::CoseKey::FromPublicKey(agent_->public_key()).Thumbprint();
    auto server = net::HttpServer::Start(
        {}, [this](const net::HttpRequest& r) { return Handle(r); },
        [this](const net::HttpRequest& r, const net::HttpResponder&) { return Drop(r); });
    EXPECT_TRUE(server.ok());
    server_ = std::move(server).value();
  }
  ~FakeMoc() { server_->Stop(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  const crypto::PrivateKey& verifier() const { return *verifier_; }
  int channel_posts() {
    std::lock_guard lock(mu_);
    return channel_posts_;
  }
  // The Idempotency-Key of every POST of a request, in order.
  std::vector<std::string> create_keys() {
    std::lock_guard lock(mu_);
    return create_keys_;
  }

 private:
  static net::HttpResponse Json(int status, const json& body) {
    return net::HttpResponse::WithBody(status, "application/json", ToBytes(body.dump()));
  }

  json Request() const {
    json r = {{"id", "req-1"},
              {"use_case", 4},
              {"instance", "process"},
              {"device_id", ToHex(device_id_)},
              {"device_architecture", "sgx"},
              {"state", state_},
              {"steps", json::array()},
              {"error", nullptr}};
    for (const std::string& s : steps_) r["steps"].push_back({{"state", s}, {"detail", ""}});
    if (!receipt_.empty()) r["receipt"] = eat::Base64UrlEncode(receipt_);
    return r;
  }

  std::string Ear() const {
    eat::Ear ear;
    ear.iat = std::time(nullptr);
    eat::EarAppraisal a;
    a.status = twist_ == Twist::kContraindicated ? attest::Tier::kContraindicated
                                                 : attest::Tier::kAffirming;
    a.attested_keys = {agent_->public_key().ToSpkiDer(), hpke_->public_key().ToSpkiDer()};
    ear.submods["agent"] = a;
    return *eat::IssueEarJwt(ear, *verifier_);
  }

  // Takes (and drops, which closes the connection unanswered) the first POSTs of a request.
  bool Drop(const net::HttpRequest& r) {
    std::lock_guard lock(mu_);
    if (r.Path() != "/api/v1/requests" || r.method != "POST") return false;
    create_keys_.emplace_back(r.Header("idempotency-key"));
    if (drop_creates_ == 0) return false;
    --drop_creates_;
    state_ = "awaiting_user_channel";
    steps_ = {"placed", "attesting_agent", "ear_issued", "awaiting_user_channel"};
    created_ = true;
    return true;
  }

  net::HttpResponse Handle(const net::HttpRequest& r) {
    std::lock_guard lock(mu_);
    const std::string path(r.Path());
    if (path == "/api/v1/verifier-key") {
      return net::HttpResponse::WithBody(200, "application/x-pem-file",
                                         ToBytes(verifier_->public_key().ToPem()));
    }
    if (path == "/api/v1/requests" && r.method == "POST") {
      // A repeat under the key that created the request answers with it (openapi.yaml).
      if (created_) return Json(200, Request());
      created_ = true;
      state_ = "awaiting_user_channel";
      steps_ = {"placed", "attesting_agent", "ear_issued", "awaiting_user_channel"};
      return Json(201, Request());
    }
    if (path == "/api/v1/requests/req-1") return Json(200, Request());
    if (path == "/api/v1/requests/req-1/ear") {
      return net::HttpResponse::WithBody(200, "application/eat+jwt", ToBytes(Ear()));
    }
    if (path == "/api/v1/requests/req-1/channel" && r.method == "POST") {
      ++channel_posts_;
      channel::Binding binding{"req-1", device_id_, "", "ta+pd"};
      channel::InMemoryReplayGuard guard;
      channel::OpenPolicy policy;
      policy.now_unix = std::time(nullptr);
      auto opened = channel::Open(r.body, *hpke_, binding, policy, guard);
      if (!opened.ok()) return Json(400, {{"error", {{"code", "x"}, {"message", "no"}}}});
      auto bundle = channel::DecodeBundle(opened->content.view());
      if (!bundle.ok()) return Json(400, {{"error", {{"code", "x"}, {"message", "no"}}}});
      channel::Receipt receipt{"req-1", "", crypto::Sha256(bundle->pd.view()),
                               crypto::Sha256(bundle->ta), std::nullopt};
      if (twist_ == Twist::kReceiptOverOtherPd) receipt.pd_digest = crypto::Sha256(kTa);
      const crypto::PrivateKey signer = twist_ == Twist::kReceiptByOtherKey
                                            ? *crypto::PrivateKey::Generate(crypto::KeyType::kP256)
                                            : *agent_;
      receipt_ = *channel::SignReceipt(receipt, signer);
      state_ = "done";
      steps_.insert(steps_.end(), {"sealed_data_relayed", "workload_running", "done"});
      return Json(202, Request());
    }
    return Json(404, {{"error", {{"code", "route_not_found"}, {"message", path}}}});
  }

  Twist twist_;
  int drop_creates_ = 0;
  bool created_ = false;
  std::vector<std::string> create_keys_;
  std::optional<crypto::PrivateKey> verifier_;
  std::optional<crypto::PrivateKey> agent_;
  std::optional<crypto::PrivateKey> hpke_;
  Bytes device_id_;
  std::unique_ptr<net::HttpServer> server_;
  std::mutex mu_;
  std::string state_ = "placed";
  std::vector<std::string> steps_;
  Bytes receipt_;
  int channel_posts_ = 0;
};

FlowInput Case4(const FakeMoc& moc) {
  FlowInput in;
  in.moc_url = moc.url();
  in.token = "tnt-1.token";
  in.use_case = 4;
  in.hardware = "sgx";
  in.ta = kTa;
  in.pd = SecretBytes(AsBytes(kPd));
  in.timeout_ms = 20000;
  in.poll_interval_ms = 10;
  return in;
}

TEST(RequestFlow, SucceedsWhenTheReceiptProvesThePdReachedTheAttestedTa) {
  FakeMoc moc(FakeMoc::Twist::kNone);
  FlowResult r = RunRequestFlow(Case4(moc));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(r.state, "done");
  EXPECT_EQ(r.ear_status, "affirming");
  EXPECT_EQ(r.pd_digest, crypto::Sha256(AsBytes(kPd)));
  EXPECT_EQ(r.measurement, crypto::Sha256(kTa));
  EXPECT_FALSE(r.verifier_key_pinned);
  EXPECT_EQ(r.verifier_key_sha256, KeyFingerprint(moc.verifier().public_key()));
  ASSERT_FALSE(r.steps.empty());
  EXPECT_EQ(r.steps.back().name, "verify-receipt");
}

TEST(RequestFlow, RepeatsACreationCutOffInTransitUnderTheSameIdempotencyKey) {
  // Two cut connections: the HTTP client's own retry on a fresh connection and the flow's.
  FakeMoc moc(FakeMoc::Twist::kNone, /*drop_creates=*/2);
  FlowResult r = RunRequestFlow(Case4(moc));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.request_id, "req-1");
  EXPECT_EQ(r.state, "done");
  const std::vector<std::string> keys = moc.create_keys();
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].size(), 32u);  // 128 random bits in hex
  EXPECT_EQ(keys[1], keys[0]);
  EXPECT_EQ(keys[2], keys[0]);
  EXPECT_EQ(moc.channel_posts(), 1);
}

TEST(RequestFlow, SendsAFreshIdempotencyKeyPerRun) {
  FakeMoc first(FakeMoc::Twist::kNone);
  FakeMoc second(FakeMoc::Twist::kNone);
  EXPECT_TRUE(RunRequestFlow(Case4(first)).ok);
  EXPECT_TRUE(RunRequestFlow(Case4(second)).ok);
  ASSERT_EQ(first.create_keys().size(), 1u);
  ASSERT_EQ(second.create_keys().size(), 1u);
  EXPECT_FALSE(first.create_keys()[0].empty());
  EXPECT_NE(first.create_keys()[0], second.create_keys()[0]);
}

TEST(RequestFlow, SendsNothingWhenTheEarIsContraindicated) {
  FakeMoc moc(FakeMoc::Twist::kContraindicated);
  FlowResult r = RunRequestFlow(Case4(moc));
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.ear_status, "contraindicated");
  EXPECT_EQ(moc.channel_posts(), 0);
}

TEST(RequestFlow, SendsNothingWhenTheEarIsNotSignedByThePinnedKey) {
  FakeMoc moc(FakeMoc::Twist::kNone);
  FlowInput in = Case4(moc);
  in.verifier_key = crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key();
  FlowResult r = RunRequestFlow(in);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.sent);
  EXPECT_TRUE(r.verifier_key_pinned);
  EXPECT_EQ(moc.channel_posts(), 0);
}

TEST(RequestFlow, FailsWhenTheReceiptIsOverAnotherPd) {
  FakeMoc moc(FakeMoc::Twist::kReceiptOverOtherPd);
  FlowResult r = RunRequestFlow(Case4(moc));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.sent);
  EXPECT_NE(r.error.find("PD digest"), std::string::npos) << r.error;
}

TEST(RequestFlow, FailsWhenTheReceiptIsSignedByAKeyTheEarDoesNotName) {
  FakeMoc moc(FakeMoc::Twist::kReceiptByOtherKey);
  FlowResult r = RunRequestFlow(Case4(moc));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(moc.channel_posts(), 1);
}

TEST(RequestFlow, RefusesInputsThatDoNotFitTheCase) {
  FakeMoc moc(FakeMoc::Twist::kNone);
  FlowInput in = Case4(moc);
  in.ua = kTa;  // case 4 takes no UA
  FlowResult r = RunRequestFlow(in);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.request_id.empty());
  EXPECT_EQ(moc.channel_posts(), 0);
}

}  // namespace
}  // namespace teepnet::cli
