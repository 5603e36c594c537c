#include "teepnet/runtime/container_image_cache.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;

constexpr fs::perms kSearchOnly =
    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec;
constexpr const char* kReady = "/ready";  // holds the ref; written last, before the rename

Status MakeDir(const std::string& path, fs::perms perms) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Error(Errc::kSystem, "create " + path + ": " + ec.message());
  fs::permissions(path, perms, ec);
  if (ec) return Error(Errc::kSystem, "chmod " + path + ": " + ec.message());
  return OkStatus();
}

}  // namespace

ContainerImageCache::ContainerImageCache(std::string dir, std::string umoci_path,
                                         uint32_t id_map_base, uint32_t id_range, size_t max_images)
    : dir_(std::move(dir)),
      umoci_path_(std::move(umoci_path)),
      id_map_base_(id_map_base),
      id_range_(id_range),
      max_images_(max_images) {}

Status ContainerImageCache::Build(const std::string& target, ByteView payload, bool is_archive) {
  const std::string layout = target + "/image";
  std::string ref = "ta";
  if (is_archive) {
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(target + "/image.tar", payload, 0600));
    TEEPNET_RETURN_IF_ERROR(MakeDir(layout, fs::perms::owner_all));
    TEEPNET_RETURN_IF_ERROR(ExtractOciArchive(target + "/image.tar", layout));
    std::error_code ec;
    fs::remove(target + "/image.tar", ec);
    ref = "";
  } else {
    TEEPNET_RETURN_IF_ERROR(BuildOciImage(layout, ref, payload, target + "/build"));
  }
  TEEPNET_ASSIGN_OR_RETURN(OciImage image, ResolveOciImage(layout, ref));
  const std::string map = "0:" + std::to_string(id_map_base_) + ":" + std::to_string(id_range_);
  const std::string bundle = target + "/bundle";
  TEEPNET_RETURN_IF_ERROR(RunToolChecked({umoci_path_, "unpack", "--uid-map", map, "--gid-map", map,
                                          "--image", layout + ":" + image.ref, bundle},
                                         kOciToolTimeoutMs));
  std::error_code ec;
  fs::permissions(bundle, kSearchOnly, ec);
  if (ec) return Error(Errc::kSystem, "chmod " + bundle + ": " + ec.message());
  return WriteFileAtomic(target + kReady, AsBytes(image.ref), 0600);
}

Result<CachedImage> ContainerImageCache::Acquire(ByteView payload, bool is_archive) {
  const std::string key = ToHex(crypto::Sha256(payload));
  const std::string path = dir_ + "/" + key;
  std::lock_guard<std::mutex> lock(mu_);
  TEEPNET_RETURN_IF_ERROR(MakeDir(dir_, kSearchOnly));
  auto ready = ReadFile(path + kReady, 4096);
  if (!ready.ok()) {
    const std::string tmp = dir_ + "/.tmp-" + key;
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::remove_all(path, ec);  // an entry without its ready mark is not one
    TEEPNET_RETURN_IF_ERROR(MakeDir(tmp, kSearchOnly));
    if (Status built = Build(tmp, payload, is_archive); !built.ok()) {
      fs::remove_all(tmp, ec);
      return built.error();
    }
    fs::rename(tmp, path, ec);
    if (ec) {
      fs::remove_all(tmp, ec);
      return Error(Errc::kSystem, "rename the unpacked image into " + path);
    }
    ready = ReadFile(path + kReady, 4096);
    if (!ready.ok()) return ready.error();
  }
  ++pins_[key];
  last_use_[key] = ++clock_;
  Evict();
  return CachedImage{key, path + "/image", std::string(AsChars(*ready)), path + "/bundle"};
}

void ContainerImageCache::Release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pins_.find(key);
  if (it != pins_.end() && --it->second <= 0) pins_.erase(it);
}

void ContainerImageCache::Evict() {
  std::error_code ec;
  std::vector<std::pair<uint64_t, std::string>> entries;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    // Entries a previous process made count as least recently used.
    const auto used = last_use_.find(name);
    entries.emplace_back(used == last_use_.end() ? 0 : used->second, name);
  }
  if (entries.size() <= max_images_) return;
  std::sort(entries.begin(), entries.end());
  size_t excess = entries.size() - max_images_;
  for (const auto& [used, name] : entries) {
    if (excess == 0) break;
    if (pins_.contains(name)) continue;
    fs::remove_all(dir_ + "/" + name, ec);
    last_use_.erase(name);
    --excess;
  }
}

}  // namespace teepnet::runtime
