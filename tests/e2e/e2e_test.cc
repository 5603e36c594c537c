// End-to-end: the real teepnet-moc, teepnet-device (with its teepnet-agent child) and
// `teepnet tam` processes on 127.0.0.1, talking TEEP over HTTP
// (draft-ietf-teep-otrp-over-http-15) with state in SQLite and in the Agent's directory.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "services/agent/agent_protocol.h"
#include "services/agent/file_tc_store.h"
#include "services/common/frame.h"
#include "services/device/enrollment.h"
#include "services/device/tam_transport.h"
#include "services/net/http.h"
#include "teepnet/agent/agent_core.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/broker/broker_core.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/random.h"
#include "teepnet/store/database.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/testing/matchers.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/packages.h"

namespace teepnet::e2e {
namespace {

using nlohmann::json;

const suit::ComponentId& kHello = HelloComponent();
constexpr int kDeviceDeadlineMs = 60000;

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    signer_ = std::make_unique<crypto::PrivateKey>(*key);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(dir_ / "signer.pub.pem", AsBytes(signer_->public_key().ToPem())));
    port_ = FreePort();
    StartMoc();
  }

  void TearDown() override {
    if (!HasFailure()) return;
    if (moc_) std::fprintf(stderr, "---- teepnet-moc log ----\n%s", moc_->Log().c_str());
    for (const std::string& log : logs_) std::fprintf(stderr, "---- log ----\n%s", log.c_str());
  }

  void StartMoc() {
    std::filesystem::remove(dir_ / "moc/moc.addr");
    std::string log = dir_ / ("moc-" + std::to_string(moc_starts_++) + ".log");
    moc_.emplace(Program::Start({MocProgram(), "serve", "--listen",
                                 "127.0.0.1:" + std::to_string(port_), "--data", dir_ / "moc"},
                                log));
    ASSERT_TRUE(WaitFor([&] { return !ReadText(dir_ / "moc/moc.addr").empty(); }, 20000))
        << moc_->Log();
  }

  std::string TamUri() const { return "http://127.0.0.1:" + std::to_string(port_) + "/tam"; }
  std::string MocUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<std::string> DeviceArgs(const std::string& data) const {
    return {DeviceProgram(),
            "run",
            "--tam",
            TamUri(),
            "--data",
            data,
            "--platform",
            "sim-sgx",
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
  }

  // One `teepnet-device run --once`: enroll if needed, then policy-check rounds until one
  // completes cleanly.
  int RunDeviceOnce() {
    CommandResult r =
        RunCommand(DeviceArgs(dir_ / "device"), dir_.path(), kDeviceDeadlineMs + 5000);
    logs_.push_back(r.err);
    return r.exit_status;
  }

  CommandResult Tam(std::vector<std::string> args) {
    std::vector<std::string> argv = {CliProgram(), "tam"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--moc", MocUrl(), "--token-file", dir_ / "moc/admin-token"});
    CommandResult r = RunCommand(argv, dir_.path());
    logs_.push_back(r.err);
    return r;
  }

  json Status() {
    CommandResult r = Tam({"status", "--json"});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << r.out;
    return j;
  }

  Bytes Envelope(uint64_t sequence_number, std::string_view content) const {
    return WriteContentEnvelope(kHello, sequence_number, content, *signer_);
  }

  std::string WriteEnvelope(uint64_t sequence_number, std::string_view content) {
    std::string path = dir_ / ("hello-" + std::to_string(sequence_number) + ".suit");
    EXPECT_TRUE(WriteFileAtomic(path, Envelope(sequence_number, content)).ok());
    return path;
  }

  // The Agent's files (FileTcStore layout under DIR/agent/tc-store/current).
  std::string AgentStore() const { return dir_ / "device/agent/tc-store/current"; }
  std::string HelloFile() const {
    return AgentStore() + "/components/" + agentd::FileTcStore::FileNameFor(kHello);
  }
  size_t AgentManifestCount() const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(AgentStore() + "/manifests", ec)) {
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

  TempDir dir_;
  std::unique_ptr<crypto::PrivateKey> signer_;
  uint16_t port_ = 0;
  int moc_starts_ = 0;
  std::optional<Program> moc_;
  std::vector<std::string> logs_;
};

TEST_F(EndToEndTest, InstallUpdateAndUninstallATrustedComponent) {
  // First start: the device enrolls and runs an empty round.
  ASSERT_EQ(RunDeviceOnce(), 0);
  json status = Status();
  ASSERT_EQ(status.size(), 1u);
  const std::string device_id = status[0]["device_id"];
  EXPECT_EQ(status[0]["label"], "sim-sgx");
  EXPECT_EQ(status[0]["last_result"], "up-to-date");
  EXPECT_TRUE(status[0]["installed"].empty());

  // Install sequence number 1.
  CommandResult install = Tam({"install", "--device", device_id, WriteEnvelope(1, "hello v1")});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  ASSERT_EQ(RunDeviceOnce(), 0);
  status = Status();
  const json* tc = FindInstalled(status[0], kHello);
  ASSERT_NE(tc, nullptr) << status.dump(2);
  EXPECT_EQ((*tc)["sequence_number"], 1);
  EXPECT_EQ(ReadText(HelloFile()), "hello v1");
  EXPECT_EQ(AgentManifestCount(), 1u);

  // Update to sequence number 2.
  install = Tam({"install", "--device", device_id, WriteEnvelope(2, "hello v2")});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  ASSERT_EQ(RunDeviceOnce(), 0);
  status = Status();
  tc = FindInstalled(status[0], kHello);
  ASSERT_NE(tc, nullptr) << status.dump(2);
  EXPECT_EQ((*tc)["sequence_number"], 2);
  EXPECT_EQ(ReadText(HelloFile()), "hello v2");
  EXPECT_EQ(AgentManifestCount(), 1u);

  // Uninstall.
  CommandResult remove = Tam({"remove", "--device", device_id, kHello.ToString()});
  ASSERT_EQ(remove.exit_status, 0) << remove.err;
  ASSERT_EQ(RunDeviceOnce(), 0);
  status = Status();
  EXPECT_EQ(FindInstalled(status[0], kHello), nullptr) << status.dump(2);
  EXPECT_FALSE(std::filesystem::exists(HelloFile()));
  EXPECT_EQ(AgentManifestCount(), 0u);
}

TEST_F(EndToEndTest, CliRefusalsAndUsageErrorsHaveTheirExitCodes) {
  ASSERT_EQ(RunDeviceOnce(), 0);
  EXPECT_EQ(Tam({"install", "--device", "00", WriteEnvelope(1, "x")}).exit_status, 1);
  EXPECT_EQ(Tam({"remove", "--device", Status()[0]["device_id"], "no/such"}).exit_status, 1);
  EXPECT_EQ(Tam({"install", "--device", "00", dir_ / "missing.suit"}).exit_status, 2);
  EXPECT_EQ(Tam({"status", "--bogus"}).exit_status, 2);
  CommandResult wrong_token = RunCommand(
      {CliProgram(), "tam", "status", "--moc", MocUrl(), "--token", "wrong"}, dir_.path());
  EXPECT_EQ(wrong_token.exit_status, 1);
}

TEST_F(EndToEndTest, BrokerRetriesWhileTamIsDownAndRecovers) {
  ASSERT_EQ(RunDeviceOnce(), 0);  // enrolled while the TAM was up
  const std::string device_id = Status()[0]["device_id"];
  ASSERT_EQ(Tam({"install", "--device", device_id, WriteEnvelope(1, "after outage")}).exit_status,
            0);
  ASSERT_EQ(moc_->Stop(), 0);  // graceful SIGTERM

  Program device = Program::Start(DeviceArgs(dir_ / "device"), dir_ / "device-outage.log");
  // The device keeps retrying with backoff while nothing listens.
  ASSERT_TRUE(
      WaitFor([&] { return device.Log().find("round-failed") != std::string::npos; }, 20000))
      << device.Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(device.running());

  StartMoc();  // same port, same data directory: the store survived the restart
  std::optional<int> exit = device.Wait(kDeviceDeadlineMs);
  logs_.push_back(device.Log());
  ASSERT_EQ(exit, 0);
  EXPECT_EQ(ReadText(HelloFile()), "after outage");
  const json status = Status();
  const json* tc = FindInstalled(status[0], kHello);
  ASSERT_NE(tc, nullptr);
  EXPECT_EQ((*tc)["sequence_number"], 1);
}

// Counts occurrences of `needle` in `text`.
size_t Count(const std::string& text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_F(EndToEndTest, DeviceRestartsAKilledAgentAndStopsOnSigterm) {
  std::vector<std::string> args = DeviceArgs(dir_ / "device");
  std::erase(args, std::string("--once"));
  args.insert(args.end(), {"--poll-interval-ms", "100"});
  Program device = Program::Start(args, dir_ / "device-daemon.log");
  ASSERT_TRUE(WaitFor([&] { return Count(device.Log(), "\"round-done\"") >= 1; }, 20000))
      << device.Log();
  // The Agent's pid, from the supervisor's log line.
  json started;
  const std::string first_log = device.Log();
  for (std::string_view rest = first_log; !rest.empty();) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.value("event", "") == "agent-started") started = j;
  }
  ASSERT_TRUE(started.contains("pid")) << device.Log();
  ASSERT_EQ(::kill(started["pid"].get<pid_t>(), SIGKILL), 0);
  // The next rounds notice the dead Agent, start a new one, and succeed again.
  const size_t rounds_before = Count(device.Log(), "\"round-done\"");
  ASSERT_TRUE(WaitFor(
      [&] {
        std::string log = device.Log();
        return log.find("\"starts\":2") != std::string::npos &&
               Count(log, "\"round-done\"") > rounds_before;
      },
      20000))
      << device.Log();
  EXPECT_TRUE(device.running());
  EXPECT_EQ(device.Stop(10000), 0);  // graceful: SIGTERM ends the loop with status 0
  logs_.push_back(device.Log());
  EXPECT_NE(device.Log().find("\"event\":\"stopping\""), std::string::npos);
}

// Row-level fingerprint of the TAM's store, read through a second connection (WAL readers do
// not block the running M/OC).
std::string StoreFingerprint(const std::string& db_path) {
  auto db = store::Database::Open(db_path);
  if (!db.ok()) return "open failed: " + db.error().ToString();
  std::string out;
  for (const char* sql :
       {"SELECT COUNT(*) || ':' || COALESCE(group_concat(hex(token) || consumed || "
        "COALESCE(hex(device_id), '-')), '') FROM tokens",
        "SELECT COUNT(*) || ':' || COALESCE(group_concat(hex(token) || "
        "COALESCE(hex(device_id), '-')), '') FROM used_query_tokens",
        "SELECT COUNT(*) || ':' || COALESCE(group_concat(status), '') FROM device_status",
        "SELECT COUNT(*) || ':' || COALESCE(group_concat(state), '') FROM desired_state",
        "SELECT COUNT(*) FROM devices", "SELECT COUNT(*) FROM packages"}) {
    auto s = (*db)->Prepare(sql);
    if (!s.ok() || !s->Step().ok()) return "query failed";
    out += s->ColumnText(0) + "\n";
  }
  return out;
}

TEST_F(EndToEndTest, MalformedAndTamperedMessagesAreRefusedWithoutStateChange) {
  ASSERT_EQ(RunDeviceOnce(), 0);
  auto client = net::HttpClient::Create(MocUrl());
  TEEPNET_ASSERT_OK(client);
  const net::HeaderList teep = {{"Accept", "application/teep+cbor"},
                                {"Content-Type", "application/teep+cbor"}};
  // A genuine QueryRequest from the TAM (this POST legitimately issues a token) ...
  auto opening = (*client)->Send("POST", "/tam", {{"Accept", "application/teep+cbor"}}, {});
  TEEPNET_ASSERT_OK(opening);
  ASSERT_EQ(opening->status, 200);
  const Bytes query_request = opening->body;
  Bytes tampered = query_request;
  tampered.back() ^= 0x01;  // last byte of the signature

  // ... then nothing below may change the TAM's state.
  const std::string before = StoreFingerprint(dir_ / "moc/moc.db");
  const json status_before = Status();
  Bytes random(200);
  TEEPNET_ASSERT_OK(crypto::SystemRandom::Get().Fill(random));
  for (const Bytes& body : {Bytes{0xff}, random, query_request, tampered}) {
    auto r = (*client)->Send("POST", "/tam", teep, body);
    TEEPNET_ASSERT_OK(r);
    EXPECT_EQ(r->status, 204);  // dropped: the TAM returns nothing
    EXPECT_TRUE(r->body.empty());
  }
  auto wrong_type = (*client)->Send(
      "POST", "/tam", {{"Accept", "application/teep+cbor"}, {"Content-Type", "text/plain"}},
      query_request);
  TEEPNET_ASSERT_OK(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
  auto no_accept = (*client)->Send("POST", "/tam", {}, {});
  TEEPNET_ASSERT_OK(no_accept);
  EXPECT_EQ(no_accept->status, 406);
  EXPECT_EQ(StoreFingerprint(dir_ / "moc/moc.db"), before);
  EXPECT_EQ(Status(), status_before);
  EXPECT_NE(moc_->Log().find("\"outcome\":\"dropped\""), std::string::npos);

  // The Agent hop: a teepnet-agent of our own, driven over its channel like the Broker does.
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  common::SpawnOptions spawn;
  spawn.argv = {AgentProgram(),
                "--data",
                dir_ / "lone-agent",
                "--tam-uri",
                TamUri(),
                "--tam-key",
                dir_ / "moc/tam-key.pub.pem",
                "--tc-signer",
                dir_ / "signer.pub.pem",
                "--channel-fd",
                std::to_string(fds[1])};
  spawn.stderr_path = dir_ / "lone-agent.log";
  spawn.keep_fds = {fds[1]};
  auto agent = common::Subprocess::Spawn(spawn);
  ::close(fds[1]);
  TEEPNET_ASSERT_OK(agent);
  auto call = [&](agentd::AgentOp op, ByteView body) -> Result<Bytes> {
    TEEPNET_RETURN_IF_ERROR(common::WriteFrame(fds[0], agentd::EncodeRequest(op, body)));
    TEEPNET_ASSIGN_OR_RETURN(Bytes frame, common::ReadFrame(fds[0]));
    TEEPNET_ASSIGN_OR_RETURN(ByteView ok, agentd::DecodeResponse(frame));
    return ToBytes(ok);
  };
  auto identity = call(agentd::AgentOp::kGetIdentity, {});
  TEEPNET_ASSERT_OK(identity);
  auto cose_key = cose::CoseKey::DecodePublic(*identity);
  TEEPNET_ASSERT_OK(cose_key);
  auto agent_key = cose_key->ToPublicKey();
  TEEPNET_ASSERT_OK(agent_key);
  auto reply_type = [&](ByteView message) -> std::optional<teep::MessageType> {
    auto body = call(agentd::AgentOp::kProcessTeepMessage, message);
    if (!body.ok()) return std::nullopt;
    auto reply = agentd::DecodeOptionalMessage(*body);
    if (!reply.ok() || !*reply) return std::nullopt;
    auto verified = teep::VerifyMessage(**reply, teep::RfcProfile(), {{*agent_key, std::nullopt}});
    if (!verified.ok()) return std::nullopt;
    return teep::TypeOf(verified->message);
  };
  // Draft §"Validating a TEEP Message": the Agent answers an invalid message with an Error.
  EXPECT_EQ(reply_type(tampered), teep::MessageType::kError);
  EXPECT_EQ(reply_type(Bytes{0xff, 0x00}), teep::MessageType::kError);
  // Positive control: the untouched QueryRequest gets a QueryResponse.
  EXPECT_EQ(reply_type(query_request), teep::MessageType::kQueryResponse);
  // A malformed channel request is refused, and the channel stays usable.
  EXPECT_FALSE(call(static_cast<agentd::AgentOp>(42), {}).ok());
  TEEPNET_EXPECT_OK(call(agentd::AgentOp::kGetIdentity, {}));
  ::close(fds[0]);  // the Agent exits when the Broker's end closes
  auto exit = agent->Wait(10000);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_EQ(*exit, 0);
  auto lone_store = agentd::FileTcStore::Open(dir_ / "lone-agent/tc-store");
  TEEPNET_ASSERT_OK(lone_store);
  EXPECT_TRUE((*lone_store)->ListManifests().empty());
}

// An in-process Agent behind broker::AgentLink, for many Brokers in one test process.
class CoreLink final : public broker::AgentLink {
 public:
  explicit CoreLink(agent::AgentCore& core) : core_(core) {}
  Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) override {
    agent::AgentResult r = core_.ProcessMessage(message);
    if (r.outcome == agent::AgentOutcome::kFailed) return *r.error;
    return r.response;
  }
  std::optional<broker::TamContact> RequestPolicyCheck() override {
    auto c = core_.RequestPolicyCheck();
    if (!c) return std::nullopt;
    return broker::TamContact{c->tam_uri, c->message};
  }
  void ProcessError(std::string_view tam_uri) override { core_.ProcessError(tam_uri); }

 private:
  agent::AgentCore& core_;
};

TEST_F(EndToEndTest, TwentyBrokersCompleteConcurrently) {
  constexpr int kBrokers = 20;
  auto tam_pem = ReadFile(dir_ / "moc/tam-key.pub.pem");
  TEEPNET_ASSERT_OK(tam_pem);
  auto tam_key = crypto::PublicKey::FromPem(AsChars(*tam_pem));
  TEEPNET_ASSERT_OK(tam_key);
  auto enroll_token = ReadText(dir_ / "moc/enroll-token");
  enroll_token.resize(enroll_token.find('\n'));
  auto admin_token = ReadText(dir_ / "moc/admin-token");
  admin_token.resize(admin_token.find('\n'));
  auto admin = net::HttpClient::Create(MocUrl());
  TEEPNET_ASSERT_OK(admin);
  const Bytes envelope = Envelope(1, "shared component");

  struct Device {
    agent::InMemoryTcStore store;
    std::unique_ptr<agent::AgentCore> core;
    std::string id;
  };
  SystemClock clock;
  std::vector<std::unique_ptr<Device>> devices;
  for (int i = 0; i < kBrokers; ++i) {
    auto d = std::make_unique<Device>();
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    TEEPNET_ASSERT_OK(key);
    agent::AgentConfig config;
    config.signing_key =
        teep::SigningKey{*key, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt};
    config.tams.push_back({TamUri(), {teep::PeerKey{*tam_key, std::nullopt}}});
    config.tc_signers.signing_keys.push_back(signer_->public_key());
    auto core = agent::AgentCore::Create(std::move(config), d->store, nullptr, clock,
                                         crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(core);
    d->core = std::move(core).value();
    cose::CoseKey cose = cose::CoseKey::FromPublicKey(d->core->public_key());
    auto id = device::Enroll(TamUri(), enroll_token, cose.Encode(false), "sim-tdx");
    TEEPNET_ASSERT_OK(id);
    d->id = *id;
    auto installed = (*admin)->Send("POST", "/admin/v1/devices/" + d->id + "/install",
                                    {{"Authorization", "Bearer " + admin_token}}, envelope);
    TEEPNET_ASSERT_OK(installed);
    ASSERT_EQ(installed->status, 200) << AsChars(installed->body);
    devices.push_back(std::move(d));
  }

  std::latch start(kBrokers);
  std::vector<std::string> failures(kBrokers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBrokers; ++i) {
    threads.emplace_back([&, i] {
      CoreLink link(*devices[i]->core);
      broker::BrokerCore broker(link, clock, crypto::SystemRandom::Get());
      device::TamTransport transport;
      start.arrive_and_wait();  // every Broker starts its session at once
      broker.StartPolicyCheck();
      while (const broker::HttpPost* post = broker.CurrentPost()) {
        auto reply = transport.Post(*post);
        if (reply.ok()) {
          broker.OnHttpResponse(reply->status, reply->body);
        } else {
          broker.OnTransportFailure();
        }
      }
      if (broker.stats().sessions_failed != 0 || broker.stats().sessions_succeeded == 0) {
        failures[i] = broker.stats().last_failure ? broker.stats().last_failure->ToString()
                                                  : "no session ran";
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kBrokers; ++i) {
    EXPECT_EQ(failures[i], "") << "broker " << i;
    EXPECT_EQ(devices[i]->store.ReadComponent(kHello),
              ToBytes(std::string_view("shared component")))
        << "broker " << i;
  }
  json status = Status();
  ASSERT_EQ(status.size(), static_cast<size_t>(kBrokers));
  for (const json& d : status) {
    const json* tc = FindInstalled(d, kHello);
    ASSERT_NE(tc, nullptr) << d.dump();
    EXPECT_EQ((*tc)["sequence_number"], 1);
    EXPECT_EQ(d["last_result"], "success");
  }
}

}  // namespace
}  // namespace teepnet::e2e
