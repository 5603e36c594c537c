// The REE backend runs a UA as an ordinary supervised process: no isolation, but a clean
// environment, the channel on fd 3, output in the log, and the same lifecycle as a TA.
#include "teepnet/runtime/ree_backend.h"

#include <gtest/gtest.h>

#include <csignal>

#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using teepnet::testing::FailsWith;
using testing::Ask;
using testing::Channel;
using testing::TempDir;

TEST(ReeProcessBackend, RunsAProgramFromItsPathWithOnlyTheGivenEnvironment) {
  TempDir dir;
  ReeProcessBackend backend;
  InstanceSpec spec;
  spec.name = "ua";
  spec.executable_path = "/bin/sh";
  spec.args = {"-c", "echo \"home=[$HOME] given=[$GIVEN]\"; ls /proc/self/fd | tr '\\n' ' '"};
  spec.env = {"GIVEN=yes"};
  spec.log_path = dir.path() + "/ua.log";
  auto ua = backend.Start(spec);
  TEEPNET_ASSERT_OK(ua);
  EXPECT_TRUE((*ua)->measurement().empty());
  auto exit = (*ua)->Wait(-1);
  TEEPNET_ASSERT_OK(exit);
  EXPECT_EQ(exit->code, 0);
  auto log = ReadFile(spec.log_path);
  TEEPNET_ASSERT_OK(log);
  std::string text(AsChars(*log));
  EXPECT_NE(text.find("home=[] given=[yes]"), std::string::npos) << text;
  // 0-2 and the directory ls opened; no descriptor of the launcher leaked (no channel given).
  EXPECT_NE(text.find("0 1 2 3 "), std::string::npos) << text;
  EXPECT_EQ(text.find(" 4 "), std::string::npos) << text;
}

TEST(ReeProcessBackend, RunsFromBytesWithAMeasurementAndTheChannelOnFd3) {
  TempDir dir;
  Channel channel;
  ReeProcessBackend backend;
  auto image = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(image);
  InstanceSpec spec;
  spec.name = "ua-bytes";
  spec.executable = *image;
  spec.env = {"ASAN_OPTIONS=detect_leaks=0"};
  spec.channel_fd = channel.instance();
  spec.log_path = dir.path() + "/ua.log";
  auto ua = backend.Start(spec);
  channel.CloseInstanceEnd();
  TEEPNET_ASSERT_OK(ua);
  EXPECT_EQ((*ua)->measurement(), crypto::Sha256(*image));
  // An ordinary process: the host's pid, the host's files.
  EXPECT_EQ(Ask(channel.host(), "pid"), std::to_string((*ua)->pid()));
  EXPECT_EQ(Ask(channel.host(), "open /etc/passwd"), "ok");
  ExitInfo exit = (*ua)->Stop(5000);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.signal, SIGTERM);  // not pid 1, so SIGTERM's default action applies
}

TEST(ReeProcessBackend, RefusesAPathThatIsNotExecutable) {
  TempDir dir;
  ReeProcessBackend backend;
  InstanceSpec spec;
  spec.name = "ua";
  spec.executable_path = "/nonexistent/ua";
  spec.log_path = dir.path() + "/ua.log";
  EXPECT_TRUE(FailsWith(backend.Start(spec), Errc::kBadSpec));
}

}  // namespace
}  // namespace teepnet::runtime
