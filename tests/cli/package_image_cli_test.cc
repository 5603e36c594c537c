// `teepnet package image` end to end: the help names every flag, the same directory packs to the
// same oci-archive bytes, the archive is one the container backend recognises, and --envelope
// wraps it in the signed SUIT envelope `teepnet package` builds, which the SUIT processor installs
// as the component byte for byte. Skips (saying so) where umoci is not installed.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "services/cli/package_builder.h"
#include "teepnet/base/file.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_build.h"
#include "teepnet/runtime/tool.h"
#include "teepnet/suit/processor.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cli {
namespace {

namespace fs = std::filesystem;

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

class PackageImageCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    src_ = dir_.path() + "/src";
    fs::create_directories(src_ + "/bin");
    fs::copy_file(TEEPNET_TEST_TA, src_ + "/bin/ta");
    fs::permissions(src_ + "/bin/ta", fs::perms::owner_all);
    std::ofstream(src_ + "/config.txt") << "mode=demo\n";
  }
  std::string Image(const std::string& out) {
    return "package image --from " + src_ + " --entrypoint /bin/ta -o " + dir_.path() + "/" + out;
  }
  runtime::testing::TempDir dir_;
  std::string src_;
};

TEST_F(PackageImageCliTest, HelpDocumentsEveryFlag) {
  const CliRun help = Teepnet("package image --help");
  ASSERT_EQ(help.status, 0) << help.output;
  for (const char* flag : {"--from", "--entrypoint", "--ref", "--uid", "--gid", "--out", "--key",
                           "--name", "--sequence", "--envelope"}) {
    EXPECT_NE(help.output.find(flag), std::string::npos) << flag << " in\n" << help.output;
  }
  // `teepnet package --help` points at it.
  EXPECT_NE(Teepnet("package --help").output.find("package image"), std::string::npos);
}

TEST_F(PackageImageCliTest, PacksTheSameDirectoryToTheSameArchiveBytes) {
  if (!runtime::FindTool("umoci")) GTEST_SKIP() << "umoci is not installed (scripts/deps.sh)";
  const CliRun first = Teepnet(Image("a.tar"));
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("manifest sha256:"), std::string::npos) << first.output;
  const CliRun second = Teepnet(Image("b.tar"));
  ASSERT_EQ(second.status, 0) << second.output;
  auto a = ReadFile(dir_.path() + "/a.tar");
  auto b = ReadFile(dir_.path() + "/b.tar");
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(*a, *b);
  EXPECT_TRUE(runtime::IsOciArchive(*a));
  // Same digest printed (the line names the output file first).
  EXPECT_EQ(first.output.substr(first.output.find("manifest")),
            second.output.substr(second.output.find("manifest")));
}

TEST_F(PackageImageCliTest, WrapsTheArchiveInTheSignedEnvelopeTheAgentInstalls) {
  if (!runtime::FindTool("umoci")) GTEST_SKIP() << "umoci is not installed (scripts/deps.sh)";
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  const std::string pem = dir_.path() + "/signer.pem";
  TEEPNET_ASSERT_OK(WriteFileAtomic(pem, AsBytes(key->ToPem()), 0600));
  const CliRun run = Teepnet(Image("ta.tar") + " --key " + pem +
                             " --name box.ta --sequence 4 --envelope " + dir_.path() + "/ta.suit");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("instance "), std::string::npos) << run.output;
  auto archive = ReadFile(dir_.path() + "/ta.tar");
  auto envelope = ReadFile(dir_.path() + "/ta.suit");
  TEEPNET_ASSERT_OK(archive);
  TEEPNET_ASSERT_OK(envelope);

  suit::TrustAnchors anchors;
  anchors.signing_keys.push_back(key->public_key());
  suit::PayloadKeys keys;
  suit::DeviceIdentity device;
  suit::InMemoryComponentStore store;
  suit::Processor processor({&anchors, &keys, &device, &store, nullptr, nullptr});
  TEEPNET_EXPECT_OK(suit::ReportStatus(processor.Install(*envelope)));
  const auto component = store.ReadComponent(PackageComponent("box.ta"));
  ASSERT_TRUE(component.has_value());
  EXPECT_EQ(*component, *archive);
}

TEST_F(PackageImageCliTest, RefusesMissingOrInconsistentFlagsAndABadEntrypoint) {
  EXPECT_EQ(Teepnet("package image --from " + src_ + " -o " + dir_.path() + "/x.tar").status, 2);
  EXPECT_EQ(Teepnet(Image("x.tar") + " --envelope " + dir_.path() + "/x.suit").status, 2);
  EXPECT_EQ(Teepnet(Image("x.tar") + " extra").status, 2);
  const CliRun missing = Teepnet("package image --from " + src_ + " --entrypoint /bin/nothing -o " +
                                 dir_.path() + "/x.tar");
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(missing.output.find("/bin/nothing"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(dir_.path() + "/x.tar"));
}

}  // namespace
}  // namespace teepnet::cli
