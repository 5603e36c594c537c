#include "services/device/ua_launcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace teepnet::device
