#include "services/agent/file_tc_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "services/common/data_dir.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/suit/errc.h"

namespace teepnet::agentd {

namespace {

constexpr char kCurrent[] = "current";
constexpr char kComponents[] = "components";
constexpr char kManifests[] = "manifests";
// A component larger than this is refused on read (the processor's own limits are lower).
constexpr size_t kMaxComponentBytes = 64u << 20;

Error StoreError(const std::string& what) {
  return Error(suit::Errc::kOperationFailed, "component store: " + what);
}

std::string GenerationName(uint64_t generation) {
  return "gen-" + std::to_string(generation);
}

// The names of the regular files in `dir` (empty when it does not exist).
std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return StoreError(dir + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return StoreError(dir + ": fsync: " + std::strerror(errno));
  return OkStatus();
}

Status WriteDurable(const std::string& path, ByteView data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return StoreError(path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return StoreError(path + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return StoreError(path + ": fsync: " + std::strerror(err));
  }
  ::close(fd);
  return OkStatus();
}

std::string EncodeRecord(const suit::ManifestRecord& record) {
  nlohmann::json ids = nlohmann::json::array();
  for (const Bytes& s : record.manifest_id.segments) ids.push_back(ToHex(s));
  nlohmann::json j = {{"manifest_id", ids},
                      {"sequence_number", record.sequence_number},
                      {"digest", ToHex(record.digest)},
                      {"envelope", ToHex(record.envelope)}};
  return j.dump();
}

// The record files are ours, but a damaged disk must not crash the Agent: every member is
// type-checked.
std::optional<suit::ManifestRecord> DecodeRecord(ByteView text) {
  nlohmann::json j = nlohmann::json::parse(AsChars(text), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto ids = j.find("manifest_id");
  auto seq = j.find("sequence_number");
  auto digest = j.find("digest");
  auto envelope = j.find("envelope");
  if (ids == j.end() || !ids->is_array() || seq == j.end() || !seq->is_number_unsigned() ||
      digest == j.end() || !digest->is_string() || envelope == j.end() || !envelope->is_string()) {
    return std::nullopt;
  }
  suit::ManifestRecord record;
  for (const auto& s : *ids) {
    if (!s.is_string()) return std::nullopt;
    auto segment = FromHex(s.get_ref<const std::string&>());
    if (!segment.ok()) return std::nullopt;
    record.manifest_id.segments.push_back(std::move(segment).value());
  }
  record.sequence_number = seq->get<uint64_t>();
  auto d = FromHex(digest->get_ref<const std::string&>());
  auto e = FromHex(envelope->get_ref<const std::string&>());
  if (!d.ok() || !e.ok()) return std::nullopt;
  record.digest = std::move(d).value();
  record.envelope = std::move(e).value();
  return record;
}

// Reads the generation number `current` points at.
Result<uint64_t> ReadCurrent(const std::string& root) {
  char target[256];
  std::string link = root + "/" + kCurrent;
  ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n < 0) return StoreError(link + ": " + std::strerror(errno));
  std::string name(target, static_cast<size_t>(n));
  if (name.rfind("gen-", 0) != 0 || name.size() == 4 || name.size() > 24) {
    return StoreError(link + " points at an unexpected name");
  }
  uint64_t generation = 0;
  for (char c : name.substr(4)) {
    if (c < '0' || c > '9') return StoreError(link + " points at an unexpected name");
    generation = generation * 10 + static_cast<uint64_t>(c - '0');
  }
  return generation;
}

Status MakeGeneration(const std::string& dir) {
  TEEPNET_RETURN_IF_ERROR(common::EnsureDirectory(dir + "/" + kComponents, 0700));
  return common::EnsureDirectory(dir + "/" + kManifests, 0700);
}

// Points `current` at `generation` atomically.
Status SwapCurrent(const std::string& root, uint64_t generation) {
  std::string tmp = root + "/current.tmp";
  ::unlink(tmp.c_str());
  if (::symlink(GenerationName(generation).c_str(), tmp.c_str()) != 0) {
    return StoreError(tmp + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), (root + "/" + kCurrent).c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return StoreError("swap current: " + std::string(std::strerror(err)));
  }
  return SyncDirectory(root);
}

}  // namespace

std::string FileTcStore::FileNameFor(const suit::ComponentId& id) {
  return ToHex(id.Encode());
}

std::string FileTcStore::CurrentDirectory() const {
  return root_ + "/" + GenerationName(generation_);
}

Result<std::unique_ptr<FileTcStore>> FileTcStore::Open(const std::string& root) {
  TEEPNET_RETURN_IF_ERROR(common::EnsureDirectory(root, 0700));
  uint64_t generation = 0;
  struct stat st {};
  if (::lstat((root + "/" + kCurrent).c_str(), &st) != 0) {
    TEEPNET_RETURN_IF_ERROR(MakeGeneration(root + "/" + GenerationName(0)));
    TEEPNET_RETURN_IF_ERROR(SwapCurrent(root, 0));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(generation, ReadCurrent(root));
  }
  // Whatever else is here is a generation a crash left half-built or undeleted.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0 && name != GenerationName(generation)) {
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
  return std::unique_ptr<FileTcStore>(new FileTcStore(root, generation));
}

std::optional<Bytes> FileTcStore::ReadComponent(const suit::ComponentId& id) const {
  auto bytes =
      ReadFile(CurrentDirectory() + "/" + kComponents + "/" + FileNameFor(id), kMaxComponentBytes);
  if (!bytes.ok()) return std::nullopt;
  return std::move(bytes).value();
}

std::optional<suit::ManifestRecord> FileTcStore::FindManifest(
    const suit::ComponentId& manifest_id) const {
  if (listed_) {
    for (const suit::ManifestRecord& record : *listed_) {
      if (record.manifest_id == manifest_id) return record;
    }
    return std::nullopt;
  }
  auto bytes = ReadFile(CurrentDirectory() + "/" + kManifests + "/" + FileNameFor(manifest_id),
                        kMaxComponentBytes);
  if (!bytes.ok()) return std::nullopt;
  return DecodeRecord(*bytes);
}

std::vector<suit::ManifestRecord> FileTcStore::ListManifests() const {
  if (listed_) return *listed_;
  std::vector<suit::ManifestRecord> out;
  const std::string dir = CurrentDirectory() + "/" + kManifests;
  for (const std::string& name : ListFiles(dir)) {
    auto bytes = ReadFile(dir + "/" + name, kMaxComponentBytes);
    if (!bytes.ok()) continue;
    if (auto record = DecodeRecord(*bytes)) out.push_back(std::move(*record));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.manifest_id < b.manifest_id; });
  listed_ = out;
  return out;
}

Status FileTcStore::Commit(const suit::StoreTransaction& txn) {
  if (txn.empty()) return OkStatus();
  const uint64_t next = generation_ + 1;
  const std::string old_dir = CurrentDirectory();
  const std::string new_dir = root_ + "/" + GenerationName(next);
  listed_.reset();  // whatever happens below, read the records again
  std::error_code ec;
  std::filesystem::remove_all(new_dir, ec);  // a leftover from a failed attempt
  auto build = [&]() -> Status {
    TEEPNET_RETURN_IF_ERROR(MakeGeneration(new_dir));
    // Components: carry over what is neither removed nor rewritten, then write the new ones.
    std::set<std::string> replaced;
    for (const auto& id : txn.removals) replaced.insert(FileNameFor(id));
    for (const auto& [id, content] : txn.writes) replaced.insert(FileNameFor(id));
    for (const std::string& name : ListFiles(old_dir + "/" + kComponents)) {
      if (replaced.count(name) != 0) continue;
      std::string from = old_dir + "/" + kComponents + "/" + name;
      std::string to = new_dir + "/" + kComponents + "/" + name;
      if (::link(from.c_str(), to.c_str()) != 0) {
        return StoreError(to + ": " + std::strerror(errno));
      }
    }
    for (const auto& [id, content] : txn.writes) {
      // A removal and a write of the same id in one transaction: the write wins, as in
      // InMemoryComponentStore (writes are applied after removals).
      TEEPNET_RETURN_IF_ERROR(
          WriteDurable(new_dir + "/" + kComponents + "/" + FileNameFor(id), content));
    }
    // Manifests likewise.
    std::set<std::string> replaced_manifests;
    for (const auto& id : txn.removed_manifests) replaced_manifests.insert(FileNameFor(id));
    for (const auto& record : txn.installed_manifests) {
      replaced_manifests.insert(FileNameFor(record.manifest_id));
    }
    for (const std::string& name : ListFiles(old_dir + "/" + kManifests)) {
      if (replaced_manifests.count(name) != 0) continue;
      std::string from = old_dir + "/" + kManifests + "/" + name;
      std::string to = new_dir + "/" + kManifests + "/" + name;
      if (::link(from.c_str(), to.c_str()) != 0) {
        return StoreError(to + ": " + std::strerror(errno));
      }
    }
    for (const auto& record : txn.installed_manifests) {
      TEEPNET_RETURN_IF_ERROR(
          WriteDurable(new_dir + "/" + kManifests + "/" + FileNameFor(record.manifest_id),
                       AsBytes(EncodeRecord(record))));
    }
    TEEPNET_RETURN_IF_ERROR(SyncDirectory(new_dir + "/" + kComponents));
    TEEPNET_RETURN_IF_ERROR(SyncDirectory(new_dir + "/" + kManifests));
    TEEPNET_RETURN_IF_ERROR(SyncDirectory(new_dir));
    return SwapCurrent(root_, next);
  };
  Status built = build();
  if (!built.ok()) {
    std::filesystem::remove_all(new_dir, ec);
    return built;
  }
  generation_ = next;
  std::filesystem::remove_all(old_dir, ec);
  return OkStatus();
}

}  // namespace teepnet::agentd
