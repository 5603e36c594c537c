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

}  // namespace
}  // namespace teepnet::common
