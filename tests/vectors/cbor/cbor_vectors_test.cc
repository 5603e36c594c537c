// Suites over shared/vectors/cbor: every RFC 8949 Appendix A example (appendix_a.json, 82
// entries) and every not-well-formed input of fail.json (568 entries).
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "teepnet/base/bytes.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/edn.h"
#include "teepnet/cbor/value.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::cbor {
namespace {

using nlohmann::json;
using teepnet::testing::FailsWith;
using teepnet::testing::HexOrDie;

const json& AppendixA() {
  static const json* vectors = new json(teepnet::testing::ReadVectorJson("cbor/appendix_a.json"));
  return *vectors;
}

const json& FailSet() {
  static const json* vectors = new json(teepnet::testing::ReadVectorJson("cbor/fail.json"));
  return *vectors;
}

// The raw text of appendix_a.json: JSON numbers beyond 64 bits lose precision in a double, so
// integer literals are compared as decimal text.
const std::string& AppendixAText() {
  static const std::string* text =
      new std::string(AsChars(teepnet::testing::ReadVectorFile("cbor/appendix_a.json")));
  return *text;
}

// The literal after "decoded": in the entry whose hex is `hex` (empty when absent).
std::string DecodedLiteral(const std::string& hex) {
  const std::string& text = AppendixAText();
  const size_t at = text.find("\"hex\": \"" + hex + "\"");
  if (at == std::string::npos) return "";
  const size_t decoded = text.find("\"decoded\": ", at);
  const size_t next_entry = text.find('}', at);
  if (decoded == std::string::npos || decoded > next_entry) return "";
  const size_t start = decoded + 11;
  const size_t end = text.find_first_of(",\n}", start);
  return text.substr(start, end - start);
}

// Magnitude bytes (big-endian) to decimal.
std::string BigToDecimal(Bytes magnitude) {
  std::string digits;
  for (;;) {
    bool all_zero = true;
    unsigned remainder = 0;
    for (uint8_t& b : magnitude) {
      const unsigned cur = remainder * 256 + b;
      b = static_cast<uint8_t>(cur / 10);
      remainder = cur % 10;
      if (b != 0) all_zero = false;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + remainder));
    if (all_zero) break;
  }
  return digits;
}

// Adds one to a decimal string (for bignum tag 3: -1 - n).
std::string PlusOne(std::string digits) {
  for (size_t i = digits.size(); i > 0; --i) {
    if (digits[i - 1] != '9') {
      ++digits[i - 1];
      return digits;
    }
    digits[i - 1] = '0';
  }
  return "1" + digits;
}

// A CBOR integer or bignum as decimal text, or "" when `v` is neither.
std::string IntegerAsDecimal(const Value& v) {
  if (v.is_unsigned()) return std::to_string(v.argument());
  if (v.is_negative()) return "-" + PlusOne(std::to_string(v.argument()));
  // RFC 8949 §3.4.3: tag 2 is an unsigned bignum, tag 3 the negative bignum -1 - n.
  if (v.is_tag() && (v.tag() == 2 || v.tag() == 3) && v.tagged().is_bytes()) {
    const std::string n = BigToDecimal(v.tagged().bytes());
    return v.tag() == 2 ? n : "-" + PlusOne(n);
  }
  return "";
}

::testing::AssertionResult Matches(const Value& v, const json& j) {
  using ::testing::AssertionFailure;
  using ::testing::AssertionSuccess;
  switch (j.type()) {
    case json::value_t::null:
      return v.is_null() ? AssertionSuccess() : AssertionFailure() << "expected null";
    case json::value_t::boolean:
      if (v.is_bool() && v.bool_value() == j.get<bool>()) return AssertionSuccess();
      return AssertionFailure() << "expected " << j.dump();
    case json::value_t::number_unsigned:
    case json::value_t::number_integer:
      if (IntegerAsDecimal(v) == j.dump()) return AssertionSuccess();
      return AssertionFailure() << "expected integer " << j.dump() << ", got "
                                << IntegerAsDecimal(v);
    case json::value_t::number_float: {
      if (!v.is_float()) return AssertionFailure() << "expected float " << j.dump();
      const double want = j.get<double>();
      if (v.float_value() == want && std::signbit(v.float_value()) == std::signbit(want)) {
        return AssertionSuccess();
      }
      return AssertionFailure() << "expected " << want << ", got " << v.float_value();
    }
    case json::value_t::string:
      if (v.is_text() && v.text() == j.get<std::string>()) return AssertionSuccess();
      return AssertionFailure() << "expected text " << j.dump();
    case json::value_t::array: {
      if (!v.is_array() || v.array().size() != j.size()) {
        return AssertionFailure() << "expected array of " << j.size();
      }
      for (size_t i = 0; i < j.size(); ++i) {
        auto r = Matches(v.array()[i], j[i]);
        if (!r) return r << " at [" << i << "]";
      }
      return AssertionSuccess();
    }
    case json::value_t::object: {
      if (!v.is_map() || v.map().size() != j.size()) {
        return AssertionFailure() << "expected map of " << j.size();
      }
      for (const auto& [key, value] : j.items()) {
        const Value* found = v.Find(std::string_view(key));
        if (found == nullptr) return AssertionFailure() << "missing key " << key;
        auto r = Matches(*found, value);
        if (!r) return r << " at key " << key;
      }
      return AssertionSuccess();
    }
    default: return AssertionFailure() << "unsupported JSON in vector";
  }
}

// RFC 7049 Appendix A lists f8 18 as simple(24), and appendix_a.json (taken from that era)
// keeps it. RFC 8949 §3.3 made it not well-formed ("an encoder MUST NOT issue two-byte
// sequences that start with 0xf8 and continue with a byte less than 0x20 ... Such sequences
// are not well-formed"), and fail.json lists the same bytes as must-reject. The two sets
// cannot both hold; we follow RFC 8949, so this one entry is asserted to be rejected.
constexpr const char* kRetiredSimple24 = "f818";

class AppendixATest : public ::testing::TestWithParam<size_t> {
 protected:
  // True (and the rejection verified) for the one entry RFC 8949 retired.
  bool IsRetiredEntry() const {
    if (entry()["hex"].get<std::string>() != kRetiredSimple24) return false;
    EXPECT_TRUE(FailsWith(Decode(HexOrDie(kRetiredSimple24)), Errc::kBadSimpleValue));
    return true;
  }
  const json& entry() const { return AppendixA()[GetParam()]; }
  Bytes input() const {
    const Bytes from_hex = HexOrDie(entry()["hex"].get<std::string>());
    // The two encodings in each entry must agree, or the vector itself is broken.
    EXPECT_EQ(from_hex, teepnet::testing::Base64OrDie(entry()["cbor"].get<std::string>()));
    return from_hex;
  }
};

TEST_P(AppendixATest, DecodesToTheExpectedValue) {
  if (IsRetiredEntry()) return;
  const Bytes in = input();
  Result<Value> v = Decode(in);
  TEEPNET_ASSERT_OK(v);
  if (!entry().contains("decoded")) return;  // checked through EDN below
  const json& decoded = entry()["decoded"];
  if (decoded.is_number_float() && !IntegerAsDecimal(*v).empty()) {
    // An integer beyond 64 bits (a bignum): compare the exact decimal literal.
    EXPECT_EQ(IntegerAsDecimal(*v), DecodedLiteral(entry()["hex"].get<std::string>()));
    return;
  }
  EXPECT_TRUE(Matches(*v, decoded));
}

TEST_P(AppendixATest, RoundtripEntriesReencodeByteIdentically) {
  if (IsRetiredEntry()) return;
  const Bytes in = input();
  Result<Value> v = Decode(in);
  TEEPNET_ASSERT_OK(v);
  if (entry()["roundtrip"].get<bool>()) {
    EXPECT_EQ(ToHex(Encode(*v)), ToHex(in));
  } else {
    // Not preferred serialization: our encoder must produce different bytes that decode to
    // the same data item, and (with maps sorted) pass the deterministic decoder.
    EXPECT_NE(ToHex(Encode(*v)), ToHex(in));
    Value sorted = *v;
    sorted.SortMapsDeterministically();
    Result<Value> reread = Decode(Encode(sorted), DecodeOptions::Deterministic());
    TEEPNET_ASSERT_OK(reread);
    EXPECT_TRUE(*reread == sorted);
  }
}

TEST_P(AppendixATest, DiagnosticEntriesPrintExactlyThatEdn) {
  if (IsRetiredEntry()) return;
  if (!entry().contains("diagnostic")) return;
  Result<std::string> edn = ToEdn(input());
  TEEPNET_ASSERT_OK(edn);
  EXPECT_EQ(*edn, entry()["diagnostic"].get<std::string>());
}

TEST_P(AppendixATest, DeterministicOptionsAcceptExactlyTheRoundtripEntries) {
  if (IsRetiredEntry()) return;
  Result<Value> v = Decode(input(), DecodeOptions::Deterministic());
  if (entry()["roundtrip"].get<bool>()) {
    TEEPNET_EXPECT_OK(v);
  } else {
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().Is(Errc::kIndefiniteNotAllowed) ||
                v.error().Is(Errc::kNonPreferredEncoding))
        << v.error().ToString();
  }
}

std::vector<size_t> Indices(size_t n) {
  std::vector<size_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

std::string EntryName(const json& set, size_t i) {
  std::string hex = set[i]["hex"].get<std::string>();
  if (hex.size() > 24) hex = hex.substr(0, 24);
  return "N" + std::to_string(i) + "_" + hex;
}

INSTANTIATE_TEST_SUITE_P(Rfc8949, AppendixATest, ::testing::ValuesIn(Indices(AppendixA().size())),
                         [](const ::testing::TestParamInfo<size_t>& param_info) {
                           return EntryName(AppendixA(), param_info.param);
                         });

TEST(AppendixASetTest, HasAll82ExamplesAnd23DiagnosticsAndSimple24IsInBothSets) {
  ASSERT_EQ(AppendixA().size(), 82u);
  size_t diagnostics = 0;
  for (const json& e : AppendixA()) diagnostics += e.contains("diagnostic") ? 1 : 0;
  EXPECT_EQ(diagnostics, 23u);
  bool in_fail_set = false;
  for (const json& e : FailSet()) in_fail_set |= e["hex"] == kRetiredSimple24;
  EXPECT_TRUE(in_fail_set);
}

class NotWellFormedTest : public ::testing::TestWithParam<size_t> {};

TEST_P(NotWellFormedTest, IsRejectedWithDefaultOptions) {
  const Bytes in = HexOrDie(FailSet()[GetParam()]["hex"].get<std::string>());
  Result<Value> v = Decode(in);
  ASSERT_FALSE(v.ok()) << "accepted " << ToHex(in);
  EXPECT_TRUE(v.error().has_offset());
  EXPECT_LE(v.error().offset(), in.size());
}

INSTANTIATE_TEST_SUITE_P(Rfc8949, NotWellFormedTest, ::testing::ValuesIn(Indices(FailSet().size())),
                         [](const ::testing::TestParamInfo<size_t>& param_info) {
                           return EntryName(FailSet(), param_info.param);
                         });

TEST(NotWellFormedSetTest, Has568Entries) {
  EXPECT_EQ(FailSet().size(), 568u);
}

}  // namespace
}  // namespace teepnet::cbor
