#include "teepnet/runtime/sealed_executable.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using teepnet::testing::FailsWith;

TEST(SealedExecutable, CannotBeWrittenResizedOrMappedWritableAfterSealing) {
  auto exe = SealedExecutable::FromBytes("t", AsBytes("image bytes"));
  TEEPNET_ASSERT_OK(exe);
  EXPECT_EQ(::write(exe->fd(), "X", 1), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(::pwrite(exe->fd(), "X", 1, 0), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(::ftruncate(exe->fd(), 1), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(::ftruncate(exe->fd(), 4096), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, exe->fd(), 0), MAP_FAILED);
  EXPECT_EQ(errno, EPERM);
  // F_SEAL_SEAL: the seals cannot be changed any more.
  EXPECT_EQ(::fcntl(exe->fd(), F_ADD_SEALS, F_SEAL_FUTURE_WRITE), -1);
  EXPECT_EQ(errno, EPERM);
  // The bytes are still the original ones.
  char buf[16] = {};
  EXPECT_EQ(::pread(exe->fd(), buf, sizeof buf, 0), 11);
  EXPECT_STREQ(buf, "image bytes");
}

TEST(SealedExecutable, MeasurementIsTheSha256OfTheBytes) {
  // FIPS 180-2 example: SHA-256("abc").
  auto exe = SealedExecutable::FromBytes("t", AsBytes("abc"));
  TEEPNET_ASSERT_OK(exe);
  EXPECT_EQ(ToHex(exe->measurement()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SealedExecutable, MeasurementOfAFileEqualsTheSha256OfTheFile) {
  char path[] = "/tmp/teepnet-sealed-test.XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  Bytes content(200000);
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<uint8_t>(i * 7 + 3);
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  auto exe = SealedExecutable::FromFile("t", path);
  ::unlink(path);
  TEEPNET_ASSERT_OK(exe);
  EXPECT_EQ(exe->size(), content.size());
  EXPECT_EQ(exe->measurement(), crypto::Sha256(content));
}

TEST(SealedExecutable, RefusesAnEmptyImageAndAMissingFile) {
  EXPECT_TRUE(FailsWith(SealedExecutable::FromBytes("t", ByteView()), Errc::kBadSpec));
  EXPECT_TRUE(FailsWith(SealedExecutable::FromFile("t", "/nonexistent/ta"), Errc::kBadSpec));
}

}  // namespace
}  // namespace teepnet::runtime
