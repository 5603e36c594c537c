// Images built from a directory (runtime/oci_build.h) with the real umoci: reproducible manifest
// digests, the TA's ownership and entrypoint, refusals of trees that cannot become an image, and
// the oci-archive recogniser the container backend uses on package payloads. Skips, saying so,
// where umoci is not installed.
#include "teepnet/runtime/oci_build.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

class OciBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FindTool("umoci")) GTEST_SKIP() << "umoci is not installed (scripts/deps.sh)";
    ASSERT_FALSE(dir_.path().empty());
    src_ = dir_.path() + "/src";
    fs::create_directories(src_ + "/bin");
    fs::create_directories(src_ + "/etc");
    fs::copy_file(TEEPNET_TEST_TA, src_ + "/bin/ta");
    fs::permissions(src_ + "/bin/ta", fs::perms::owner_all);
    WriteText(src_ + "/etc/greeting", "hello\n");
    fs::create_symlink("bin/ta", src_ + "/ta");
    spec_.source_dir = src_;
    spec_.entrypoint = "/bin/ta";
  }

  // Builds into <dir>/<name> and returns its manifest digest (hex), or "" after a failure.
  std::string Build(const std::string& name) {
    const std::string layout = dir_.path() + "/" + name;
    Status built = BuildOciImageFromDir(spec_, layout, dir_.path() + "/work");
    EXPECT_TRUE(built.ok()) << built.error().ToString();
    if (!built.ok()) return "";
    auto image = ResolveOciImage(layout, spec_.ref);
    EXPECT_TRUE(image.ok());
    return image.ok() ? ToHex(image->manifest_digest) : "";
  }

  nlohmann::json Blob(const std::string& layout, const std::string& digest) {
    auto bytes = ReadFile(layout + "/blobs/sha256/" + digest.substr(7));
    if (!bytes.ok()) return nullptr;
    return nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
  }

  TempDir dir_;
  std::string src_;
  OciBuildSpec spec_;
};

TEST_F(OciBuildTest, TheSameDirectoryGivesTheSameManifestDigestAndArchiveBytes) {
  const std::string first = Build("a");
  // Later mtimes on the source do not leak into the image.
  WriteText(src_ + "/etc/greeting", "hello\n");
  const std::string second = Build("b");
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  TEEPNET_ASSERT_OK(PackOciArchive(dir_.path() + "/a", dir_.path() + "/a.tar"));
  TEEPNET_ASSERT_OK(PackOciArchive(dir_.path() + "/b", dir_.path() + "/b.tar"));
  EXPECT_EQ(*ReadFile(dir_.path() + "/a.tar"), *ReadFile(dir_.path() + "/b.tar"));
}

TEST_F(OciBuildTest, ChangingOneFileChangesTheManifestDigest) {
  const std::string before = Build("a");
  WriteText(src_ + "/etc/greeting", "hellO\n");
  const std::string after = Build("b");
  ASSERT_FALSE(before.empty());
  ASSERT_FALSE(after.empty());
  EXPECT_NE(before, after);
}

TEST_F(OciBuildTest, OwnsEveryFileByTheTaUidAndRunsTheEntrypointAsIt) {
  spec_.uid = 1234;
  spec_.gid = 2345;
  ASSERT_FALSE(Build("a").empty());
  const std::string layout = dir_.path() + "/a";
  auto image = ResolveOciImage(layout, "ta");
  TEEPNET_ASSERT_OK(image);
  const nlohmann::json manifest = Blob(layout, "sha256:" + ToHex(image->manifest_digest));
  ASSERT_TRUE(manifest.is_object());
  const nlohmann::json config = Blob(layout, manifest["config"]["digest"].get<std::string>());
  ASSERT_TRUE(config.is_object());
  EXPECT_EQ(config["config"]["Entrypoint"], nlohmann::json::array({"/bin/ta"}));
  EXPECT_EQ(config["config"]["User"], "1234:2345");
  EXPECT_EQ(config["created"], "1970-01-01T00:00:00Z");
  ASSERT_EQ(manifest["layers"].size(), 1u);
  const std::string layer = manifest["layers"][0]["digest"].get<std::string>();
  auto listing = RunToolOk({*FindTool("tar"), "--list", "--verbose", "--numeric-owner", "--gzip",
                            "--file", layout + "/blobs/sha256/" + layer.substr(7)},
                           30'000);
  TEEPNET_ASSERT_OK(listing);
  EXPECT_NE(listing->find("-rwxr-xr-x 1234/2345"), std::string::npos) << *listing;
  EXPECT_NE(listing->find("-rw-r--r-- 1234/2345"), std::string::npos) << *listing;
  EXPECT_NE(listing->find("ta -> bin/ta"), std::string::npos) << *listing;
  // Only the root directory itself stays root's.
  size_t root_owned = 0;
  for (size_t at = listing->find(" 0/0 "); at != std::string::npos;
       at = listing->find(" 0/0 ", at + 1)) {
    ++root_owned;
  }
  EXPECT_EQ(root_owned, 1u) << *listing;
}

TEST_F(OciBuildTest, RefusesTreesThatCannotBecomeAnImage) {
  const std::string layout = dir_.path() + "/bad";
  const std::string work = dir_.path() + "/work";
  for (const char* entry : {"bin/ta", "/bin/../bin/ta", "/bin/missing", "/etc/greeting"}) {
    spec_.entrypoint = entry;
    Status s = BuildOciImageFromDir(spec_, layout, work);
    EXPECT_FALSE(s.ok()) << entry;
    EXPECT_FALSE(fs::exists(layout)) << entry;
  }
  spec_.entrypoint = "/bin/ta";
  ASSERT_EQ(::mkfifo((src_ + "/etc/pipe").c_str(), 0600), 0);
  Status s = BuildOciImageFromDir(spec_, layout, work);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("pipe"), std::string::npos) << s.error().message();
  EXPECT_FALSE(fs::exists(layout));
  EXPECT_FALSE(fs::exists(work));
}

TEST_F(OciBuildTest, RecognisesAnOciArchiveAndNothingElse) {
  ASSERT_FALSE(Build("a").empty());
  TEEPNET_ASSERT_OK(PackOciArchive(dir_.path() + "/a", dir_.path() + "/a.tar"));
  auto archive = ReadFile(dir_.path() + "/a.tar");
  TEEPNET_ASSERT_OK(archive);
  EXPECT_TRUE(IsOciArchive(*archive));
  auto ta = ReadFile(TEEPNET_TEST_TA);
  TEEPNET_ASSERT_OK(ta);
  EXPECT_FALSE(IsOciArchive(*ta));
  EXPECT_FALSE(IsOciArchive({}));
  // A tar of something else.
  TEEPNET_ASSERT_OK(RunToolChecked(
      {*FindTool("tar"), "--create", "--file", dir_.path() + "/src.tar", "--directory", src_, "."},
      30'000));
  auto other = ReadFile(dir_.path() + "/src.tar");
  TEEPNET_ASSERT_OK(other);
  EXPECT_FALSE(IsOciArchive(*other));
  // Cut inside the blobs that precede oci-layout in name order.
  Bytes cut(archive->begin(), archive->begin() + 1536);
  EXPECT_FALSE(IsOciArchive(cut));
}

}  // namespace
}  // namespace teepnet::runtime
