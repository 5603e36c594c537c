#include "teepnet/cbor/reader.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/value.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cbor {
namespace {

using teepnet::testing::FailsWith;

Bytes H(std::string_view hex) {
  Result<Bytes> b = FromHex(hex);
  if (!b.ok()) std::abort();
  return *b;
}

struct Malformed {
  const char* hex;
  Errc reason;
  size_t offset;
  const char* why;
};

// Not-well-formed inputs (RFC 8949 Appendix F), each with the reason the decoder must give.
const Malformed kMalformed[] = {
    {"", Errc::kTruncated, 0, "no data item at all"},
    {"18", Errc::kTruncated, 0, "1-byte argument missing"},
    {"19 01", Errc::kTruncated, 0, "2-byte argument cut short"},
    {"1b 00 00 00 00 00 00 00", Errc::kTruncated, 0, "8-byte argument cut short"},
    {"43 01 02", Errc::kTruncated, 0, "byte string shorter than its length"},
    {"62 61", Errc::kTruncated, 0, "text string shorter than its length"},
    {"83 01 02", Errc::kTruncated, 0, "array count beyond the remaining bytes"},
    {"a1 01", Errc::kTruncated, 0, "map key without value"},
    {"83 01 81 02", Errc::kTruncated, 4, "array missing its last item"},
    {"c0", Errc::kTruncated, 1, "tag without its item"},
    {"9f 01", Errc::kTruncated, 2, "indefinite array without break"},
    {"5f 41 00", Errc::kTruncated, 3, "indefinite string without break"},
    {"1c", Errc::kReservedAdditionalInfo, 0, "additional info 28 is reserved"},
    {"3d", Errc::kReservedAdditionalInfo, 0, "additional info 29 is reserved"},
    {"fe", Errc::kReservedAdditionalInfo, 0, "additional info 30 in major type 7"},
    {"1f", Errc::kReservedAdditionalInfo, 0, "indefinite unsigned integer"},
    {"3f", Errc::kReservedAdditionalInfo, 0, "indefinite negative integer"},
    {"df", Errc::kReservedAdditionalInfo, 0, "indefinite tag"},
    {"f8 00", Errc::kBadSimpleValue, 0, "two-byte simple value 0"},
    {"f8 1f", Errc::kBadSimpleValue, 0, "two-byte simple value 31"},
    {"5f 61 61 ff", Errc::kBadIndefiniteChunk, 1, "text chunk in a byte string"},
    {"7f 41 00 ff", Errc::kBadIndefiniteChunk, 1, "byte chunk in a text string"},
    {"5f 5f 41 00 ff ff", Errc::kBadIndefiniteChunk, 1, "nested indefinite chunk"},
    {"5f 01 ff", Errc::kBadIndefiniteChunk, 1, "integer as a chunk"},
    {"ff", Errc::kUnexpectedBreak, 0, "lone break"},
    {"81 ff", Errc::kUnexpectedBreak, 1, "break inside a definite array"},
    {"bf 01 ff", Errc::kUnexpectedBreak, 2, "break between key and value"},
    {"c0 ff", Errc::kUnexpectedBreak, 1, "break as a tagged item"},
    {"9f ff ff", Errc::kTrailingBytes, 2, "break after the item closed"},
    {"01 02", Errc::kTrailingBytes, 1, "second top-level item"},
    {"62 c3 28", Errc::kBadUtf8, 1, "invalid UTF-8 continuation"},
    {"62 c0 80", Errc::kBadUtf8, 1, "overlong UTF-8"},
    {"63 ed a0 80", Errc::kBadUtf8, 1, "UTF-16 surrogate in UTF-8"},
    {"9b 00 00 00 01 00 00 00 00", Errc::kTooManyItems, 0, "array count over the limit"},
    {"9a 00 01 00 00 01", Errc::kTruncated, 0, "array count beyond the input"},
};

TEST(ReaderTest, EveryMalformedTableEntryFailsWithItsReasonAndOffset) {
  for (const Malformed& m : kMalformed) {
    Result<Value> v = Decode(H(m.hex));
    ASSERT_FALSE(v.ok()) << m.why;
    EXPECT_TRUE(v.error().Is(m.reason)) << m.why << ": " << v.error().ToString();
    EXPECT_EQ(v.error().offset(), m.offset) << m.why;
  }
}

// Checks the invariants that must hold for any input: no crash, errors carry an offset within
// the input, a successful decode re-encodes to something that decodes to the same value, and
// the pull reader agrees with the DOM decoder.
void CheckInvariants(ByteView in) {
  Result<Value> v = Decode(in);
  Reader r(in);
  Status skipped = r.SkipItem();
  const bool reader_ok = skipped.ok() && r.ExpectEnd().ok();
  if (!v.ok()) {
    ASSERT_TRUE(v.error().has_offset());
    ASSERT_LE(v.error().offset(), in.size());
    // The reader alone cannot see duplicate keys; every other failure is its own.
    if (!v.error().Is(Errc::kDuplicateMapKey)) {
      ASSERT_FALSE(reader_ok) << ToHex(in);
    }
    return;
  }
  ASSERT_TRUE(reader_ok) << ToHex(in);
  Result<Value> again = Decode(Encode(*v));
  ASSERT_TRUE(again.ok()) << ToHex(in);
  ASSERT_TRUE(*again == *v) << ToHex(in);
}

TEST(ReaderTest, EveryOneAndTwoByteInputKeepsTheInvariants) {
  uint8_t buf[2];
  for (int a = 0; a < 256; ++a) {
    buf[0] = static_cast<uint8_t>(a);
    CheckInvariants(ByteView(buf, 1));
    for (int b = 0; b < 256; ++b) {
      buf[1] = static_cast<uint8_t>(b);
      CheckInvariants(ByteView(buf, 2));
    }
  }
}

TEST(ReaderTest, EveryThreeByteInputDecodesWithoutCrashing) {
  // 16.7 million inputs: only the cheap invariants here (the full set runs on 1 and 2 bytes).
  uint8_t buf[3];
  size_t accepted = 0;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c = 0; c < 256; ++c) {
        buf[0] = static_cast<uint8_t>(a);
        buf[1] = static_cast<uint8_t>(b);
        buf[2] = static_cast<uint8_t>(c);
        Reader r(ByteView(buf, 3));
        Status s = r.SkipItem();
        if (s.ok() && r.ExpectEnd().ok()) {
          ++accepted;
        } else if (!s.ok()) {
          ASSERT_LE(s.error().offset(), 3u);
        }
      }
    }
  }
  // Sanity bound: e.g. every "19 xx yy" and "42 xx yy" is accepted, and no input beginning
  // with a reserved byte is.
  EXPECT_GT(accepted, 2u * 65536u);
  EXPECT_LT(accepted, 16777216u);
}

TEST(ReaderTest, EveryProperPrefixOfANestedItemFailsAsTruncated) {
  const Bytes full =
      H("a3 01 83 19 03 e8 5f 42 01 02 ff 9f f5 ff 62 6b 31 d8 18 4b a1 01 fb 3f f1 99 99 99 99 "
        "99 9a 63 6b 65 79 bf 61 61 c2 49 01 00 00 00 00 00 00 00 00 ff");
  TEEPNET_ASSERT_OK(Decode(full));
  for (size_t n = 0; n < full.size(); ++n) {
    Result<Value> v = Decode(ByteView(full.data(), n));
    EXPECT_TRUE(FailsWith(v, Errc::kTruncated)) << "prefix of " << n << " bytes";
    Reader r(ByteView(full.data(), n));
    EXPECT_TRUE(FailsWith(r.SkipItem(), Errc::kTruncated)) << "prefix of " << n << " bytes";
  }
}

TEST(ReaderTest, NonPreferredEncodingsAreRejectedInStrictModeOnly) {
  const char* kNonPreferred[] = {
      "18 17",                       // 23 in a 1-byte argument
      "19 00 ff",                    // 255 in 2 bytes
      "1a 00 00 ff ff",              // 65535 in 4 bytes
      "1b 00 00 00 00 ff ff ff ff",  // 2^32-1 in 8 bytes
      "38 00",                       // -1 in a 1-byte argument
      "58 01 00",                    // byte string length 1 in a 1-byte argument
      "79 00 01 61",                 // text length 1 in 2 bytes
      "98 01 00",                    // array count
      "b8 01 00 00",                 // map count
      "d8 01 00",                    // tag 1 in a 1-byte argument
      "fa 3f 80 00 00",              // 1.0 as single
      "fb 3f f0 00 00 00 00 00 00",  // 1.0 as double
      "fb 3f f8 00 00 00 00 00 00",  // 1.5 as double
      "fb 40 c3 88 00 00 00 00 00",  // 10000.0 as double (fits half)
      "fb 41 20 00 00 00 00 00 00",  // 524288.0 as double (fits single)
      "fa 7f c0 00 00",              // NaN as single
      "f9 7e 01",                    // NaN with a payload
      "f9 fe 00",                    // negative NaN
  };
  for (const char* hex : kNonPreferred) {
    TEEPNET_EXPECT_OK(Decode(H(hex)));
    EXPECT_TRUE(FailsWith(Decode(H(hex), DecodeOptions::Strict()), Errc::kNonPreferredEncoding))
        << hex;
  }
}

TEST(ReaderTest, PreferredFloatsAreAcceptedInStrictMode) {
  for (const char* hex : {"f9 7e 00", "f9 7c 00", "f9 00 01", "fa 47 c3 50 00",
                          "fb 3f f1 99 99 99 99 99 9a", "f9 80 00"}) {
    TEEPNET_EXPECT_OK(Decode(H(hex), DecodeOptions::Strict()));
  }
}

TEST(ReaderTest, IndefiniteLengthsAreRejectedWhenNotAllowed) {
  for (const char* hex : {"5f ff", "7f ff", "9f ff", "bf ff", "81 9f ff"}) {
    TEEPNET_EXPECT_OK(Decode(H(hex)));
    EXPECT_TRUE(FailsWith(Decode(H(hex), DecodeOptions::Strict()), Errc::kIndefiniteNotAllowed));
  }
}

TEST(ReaderTest, DuplicateMapKeysAreRejectedIncludingDifferentlyEncodedOnes) {
  EXPECT_TRUE(FailsWith(Decode(H("a2 01 01 01 02")), Errc::kDuplicateMapKey));
  EXPECT_TRUE(FailsWith(Decode(H("a2 01 01 18 01 02")), Errc::kDuplicateMapKey));
  EXPECT_TRUE(FailsWith(Decode(H("a2 61 61 01 7f 61 61 ff 02")), Errc::kDuplicateMapKey));
  EXPECT_TRUE(FailsWith(Decode(H("bf 02 00 01 00 02 00 ff")), Errc::kDuplicateMapKey));
  EXPECT_TRUE(FailsWith(Decode(H("a3 01 01 03 00 01 02")), Errc::kDuplicateMapKey));
  DecodeOptions lenient;
  lenient.reject_duplicate_keys = false;
  TEEPNET_EXPECT_OK(Decode(H("a2 01 01 01 02"), lenient));
  // Offsets point at the second occurrence.
  Result<Value> v = Decode(H("a2 01 01 01 02"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().offset(), 3u);
}

TEST(ReaderTest, UnsortedMapKeysAreRejectedUnderDeterministicOptions) {
  TEEPNET_EXPECT_OK(Decode(H("a2 03 00 01 00"), DecodeOptions::Strict()));
  EXPECT_TRUE(FailsWith(Decode(H("a2 03 00 01 00"), DecodeOptions::Deterministic()),
                        Errc::kUnsortedMapKeys));
  // Bytewise order of encodings: 10 (0a) < 100 (18 64) < -1 (20) < "z" (61 7a) < "aa".
  TEEPNET_EXPECT_OK(
      Decode(H("a5 0a 00 18 64 00 20 00 61 7a 00 62 61 61 00"), DecodeOptions::Deterministic()));
}

// Reads a map of uint keys to uint values pair by pair, as a schema decoder does.
Status ReadUintMap(ByteView in, const DecodeOptions& options) {
  Reader r(in, options);
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadMapHeader(&n));
  for (size_t i = 0; i < n; ++i) {
    uint64_t key = 0, value = 0;
    TEEPNET_RETURN_IF_ERROR(r.ReadUint(&key));
    TEEPNET_RETURN_IF_ERROR(r.ReadUint(&value));
  }
  return r.ExpectEnd();
}

Status SkipOne(const Bytes& in, const DecodeOptions& options) {
  Reader r(in, options);
  return r.SkipItem();
}

TEST(ReaderTest, ThePullReaderChecksKeyOrderUnderDeterministicOptions) {
  const DecodeOptions det = DecodeOptions::Deterministic();
  TEEPNET_EXPECT_OK(ReadUintMap(H("a3 01 00 02 00 03 00"), det));
  EXPECT_TRUE(FailsWith(ReadUintMap(H("a2 03 00 01 00"), det), Errc::kUnsortedMapKeys));
  EXPECT_TRUE(FailsWith(ReadUintMap(H("a2 01 00 01 07"), det), Errc::kDuplicateMapKey));
  // Strict (preferred serialization only) leaves key order to the schema.
  TEEPNET_EXPECT_OK(ReadUintMap(H("a2 03 00 01 00"), DecodeOptions::Strict()));
  // The error names the offending key's offset.
  Status s = ReadUintMap(H("a2 03 00 01 00"), det);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().offset(), 3u);
}

TEST(ReaderTest, KeyOrderIsCheckedInNestedMapsAndForKeysThatAreContainers) {
  const DecodeOptions det = DecodeOptions::Deterministic();
  // {1: {2: 0, 1: 0}}: the inner map is out of order, found by SkipItem as by Next().
  const Bytes nested = H("a1 01 a2 02 00 01 00");
  Reader skip(nested, det);
  EXPECT_TRUE(FailsWith(skip.SkipItem(), Errc::kUnsortedMapKeys));
  Reader walk(nested, det);
  Result<Item> item = walk.Next();
  while (item.ok() && !walk.AtEnd()) item = walk.Next();
  EXPECT_TRUE(FailsWith(item, Errc::kUnsortedMapKeys));
  // Keys that are arrays compare by their whole encodings: [1] (81 01) < [1, 0] (82 01 00),
  // and the same array twice is a repeated key.
  TEEPNET_EXPECT_OK(Decode(H("a2 81 01 00 82 01 00 00"), det));
  TEEPNET_EXPECT_OK(SkipOne(H("a2 81 01 00 82 01 00 00"), det));
  EXPECT_TRUE(FailsWith(SkipOne(H("a2 81 01 00 81 01 00"), det), Errc::kDuplicateMapKey));
  // The order is that of the encodings, not of the values: 24 (18 18) before -1 (20).
  TEEPNET_EXPECT_OK(SkipOne(H("a2 18 18 00 20 00"), det));
  EXPECT_TRUE(FailsWith(SkipOne(H("a2 20 00 18 18 00"), det), Errc::kUnsortedMapKeys));
}

TEST(ReaderTest, NestingDeeperThanTheLimitFails) {
  DecodeOptions o;
  o.limits.max_depth = 4;
  TEEPNET_EXPECT_OK(Decode(H("81 81 81 81 00"), o));
  EXPECT_TRUE(FailsWith(Decode(H("81 81 81 81 81 00"), o), Errc::kNestingTooDeep));
  EXPECT_TRUE(FailsWith(Decode(H("c1 c1 c1 c1 c1 00"), o), Errc::kNestingTooDeep));
  // The default limit stops a hostile 10000-deep array long before the stack could.
  Bytes deep(10000, 0x81);
  deep.push_back(0x00);
  EXPECT_TRUE(FailsWith(Decode(deep), Errc::kNestingTooDeep));
}

TEST(ReaderTest, ContainersLargerThanTheLimitFail) {
  DecodeOptions o;
  o.limits.max_container_items = 2;
  TEEPNET_EXPECT_OK(Decode(H("82 00 00"), o));
  EXPECT_TRUE(FailsWith(Decode(H("83 00 00 00"), o), Errc::kTooManyItems));
  EXPECT_TRUE(FailsWith(Decode(H("a3 00 00 01 00 02 00"), o), Errc::kTooManyItems));
}

TEST(ReaderTest, StringsLongerThanTheLimitFail) {
  DecodeOptions o;
  o.limits.max_string_length = 2;
  TEEPNET_EXPECT_OK(Decode(H("42 00 00"), o));
  EXPECT_TRUE(FailsWith(Decode(H("43 00 00 00"), o), Errc::kStringTooLong));
  EXPECT_TRUE(FailsWith(Decode(H("5f 42 00 00 41 00 ff"), o), Errc::kStringTooLong));
  // A huge claimed length is refused by the limit before any allocation.
  EXPECT_TRUE(FailsWith(Decode(H("5b ff ff ff ff ff ff ff ff")), Errc::kStringTooLong));
}

TEST(ReaderTest, MoreItemsInTotalThanTheLimitFail) {
  DecodeOptions o;
  o.limits.max_total_items = 4;
  TEEPNET_EXPECT_OK(Decode(H("83 01 02 03"), o));
  EXPECT_TRUE(FailsWith(Decode(H("84 01 02 03 04"), o), Errc::kTooManyTotalItems));
}

TEST(ReaderTest, SchemaHelpersReadACoseLikeStructure) {
  // 18([h'a10126', {4: h'6b6964'}, h'7061796c6f6164', h'0102'])
  const Bytes in = H("d2 84 43 a1 01 26 a1 04 43 6b 69 64 47 70 61 79 6c 6f 61 64 42 01 02");
  Reader r(in, DecodeOptions::Strict());
  uint64_t tag = 0;
  size_t n = 0;
  ByteView prot, payload, sig;
  TEEPNET_ASSERT_OK(r.ReadTag(&tag));
  EXPECT_EQ(tag, 18u);
  TEEPNET_ASSERT_OK(r.ReadArrayHeader(&n));
  EXPECT_EQ(n, 4u);
  TEEPNET_ASSERT_OK(r.ReadBytes(&prot));
  EXPECT_EQ(ToHex(prot), "a10126");
  ByteView raw_unprotected;
  TEEPNET_ASSERT_OK(r.ReadRawItem(&raw_unprotected));
  EXPECT_EQ(ToHex(raw_unprotected), "a104436b6964");
  TEEPNET_ASSERT_OK(r.ReadBytes(&payload));
  TEEPNET_ASSERT_OK(r.ReadBytes(&sig));
  EXPECT_EQ(ToHex(sig), "0102");
  EXPECT_EQ(r.depth(), 0u);
  TEEPNET_EXPECT_OK(r.ExpectEnd());
}

TEST(ReaderTest, TypeMismatchIsReportedWithoutPoisoningTheReader) {
  const Bytes r_input = H("63 61 62 63");
  Reader r(r_input);
  uint64_t u = 0;
  EXPECT_TRUE(FailsWith(r.ReadUint(&u), Errc::kUnexpectedType));
  std::string_view text;
  TEEPNET_ASSERT_OK(r.ReadText(&text));
  EXPECT_EQ(text, "abc");
}

TEST(ReaderTest, ReadIntReportsOverflowAtBothEnds) {
  int64_t v = 0;
  const Bytes max_input = H("1b 7f ff ff ff ff ff ff ff");
  Reader max(max_input);
  TEEPNET_ASSERT_OK(max.ReadInt(&v));
  EXPECT_EQ(v, INT64_MAX);
  const Bytes min_input = H("3b 7f ff ff ff ff ff ff ff");
  Reader min(min_input);
  TEEPNET_ASSERT_OK(min.ReadInt(&v));
  EXPECT_EQ(v, INT64_MIN);
  const Bytes over_input = H("1b 80 00 00 00 00 00 00 00");
  Reader over(over_input);
  EXPECT_TRUE(FailsWith(over.ReadInt(&v), Errc::kIntegerOverflow));
  const Bytes under_input = H("3b 80 00 00 00 00 00 00 00");
  Reader under(under_input);
  EXPECT_TRUE(FailsWith(under.ReadInt(&v), Errc::kIntegerOverflow));
  uint64_t u = 0;
  const Bytes big_input = H("1b ff ff ff ff ff ff ff ff");
  Reader big(big_input);
  TEEPNET_ASSERT_OK(big.ReadUint(&u));
  EXPECT_EQ(u, UINT64_MAX);
}

TEST(ReaderTest, ErrorsAreSticky) {
  const Bytes r_input = H("1c 01");
  Reader r(r_input);
  EXPECT_TRUE(FailsWith(r.Next(), Errc::kReservedAdditionalInfo));
  EXPECT_TRUE(FailsWith(r.Next(), Errc::kReservedAdditionalInfo));
  EXPECT_TRUE(r.failed());
}

TEST(ReaderTest, IndefiniteContainersAreWalkedWithAtBreak) {
  const Bytes r_input = H("9f 01 02 03 ff");
  Reader r(r_input);
  size_t n = 0;
  TEEPNET_ASSERT_OK(r.ReadArrayHeader(&n));
  ASSERT_EQ(n, kIndefiniteLength);
  int64_t sum = 0;
  while (!r.AtBreak()) {
    int64_t v = 0;
    TEEPNET_ASSERT_OK(r.ReadInt(&v));
    sum += v;
  }
  TEEPNET_ASSERT_OK(r.ReadBreak());
  EXPECT_EQ(sum, 6);
  EXPECT_TRUE(r.AtEnd());
}

TEST(ReaderTest, ReadBytesRefusesAnIndefiniteByteString) {
  const Bytes r_input = H("5f 41 00 ff");
  Reader r(r_input);
  ByteView b;
  EXPECT_TRUE(FailsWith(r.ReadBytes(&b), Errc::kIndefiniteNotAllowed));
}

TEST(ReaderTest, TrailingBytesAreAllowedWhenAsked) {
  DecodeOptions o;
  o.allow_trailing_bytes = true;
  TEEPNET_EXPECT_OK(Decode(H("01 02"), o));
  const Bytes r_input = H("01 02");
  Reader r(r_input);
  TEEPNET_ASSERT_OK(r.SkipItem());
  EXPECT_TRUE(FailsWith(r.ExpectEnd(), Errc::kTrailingBytes));
}

// Wraps `inner` in `depth` levels of containers, alternating a one-entry array and a
// one-pair map {0: ...}, so that the map under test sits at every nesting depth.
Bytes Nest(const Bytes& inner, int depth) {
  Bytes out;
  for (int i = 0; i < depth; ++i) {
    if (i % 2 == 0) {
      out.push_back(0x81);
    } else {
      out.push_back(0xa1);
      out.push_back(0x00);
    }
  }
  out.insert(out.end(), inner.begin(), inner.end());
  return out;
}

// Walks every item with Next() (whose fast path takes what it can) and returns the status.
Status WalkWithNext(const Bytes& in, const DecodeOptions& options) {
  Reader r(in, options);
  do {
    Result<Item> item = r.Next();
    if (!item.ok()) return std::move(item).TakeError();
  } while (!r.AtEnd());
  return r.ExpectEnd();
}

TEST(ReaderTest, FastPathsRefuseOutOfOrderAndRepeatedKeysAtEveryDepth) {
  const DecodeOptions det = DecodeOptions::Deterministic();
  struct Case {
    const char* map;
    std::optional<Errc> reason;  // none: the keys are in order
    size_t bad_key;              // offset of the offending key within the map
  };
  const Case cases[] = {
      {"a3 01 00 02 00 03 00", std::nullopt, 0},
      {"a2 02 00 01 00", Errc::kUnsortedMapKeys, 3},
      {"a2 01 00 01 00", Errc::kDuplicateMapKey, 3},
      // Keys that are byte strings, compared by their encodings (shorter first).
      {"a2 41 01 00 42 00 00 00", std::nullopt, 0},
      {"a2 42 00 00 00 41 01 00", Errc::kUnsortedMapKeys, 5},
      {"a2 42 00 00 00 42 00 00 01", Errc::kDuplicateMapKey, 5},
      // A key that is an array: the whole encoding counts.
      {"a2 81 01 00 81 01 00", Errc::kDuplicateMapKey, 4},
      // The third key repeats the second, after two in order.
      {"a3 01 00 02 00 02 00", Errc::kDuplicateMapKey, 5},
  };
  for (const Case& c : cases) {
    for (int depth = 0; depth <= 5; ++depth) {
      const Bytes in = Nest(H(c.map), depth);
      const size_t map_offset = in.size() - H(c.map).size();
      const std::string what = std::string(c.map) + " at depth " + std::to_string(depth);
      Reader skip(in, det);
      const Status skipped = skip.SkipItem();
      const Status walked = WalkWithNext(in, det);
      const Result<Value> dom = Decode(in, det);
      if (!c.reason.has_value()) {
        TEEPNET_EXPECT_OK(skipped) << what;
        TEEPNET_EXPECT_OK(walked) << what;
        TEEPNET_EXPECT_OK(dom) << what;
        // Strict options leave key order alone.
        TEEPNET_EXPECT_OK(WalkWithNext(in, DecodeOptions::Strict())) << what;
        continue;
      }
      EXPECT_TRUE(FailsWith(skipped, *c.reason)) << what;
      EXPECT_TRUE(FailsWith(walked, *c.reason)) << what;
      EXPECT_TRUE(FailsWith(dom, *c.reason)) << what;
      ASSERT_FALSE(skipped.ok());
      EXPECT_EQ(skipped.error().offset(), map_offset + c.bad_key) << what;
      ASSERT_FALSE(walked.ok());
      EXPECT_EQ(walked.error().offset(), map_offset + c.bad_key) << what;
      TEEPNET_EXPECT_OK(WalkWithNext(in, DecodeOptions::Strict())) << what;
    }
  }
}

TEST(ReaderTest, SchemaHelpersRefuseKeysOutOfOrderAtTheValueOfTheBadKey) {
  const DecodeOptions det = DecodeOptions::Deterministic();
  // [{1: 0, 3: 0, 2: 0}] read pair by pair with ReadUint: the keys are fine up to the value
  // of key 2, where it is found to sort before 3.
  const Bytes in = H("81 a3 01 00 03 00 02 00");
  Reader r(in, det);
  size_t n = 0;
  TEEPNET_ASSERT_OK(r.ReadArrayHeader(&n));
  TEEPNET_ASSERT_OK(r.ReadMapHeader(&n));
  uint64_t key = 0, value = 0;
  TEEPNET_ASSERT_OK(r.ReadUint(&key));
  TEEPNET_ASSERT_OK(r.ReadUint(&value));
  TEEPNET_ASSERT_OK(r.ReadUint(&key));
  TEEPNET_ASSERT_OK(r.ReadUint(&value));
  TEEPNET_ASSERT_OK(r.ReadUint(&key));
  EXPECT_EQ(key, 2u);
  // The fast path declines the value and leaves the reader as it was; the helper names the key.
  const size_t before = r.offset();
  EXPECT_FALSE(r.TryReadUint(&value));
  EXPECT_EQ(r.offset(), before);
  EXPECT_FALSE(r.failed());
  Status s = r.ReadUint(&value);
  EXPECT_TRUE(FailsWith(s, Errc::kUnsortedMapKeys));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().offset(), 6u);
}

TEST(ReaderTest, TryReadsDeclineWithoutChangingTheReader) {
  struct Case {
    const char* hex;
    const char* why;
  };
  // Each input's first item is not what every Try* below takes, or not in strict form.
  const Case cases[] = {
      {"", "no input"},
      {"18", "truncated head"},
      {"18 05", "non-preferred head"},
      {"43 01 02", "string past the input"},
      {"62 c3 28", "invalid UTF-8"},
      {"9f ff", "indefinite array"},
      {"bf ff", "indefinite map"},
      {"ff", "break"},
      {"1c", "reserved additional information"},
      {"83 01 02", "array longer than the input"},
      {"f8 10", "two-byte simple value below 32"},
  };
  for (const Case& c : cases) {
    const Bytes in = H(c.hex);
    Reader r(in, DecodeOptions::Strict());
    uint64_t u = 0;
    bool negative = false, b = false;
    ByteView bytes;
    std::string_view text;
    size_t n = 0;
    EXPECT_FALSE(r.TryReadUint(&u)) << c.why;
    EXPECT_FALSE(r.TryReadInteger(&negative, &u)) << c.why;
    EXPECT_FALSE(r.TryReadBytes(&bytes)) << c.why;
    EXPECT_FALSE(r.TryReadText(&text)) << c.why;
    EXPECT_FALSE(r.TryReadArrayHeader(&n)) << c.why;
    EXPECT_FALSE(r.TryReadMapHeader(&n)) << c.why;
    EXPECT_FALSE(r.TryReadBool(&b)) << c.why;
    EXPECT_FALSE(r.TryReadRawItem(&bytes)) << c.why;
    EXPECT_EQ(r.offset(), 0u) << c.why;
    EXPECT_EQ(r.depth(), 0u) << c.why;
    EXPECT_FALSE(r.failed()) << c.why;
    // The general path then reports the input's own error.
    EXPECT_FALSE(r.SkipItem().ok()) << c.why;
  }
  // A type mismatch declines too, and the item is still there to read.
  const Bytes in = H("82 01 41 aa");
  Reader r(in, DecodeOptions::Strict());
  ByteView bytes;
  size_t n = 0;
  EXPECT_FALSE(r.TryReadMapHeader(&n));
  EXPECT_FALSE(r.TryReadRawItem(&bytes));  // an array is read whole by ReadRawItem
  ASSERT_TRUE(r.TryReadArrayHeader(&n));
  EXPECT_EQ(n, 2u);
  EXPECT_FALSE(r.TryReadBytes(&bytes));
  ASSERT_TRUE(r.TryReadRawItem(&bytes));
  EXPECT_EQ(ToBytes(bytes), H("01"));
  ASSERT_TRUE(r.TryReadBytes(&bytes));
  EXPECT_EQ(ToBytes(bytes), H("aa"));
  TEEPNET_EXPECT_OK(r.ExpectEnd());
}

TEST(ReaderTest, TryReadsRespectTheLimits) {
  DecodeOptions o = DecodeOptions::Strict();
  o.limits.max_depth = 1;
  o.limits.max_string_length = 1;
  o.limits.max_total_items = 3;
  const Bytes in = H("81 81 00");
  Reader deep(in, o);
  size_t n = 0;
  ASSERT_TRUE(deep.TryReadArrayHeader(&n));
  EXPECT_FALSE(deep.TryReadArrayHeader(&n));  // a second level exceeds max_depth
  EXPECT_TRUE(FailsWith(deep.ReadArrayHeader(&n), Errc::kNestingTooDeep));
  const Bytes long_string = H("42 00 00");
  Reader strings(long_string, o);
  ByteView bytes;
  EXPECT_FALSE(strings.TryReadBytes(&bytes));
  EXPECT_TRUE(FailsWith(strings.ReadBytes(&bytes), Errc::kStringTooLong));
  const Bytes four = H("83 00 00 00");
  Reader count(four, o);
  uint64_t u = 0;
  ASSERT_TRUE(count.TryReadArrayHeader(&n));
  ASSERT_TRUE(count.TryReadUint(&u));
  ASSERT_TRUE(count.TryReadUint(&u));
  EXPECT_FALSE(count.TryReadUint(&u));  // the fourth item
  EXPECT_TRUE(FailsWith(count.ReadUint(&u), Errc::kTooManyTotalItems));
}

}  // namespace
}  // namespace teepnet::cbor
