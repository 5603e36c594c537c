#include "teepnet/runtime/vm_link.h"

#include <gtest/gtest.h>

#include "teepnet/runtime/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using teepnet::testing::FailsWith;

// Decodes every frame in `bytes`, fed `chunk` bytes at a time.
std::vector<LinkFrame> DecodeAll(ByteView bytes, size_t chunk) {
  LinkDecoder decoder;
  std::vector<LinkFrame> out;
  while (!bytes.empty()) {
    const size_t n = std::min(chunk, bytes.size());
    decoder.Feed(bytes.first(n));
    bytes = bytes.subspan(n);
    for (;;) {
      auto frame = decoder.Next();
      EXPECT_TRUE(frame.ok());
      if (!frame.ok() || !frame->has_value()) break;
      out.push_back(**std::move(frame));
    }
  }
  EXPECT_EQ(decoder.buffered(), 0u);
  return out;
}

TEST(Crc32, MatchesTheIeeeCheckValue) {
  // The standard check value of CRC-32/ISO-HDLC: CRC("123456789") = 0xCBF43926.
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(Crc32({}), 0u);
}

TEST(LinkFrame, HasTheDocumentedLayout) {
  const Bytes frame = EncodeLinkFrame(LinkKind::kData, AsBytes("ab"));
  ASSERT_EQ(frame.size(), kLinkHeaderBytes + 2 + kLinkTrailerBytes);
  EXPECT_EQ(frame[0], 0x7E);
  EXPECT_EQ(frame[1], 0x56);
  EXPECT_EQ(frame[2], 3);
  EXPECT_EQ((Bytes{frame.begin() + 3, frame.begin() + 7}), (Bytes{0, 0, 0, 2}));
  EXPECT_EQ(frame[7], 'a');
  EXPECT_EQ(frame[8], 'b');
  const uint32_t crc = Crc32(ByteView(frame).subspan(2, 7));
  EXPECT_EQ(frame[9], crc >> 24);
  EXPECT_EQ(frame[12], crc & 0xFF);
}

TEST(LinkDecoder, ReturnsFramesInOrderWhateverTheReadSizes) {
  Bytes stream = EncodeLinkFrame(LinkKind::kHello, Bytes{1});
  Append(stream, EncodeLinkFrame(LinkKind::kClose));
  Bytes big(3 * kMaxLinkPayload + 17);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  AppendDataFrames(stream, big);
  for (size_t chunk : {size_t{1}, size_t{5}, size_t{4096}, stream.size()}) {
    const std::vector<LinkFrame> frames = DecodeAll(stream, chunk);
    ASSERT_EQ(frames.size(), 6u) << "chunk " << chunk;
    EXPECT_EQ(frames[0].kind, LinkKind::kHello);
    EXPECT_EQ(frames[0].payload, Bytes{1});
    EXPECT_EQ(frames[1].kind, LinkKind::kClose);
    Bytes joined;
    for (size_t i = 2; i < frames.size(); ++i) {
      EXPECT_EQ(frames[i].kind, LinkKind::kData);
      EXPECT_LE(frames[i].payload.size(), kMaxLinkPayload);
      Append(joined, frames[i].payload);
    }
    EXPECT_EQ(joined, big);
  }
}

TEST(LinkDecoder, RefusesAFlippedBitThroughTheCrc) {
  Bytes frame = EncodeLinkFrame(LinkKind::kData, AsBytes("payload"));
  frame[9] ^= 0x01;
  LinkDecoder decoder;
  decoder.Feed(frame);
  EXPECT_TRUE(FailsWith(decoder.Next(), Errc::kBadFrame));
  // Sticky: a dead link stays dead even if good bytes follow.
  decoder.Feed(EncodeLinkFrame(LinkKind::kClose));
  EXPECT_TRUE(FailsWith(decoder.Next(), Errc::kBadFrame));
}

TEST(LinkDecoder, RefusesABadMagicAtTheFirstByte) {
  LinkDecoder decoder;
  decoder.Feed(AsBytes("x"));
  EXPECT_TRUE(FailsWith(decoder.Next(), Errc::kBadFrame));
}

TEST(LinkDecoder, RefusesAnUnknownKind) {
  Bytes frame = EncodeLinkFrame(LinkKind::kData, AsBytes("p"));
  frame[2] = 9;
  LinkDecoder decoder;
  decoder.Feed(frame);
  EXPECT_TRUE(FailsWith(decoder.Next(), Errc::kBadFrame));
}

TEST(EvidenceReply, RoundTripsEvidenceAndReasonsAndRefusesUnknownStatus) {
  EvidenceReply ok{true, Bytes{1, 2, 3}, ""};
  auto decoded = DecodeEvidenceReply(EncodeEvidenceReply(ok));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_TRUE(decoded->ok);
  EXPECT_EQ(decoded->evidence, (Bytes{1, 2, 3}));
  EvidenceReply none{false, {}, "no platform"};
  decoded = DecodeEvidenceReply(EncodeEvidenceReply(none));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_FALSE(decoded->ok);
  EXPECT_EQ(decoded->reason, "no platform");
  EXPECT_TRUE(FailsWith(DecodeEvidenceReply({}), Errc::kBadFrame));
  const uint8_t unknown[] = {2, 'x'};
  EXPECT_TRUE(FailsWith(DecodeEvidenceReply(unknown), Errc::kBadFrame));
}

TEST(LinkDecoder, RefusesALengthAboveTheLimitBeforeThePayloadArrives) {
  const Bytes header{0x7E, 0x56, 3, 0x00, 0x01, 0x00, 0x01};  // 65537 bytes announced
  LinkDecoder decoder;
  decoder.Feed(header);
  EXPECT_TRUE(FailsWith(decoder.Next(), Errc::kFrameTooLarge));
}

TEST(LinkDecoder, WaitsForTheRestOfAPartialFrame) {
  const Bytes frame = EncodeLinkFrame(LinkKind::kData, AsBytes("payload"));
  LinkDecoder decoder;
  decoder.Feed(ByteView(frame).first(frame.size() - 1));
  auto none = decoder.Next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  decoder.Feed(ByteView(frame).last(1));
  auto one = decoder.Next();
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->payload, ToBytes(std::string_view("payload")));
}

TEST(TaExitReport, RoundTripsAndRefusesMalformedReports) {
  auto decoded = DecodeTaExit(EncodeTaExit({true, 9}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->signaled);
  EXPECT_EQ(decoded->value, 9u);
  EXPECT_TRUE(FailsWith(DecodeTaExit(Bytes{0, 0, 0, 0}), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(DecodeTaExit(Bytes{2, 0, 0, 0, 0}), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(DecodeTaExit(Bytes{0, 0, 0, 0, 0, 0}), Errc::kBadFrame));
}

TEST(GuestConfig, RoundTripsArgsAndEnvironment) {
  const GuestConfig config{{"--flag", ""}, {"A=1", "ASAN_OPTIONS=x"}};
  auto decoded = DecodeGuestConfig(EncodeGuestConfig(config));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, config);
}

TEST(GuestConfig, RefusesNulsTrailingBytesAndOversizedStrings) {
  EXPECT_TRUE(FailsWith(DecodeGuestConfig(EncodeGuestConfig({{std::string("a\0b", 3)}, {}})),
                        Errc::kBadFrame));
  Bytes trailing = EncodeGuestConfig({{"a"}, {}});
  trailing.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeGuestConfig(trailing), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(
      DecodeGuestConfig(EncodeGuestConfig({{std::string(kMaxGuestConfigString + 1, 'x')}, {}})),
      Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(DecodeGuestConfig(Bytes{0, 0, 0x10, 0}), Errc::kBadFrame));
}

}  // namespace
}  // namespace teepnet::runtime
