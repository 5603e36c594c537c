// `teepnet inspect` end to end: every RFC 8949 Appendix A vector through --hex and --edn,
// file and stdin input, and the exit status and message for malformed input.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "teepnet/base/file.h"
#include "teepnet/testing/vectors.h"

namespace {

struct CliRun {
  int status = -1;
  std::string output;  // stdout and stderr together
};

CliRun Teepnet(const std::string& args) {
  CliRun run;
  const std::string command = std::string(TEEPNET_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

TEST(InspectCliTest, EdnOfEveryAppendixAVectorMatchesItsDiagnostic) {
  const nlohmann::json vectors = teepnet::testing::ReadVectorJson("cbor/appendix_a.json");
  size_t compared = 0;
  for (const auto& v : vectors) {
    const std::string hex = v["hex"].get<std::string>();
    const CliRun edn = Teepnet("inspect --edn --hex " + hex);
    const CliRun listing = Teepnet("inspect --hex " + hex);
    if (hex == "f818") {
      // simple(24): not well-formed under RFC 8949 §3.3 (see tests/vectors/cbor).
      EXPECT_EQ(edn.status, 2);
      EXPECT_NE(edn.output.find("at byte offset 0"), std::string::npos) << edn.output;
      continue;
    }
    ASSERT_EQ(edn.status, 0) << hex << ": " << edn.output;
    ASSERT_EQ(listing.status, 0) << hex << ": " << listing.output;
    EXPECT_EQ(listing.output.rfind("0000  ", 0), 0u) << listing.output;
    if (v.contains("diagnostic")) {
      EXPECT_EQ(edn.output, v["diagnostic"].get<std::string>() + "\n") << hex;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 22u);  // 23 diagnostics less simple(24)
}

TEST(InspectCliTest, MalformedInputExitsWithStatusTwoAndTheOffset) {
  CliRun r = Teepnet("inspect --hex 83018102");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("teepnet inspect: truncated"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("at byte offset 4"), std::string::npos) << r.output;
  r = Teepnet("inspect --edn --hex 9f01ff02");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("trailing-bytes"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("at byte offset 3"), std::string::npos) << r.output;
}

TEST(InspectCliTest, EveryNotWellFormedVectorExitsWithStatusTwo) {
  const nlohmann::json vectors = teepnet::testing::ReadVectorJson("cbor/fail.json");
  for (const auto& v : vectors) {
    const CliRun r = Teepnet("inspect --hex " + v["hex"].get<std::string>());
    EXPECT_EQ(r.status, 2) << v["hex"];
    EXPECT_NE(r.output.find("at byte offset"), std::string::npos) << r.output;
  }
}

TEST(InspectCliTest, UsageErrorsExitWithStatusTwo) {
  EXPECT_EQ(Teepnet("inspect --bogus").status, 2);
  EXPECT_EQ(Teepnet("inspect --hex").status, 2);
  EXPECT_EQ(Teepnet("inspect a.cbor --hex 00").status, 2);
  EXPECT_EQ(Teepnet("").status, 2);
  EXPECT_EQ(Teepnet("no-such-command").status, 2);
}

TEST(InspectCliTest, ReadsBinaryAndHexFilesAndStandardInput) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string binary = (dir / "teepnet_inspect_test.cbor").string();
  const std::string text = (dir / "teepnet_inspect_test.hex").string();
  // 18([h'a10126', {4: h'3131'}, h'', h''])
  const teepnet::Bytes sign1 = {0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa1,
                                0x04, 0x42, 0x31, 0x31, 0x40, 0x40};
  ASSERT_TRUE(teepnet::WriteFileAtomic(binary, sign1).ok());
  ASSERT_TRUE(teepnet::WriteFileAtomic(text, teepnet::ToBytes("d2 84 43 a1 01 26\n"
                                                              "a1 04 42 31 31 40 40\n"))
                  .ok());
  const CliRun from_binary = Teepnet("inspect " + binary);
  const CliRun from_text = Teepnet("inspect " + text);
  const CliRun from_stdin = Teepnet("inspect - < " + text);
  ASSERT_EQ(from_binary.status, 0) << from_binary.output;
  EXPECT_EQ(from_text.output, from_binary.output);
  EXPECT_EQ(from_stdin.output, from_binary.output);
  EXPECT_NE(from_binary.output.find("0000  d2                  tag 18 (COSE_Sign1)"),
            std::string::npos)
      << from_binary.output;
  EXPECT_NE(from_binary.output.find("-7 (ES256)"), std::string::npos);
  EXPECT_NE(from_binary.output.find("4 (kid)"), std::string::npos);
  EXPECT_NE(from_binary.output.find("[protected] bytes(3) << bstr-wrapped CBOR >>"),
            std::string::npos);
  std::filesystem::remove(binary);
  std::filesystem::remove(text);
}

}  // namespace
