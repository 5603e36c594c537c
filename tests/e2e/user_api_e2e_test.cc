// End-to-end through the user REST API (docs/api/openapi.yaml) of a real teepnet-moc: the admin
// creates two tenants and registers an enrolled device's capacity, tenant A uploads a signed TA
// and asks for use case 3 (seed §5.3), and the real teepnet-device installs the TA over TEEP;
// the M/OC sees the install in the TAM's state and moves the request on. Tenant B sees none of
// A's objects (404, as if they did not exist).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "services/agent/file_tc_store.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/packages.h"

namespace teepnet::e2e {
namespace {

using nlohmann::json;

const suit::ComponentId& kHello = HelloComponent();
constexpr int kDeviceDeadlineMs = 60000;
// The M/OC reconciles about once a second (moc_main.cc); this is a generous bound, not a timing.
constexpr int kRequestProgressMs = 30000;

struct Reply {
  int status = 0;
  json body;
};

class UserApiEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    signer_ = std::make_unique<crypto::PrivateKey>(*key);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(dir_ / "signer.pub.pem", AsBytes(signer_->public_key().ToPem())));
    port_ = FreePort();
    std::vector<std::string> args = {MocProgram(), "serve",
                                     "--listen",   "127.0.0.1:" + std::to_string(port_),
                                     "--data",     dir_ / "moc"};
    if (WithAttestation()) {
      // The simulated manufacturers' endorsements; the device adds its own as it starts.
      std::filesystem::create_directories(dir_ / "sim-vendors/public");
      args.insert(args.end(), {"--endorsements", dir_ / "sim-vendors/public"});
    }
    moc_.emplace(Program::Start(args, dir_ / "moc.log"));
    ASSERT_TRUE(WaitFor([&] { return !ReadText(dir_ / "moc/moc.addr").empty(); }, 20000))
        << moc_->Log();
    auto client = net::HttpClient::Create("http://127.0.0.1:" + std::to_string(port_));
    TEEPNET_ASSERT_OK(client);
    client_ = std::move(client).value();
    admin_token_ = ReadText(dir_ / "moc/admin-token");
    while (!admin_token_.empty() && (admin_token_.back() == '\n' || admin_token_.back() == '\r')) {
      admin_token_.pop_back();
    }
  }

  void TearDown() override {
    if (!HasFailure()) return;
    if (moc_) std::fprintf(stderr, "---- teepnet-moc log ----\n%s", moc_->Log().c_str());
    for (const std::string& log : logs_) std::fprintf(stderr, "---- log ----\n%s", log.c_str());
  }

  virtual bool WithAttestation() const { return false; }

  int RunDeviceOnce() {
    std::vector<std::string> args = {DeviceProgram(),
                                     "run",
                                     "--tam",
                                     "http://127.0.0.1:" + std::to_string(port_) + "/tam",
                                     "--data",
                                     dir_ / "device",
                                     "--platform",
                                     WithAttestation() ? "sim-sgx" : "sim-generic",
                                     "--enroll-token-file",
                                     dir_ / "moc/enroll-token",
                                     "--tam-key",
                                     dir_ / "moc/tam-key.pub.pem",
                                     "--tc-signer",
                                     dir_ / "signer.pub.pem",
                                     "--once",
                                     "--deadline-ms",
                                     std::to_string(kDeviceDeadlineMs),
                                     "--backoff-initial-ms",
                                     "100",
                                     "--backoff-max-ms",
                                     "400"};
    if (WithAttestation()) args.insert(args.end(), {"--sim-vendors", dir_ / "sim-vendors"});
    CommandResult r = RunCommand(args, dir_.path(), kDeviceDeadlineMs + 5000);
    logs_.push_back(r.err);
    return r.exit_status;
  }

  Reply Call(std::string_view method, const std::string& target, const std::string& token,
             ByteView body = {}) {
    auto r = client_->Send(method, target, {{"Authorization", "Bearer " + token}}, body);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    if (!r.ok()) return {};
    return Reply{r->status, json::parse(AsChars(r->body), nullptr, false)};
  }
  Reply CallJson(std::string_view method, const std::string& target, const std::string& token,
                 const json& body) {
    const std::string text = body.dump();
    return Call(method, target, token, AsBytes(text));
  }

  std::string CreateTenant(const std::string& name) {
    Reply r = CallJson("POST", "/api/v1/tenants", admin_token_, {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.is_object() ? r.body.value("token", "") : "";
  }

  Bytes Envelope(std::string_view content) const {
    return WriteContentEnvelope(kHello, 1, content, *signer_);
  }

  std::string HelloFile() const {
    return dir_ /
           ("device/agent/tc-store/current/components/" + agentd::FileTcStore::FileNameFor(kHello));
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::unique_ptr<crypto::PrivateKey> signer_;
  std::optional<Program> moc_;
  std::unique_ptr<net::HttpClient> client_;
  std::string admin_token_;
  std::vector<std::string> logs_;
};

TEST_F(UserApiEndToEndTest, RunsACase3RequestToTheDeployedTaAndKeepsTenantsApart) {
  // The device enrolls (nothing to install yet).
  ASSERT_EQ(RunDeviceOnce(), 0);
  json record = json::parse(ReadText(dir_ / "device/device.json"), nullptr, false);
  ASSERT_TRUE(record.is_object());
  const std::string device_id = record.value("device_id", "");
  ASSERT_FALSE(device_id.empty());

  const std::string token_a = CreateTenant("tenant-a");
  const std::string token_b = CreateTenant("tenant-b");
  ASSERT_FALSE(token_a.empty());
  ASSERT_FALSE(token_b.empty());
  // Tenants cannot register capacity; the admin can.
  const json capacity = {{"architecture", "sgx"}, {"instance_types", {"process"}}, {"slots", 2}};
  EXPECT_EQ(CallJson("PUT", "/api/v1/devices/" + device_id + "/capacity", token_a, capacity).status,
            403);
  Reply registered =
      CallJson("PUT", "/api/v1/devices/" + device_id + "/capacity", admin_token_, capacity);
  ASSERT_EQ(registered.status, 200) << registered.body.dump();

  const Bytes envelope = Envelope("hello from tenant a");
  Reply package = Call("POST", "/api/v1/packages?kind=ta&name=hello", token_a, envelope);
  ASSERT_EQ(package.status, 201) << package.body.dump();
  const std::string package_id = package.body.value("id", "");
  ASSERT_FALSE(package_id.empty());

  Reply created =
      CallJson("POST", "/api/v1/requests", token_a,
               {{"use_case", 3}, {"instance", "process"}, {"packages", {{"ta", package_id}}}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string request_id = created.body.value("id", "");
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(created.body.value("device_id", ""), device_id);
  EXPECT_EQ(created.body.value("state", ""), "deploying_ta");

  // Tenant B sees neither the request nor the package.
  Reply foreign_request = Call("GET", "/api/v1/requests/" + request_id, token_b);
  EXPECT_EQ(foreign_request.status, 404) << foreign_request.body.dump();
  Reply foreign_package = Call("GET", "/api/v1/packages/" + package_id, token_b);
  EXPECT_EQ(foreign_package.status, 404) << foreign_package.body.dump();
  Reply b_requests = Call("GET", "/api/v1/requests", token_b);
  EXPECT_EQ(b_requests.status, 200);
  EXPECT_TRUE(b_requests.body.is_array() && b_requests.body.empty()) << b_requests.body.dump();

  // The device polls, the TAM sends the TA, the Agent installs it.
  ASSERT_EQ(RunDeviceOnce(), 0);
  EXPECT_EQ(ReadText(HelloFile()), "hello from tenant a");

  // The M/OC sees the install in the TAM's device status and moves the request past the
  // TA deployment (to the Agent's attestation, which this device without an attester cannot
  // complete).
  std::string state;
  ASSERT_TRUE(WaitFor(
      [&] {
        Reply r = Call("GET", "/api/v1/requests/" + request_id, token_a);
        state = r.body.is_object() ? r.body.value("state", "") : "";
        return state != "deploying_ta";
      },
      kRequestProgressMs))
      << state;
  EXPECT_EQ(state, "attesting_agent");
  EXPECT_EQ(Call("GET", "/api/v1/requests/" + request_id, token_b).status, 404);
}

// The same with the TAM's Verifier on (sim-sgx, attestation required): once the TA is
// installed, an appraisal from the attesting step on carries the EAR into the request.
class UserApiAttestationEndToEndTest : public UserApiEndToEndTest {
 protected:
  bool WithAttestation() const override { return true; }
};

TEST_F(UserApiAttestationEndToEndTest, IssuesTheEarOfTheAttestedAgentToTheRequest) {
  ASSERT_EQ(RunDeviceOnce(), 0);
  json record = json::parse(ReadText(dir_ / "device/device.json"), nullptr, false);
  ASSERT_TRUE(record.is_object());
  const std::string device_id = record.value("device_id", "");
  const std::string token_a = CreateTenant("tenant-a");
  ASSERT_FALSE(token_a.empty());
  Reply registered =
      CallJson("PUT", "/api/v1/devices/" + device_id + "/capacity", admin_token_,
               {{"architecture", "sgx"}, {"instance_types", {"process"}}, {"slots", 1}});
  ASSERT_EQ(registered.status, 200) << registered.body.dump();
  Reply package =
      Call("POST", "/api/v1/packages?kind=ta&name=hello", token_a, Envelope("attested"));
  ASSERT_EQ(package.status, 201) << package.body.dump();
  Reply created = CallJson("POST", "/api/v1/requests", token_a,
                           {{"use_case", 3},
                            {"instance", "process"},
                            {"packages", {{"ta", package.body.value("id", "")}}}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string request_id = created.body.value("id", "");

  ASSERT_EQ(RunDeviceOnce(), 0);  // installs the TA
  EXPECT_EQ(ReadText(HelloFile()), "attested");
  auto state = [&] {
    Reply r = Call("GET", "/api/v1/requests/" + request_id, token_a);
    return r.body.is_object() ? r.body.value("state", "") : std::string();
  };
  ASSERT_TRUE(WaitFor([&] { return state() != "deploying_ta"; }, kRequestProgressMs)) << state();
  // An appraisal counts from the second the attesting step began (tam_reconciler.h); the one of
  // the installing exchange usually predates it, and the device's next exchange brings a new one.
  if (state() == "attesting_agent") {
    ASSERT_EQ(RunDeviceOnce(), 0);
  }
  ASSERT_TRUE(WaitFor([&] { return state() != "attesting_agent"; }, kRequestProgressMs));
  EXPECT_NE(state(), "failed");
  auto ear = client_->Send("GET", "/api/v1/requests/" + request_id + "/ear",
                           {{"Authorization", "Bearer " + token_a}}, {});
  TEEPNET_ASSERT_OK(ear);
  EXPECT_EQ(ear->status, 200);
  // An ES256 JWT: three base64url parts.
  EXPECT_EQ(std::count(ear->body.begin(), ear->body.end(), '.'), 2) << AsChars(ear->body);
}

}  // namespace
}  // namespace teepnet::e2e
