#include "services/agent/file_tc_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "teepnet/suit/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::agentd {
namespace {

class FileTcStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "teepnet-tc-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    root_ = dir_ + "/tc-store";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<FileTcStore> OpenStore() {
    auto store = FileTcStore::Open(root_);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return std::move(store).value();
  }
  static suit::ManifestRecord Record(std::string_view name, uint64_t seq) {
    return suit::ManifestRecord{suit::MakeComponentId({"m", name}), seq, Bytes{0xd8, 0x6b},
                                Bytes{0x82, 0x2f, static_cast<uint8_t>(seq)}};
  }

  std::string dir_;
  std::string root_;
};

TEST_F(FileTcStoreTest, FreshStoreIsEmpty) {
  auto store = OpenStore();
  EXPECT_TRUE(store->ListManifests().empty());
  EXPECT_FALSE(store->ReadComponent(suit::MakeComponentId({"x"})).has_value());
}

TEST_F(FileTcStoreTest, CommitWritesComponentsAndManifests) {
  auto store = OpenStore();
  suit::StoreTransaction txn;
  txn.writes[suit::MakeComponentId({"ta"})] = ToBytes(std::string_view("Hello"));
  txn.installed_manifests.push_back(Record("hello", 1));
  TEEPNET_ASSERT_OK(store->Commit(txn));
  EXPECT_EQ(store->ReadComponent(suit::MakeComponentId({"ta"})),
            ToBytes(std::string_view("Hello")));
  auto record = store->FindManifest(suit::MakeComponentId({"m", "hello"}));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->sequence_number, 1u);
  EXPECT_EQ(record->envelope, Record("hello", 1).envelope);
  // The component is a plain file in the live generation, named by its encoded id.
  EXPECT_TRUE(
      std::filesystem::is_regular_file(store->CurrentDirectory() + "/components/" +
                                       FileTcStore::FileNameFor(suit::MakeComponentId({"ta"}))));
}

TEST_F(FileTcStoreTest, StateSurvivesReopen) {
  {
    auto store = OpenStore();
    suit::StoreTransaction txn;
    txn.writes[suit::MakeComponentId({"ta"})] = Bytes{1, 2, 3};
    txn.installed_manifests.push_back(Record("a", 5));
    TEEPNET_ASSERT_OK(store->Commit(txn));
  }
  auto store = OpenStore();
  EXPECT_EQ(store->ReadComponent(suit::MakeComponentId({"ta"})), (Bytes{1, 2, 3}));
  ASSERT_EQ(store->ListManifests().size(), 1u);
  EXPECT_EQ(store->ListManifests()[0].sequence_number, 5u);
}

TEST_F(FileTcStoreTest, UpdateAndRemovalKeepUntouchedEntries) {
  auto store = OpenStore();
  suit::StoreTransaction first;
  first.writes[suit::MakeComponentId({"a"})] = Bytes{1};
  first.writes[suit::MakeComponentId({"b"})] = Bytes{2};
  first.installed_manifests = {Record("a", 1), Record("b", 1)};
  TEEPNET_ASSERT_OK(store->Commit(first));
  suit::StoreTransaction second;
  second.writes[suit::MakeComponentId({"a"})] = Bytes{9};
  second.removals.insert(suit::MakeComponentId({"b"}));
  second.installed_manifests = {Record("a", 2)};
  second.removed_manifests.insert(suit::MakeComponentId({"m", "b"}));
  TEEPNET_ASSERT_OK(store->Commit(second));
  EXPECT_EQ(store->ReadComponent(suit::MakeComponentId({"a"})), (Bytes{9}));
  EXPECT_FALSE(store->ReadComponent(suit::MakeComponentId({"b"})).has_value());
  auto manifests = store->ListManifests();
  ASSERT_EQ(manifests.size(), 1u);
  EXPECT_EQ(manifests[0].manifest_id, suit::MakeComponentId({"m", "a"}));
  EXPECT_EQ(manifests[0].sequence_number, 2u);
  // Only the live generation remains on disk.
  size_t generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(root_)) {
    if (e.path().filename().string().rfind("gen-", 0) == 0) ++generations;
  }
  EXPECT_EQ(generations, 1u);
}

TEST_F(FileTcStoreTest, ListsAndFindsWhatEachCommitLeftWhenAskedBetweenCommits) {
  auto store = OpenStore();
  EXPECT_TRUE(store->ListManifests().empty());  // read (and kept) before the first commit
  suit::StoreTransaction install;
  install.writes[suit::MakeComponentId({"a"})] = Bytes{1};
  install.installed_manifests = {Record("a", 1)};
  TEEPNET_ASSERT_OK(store->Commit(install));
  ASSERT_EQ(store->ListManifests().size(), 1u);
  auto found = store->FindManifest(suit::MakeComponentId({"m", "a"}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->sequence_number, 1u);
  suit::StoreTransaction update;
  update.installed_manifests = {Record("a", 2), Record("b", 1)};
  TEEPNET_ASSERT_OK(store->Commit(update));
  auto listed = store->ListManifests();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].sequence_number, 2u);
  EXPECT_EQ(store->FindManifest(suit::MakeComponentId({"m", "a"}))->sequence_number, 2u);
  suit::StoreTransaction remove;
  remove.removed_manifests.insert(suit::MakeComponentId({"m", "a"}));
  TEEPNET_ASSERT_OK(store->Commit(remove));
  EXPECT_FALSE(store->FindManifest(suit::MakeComponentId({"m", "a"})).has_value());
  ASSERT_EQ(store->ListManifests().size(), 1u);
  // Another process opening the root reads the same records from disk.
  EXPECT_EQ(OpenStore()->ListManifests().size(), 1u);
}

TEST_F(FileTcStoreTest, HalfBuiltGenerationFromACrashIsDiscarded) {
  {
    auto store = OpenStore();
    suit::StoreTransaction txn;
    txn.writes[suit::MakeComponentId({"a"})] = Bytes{1};
    TEEPNET_ASSERT_OK(store->Commit(txn));
  }
  // A crash between building gen-2 and swapping `current` leaves gen-2 behind.
  std::filesystem::create_directories(root_ + "/gen-2/components");
  std::filesystem::create_directories(root_ + "/gen-2/manifests");
  auto store = OpenStore();
  EXPECT_FALSE(std::filesystem::exists(root_ + "/gen-2"));
  EXPECT_EQ(store->ReadComponent(suit::MakeComponentId({"a"})), (Bytes{1}));
}

TEST_F(FileTcStoreTest, CorruptManifestRecordIsSkippedNotFatal) {
  auto store = OpenStore();
  suit::StoreTransaction txn;
  txn.installed_manifests = {Record("a", 1)};
  TEEPNET_ASSERT_OK(store->Commit(txn));
  std::string path = store->CurrentDirectory() + "/manifests/" +
                     FileTcStore::FileNameFor(suit::MakeComponentId({"m", "a"}));
  std::filesystem::remove(path);
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("{\"manifest_id\": 5}", f);
  std::fclose(f);
  EXPECT_TRUE(store->ListManifests().empty());
  EXPECT_FALSE(store->FindManifest(suit::MakeComponentId({"m", "a"})).has_value());
}

}  // namespace
}  // namespace teepnet::agentd
