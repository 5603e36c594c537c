#include "services/common/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/common/errc.h"
#include "services/common/frame.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::common {
namespace {

using ::teepnet::testing::FailsWith;

SpawnOptions Command(std::vector<std::string> argv) {
  SpawnOptions options;
  options.argv = std::move(argv);
  return options;
}

TEST(SubprocessTest, ExitCodeIsReported) {
  auto p = Subprocess::Spawn(Command({"/bin/sh", "-c", "exit 7"}));
  TEEPNET_ASSERT_OK(p);
  auto status = p->Wait(10000);
  TEEPNET_ASSERT_OK(status);
  EXPECT_EQ(*status, 7);
}

TEST(SubprocessTest, StopTerminatesAndReportsTheSignal) {
  auto p = Subprocess::Spawn(Command({"/bin/sleep", "30"}));
  TEEPNET_ASSERT_OK(p);
  EXPECT_FALSE(p->Poll().has_value());
  EXPECT_TRUE(FailsWith(p->Wait(20), Errc::kTimeout));
  EXPECT_EQ(p->Stop(5000), 128 + SIGTERM);
}

TEST(SubprocessTest, MissingProgramFailsWithSpawnFailed) {
  EXPECT_TRUE(FailsWith(Subprocess::Spawn(Command({"/nonexistent/program"})), Errc::kSpawnFailed));
}

TEST(SubprocessTest, StderrGoesToTheNamedFile) {
  std::string path = std::filesystem::temp_directory_path() /
                     ("teepnet-proc-" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  SpawnOptions options = Command({"/bin/sh", "-c", "echo hello-stderr >&2"});
  options.stderr_path = path;
  auto p = Subprocess::Spawn(options);
  TEEPNET_ASSERT_OK(p);
  TEEPNET_ASSERT_OK(p->Wait(10000));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "hello-stderr\n");
  std::filesystem::remove(path);
}

TEST(SubprocessTest, KeptDescriptorReachesTheChild) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  // The child writes a 2-byte frame (length 2, "ok") to the inherited descriptor.
  std::string script = "printf '\\000\\000\\000\\002ok' >&" + std::to_string(fds[1]);
  SpawnOptions options = Command({"/bin/sh", "-c", script});
  options.keep_fds = {fds[1]};
  auto p = Subprocess::Spawn(options);
  TEEPNET_ASSERT_OK(p);
  ::close(fds[1]);
  auto frame = ReadFrame(fds[0]);
  TEEPNET_ASSERT_OK(frame);
  EXPECT_EQ(AsChars(*frame), "ok");
  TEEPNET_ASSERT_OK(p->Wait(10000));
  ::close(fds[0]);
}

}  // namespace
}  // namespace teepnet::common
