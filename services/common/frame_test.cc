#include "services/common/frame.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "services/common/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::common {
namespace {

using ::teepnet::testing::FailsWith;

class FrameTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    for (int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  void CloseWriter() {
    ::close(fds_[0]);
    fds_[0] = -1;
  }
  void WriteRaw(ByteView bytes) {
    ASSERT_EQ(::write(fds_[0], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  int fds_[2] = {-1, -1};
};

TEST_F(FrameTest, FramesRoundTripInOrder) {
  const Bytes a = {1, 2, 3};
  const Bytes empty;
  const Bytes big(100000, 0x5a);
  TEEPNET_ASSERT_OK(WriteFrame(fds_[0], a));
  TEEPNET_ASSERT_OK(WriteFrame(fds_[0], empty));
  // A frame larger than the socket buffer needs a concurrent reader.
  std::thread writer([&] { EXPECT_TRUE(WriteFrame(fds_[0], big).ok()); });
  auto r1 = ReadFrame(fds_[1]);
  auto r2 = ReadFrame(fds_[1]);
  auto r3 = ReadFrame(fds_[1]);
  writer.join();
  TEEPNET_ASSERT_OK(r1);
  TEEPNET_ASSERT_OK(r2);
  TEEPNET_ASSERT_OK(r3);
  EXPECT_EQ(*r1, a);
  EXPECT_TRUE(r2->empty());
  EXPECT_EQ(*r3, big);
}

TEST_F(FrameTest, CloseBeforeHeaderFailsWithPeerClosed) {
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kPeerClosed));
}

TEST_F(FrameTest, CloseInsideHeaderFailsWithTruncatedFrame) {
  WriteRaw(Bytes{0, 0});
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kTruncatedFrame));
}

TEST_F(FrameTest, CloseInsidePayloadFailsWithTruncatedFrame) {
  WriteRaw(Bytes{0, 0, 0, 5, 'a', 'b'});
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kTruncatedFrame));
}

TEST_F(FrameTest, LengthAboveLimitFailsBeforeReadingPayload) {
  WriteRaw(Bytes{0xff, 0xff, 0xff, 0xff});
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1], 1024), Errc::kFrameTooLarge));
}

TEST_F(FrameTest, HeaderParserRejectsWrongSizes) {
  EXPECT_TRUE(FailsWith(ParseFrameHeader(Bytes{0, 0, 1}, 10), Errc::kTruncatedFrame));
  EXPECT_TRUE(FailsWith(ParseFrameHeader(Bytes{0, 0, 0, 1, 0}, 10), Errc::kTruncatedFrame));
  auto ok = ParseFrameHeader(Bytes{0, 0, 0, 10}, 10);
  TEEPNET_ASSERT_OK(ok);
  EXPECT_EQ(*ok, 10u);
  EXPECT_TRUE(FailsWith(ParseFrameHeader(Bytes{0, 0, 0, 11}, 10), Errc::kFrameTooLarge));
}

TEST_F(FrameTest, WriteToClosedPeerFailsWithoutSigpipe) {
  ::close(fds_[1]);
  fds_[1] = -1;
  Status s = WriteFrame(fds_[0], Bytes(10, 1));
  EXPECT_TRUE(FailsWith(s, Errc::kPeerClosed));
}

}  // namespace
}  // namespace teepnet::common
