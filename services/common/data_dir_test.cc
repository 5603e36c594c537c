#include "services/common/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::common {
namespace {

using ::teepnet::testing::FailsWith;

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "teepnet-dd-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  unsigned ModeOf(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 0777;
  }
  std::string dir_;
};

TEST_F(DataDirTest, NestedDirectoryIsCreatedPrivate) {
  const std::string path = dir_ + "/a/b/agent";
  TEEPNET_ASSERT_OK(EnsureDirectory(path, 0700));
  EXPECT_EQ(ModeOf(path), 0700u);
  TEEPNET_EXPECT_OK(EnsureDirectory(path, 0700));  // idempotent
}

TEST_F(DataDirTest, KeyIsCreatedOnceThenReloaded) {
  const std::string path = dir_ + "/tam-key.pem";
  auto first = LoadOrCreateKey(path, crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(first);
  EXPECT_EQ(ModeOf(path), 0600u);
  auto again = LoadOrCreateKey(path, crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(again);
  EXPECT_TRUE(first->public_key().Equals(again->public_key()));
}

TEST_F(DataDirTest, WorldReadableKeyFailsWithBadConfig) {
  const std::string path = dir_ + "/k.pem";
  TEEPNET_ASSERT_OK(LoadOrCreateKey(path, crypto::KeyType::kEd25519));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_TRUE(FailsWith(LoadOrCreateKey(path, crypto::KeyType::kEd25519), Errc::kBadConfig));
}

TEST_F(DataDirTest, GarbageKeyFileFailsWithBadConfig) {
  const std::string path = dir_ + "/k.pem";
  TEEPNET_ASSERT_OK(WriteFileAtomic(path, AsBytes("not a key"), 0600));
  EXPECT_TRUE(FailsWith(LoadOrCreateKey(path, crypto::KeyType::kP256), Errc::kBadConfig));
}

TEST_F(DataDirTest, TokenIsCreatedOnceThenReloaded) {
  const std::string path = dir_ + "/admin-token";
  auto first = LoadOrCreateToken(path);
  TEEPNET_ASSERT_OK(first);
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(ModeOf(path), 0600u);
  auto again = LoadOrCreateToken(path);
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(*first, *again);
  auto read = ReadToken(path);
  TEEPNET_ASSERT_OK(read);
  EXPECT_EQ(*read, *first);
}

TEST_F(DataDirTest, MissingTokenFailsWithBadConfig) {
  EXPECT_TRUE(FailsWith(ReadToken(dir_ + "/absent"), Errc::kBadConfig));
}

}  // namespace
}  // namespace teepnet::common
