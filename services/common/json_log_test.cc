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

}  // namespace
}  // namespace teepnet::common
