#include "teepnet/store/tam_state_cbor.h"

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/errc.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/store/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;

tam::DeviceStatus FullStatus() {
  tam::DeviceStatus s;
  s.installed.push_back({suit::MakeComponentId({"tc", "one"}), 7, Bytes{0x82, 0x2f, 0x41, 0x00}});
  s.installed.push_back({suit::MakeComponentId({"tc2"}), std::nullopt, Bytes{}});
  teep::RequestedTcInfo r;
  r.component_id = {Bytes{'r', 'q'}, Bytes{}};
  r.tc_manifest_sequence_number = 3;
  r.have_binary = false;
  r.extensions.push_back({42, Bytes{0x18, 0x2a}});
  s.requested.push_back(r);
  teep::RequestedTcInfo bare;
  bare.component_id = {Bytes{'x'}};
  s.requested.push_back(bare);
  s.unneeded.push_back(suit::MakeComponentId({"old"}));
  s.suite = teep::CipherSuite{{teep::TeepOperation{18, -7}, teep::TeepOperation{96, -35}}};
  s.last_contact = 1'790'000'000;
  s.last_result = tam::LastResult::kError;
  s.last_error_code = 2;
  s.last_error_message = "agent said no \xE2\x9C\x97";
  s.appraisal = tam::AppraisalRecord{true, -5, "affirming", Bytes{'e', 'a', 'r'}};
  return s;
}

// The status layout with one member replaced by `write_member` (index 1..9 after the version).
Bytes StatusWith(size_t member, void (*write_member)(cbor::Writer&)) {
  cbor::Writer w;
  w.WriteArrayHeader(10);
  w.WriteUint(1);
  for (size_t i = 1; i < 10; ++i) {
    if (i == member) {
      write_member(w);
      continue;
    }
    switch (i) {
      case 1:
      case 2:
      case 3: w.WriteArrayHeader(0); break;  // installed, requested, unneeded
      case 5:
      case 6: w.WriteUint(0); break;  // last_contact, last_result
      default: w.WriteNull(); break;  // suite, error code, message, appraisal
    }
  }
  return std::move(w).Take();
}

TEST(TamStateCborTest, FullStatusRoundTrips) {
  const tam::DeviceStatus s = FullStatus();
  auto bytes = EncodeDeviceStatusCbor(s);
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeDeviceStatusCbor(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, s);
}

TEST(TamStateCborTest, StatusHasTheDocumentedLayout) {
  // The header's CDDL, written out by hand (also the fuzz seed status_full.bin after its
  // selector byte).
  tam::DeviceStatus s;
  s.installed.push_back(
      {suit::MakeComponentId({"TEEP-Device", "hello"}), 2, Bytes{0x82, 0x2f, 0x58}});
  s.installed.push_back({suit::MakeComponentId({"no-seq"}), std::nullopt, Bytes{}});
  teep::RequestedTcInfo r;
  r.component_id = {Bytes{1}, Bytes{2, 3}};
  r.tc_manifest_sequence_number = 4;
  r.have_binary = false;
  r.extensions.push_back({77, Bytes{0xf6}});
  s.requested.push_back(r);
  teep::RequestedTcInfo bare;
  bare.component_id = {Bytes{'x'}};
  s.requested.push_back(bare);
  s.unneeded.push_back(suit::MakeComponentId({"old"}));
  s.suite = teep::CipherSuite{{teep::TeepOperation{18, -7}}};
  s.last_contact = 1714560000;
  s.last_result = tam::LastResult::kError;
  s.last_error_code = 11;
  s.last_error_message = "disk-full";
  s.appraisal = tam::AppraisalRecord{true, 1714560001, "affirming", Bytes{9, 9}};
  auto hex = FromHex(
      "8a018283824b544545502d4465766963654568656c6c6f43822f58028381466e6f2d73657140f6828482410142"
      "020304f48182184d41f684814178f6f6808181436f6c64818212261a66321c00040b696469736b2d66756c6c84"
      "f51a66321c016961666669726d696e67420909");
  TEEPNET_ASSERT_OK(hex);
  auto bytes = EncodeDeviceStatusCbor(s);
  TEEPNET_ASSERT_OK(bytes);
  EXPECT_EQ(ToHex(*bytes), ToHex(*hex));
  auto back = DecodeDeviceStatusCbor(*hex);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, s);
}

TEST(TamStateCborTest, EmptyStatusRoundTripsAndMatchesTheHandWrittenLayout) {
  auto bytes = EncodeDeviceStatusCbor(tam::DeviceStatus{});
  TEEPNET_ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, StatusWith(0, nullptr));
  auto back = DecodeDeviceStatusCbor(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, tam::DeviceStatus{});
}

TEST(TamStateCborTest, DesiredStateRoundTrips) {
  tam::DesiredState d{{{suit::MakeComponentId({"a", "b"}), 7}, {suit::MakeComponentId({"c"}), 0}},
                      {suit::MakeComponentId({"gone"})}};
  auto bytes = EncodeDesiredStateCbor(d);
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeDesiredStateCbor(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, d);
  auto empty = EncodeDesiredStateCbor(tam::DesiredState{});
  TEEPNET_ASSERT_OK(empty);
  EXPECT_EQ(*empty, (Bytes{0x83, 0x01, 0x80, 0x80}));
}

TEST(TamStateCborTest, RefusesEveryTruncationOfAStatus) {
  auto bytes = EncodeDeviceStatusCbor(FullStatus());
  TEEPNET_ASSERT_OK(bytes);
  for (size_t n = 0; n < bytes->size(); ++n) {
    EXPECT_TRUE(
        FailsWith(DecodeDeviceStatusCbor(ByteView(bytes->data(), n)), cbor::Errc::kTruncated))
        << "prefix of " << n << " bytes";
  }
}

TEST(TamStateCborTest, RefusesEveryTruncationOfADesiredState) {
  auto bytes = EncodeDesiredStateCbor({{{suit::MakeComponentId({"a"}), 300}}, {}});
  TEEPNET_ASSERT_OK(bytes);
  for (size_t n = 0; n < bytes->size(); ++n) {
    EXPECT_TRUE(
        FailsWith(DecodeDesiredStateCbor(ByteView(bytes->data(), n)), cbor::Errc::kTruncated))
        << "prefix of " << n << " bytes";
  }
}

TEST(TamStateCborTest, RefusesTrailingBytesAfterTheStatus) {
  auto bytes = EncodeDeviceStatusCbor(FullStatus());
  TEEPNET_ASSERT_OK(bytes);
  bytes->push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeDeviceStatusCbor(*bytes), cbor::Errc::kTrailingBytes));
  Bytes desired{0x83, 0x01, 0x80, 0x80, 0xf6};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(desired), cbor::Errc::kTrailingBytes));
}

TEST(TamStateCborTest, RefusesAMemberOfTheWrongType) {
  // last_contact as text, last_result as a negative number, installed as a map, an optional
  // member as a boolean, the message as a byte string.
  EXPECT_TRUE(
      FailsWith(DecodeDeviceStatusCbor(StatusWith(5, [](cbor::Writer& w) { w.WriteText("now"); })),
                Errc::kBadColumn));
  EXPECT_TRUE(
      FailsWith(DecodeDeviceStatusCbor(StatusWith(6, [](cbor::Writer& w) { w.WriteInt(-1); })),
                Errc::kBadColumn));
  EXPECT_TRUE(
      FailsWith(DecodeDeviceStatusCbor(StatusWith(1, [](cbor::Writer& w) { w.WriteMapHeader(0); })),
                Errc::kBadColumn));
  EXPECT_TRUE(
      FailsWith(DecodeDeviceStatusCbor(StatusWith(7, [](cbor::Writer& w) { w.WriteBool(true); })),
                Errc::kBadColumn));
  EXPECT_TRUE(FailsWith(
      DecodeDeviceStatusCbor(StatusWith(8, [](cbor::Writer& w) { w.WriteBytes(Bytes{1}); })),
      Errc::kBadColumn));
  // A suite operation whose algorithm does not fit int64.
  EXPECT_TRUE(FailsWith(DecodeDeviceStatusCbor(StatusWith(4,
                                                          [](cbor::Writer& w) {
                                                            w.WriteArrayHeader(1);
                                                            w.WriteArrayHeader(2);
                                                            w.WriteUint(18);
                                                            w.WriteUint(UINT64_MAX);
                                                          })),
                        Errc::kBadColumn));
}

TEST(TamStateCborTest, RefusesAnOutOfRangeLastResult) {
  EXPECT_TRUE(
      FailsWith(DecodeDeviceStatusCbor(StatusWith(6, [](cbor::Writer& w) { w.WriteUint(7); })),
                Errc::kBadColumn));
  auto ok = DecodeDeviceStatusCbor(StatusWith(6, [](cbor::Writer& w) { w.WriteUint(6); }));
  TEEPNET_ASSERT_OK(ok);
  EXPECT_EQ(ok->last_result, tam::LastResult::kBadResponse);
}

TEST(TamStateCborTest, RefusesAnotherLayoutVersionOrMemberCount) {
  Bytes v2{0x83, 0x02, 0x80, 0x80};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(v2), Errc::kBadColumn));
  Bytes short_array{0x82, 0x01, 0x80};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(short_array), Errc::kBadColumn));
  Bytes not_array{0xa0};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(not_array), Errc::kBadColumn));
  // A status read as a desired state.
  auto status = EncodeDeviceStatusCbor(tam::DeviceStatus{});
  TEEPNET_ASSERT_OK(status);
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(*status), Errc::kBadColumn));
}

TEST(TamStateCborTest, RefusesNonDeterministicEncodings) {
  // The version as a two-byte head (18 01): not preferred serialization (RFC 8949 §4.1).
  Bytes long_head{0x83, 0x18, 0x01, 0x80, 0x80};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(long_head), cbor::Errc::kNonPreferredEncoding));
  // An indefinite-length install list.
  Bytes indefinite{0x83, 0x01, 0x9f, 0xff, 0x80};
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(indefinite), cbor::Errc::kIndefiniteNotAllowed));
}

TEST(TamStateCborTest, RefusesAListAboveTheLimitBothWays) {
  tam::DesiredState d;
  d.remove.assign(kMaxStoredStateListItems + 1, suit::MakeComponentId({"x"}));
  EXPECT_TRUE(FailsWith(EncodeDesiredStateCbor(d), Errc::kBadColumn));
  // The same list written by hand: the reader stops at its head.
  cbor::Writer w;
  w.WriteArrayHeader(3);
  w.WriteUint(1);
  w.WriteArrayHeader(0);
  w.WriteArrayHeader(kMaxStoredStateListItems + 1);
  for (uint64_t i = 0; i <= kMaxStoredStateListItems; ++i) w.WriteArrayHeader(0);
  const Bytes input = std::move(w).Take();
  EXPECT_TRUE(FailsWith(DecodeDesiredStateCbor(input), cbor::Errc::kTooManyItems));
  // At the limit both work.
  d.remove.pop_back();
  auto at_limit = EncodeDesiredStateCbor(d);
  TEEPNET_ASSERT_OK(at_limit);
  auto back = DecodeDesiredStateCbor(*at_limit);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->remove.size(), kMaxStoredStateListItems);
}

TEST(TamStateCborTest, RefusesAColumnAboveTheSizeLimit) {
  Bytes huge(kMaxStoredStateBytes + 1, 0x00);
  EXPECT_TRUE(FailsWith(DecodeDeviceStatusCbor(huge), Errc::kBadColumn));
  tam::DeviceStatus s;
  s.appraisal = tam::AppraisalRecord{false, 0, "", Bytes(kMaxStoredStateBytes, 0x01)};
  EXPECT_TRUE(FailsWith(EncodeDeviceStatusCbor(s), Errc::kBadColumn));
}

TEST(TamStateCborTest, StoresInvalidUtf8TextWithReplacementCharacters) {
  tam::DeviceStatus s;
  s.last_error_message = std::string(
      "a\xFF"
      "b\xC3");
  auto bytes = EncodeDeviceStatusCbor(s);
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeDeviceStatusCbor(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back->last_error_message,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(TamStateCborTest, RefusesInvalidUtf8WrittenByHand) {
  EXPECT_TRUE(FailsWith(
      DecodeDeviceStatusCbor(StatusWith(8, [](cbor::Writer& w) { w.WriteText("\xC0\xAF"); })),
      cbor::Errc::kBadUtf8));
}

}  // namespace
}  // namespace teepnet::store
