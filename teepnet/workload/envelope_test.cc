#include "teepnet/workload/envelope.h"

#include <gtest/gtest.h>

#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"

namespace teepnet::workload {
namespace {

Envelope TwoParties() {
  Envelope e;
  e.workload = "pce";
  e.parts.push_back(Part{"provider", Bytes{1, 2, 3}, Bytes(32, 0x11)});
  e.parts.push_back(Part{"user", Bytes{4, 5}, std::nullopt});
  e.bulk = Bytes{9, 9, 9};
  return e;
}

TEST(WorkloadEnvelope, RoundTripsEveryField) {
  auto bytes = EncodeEnvelope(TwoParties());
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  auto back = DecodeEnvelope(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(*back, TwoParties());
}

TEST(WorkloadEnvelope, RefusesDuplicateRolesOnBothSides) {
  Envelope e = TwoParties();
  e.parts[1].role = "provider";
  EXPECT_FALSE(EncodeEnvelope(e).ok());
  // Hand-built: {1: "w", 2: [["a", h'', null], ["a", h'', null]]}
  const Bytes dup = {0xa2, 0x01, 0x61, 'w',  0x02, 0x82, 0x83, 0x61,
                     'a',  0x40, 0xf6, 0x83, 0x61, 'a',  0x40, 0xf6};
  auto r = DecodeEnvelope(dup);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(channel::Errc::kMalformed));
}

TEST(WorkloadEnvelope, RefusesTrailingBytesAndUnknownKeys) {
  Bytes bytes = *EncodeEnvelope(TwoParties());
  Bytes trailing = bytes;
  trailing.push_back(0x00);
  EXPECT_FALSE(DecodeEnvelope(trailing).ok());
  // {1: "w", 2: [["a", h'', null]], 4: 0}
  const Bytes unknown = {0xa3, 0x01, 0x61, 'w',  0x02, 0x81, 0x83,
                         0x61, 'a',  0x40, 0xf6, 0x04, 0x00};
  EXPECT_FALSE(DecodeEnvelope(unknown).ok());
}

TEST(WorkloadEnvelope, RefusesBadNamesAndShortReplyKeys) {
  Envelope e = TwoParties();
  e.parts[0].role = "Provider";
  EXPECT_FALSE(EncodeEnvelope(e).ok());
  e = TwoParties();
  e.workload = "";
  EXPECT_FALSE(EncodeEnvelope(e).ok());
  // {1: "w", 2: [["a", h'', h'01']]}: a one-byte reply key.
  const Bytes short_key = {0xa2, 0x01, 0x61, 'w', 0x02, 0x81, 0x83, 0x61, 'a', 0x40, 0x41, 0x01};
  EXPECT_FALSE(DecodeEnvelope(short_key).ok());
  EXPECT_FALSE(IsValidName(std::string(kMaxNameBytes + 1, 'a')));
  EXPECT_TRUE(IsValidName("onprem-verifier"));
}

TEST(WorkloadEnvelope, RefusesNonDeterministicEncodings) {
  // Keys out of order: {2: [...], 1: "w"}.
  const Bytes unsorted = {0xa2, 0x02, 0x81, 0x83, 0x61, 'a', 0x40, 0xf6, 0x01, 0x61, 'w'};
  EXPECT_FALSE(DecodeEnvelope(unsorted).ok());
  // A non-preferred length head for the workload name (0x78 0x01 instead of 0x61).
  const Bytes long_head = {0xa2, 0x01, 0x78, 0x01, 'w', 0x02, 0x81, 0x83, 0x61, 'a', 0x40, 0xf6};
  EXPECT_FALSE(DecodeEnvelope(long_head).ok());
}

TEST(WorkloadResult, RoundTripsAndRefusesEmptyOrOversizedMaps) {
  std::map<std::string, Bytes> m{{"user", Bytes{1}}, {"provider", Bytes{2, 3}}};
  auto bytes = EncodeResult(m);
  ASSERT_TRUE(bytes.ok());
  auto back = DecodeResult(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_FALSE(EncodeResult({}).ok());
  EXPECT_FALSE(DecodeResult(Bytes{0xa0}).ok());
  // {"b": h'', "a": h''}: out of order; {"a": h'', "a": h''}: repeated.
  EXPECT_FALSE(DecodeResult(Bytes{0xa2, 0x61, 'b', 0x40, 0x61, 'a', 0x40}).ok());
  EXPECT_FALSE(DecodeResult(Bytes{0xa2, 0x61, 'a', 0x40, 0x61, 'a', 0x40}).ok());
  std::map<std::string, Bytes> huge{{"user", Bytes(channel::kMaxReceiptResultBytes, 0)}};
  auto too_large = EncodeResult(huge);
  ASSERT_FALSE(too_large.ok());
  EXPECT_TRUE(too_large.error().Is(channel::Errc::kTooLarge));
}

}  // namespace
}  // namespace teepnet::workload
