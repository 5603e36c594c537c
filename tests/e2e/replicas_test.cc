// End-to-end: two teepnet-moc replicas sharing one PostgreSQL database serve one fleet of
// devices (DESIGN §9: no coordinator, nothing only one replica knows). Devices enroll and poll
// through both replicas in turn, the operator installs through either one, and every device
// installs the Trusted Component exactly once: one Update carrying it in the TAM's store, one
// manifest in the Agent's component store.
//
// Needs the private PostgreSQL server of the ctest fixture "pg" (scripts/pg-test.sh); without
// one it fails, unless TEEPNET_NO_POSTGRES=1 asks to skip it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "services/agent/file_tc_store.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/store/connection_pool.h"
#include "teepnet/store/store_test_backend.h"
#include "teepnet/store/tam_state_json.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/packages.h"

namespace teepnet::e2e {
namespace {

using nlohmann::json;

const suit::ComponentId& kHello = HelloComponent();
constexpr int kDeviceDeadlineMs = 60000;
constexpr int kReplicas = 2;
constexpr int kDevices = 4;

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!store::testing::PostgresServerUrl()) {
      if (store::testing::PostgresOptedOut()) {
        GTEST_SKIP() << "TEEPNET_NO_POSTGRES=1: replica test skipped";
      }
      FAIL() << "no PostgreSQL server URL: run through ctest (fixture pg) or set TEEPNET_PG_URL";
    }
    auto db = store::testing::TestDatabase::Create(store::Dialect::kPostgres);
    ASSERT_TRUE(db.ok()) << db.error().ToString();
    db_.emplace(std::move(db).value());

    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    signer_ = std::make_unique<crypto::PrivateKey>(*key);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(dir_ / "signer.pub.pem", AsBytes(signer_->public_key().ToPem())));

    // Replica 0 creates the TAM key and the tokens; replica 1 gets copies, as a deployment
    // would hand every replica the same secrets.
    StartReplica(0);
    if (HasFatalFailure()) return;
    std::filesystem::create_directories(dir_ / "moc-1");
    for (const char* file : {"tam-key.pem", "admin-token", "enroll-token"}) {
      std::filesystem::copy_file(dir_ / ("moc-0/" + std::string(file)),
                                 dir_ / ("moc-1/" + std::string(file)));
    }
    StartReplica(1);
  }

  void TearDown() override {
    for (auto& moc : mocs_) {
      if (!moc) continue;
      int status = moc->Stop();
      if (HasFailure()) std::fprintf(stderr, "---- teepnet-moc ----\n%s", moc->Log().c_str());
      EXPECT_EQ(status, 0);
    }
    if (HasFailure()) {
      for (const std::string& log : logs_) std::fprintf(stderr, "---- log ----\n%s", log.c_str());
    }
    db_.reset();
  }

  void StartReplica(int i) {
    const std::string data = dir_ / ("moc-" + std::to_string(i));
    mocs_[i].emplace(Program::Start({MocProgram(), "serve", "--listen", "127.0.0.1:0", "--data",
                                     data, "--store", db_->url(), "--threads", "4"},
                                    dir_ / ("moc-" + std::to_string(i) + ".log")));
    ASSERT_TRUE(WaitFor([&] { return !ReadText(data + "/moc.addr").empty(); }, 20000))
        << mocs_[i]->Log();
    std::string addr = ReadText(data + "/moc.addr");
    while (!addr.empty() && addr.back() == '\n') addr.pop_back();
    urls_[i] = "http://" + addr;
  }

  int RunDevice(int device, int replica) {
    const std::string data = dir_ / ("device-" + std::to_string(device));
    CommandResult r = RunCommand({DeviceProgram(),
                                  "run",
                                  "--tam",
                                  urls_[replica] + "/tam",
                                  "--data",
                                  data,
                                  "--platform",
                                  "sim-sgx",
                                  "--enroll-token-file",
                                  dir_ / "moc-0/enroll-token",
                                  "--tam-key",
                                  dir_ / "moc-0/tam-key.pub.pem",
                                  "--tc-signer",
                                  dir_ / "signer.pub.pem",
                                  "--once",
                                  "--deadline-ms",
                                  std::to_string(kDeviceDeadlineMs),
                                  "--backoff-initial-ms",
                                  "100",
                                  "--backoff-max-ms",
                                  "400"},
                                 dir_.path(), kDeviceDeadlineMs + 5000);
    std::lock_guard<std::mutex> lock(logs_mu_);
    logs_.push_back(r.err);
    return r.exit_status;
  }

  // Runs every device once at the same time; device d talks to replica (d + shift) % 2.
  void RunAllDevices(int shift) {
    std::vector<std::thread> threads;
    std::vector<int> exits(kDevices, -1);
    for (int d = 0; d < kDevices; ++d) {
      threads.emplace_back([&, d] { exits[d] = RunDevice(d, (d + shift) % kReplicas); });
    }
    for (auto& t : threads) t.join();
    for (int d = 0; d < kDevices; ++d) EXPECT_EQ(exits[d], 0) << "device " << d;
  }

  CommandResult Tam(int replica, std::vector<std::string> args) {
    std::vector<std::string> argv = {CliProgram(), "tam"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--moc", urls_[replica], "--token-file", dir_ / "moc-0/admin-token"});
    CommandResult r = RunCommand(argv, dir_.path());
    std::lock_guard<std::mutex> lock(logs_mu_);
    logs_.push_back(r.err);
    return r;
  }

  json Status(int replica) {
    CommandResult r = Tam(replica, {"status", "--json"});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << r.out;
    return j;
  }

  std::string WriteEnvelope(uint64_t sequence_number, std::string_view content) {
    Bytes envelope = WriteContentEnvelope(kHello, sequence_number, content, *signer_);
    std::string path = dir_ / ("hello-" + std::to_string(sequence_number) + ".suit");
    EXPECT_TRUE(WriteFileAtomic(path, envelope).ok());
    return path;
  }

  // Per device (hex id): how many Update tokens in the shared store carried kHello.
  std::map<std::string, int> UpdatesCarryingHello() {
    std::map<std::string, int> out;
    auto pool = store::OpenPool(db_->url());
    EXPECT_TRUE(pool.ok()) << pool.error().ToString();
    if (!pool.ok()) return out;
    auto c = (*pool)->Acquire();
    EXPECT_TRUE(c.ok());
    if (!c.ok()) return out;
    auto s = (*c)->Prepare("SELECT device_id, details FROM tokens WHERE purpose = ?1");
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return out;
    EXPECT_TRUE((*s)->BindInt(1, static_cast<int64_t>(tam::TokenPurpose::kUpdate)).ok());
    for (;;) {
      auto row = (*s)->Step();
      EXPECT_TRUE(row.ok()) << row.error().ToString();
      if (!row.ok() || !*row) break;
      tam::TokenRecord t;
      EXPECT_TRUE(store::DecodeTokenDetails((*s)->ColumnText(1), &t).ok());
      for (const tam::PackageRef& ref : t.sent_manifests) {
        if (ref.manifest_id == kHello) ++out[tam::DeviceIdHex((*s)->ColumnBlob(0))];
      }
    }
    return out;
  }

  std::string AgentStore(int device) const {
    return dir_ / ("device-" + std::to_string(device) + "/agent/tc-store/current");
  }
  size_t AgentManifestCount(int device) const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::directory_iterator(AgentStore(device) + "/manifests", ec)) {
      (void)e;
      ++n;
    }
    return n;
  }

  static const json* FindInstalled(const json& device, const suit::ComponentId& id) {
    for (const json& tc : device["installed"]) {
      if (tc["manifest_id"] == id.ToString()) return &tc;
    }
    return nullptr;
  }

  struct Reply {
    int status = 0;
    json body;
  };
  Reply Call(int replica, std::string_view method, const std::string& target,
             const std::string& token, const std::string& body = "",
             const std::string& idempotency_key = "") {
    auto client = net::HttpClient::Create(urls_[replica]);
    if (!client.ok()) return {};
    net::HeaderList headers = {{"Authorization", "Bearer " + token}};
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    auto r = (*client)->Send(method, target, headers, AsBytes(body));
    if (!r.ok()) return {};
    return Reply{r->status, json::parse(AsChars(r->body), nullptr, false)};
  }
  std::string AdminToken() {
    std::string token = ReadText(dir_ / "moc-0/admin-token");
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return token;
  }

  TempDir dir_;
  std::optional<store::testing::TestDatabase> db_;
  std::unique_ptr<crypto::PrivateKey> signer_;
  std::optional<Program> mocs_[kReplicas];
  std::string urls_[kReplicas];
  std::mutex logs_mu_;
  std::vector<std::string> logs_;
};

TEST_F(ReplicasTest, TwoReplicasOnOneDatabaseInstallOnEveryDeviceExactlyOnce) {
  // Enrollment and a first empty round, half the fleet through each replica.
  RunAllDevices(0);
  ASSERT_FALSE(HasFailure());
  // Both replicas see the whole fleet: nothing lives in only one of them.
  json status0 = Status(0);
  json status1 = Status(1);
  ASSERT_EQ(status0.size(), static_cast<size_t>(kDevices)) << status0.dump(2);
  EXPECT_EQ(status0, status1);

  // The operator installs through alternating replicas.
  const std::string envelope = WriteEnvelope(1, "hello from a replica");
  for (int d = 0; d < kDevices; ++d) {
    const std::string id = status0[static_cast<size_t>(d)]["device_id"];
    CommandResult install = Tam(d % kReplicas, {"install", "--device", id, envelope});
    ASSERT_EQ(install.exit_status, 0) << install.err;
  }

  // Every device polls through one replica, then through the other: the second round finds
  // the device up to date wherever the first one ran.
  RunAllDevices(1);
  RunAllDevices(0);
  ASSERT_FALSE(HasFailure());

  std::map<std::string, int> updates = UpdatesCarryingHello();
  json after0 = Status(0);
  EXPECT_EQ(after0, Status(1));
  ASSERT_EQ(after0.size(), static_cast<size_t>(kDevices));
  for (const json& device : after0) {
    const std::string id = device["device_id"];
    EXPECT_EQ(updates[id], 1) << "device " << id << " was sent the component " << updates[id]
                              << " times";
    const json* tc = FindInstalled(device, kHello);
    ASSERT_NE(tc, nullptr) << device.dump(2);
    EXPECT_EQ((*tc)["sequence_number"], 1);
    EXPECT_EQ(device["last_result"], "up-to-date") << device.dump(2);
  }
  for (int d = 0; d < kDevices; ++d) {
    EXPECT_EQ(AgentManifestCount(d), 1u) << "device " << d;
    EXPECT_EQ(ReadText(AgentStore(d) + "/components/" + agentd::FileTcStore::FileNameFor(kHello)),
              "hello from a replica");
  }
}

// openapi.yaml "Idempotency-Key" across replicas: the same POST sent to both replicas at once,
// several times, creates one request; every answer names it, exactly one with 201.
TEST_F(ReplicasTest, CreatesOneRequestWhenOneIdempotencyKeyReachesBothReplicasAtOnce) {
  const std::string admin = AdminToken();
  Reply tenant = Call(0, "POST", "/api/v1/tenants", admin, json{{"name", "user"}}.dump());
  ASSERT_EQ(tenant.status, 201) << tenant.body.dump();
  const std::string token = tenant.body.value("token", "");
  ASSERT_EQ(RunDevice(0, 0), 0);
  const json record = json::parse(ReadText(dir_ / "device-0/device.json"), nullptr, false);
  ASSERT_TRUE(record.is_object());
  const std::string device_id = record.value("device_id", "");
  Reply put =
      Call(1, "PUT", "/api/v1/devices/" + device_id + "/capacity", admin,
           json{{"architecture", "sgx"}, {"instance_types", {"process"}}, {"slots", 64}}.dump());
  ASSERT_EQ(put.status, 200) << put.body.dump();

  const std::string body =
      json{{"use_case", 4}, {"instance", "process"}, {"hardware", "sgx"}}.dump();
  constexpr int kRounds = 4;
  constexpr int kPostsPerRound = 6;
  for (int round = 0; round < kRounds; ++round) {
    Bytes random(16);
    TEEPNET_ASSERT_OK(crypto::SystemRandom::Get().Fill(random));
    const std::string key = ToHex(random);
    std::vector<Reply> replies(kPostsPerRound);
    std::vector<std::thread> threads;
    for (int i = 0; i < kPostsPerRound; ++i) {
      threads.emplace_back([&, i] {
        replies[static_cast<size_t>(i)] =
            Call(i % kReplicas, "POST", "/api/v1/requests", token, body, key);
      });
    }
    for (std::thread& t : threads) t.join();
    int created = 0;
    std::set<std::string> ids;
    for (const Reply& r : replies) {
      EXPECT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body.dump();
      created += r.status == 201 ? 1 : 0;
      if (r.body.is_object()) ids.insert(r.body.value("id", ""));
    }
    EXPECT_EQ(created, 1) << "round " << round;
    EXPECT_EQ(ids.size(), 1u) << "round " << round;
  }
  for (int replica = 0; replica < kReplicas; ++replica) {
    Reply list = Call(replica, "GET", "/api/v1/requests", token);
    ASSERT_TRUE(list.body.is_array()) << list.body.dump();
    EXPECT_EQ(list.body.size(), static_cast<size_t>(kRounds)) << list.body.dump();
  }
}

}  // namespace
}  // namespace teepnet::e2e
