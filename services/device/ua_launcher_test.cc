#include "services/device/ua_launcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::device {
namespace {

class UaLauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/teepnet-ua-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ::close(null_fd_);
  }

  std::string dir_;
  int null_fd_ = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  common::JsonLog log_{"test", null_fd_};
};

// /bin/sleep run from its bytes, as a UA from a bundle would be, with no arguments: it exits
// at once with a usage error, which is enough to see it started, supervised and reaped.
TEST_F(UaLauncherTest, RunsTheUaBytesAsAnReeProcessWithItsLogInTheDeviceDir) {
  auto program = ReadFile("/bin/sleep", 64 << 20);
  TEEPNET_ASSERT_OK(program);
  ReeUaLauncher launcher(dir_ + "/ua", log_);
  TEEPNET_ASSERT_OK(launcher.Start("req-00000000000000a1", *program));
  EXPECT_EQ(launcher.running(), 1u);
  // The same request again (a retried round) starts nothing new.
  TEEPNET_ASSERT_OK(launcher.Start("req-00000000000000a1", *program));
  EXPECT_EQ(launcher.running(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/ua/ua-req-00000000000000a1.log"));
  launcher.StopAll(1000);
  EXPECT_EQ(launcher.running(), 0u);
}

TEST_F(UaLauncherTest, RefusesARequestIdThatIsNoInstanceName) {
  ReeUaLauncher launcher(dir_ + "/ua", log_);
  EXPECT_FALSE(launcher.Start("../../etc/x", Bytes{0x7f, 'E', 'L', 'F'}).ok());
  EXPECT_FALSE(launcher.Start(std::string(40, 'r'), Bytes{0x7f, 'E', 'L', 'F'}).ok());
  EXPECT_EQ(launcher.running(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/etc"));
}

#ifdef HELLO_UA
// Stands in for the Agent (op 6): answers each message with the request id it was relayed for,
// or refuses when told to.
class FakeRelay final : public TaRelay {
 public:
  Result<Bytes> RelayToTa(std::string_view request_id, ByteView message) override {
    asked.emplace_back(std::string(request_id), std::string(AsChars(message)));
    if (refuse) return Error(common::Errc::kRemoteRefused, "agent: no TA of this request runs");
    return ToBytes("the TA of " + std::string(request_id));
  }
  bool refuse = false;
  std::vector<std::pair<std::string, std::string>> asked;
};

std::string LogOf(const std::string& dir, const std::string& request_id) {
  auto text = ReadFile(dir + "/ua-" + request_id + ".log", 1 << 20);
  return text.ok() ? std::string(AsChars(*text)) : "";
}

// Pumps until every UA exited (hello_ua asks once and exits); bounded, not timed.
void PumpUntilAllExited(ReeUaLauncher& launcher) {
  for (int i = 0; i < 4000 && launcher.running() > 0; ++i) {
    launcher.Pump();
    launcher.Reap();
    ::usleep(5000);
  }
}

// examples/hello_ua asks "digest?" over descriptor 3 and logs "TA says <answer>".
TEST_F(UaLauncherTest, RelaysEachUasMessageToTheTaOfItsOwnRequestAndBack) {
  auto program = ReadFile(HELLO_UA, 64 << 20);
  TEEPNET_ASSERT_OK(program);
  FakeRelay relay;
  ReeUaLauncher launcher(dir_ + "/ua", log_, &relay);
  TEEPNET_ASSERT_OK(launcher.Start("req-00000000000000a1", *program));
  TEEPNET_ASSERT_OK(launcher.Start("req-00000000000000b2", *program));
  PumpUntilAllExited(launcher);
  EXPECT_EQ(launcher.running(), 0u);
  const std::string a = LogOf(dir_ + "/ua", "req-00000000000000a1");
  const std::string b = LogOf(dir_ + "/ua", "req-00000000000000b2");
  EXPECT_NE(a.find("TA says the TA of req-00000000000000a1"), std::string::npos) << a;
  EXPECT_NE(b.find("TA says the TA of req-00000000000000b2"), std::string::npos) << b;
  EXPECT_EQ(a.find("b2"), std::string::npos) << a;
  ASSERT_EQ(relay.asked.size(), 2u);
  for (const auto& [request_id, message] : relay.asked) EXPECT_EQ(message, "digest?");
  EXPECT_NE(relay.asked[0].first, relay.asked[1].first);
}

TEST_F(UaLauncherTest, ClosesTheChannelOfAUaWhoseMessageTheAgentRefuses) {
  auto program = ReadFile(HELLO_UA, 64 << 20);
  TEEPNET_ASSERT_OK(program);
  FakeRelay relay;
  relay.refuse = true;
  ReeUaLauncher launcher(dir_ + "/ua", log_, &relay);
  TEEPNET_ASSERT_OK(launcher.Start("req-00000000000000c3", *program));
  PumpUntilAllExited(launcher);
  EXPECT_EQ(launcher.running(), 0u);
  EXPECT_EQ(relay.asked.size(), 1u);
  // The UA saw its channel close instead of an answer.
  const std::string log = LogOf(dir_ + "/ua", "req-00000000000000c3");
  EXPECT_NE(log.find("no answer from the TA"), std::string::npos) << log;
  EXPECT_EQ(log.find("TA says"), std::string::npos) << log;
}
#endif  // HELLO_UA

}  // namespace
}  // namespace teepnet::device
