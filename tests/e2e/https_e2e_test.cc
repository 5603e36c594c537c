// End-to-end over HTTPS: teepnet-moc serves with --tls-cert/--tls-key, teepnet-device talks
// TEEP over HTTPS to it (--tam https://... --tam-ca), `teepnet tam` uses --moc https://...
// --ca, and a Trusted Component gets installed. The certificates are made for the test.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "services/agent/file_tc_store.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/tls_test_pki.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/packages.h"

namespace teepnet::e2e {
namespace {

using nlohmann::json;

const suit::ComponentId& kHello = HelloComponent();
constexpr int kDeviceDeadlineMs = 60000;

class HttpsEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    ASSERT_TRUE(key.ok());
    signer_.emplace(*key);
    TEEPNET_ASSERT_OK(
        WriteFileAtomic(dir_ / "signer.pub.pem", AsBytes(signer_->public_key().ToPem())));
    // The M/OC's certificate names 127.0.0.1, the host the URLs below dial.
    TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(
        crypto::testing::MakeTlsTestPki("IP:127.0.0.1"), dir_.path()));
    port_ = FreePort();
    moc_.emplace(Program::Start(
        {MocProgram(), "serve", "--listen", "127.0.0.1:" + std::to_string(port_), "--data",
         dir_ / "moc", "--tls-cert", dir_ / "server.pem", "--tls-key", dir_ / "server.key"},
        dir_ / "moc.log"));
    ASSERT_TRUE(WaitFor([&] { return !ReadText(dir_ / "moc/moc.addr").empty(); }, 20000))
        << moc_->Log();
  }

  void TearDown() override {
    if (!HasFailure()) return;
    if (moc_) std::fprintf(stderr, "---- teepnet-moc log ----\n%s", moc_->Log().c_str());
    for (const std::string& log : logs_) std::fprintf(stderr, "---- log ----\n%s", log.c_str());
  }

  std::string MocUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }

  int RunDeviceOnce() {
    CommandResult r = RunCommand({DeviceProgram(),
                                  "run",
                                  "--tam",
                                  MocUrl() + "/tam",
                                  "--tam-ca",
                                  dir_ / "ca.pem",
                                  "--data",
                                  dir_ / "device",
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
                                  "400"},
                                 dir_.path(), kDeviceDeadlineMs + 5000);
    logs_.push_back(r.err);
    return r.exit_status;
  }

  CommandResult Tam(std::vector<std::string> args, const std::string& ca) {
    std::vector<std::string> argv = {CliProgram(), "tam"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(),
                {"--moc", MocUrl(), "--ca", ca, "--token-file", dir_ / "moc/admin-token"});
    CommandResult r = RunCommand(argv, dir_.path());
    logs_.push_back(r.err);
    return r;
  }

  std::string WriteEnvelope(uint64_t sequence_number, std::string_view content) {
    Bytes envelope = WriteContentEnvelope(kHello, sequence_number, content, *signer_);
    std::string path = dir_ / "hello.suit";
    EXPECT_TRUE(WriteFileAtomic(path, envelope).ok());
    return path;
  }

  std::string HelloFile() const {
    return dir_ /
           ("device/agent/tc-store/current/components/" + agentd::FileTcStore::FileNameFor(kHello));
  }

  TempDir dir_;
  std::optional<crypto::PrivateKey> signer_;
  uint16_t port_ = 0;
  std::optional<Program> moc_;
  std::vector<std::string> logs_;
};

TEST_F(HttpsEndToEndTest, DeviceEnrollsAndInstallsAComponentOverHttps) {
  ASSERT_EQ(RunDeviceOnce(), 0);  // enrollment and the first policy check, both over HTTPS
  CommandResult status = Tam({"status", "--json"}, dir_ / "ca.pem");
  ASSERT_EQ(status.exit_status, 0) << status.err;
  json devices = json::parse(status.out, nullptr, false);
  ASSERT_TRUE(devices.is_array() && devices.size() == 1u) << status.out;
  const std::string device_id = devices[0]["device_id"];

  CommandResult install =
      Tam({"install", "--device", device_id, WriteEnvelope(1, "hello over TLS")}, dir_ / "ca.pem");
  ASSERT_EQ(install.exit_status, 0) << install.err;
  ASSERT_EQ(RunDeviceOnce(), 0);
  EXPECT_EQ(ReadText(HelloFile()), "hello over TLS");

  // A client that trusts some other CA is refused before it sends its token.
  const std::string stranger = dir_ / "stranger";
  std::filesystem::create_directory(stranger);
  TEEPNET_ASSERT_OK(crypto::testing::WriteTlsTestPki(
      crypto::testing::MakeTlsTestPki("IP:127.0.0.1", "stranger CA"), stranger));
  EXPECT_EQ(Tam({"status"}, stranger + "/ca.pem").exit_status, 1);
}

}  // namespace
}  // namespace teepnet::e2e
