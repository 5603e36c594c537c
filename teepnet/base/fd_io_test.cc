#include "teepnet/base/fd_io.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace teepnet {
namespace {

struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0); }
  ~SocketPair() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
};

TEST(FdIo, MovesABufferLargerThanTheSocketBufferWhole) {
  SocketPair p;
  Bytes data(1 << 20);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  std::thread writer([&] { EXPECT_EQ(WriteAllToFd(p.fd[0], data).outcome, FdOutcome::kOk); });
  Bytes got(data.size());
  FdTransfer t = ReadFullFromFd(p.fd[1], got);
  writer.join();
  EXPECT_EQ(t.outcome, FdOutcome::kOk);
  EXPECT_EQ(t.done, data.size());
  EXPECT_EQ(got, data);
}

TEST(FdIo, ReportsAPeerThatClosedBeforeTheBufferFilled) {
  SocketPair p;
  ASSERT_EQ(WriteAllToFd(p.fd[0], Bytes{1, 2, 3}).outcome, FdOutcome::kOk);
  ::close(p.fd[0]);
  p.fd[0] = -1;
  Bytes got(8);
  FdTransfer t = ReadFullFromFd(p.fd[1], got);
  EXPECT_EQ(t.outcome, FdOutcome::kPeerClosed);
  EXPECT_EQ(t.done, 3u);
}

TEST(FdIo, WritingToAClosedPeerIsAnOutcomeNotASignal) {
  SocketPair p;
  ::close(p.fd[1]);
  p.fd[1] = -1;
  EXPECT_EQ(WriteAllToFd(p.fd[0], Bytes(64, 0)).outcome, FdOutcome::kPeerClosed);
}

TEST(FdIo, ABadDescriptorIsAnErrorWithItsErrno) {
  Bytes buf(4);
  FdTransfer t = ReadFullFromFd(-1, buf);
  EXPECT_EQ(t.outcome, FdOutcome::kError);
  EXPECT_NE(t.error, 0);
}

}  // namespace
}  // namespace teepnet
