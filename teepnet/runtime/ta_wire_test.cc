#include "teepnet/runtime/ta_wire.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include "teepnet/base/byte_writer.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using teepnet::testing::FailsWith;

class SocketPair : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_), 0);
  }
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

TEST_F(SocketPair, RoundTripsFramesInOrder) {
  TEEPNET_ASSERT_OK(WriteFrame(fds_[0], FrameType::kFromUa, AsBytes("hello")));
  TEEPNET_ASSERT_OK(WriteFrame(fds_[0], FrameType::kResponse, ByteView()));
  auto a = ReadFrame(fds_[1]);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->type, FrameType::kFromUa);
  EXPECT_EQ(AsChars(a->payload), "hello");
  auto b = ReadFrame(fds_[1]);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(b->type, FrameType::kResponse);
  EXPECT_TRUE(b->payload.empty());
}

TEST_F(SocketPair, RefusesALengthAboveTheLimitBeforeReadingThePayload) {
  ByteWriter w;
  w.WriteU8(static_cast<uint8_t>(FrameType::kPd));
  w.WriteBeU32(1000);
  WriteRaw(w.bytes());
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1], 999), Errc::kFrameTooLarge));
}

TEST_F(SocketPair, ReportsATruncatedFrameWhenThePeerClosesInsideIt) {
  ByteWriter w;
  w.WriteU8(static_cast<uint8_t>(FrameType::kToUa));
  w.WriteBeU32(10);
  w.WriteBytes(AsBytes("abc"));
  WriteRaw(w.bytes());
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kTruncatedFrame));
}

TEST_F(SocketPair, ReportsATruncatedHeader) {
  const uint8_t partial[] = {1, 0};
  WriteRaw(partial);
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kTruncatedFrame));
}

TEST_F(SocketPair, ReportsPeerClosedOnACleanClose) {
  CloseWriter();
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kPeerClosed));
}

TEST_F(SocketPair, RefusesAnUnknownFrameType) {
  const uint8_t header[] = {9, 0, 0, 0, 0};
  WriteRaw(header);
  EXPECT_TRUE(FailsWith(ReadFrame(fds_[1]), Errc::kBadFrame));
}

TEST_F(SocketPair, WritingToAClosedPeerIsAnErrorNotASignal) {
  ::close(fds_[1]);
  fds_[1] = -1;
  EXPECT_TRUE(FailsWith(WriteFrame(fds_[0], FrameType::kToUa, AsBytes("x")), Errc::kPeerClosed));
}

TEST(FrameHeader, ParsesTypeAndLengthAndRefusesWhatIsNotAHeader) {
  const uint8_t ok[] = {3, 0, 0, 1, 0};
  auto h = ParseFrameHeader(ok);
  TEEPNET_ASSERT_OK(h);
  EXPECT_EQ(h->type, FrameType::kToUa);
  EXPECT_EQ(h->length, 256u);
  EXPECT_TRUE(FailsWith(ParseFrameHeader(ok, 255), Errc::kFrameTooLarge));
  const uint8_t zero_type[] = {0, 0, 0, 0, 0};
  EXPECT_TRUE(FailsWith(ParseFrameHeader(zero_type), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(ParseFrameHeader(ByteView(ok, 4)), Errc::kTruncatedFrame));
  const uint8_t longer[] = {3, 0, 0, 0, 0, 0};
  EXPECT_TRUE(FailsWith(ParseFrameHeader(longer), Errc::kBadFrame));
}

TEST(Pd, DecodesThePlaintextForm) {
  auto pd = DecodePd(EncodePlaintextPd(AsBytes("data")));
  TEEPNET_ASSERT_OK(pd);
  EXPECT_EQ(pd->form, PdForm::kPlaintext);
  EXPECT_EQ(AsChars(pd->plaintext.view()), "data");
}

DeliveryContext SampleContext() {
  DeliveryContext context;
  context.request_id = "req-1";
  context.device_id = Bytes(32, 0xd1);
  context.instance = "tc-81";
  context.purpose = "pd";
  context.measurement = Bytes(32, 0x3e);
  return context;
}

TEST(Pd, DecodesTheSealedFormWithTheTasKeysAndTheDeliveryContext) {
  auto pd = DecodePd(
      EncodeSealedPd(AsBytes("ciphertext"), AsBytes("key"), AsBytes("proof"), SampleContext()));
  TEEPNET_ASSERT_OK(pd);
  EXPECT_EQ(pd->form, PdForm::kSealed);
  EXPECT_EQ(AsChars(pd->hpke_private_key.view()), "key");
  EXPECT_EQ(AsChars(pd->proof_private_key.view()), "proof");
  EXPECT_EQ(pd->context, SampleContext());
  EXPECT_EQ(AsChars(pd->sealed), "ciphertext");
}

TEST(Pd, EncodesTheSealedFormAsLengthPrefixedFieldsThenTheSealedBytes) {
  DeliveryContext context;
  context.request_id = "r";
  const Bytes encoded = EncodeSealedPd(AsBytes("S"), AsBytes("k"), AsBytes("p"), context);
  const Bytes expected = {2, 0, 0, 0, 1, 'k', 0, 0, 0, 1, 'p', 0, 0, 0, 1, 'r', 0,
                          0, 0, 0, 0, 0, 0,   0, 0, 0, 0, 0,   0, 0, 0, 0, 'S'};
  EXPECT_EQ(encoded, expected);
}

TEST(Pd, RefusesAKeyLengthPastTheEnd) {
  const uint8_t payload[] = {2, 0, 0, 0, 9, 'k'};
  auto pd = DecodePd(payload);
  EXPECT_TRUE(FailsWith(pd, Errc::kBadFrame));
}

TEST(Pd, RefusesASealedFormThatStopsBeforeItsContext) {
  Bytes encoded = EncodeSealedPd({}, AsBytes("k"), AsBytes("p"), SampleContext());
  // Every prefix that ends inside the fields is refused; only the sealed tail may be empty.
  for (size_t n = 1; n < encoded.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodePd(ByteView(encoded).first(n)), Errc::kBadFrame)) << n;
  }
  TEEPNET_EXPECT_OK(DecodePd(encoded));
}

TEST(Pd, RefusesAFieldLongerThanTheLimitBeforeReadingIt) {
  ByteWriter w;
  w.WriteU8(2);
  w.WriteBeU32(static_cast<uint32_t>(kMaxPdFieldBytes + 1));
  w.WriteBytes(Bytes(kMaxPdFieldBytes + 1, 0));
  EXPECT_TRUE(FailsWith(DecodePd(w.bytes()), Errc::kBadFrame));
}

TEST(Pd, RefusesAnUnknownFormAndAnEmptyPayload) {
  const uint8_t unknown[] = {3, 'x'};
  EXPECT_TRUE(FailsWith(DecodePd(unknown), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(DecodePd(ByteView()), Errc::kBadFrame));
}

}  // namespace
}  // namespace teepnet::runtime
