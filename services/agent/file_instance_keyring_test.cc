#include "services/agent/file_instance_keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::agentd {
namespace {

using ::teepnet::testing::FailsWith;

class FileInstanceKeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ =
        (std::filesystem::temp_directory_path() / "teepnet-instances-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    root_ = dir_ + "/instances";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<FileInstanceKeyring> OpenKeyring() {
    auto keyring = FileInstanceKeyring::Open(root_);
    EXPECT_TRUE(keyring.ok()) << keyring.error().ToString();
    return keyring.ok() ? std::move(keyring).value() : nullptr;
  }

  const suit::ComponentId ta_ = suit::MakeComponentId({"TEEP-Device", "SecureFS", "ta"});
  std::string dir_;
  std::string root_;
};

TEST_F(FileInstanceKeyringTest, EnsureCreatesAnIdentityNamedAfterTheComponent) {
  auto keyring = OpenKeyring();
  ASSERT_NE(keyring, nullptr);
  auto identity = keyring->Ensure(ta_, AsBytes("TA v1"));
  TEEPNET_ASSERT_OK(identity);
  EXPECT_EQ((*identity)->name, evidence::InstanceNameOf(ta_));
  EXPECT_EQ((*identity)->name.rfind("tc-", 0), 0u);
  EXPECT_EQ((*identity)->measurement, crypto::Sha256(AsBytes("TA v1")));
  EXPECT_EQ((*identity)->hpke.type(), crypto::KeyType::kX25519);
  EXPECT_EQ((*identity)->proof.type(), crypto::KeyType::kEd25519);
  EXPECT_EQ(keyring->Find((*identity)->name), *identity);
  EXPECT_EQ(keyring->Find("tc-00"), nullptr);
}

TEST_F(FileInstanceKeyringTest, TheSameImageKeepsItsKeys) {
  auto keyring = OpenKeyring();
  ASSERT_NE(keyring, nullptr);
  auto first = keyring->Ensure(ta_, AsBytes("TA v1"));
  TEEPNET_ASSERT_OK(first);
  crypto::PublicKey hpke = (*first)->hpke.public_key();
  auto again = keyring->Ensure(ta_, AsBytes("TA v1"));
  TEEPNET_ASSERT_OK(again);
  EXPECT_TRUE((*again)->hpke.public_key().Equals(hpke));
  EXPECT_EQ(keyring->size(), 1u);
}

TEST_F(FileInstanceKeyringTest, ANewVersionOfTheTaGetsNewKeys) {
  auto keyring = OpenKeyring();
  ASSERT_NE(keyring, nullptr);
  auto first = keyring->Ensure(ta_, AsBytes("TA v1"));
  TEEPNET_ASSERT_OK(first);
  crypto::PublicKey hpke = (*first)->hpke.public_key();
  crypto::PublicKey proof = (*first)->proof.public_key();
  auto second = keyring->Ensure(ta_, AsBytes("TA v2"));
  TEEPNET_ASSERT_OK(second);
  EXPECT_FALSE((*second)->hpke.public_key().Equals(hpke));
  EXPECT_FALSE((*second)->proof.public_key().Equals(proof));
  EXPECT_EQ((*second)->measurement, crypto::Sha256(AsBytes("TA v2")));
  EXPECT_EQ(keyring->size(), 1u);
}

TEST_F(FileInstanceKeyringTest, IdentitiesSurviveARestartWithMode0600Files) {
  std::string name;
  std::optional<crypto::PublicKey> hpke, proof;
  {
    auto keyring = OpenKeyring();
    ASSERT_NE(keyring, nullptr);
    auto identity = keyring->Ensure(ta_, AsBytes("TA v1"));
    TEEPNET_ASSERT_OK(identity);
    name = (*identity)->name;
    hpke = (*identity)->hpke.public_key();
    proof = (*identity)->proof.public_key();
    struct stat st {};
    ASSERT_EQ(::stat(keyring->PathFor(name).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(root_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
  }
  auto reopened = OpenKeyring();
  ASSERT_NE(reopened, nullptr);
  const evidence::InstanceIdentity* identity = reopened->Find(name);
  ASSERT_NE(identity, nullptr);
  EXPECT_TRUE(identity->hpke.public_key().Equals(*hpke));
  EXPECT_TRUE(identity->proof.public_key().Equals(*proof));
  EXPECT_EQ(identity->measurement, crypto::Sha256(AsBytes("TA v1")));
}

TEST_F(FileInstanceKeyringTest, RefusesAnInstanceFileReadableByOthers) {
  std::string path;
  {
    auto keyring = OpenKeyring();
    ASSERT_NE(keyring, nullptr);
    auto identity = keyring->Ensure(ta_, AsBytes("TA v1"));
    TEEPNET_ASSERT_OK(identity);
    path = keyring->PathFor((*identity)->name);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_TRUE(FailsWith(FileInstanceKeyring::Open(root_), common::Errc::kBadConfig));
}

TEST_F(FileInstanceKeyringTest, RefusesAFileThatHoldsAnotherInstance) {
  const suit::ComponentId other = suit::MakeComponentId({"TEEP-Device", "SecureFS", "other"});
  {
    auto keyring = OpenKeyring();
    ASSERT_NE(keyring, nullptr);
    auto a = keyring->Ensure(ta_, AsBytes("TA v1"));
    TEEPNET_ASSERT_OK(a);
    std::filesystem::copy_file(keyring->PathFor((*a)->name),
                               keyring->PathFor(evidence::InstanceNameOf(other)));
    ASSERT_EQ(::chmod(keyring->PathFor(evidence::InstanceNameOf(other)).c_str(), 0600), 0);
  }
  EXPECT_TRUE(FailsWith(FileInstanceKeyring::Open(root_), common::Errc::kBadConfig));
}

TEST_F(FileInstanceKeyringTest, RefusesACorruptInstanceFile) {
  {
    auto keyring = OpenKeyring();
    ASSERT_NE(keyring, nullptr);
    auto identity = keyring->Ensure(ta_, AsBytes("TA v1"));
    TEEPNET_ASSERT_OK(identity);
    auto bytes = ReadFile(keyring->PathFor((*identity)->name));
    TEEPNET_ASSERT_OK(bytes);
    bytes->push_back(0x00);  // trailing byte
    TEEPNET_ASSERT_OK(WriteFileAtomic(keyring->PathFor((*identity)->name), *bytes, 0600));
  }
  EXPECT_TRUE(FailsWith(FileInstanceKeyring::Open(root_), common::Errc::kBadConfig));
}

TEST_F(FileInstanceKeyringTest, RemovesTemporaryFilesACrashLeftBehind) {
  ASSERT_NE(OpenKeyring(), nullptr);
  const std::string leftover = root_ + "/abc.instance.tmp.12345";
  TEEPNET_ASSERT_OK(WriteFileAtomic(leftover, AsBytes("secret"), 0600));
  auto keyring = OpenKeyring();
  ASSERT_NE(keyring, nullptr);
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_EQ(keyring->size(), 0u);
}

}  // namespace
}  // namespace teepnet::agentd
