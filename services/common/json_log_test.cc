#include "services/common/json_log.h"

#include <gtest/gtest.h>

namespace teepnet::common {
namespace {

TEST(JsonLogTest, LineIsOneJsonObjectWithTheStandardFields) {
  JsonLog log("teepnet-test");
  std::string line = log.Format("info", "listening", {{"address", "127.0.0.1:1"}, {"n", 3}});
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // exactly one line
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["prog"], "teepnet-test");
  EXPECT_EQ(parsed["event"], "listening");
  EXPECT_EQ(parsed["address"], "127.0.0.1:1");
  EXPECT_EQ(parsed["n"], 3);
  EXPECT_TRUE(parsed["ts"].is_string());
}

TEST(JsonLogTest, InvalidUtf8AndNewlinesStayOnOneValidLine) {
  JsonLog log("p");
  std::string line = log.Format("warn", "peer", {{"text", std::string("a\nb\xff", 4)}});
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(JsonLogTest, AFieldNamedLikeAStandardMemberReplacesIt) {
  JsonLog log("p");
  std::string line = log.Format("info", "tam", {{"event", "overridden"}, {"peer", "x"}});
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["event"], "overridden");
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["peer"], "x");
  EXPECT_EQ(parsed.size(), 5u);  // ts, level, prog, event, peer
}

TEST(JsonLogTest, FieldsThatAreNotAnObjectAreLeftOut) {
  JsonLog log("p");
  auto parsed = nlohmann::json::parse(log.Format("info", "e", nlohmann::json::array({1, 2})));
  EXPECT_EQ(parsed.size(), 4u);
  EXPECT_EQ(parsed["event"], "e");
}

// The line without its timestamp's value (two lines formatted a moment apart may differ there).
std::string WithoutTimestamp(std::string line) {
  constexpr std::string_view kTs = "\"ts\":\"";
  const size_t at = line.find(kTs);
  if (at == std::string::npos) return line;
  const size_t end = line.find('"', at + kTs.size());
  line.erase(at + kTs.size(), end - (at + kTs.size()));
  return line;
}

TEST(JsonLogTest, LogFieldsPrintTheSameBytesAsTheJsonObjectOfTheirFields) {
  JsonLog log("teepnet-moc");
  LogFields fields;
  fields.Add("peer", "127.0.0.1:53412")
      .Add("outcome", "update-sent")
      .Add("bytes_in", uint64_t{412})
      .Add("device_id", "00ff")
      .Add("reason", "teep.kBadSignature: \"quoted\" \\ path");
  nlohmann::json object = {{"peer", "127.0.0.1:53412"},
                           {"outcome", "update-sent"},
                           {"bytes_in", 412},
                           {"device_id", "00ff"},
                           {"reason", "teep.kBadSignature: \"quoted\" \\ path"}};
  std::string fast = log.Format("info", "tam", fields);
  EXPECT_EQ(WithoutTimestamp(fast), WithoutTimestamp(log.Format("info", "tam", object)));
  EXPECT_NE(WithoutTimestamp(fast), fast);  // the timestamp was there to take out
  EXPECT_EQ(fast.find('\n'), fast.size() - 1);
}

TEST(JsonLogTest, LogFieldsEscapeEveryAsciiByteAsTheJsonObjectDoes) {
  JsonLog log("p");
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  LogFields fields;
  fields.Add("text", all).Add(all, "key with every byte");
  nlohmann::json object = {{"text", all}, {all, "key with every byte"}};
  EXPECT_EQ(WithoutTimestamp(log.Format("warn", "e", fields)),
            WithoutTimestamp(log.Format("warn", "e", object)));
}

TEST(JsonLogTest, LogFieldsReplaceInvalidUtf8AsTheJsonObjectDoes) {
  JsonLog log("p");
  const std::string cases[] = {std::string("a\nb\xff", 4), "caf\xc3\xa9", "\xe2\x82",
                               std::string("\xc0\x80z\x00", 4), "\xf0\x9f\x98\x80 ok"};
  for (const std::string& text : cases) {
    LogFields fields;
    fields.Add("text", text);
    std::string line = log.Format("warn", "peer", fields);
    EXPECT_EQ(WithoutTimestamp(line),
              WithoutTimestamp(log.Format("warn", "peer", nlohmann::json{{"text", text}})));
    EXPECT_TRUE(nlohmann::json::accept(line));
  }
}

TEST(JsonLogTest, LogFieldsKeepTheLastValueOfAKeyAndMayReplaceStandardMembers) {
  JsonLog log("p");
  LogFields fields;
  fields.Add("n", int64_t{-9223372036854775807 - 1})
      .Add("event", "overridden")
      .Add("n", uint64_t{18446744073709551615u})
      .Add("a", int64_t{-1});
  std::string line = log.Format("info", "tam", fields);
  EXPECT_EQ(WithoutTimestamp(line),
            WithoutTimestamp(log.Format(
                "info", "tam",
                {{"event", "overridden"}, {"n", uint64_t{18446744073709551615u}}, {"a", -1}})));
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["event"], "overridden");
  EXPECT_EQ(parsed.size(), 6u);  // ts, level, prog, event, n, a
}

}  // namespace
}  // namespace teepnet::common
