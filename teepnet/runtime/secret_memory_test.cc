#include "teepnet/runtime/secret_memory.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <string>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

TEST(SecretMemory, HoldsACopyAndSaysWhetherItIsSecretmem) {
  auto m = SecretMemory::CopyOf(AsBytes("key material"));
  TEEPNET_ASSERT_OK(m);
  EXPECT_EQ(AsChars(m->view()), "key material");
  if (m->is_secretmem()) {
    EXPECT_TRUE(m->fallback_reason().empty());
  } else {
    EXPECT_FALSE(m->fallback_reason().empty());
  }
  SecretMemory moved = std::move(*m);
  EXPECT_EQ(AsChars(moved.view()), "key material");
  EXPECT_TRUE(m->empty());
}

// The property memfd_secret is used for: even root cannot read the page through
// /proc/<pid>/mem, while ordinary memory of the same process can be read.
TEST(SecretMemory, RootCannotReadSecretmemThroughProcMem) {
  auto probe = SecretMemory::Allocate(16);
  TEEPNET_ASSERT_OK(probe);
  if (!probe->is_secretmem()) GTEST_SKIP() << probe->fallback_reason();

  int to_parent[2];
  ASSERT_EQ(::pipe(to_parent), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto secret = SecretMemory::CopyOf(AsBytes("SECRET-MARKER"));
    static const char kPlain[] = "PLAIN-MARKER";
    uintptr_t addrs[2] = {reinterpret_cast<uintptr_t>(secret->view().data()),
                          reinterpret_cast<uintptr_t>(kPlain)};
    if (::write(to_parent[1], addrs, sizeof addrs) != sizeof addrs) ::_exit(1);
    ::pause();
    ::_exit(0);
  }
  ::close(to_parent[1]);
  uintptr_t addrs[2] = {0, 0};
  ASSERT_EQ(::read(to_parent[0], addrs, sizeof addrs), static_cast<ssize_t>(sizeof addrs));
  ::close(to_parent[0]);
  std::string mem = "/proc/" + std::to_string(pid) + "/mem";
  int fd = ::open(mem.c_str(), O_RDONLY | O_CLOEXEC);
  char buf[13] = {};
  ssize_t plain = fd >= 0 ? ::pread(fd, buf, 12, static_cast<off_t>(addrs[1])) : -1;
  std::string plain_read(buf, plain > 0 ? static_cast<size_t>(plain) : 0);
  ssize_t secret = fd >= 0 ? ::pread(fd, buf, 13, static_cast<off_t>(addrs[0])) : -1;
  int secret_errno = errno;
  if (fd >= 0) ::close(fd);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(plain_read, "PLAIN-MARKER");  // the same read works on ordinary memory
  EXPECT_EQ(secret, -1);
  EXPECT_EQ(secret_errno, EIO);
}

}  // namespace
}  // namespace teepnet::runtime
