// End-to-end attestation: one teepnet-moc with --endorsements (attestation required) and one
// device per simulated platform, each a real teepnet-device with its teepnet-agent. Every
// device is asked for Evidence over TEEP/HTTP, appraised, and gets an EAR the test verifies
// with the M/OC's EAR key; a device whose platform runs with debug enabled is refused its
// Update and nothing is installed on it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "services/agent/file_tc_store.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/packages.h"

namespace teepnet::e2e {
namespace {

using nlohmann::json;

const suit::ComponentId& kHello = HelloComponent();
constexpr int kDeviceDeadlineMs = 90000;
const char* const kPlatforms[] = {"sim-trustzone", "sim-sgx", "sim-snp",
                                  "sim-cca",       "sim-tdx", "sim-csv"};

class AttestationEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    signer_ = std::make_unique<crypto::PrivateKey>(*key);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(dir_ / "signer.pub.pem", AsBytes(signer_->public_key().ToPem())));
    // The endorsements the simulated manufacturers publish; devices fill it as they start.
    std::filesystem::create_directories(dir_ / "sim-vendors/public");
    port_ = FreePort();
    moc_.emplace(
        Program::Start({MocProgram(), "serve", "--listen", "127.0.0.1:" + std::to_string(port_),
                        "--data", dir_ / "moc", "--endorsements", dir_ / "sim-vendors/public"},
                       dir_ / "moc.log"));
    ASSERT_TRUE(WaitFor([&] { return !ReadText(dir_ / "moc/moc.addr").empty(); }, 20000))
        << moc_->Log();
  }

  void TearDown() override {
    if (!HasFailure()) return;
    if (moc_) std::fprintf(stderr, "---- teepnet-moc log ----\n%s", moc_->Log().c_str());
    for (const std::string& log : logs_) std::fprintf(stderr, "---- log ----\n%s", log.c_str());
  }

  std::vector<std::string> DeviceArgs(const std::string& name, const std::string& platform,
                                      int deadline_ms, bool debug) const {
    std::vector<std::string> args = {DeviceProgram(),
                                     "run",
                                     "--tam",
                                     "http://127.0.0.1:" + std::to_string(port_) + "/tam",
                                     "--data",
                                     dir_ / name,
                                     "--platform",
                                     platform,
                                     "--sim-vendors",
                                     dir_ / "sim-vendors",
                                     "--enroll-token-file",
                                     dir_ / "moc/enroll-token",
                                     "--tam-key",
                                     dir_ / "moc/tam-key.pub.pem",
                                     "--tc-signer",
                                     dir_ / "signer.pub.pem",
                                     "--once",
                                     "--deadline-ms",
                                     std::to_string(deadline_ms),
                                     "--backoff-initial-ms",
                                     "100",
                                     "--backoff-max-ms",
                                     "400"};
    if (debug) args.push_back("--sim-debug");
    return args;
  }

  CommandResult Tam(std::vector<std::string> args) {
    std::vector<std::string> argv = {CliProgram(), "tam"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--moc", "http://127.0.0.1:" + std::to_string(port_), "--token-file",
                             dir_ / "moc/admin-token"});
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

  // The device whose agent key thumbprint is `device_id`: found by label is not unique, so by
  // the device.json the Broker wrote at enrollment.
  std::string DeviceIdOf(const std::string& name) {
    json record = json::parse(ReadText(dir_ / (name + "/device.json")), nullptr, false);
    return record.is_object() ? record.value("device_id", "") : "";
  }

  // GET /admin/v1/devices/<id>/ear with the admin token.
  json FetchEar(const std::string& device_id) {
    auto client = net::HttpClient::Create("http://127.0.0.1:" + std::to_string(port_));
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return json();
    std::string token = ReadText(dir_ / "moc/admin-token");
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    auto reply = (*client)->Send("GET", "/admin/v1/devices/" + device_id + "/ear",
                                 {{"Authorization", "Bearer " + token}}, {});
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return json();
    EXPECT_EQ(reply->status, 200) << AsChars(reply->body);
    return json::parse(AsChars(reply->body), nullptr, false);
  }

  Result<eat::Ear> VerifyEar(const std::string& jwt) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes pem, ReadFile(dir_ / "moc/ear-key.pub.pem"));
    TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromPem(AsChars(pem)));
    return eat::VerifyEarJwt(jwt, key);
  }

  Bytes HpkeSpki(const std::string& name) {
    auto pem = ReadFile(dir_ / (name + "/agent/hpke-key.pem"));
    if (!pem.ok()) return {};
    auto key = crypto::PrivateKey::FromPem(AsChars(*pem));
    return key.ok() ? key->public_key().ToSpkiDer() : Bytes{};
  }

  std::string WriteEnvelope(uint64_t sequence_number, std::string_view content) {
    Bytes envelope = WriteContentEnvelope(kHello, sequence_number, content, *signer_);
    std::string path = dir_ / ("hello-" + std::to_string(sequence_number) + ".suit");
    EXPECT_TRUE(WriteFileAtomic(path, envelope).ok());
    return path;
  }

  std::string HelloFile(const std::string& name) const {
    return dir_ / (name + "/agent/tc-store/current/components/" +
                   agentd::FileTcStore::FileNameFor(kHello));
  }

  TempDir dir_;
  std::unique_ptr<crypto::PrivateKey> signer_;
  uint16_t port_ = 0;
  std::optional<Program> moc_;
  std::vector<std::string> logs_;
};

TEST_F(AttestationEndToEndTest, EveryPlatformIsAttestedOverHttpAndGetsAVerifiableEar) {
  // Six devices at once, one per simulated platform.
  std::vector<CommandResult> results(std::size(kPlatforms));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < std::size(kPlatforms); ++i) {
    threads.emplace_back([&, i] {
      results[i] = RunCommand(DeviceArgs(kPlatforms[i], kPlatforms[i], kDeviceDeadlineMs, false),
                              dir_.path(), kDeviceDeadlineMs + 5000);
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < std::size(kPlatforms); ++i) {
    logs_.push_back(results[i].err);
    EXPECT_EQ(results[i].exit_status, 0) << kPlatforms[i];
  }

  json status = Status();
  ASSERT_EQ(status.size(), std::size(kPlatforms)) << status.dump(2);
  std::map<std::string, json> by_id;
  for (const json& d : status) by_id[d["device_id"]] = d;
  for (const char* platform : kPlatforms) {
    SCOPED_TRACE(platform);
    const std::string id = DeviceIdOf(platform);
    ASSERT_EQ(by_id.count(id), 1u);
    const json& d = by_id[id];
    EXPECT_EQ(d["last_result"], "up-to-date") << d.dump(2);
    EXPECT_EQ(d["ear_status"], "affirming") << d.dump(2);
    ASSERT_TRUE(d["ear"].is_string()) << d.dump(2);

    // The admin endpoint serves the same EAR, and it verifies with the M/OC's key.
    json fetched = FetchEar(id);
    ASSERT_TRUE(fetched.is_object());
    EXPECT_EQ(fetched["ear"], d["ear"]);
    auto ear = VerifyEar(fetched["ear"].get<std::string>());
    TEEPNET_ASSERT_OK(ear);
    ASSERT_EQ(ear->submods.size(), 1u);
    const eat::EarAppraisal& sub = ear->submods.begin()->second;
    EXPECT_EQ(sub.status, attest::Tier::kAffirming);
    const Bytes hpke = HpkeSpki(platform);
    ASSERT_FALSE(hpke.empty());
    EXPECT_NE(std::find(sub.attested_keys.begin(), sub.attested_keys.end(), hpke),
              sub.attested_keys.end());
  }

  // An attested device gets its Update.
  const std::string tdx = DeviceIdOf("sim-tdx");
  CommandResult install = Tam({"install", "--device", tdx, WriteEnvelope(1, "hello v1")});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  CommandResult again = RunCommand(DeviceArgs("sim-tdx", "sim-tdx", kDeviceDeadlineMs, false),
                                   dir_.path(), kDeviceDeadlineMs + 5000);
  logs_.push_back(again.err);
  EXPECT_EQ(again.exit_status, 0);
  EXPECT_EQ(ReadText(HelloFile("sim-tdx")), "hello v1");
}

TEST_F(AttestationEndToEndTest, DeviceWithDebugEnabledIsRefusedItsUpdate) {
  constexpr int kShortDeadlineMs = 15000;
  // First start: enrolls; its evidence already appraises as contraindicated.
  CommandResult first = RunCommand(DeviceArgs("debug", "sim-sgx", kShortDeadlineMs, true),
                                   dir_.path(), kShortDeadlineMs + 5000);
  logs_.push_back(first.err);
  const std::string id = DeviceIdOf("debug");
  ASSERT_FALSE(id.empty());
  CommandResult install = Tam({"install", "--device", id, WriteEnvelope(1, "hello v1")});
  ASSERT_EQ(install.exit_status, 0) << install.err;

  CommandResult second = RunCommand(DeviceArgs("debug", "sim-sgx", kShortDeadlineMs, false),
                                    dir_.path(), kShortDeadlineMs + 5000);
  logs_.push_back(second.err);
  json status = Status();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0]["last_result"], "attestation-failed") << status.dump(2);
  EXPECT_EQ(status[0]["ear_status"], "contraindicated") << status.dump(2);
  EXPECT_EQ(status[0]["appraisal"]["affirming"], false);
  EXPECT_TRUE(status[0]["installed"].empty());
  EXPECT_FALSE(std::filesystem::exists(HelloFile("debug")));
  auto ear = VerifyEar(status[0]["ear"].get<std::string>());
  TEEPNET_ASSERT_OK(ear);
  EXPECT_EQ(ear->submods.begin()->second.status, attest::Tier::kContraindicated);
}

}  // namespace
}  // namespace teepnet::e2e
