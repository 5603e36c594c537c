// Unpacked container images kept per payload (spec/instance-runtimes.md §2). Building the
// one-layer image around a TA executable takes several umoci runs and unpacking it another;
// together they were ~75 % of a container's start-to-ready (bench/instances). The root file
// system is mounted read-only into every container, so containers of the same payload can
// share one unpacked copy: the first start builds and unpacks it under
// STATE/images/<SHA-256 of the payload>, later starts only write their own config.json and run
// the runtime. The measurement is unchanged (the image manifest digest, content-addressed, plus
// the digest of the instance's runtime config).
//
// An entry is built in a temporary directory and renamed into place once complete, so a crash
// never leaves a half-unpacked image that looks ready. Entries in use by a running container
// are pinned; beyond max_images the least recently used unpinned entries are removed.
//
// What this does not change: the files are host files owned by the container's mapped ids, as
// with a per-instance unpack; root on the host can alter them (the container report says so).
#ifndef TEEPNET_RUNTIME_CONTAINER_IMAGE_CACHE_H_
#define TEEPNET_RUNTIME_CONTAINER_IMAGE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

inline constexpr size_t kMaxCachedContainerImages = 16;

struct CachedImage {
  std::string key;     // lowercase hex SHA-256 of the payload
  std::string layout;  // the OCI image layout
  std::string ref;     // the manifest to use in it ("ta" for a packed executable)
  std::string bundle;  // umoci's unpacked bundle: config.json (the image's process) and rootfs/
};

class ContainerImageCache {
 public:
  // `dir` is created (searchable by the mapped ids: the runtime walks into rootfs/ as them).
  ContainerImageCache(std::string dir, std::string umoci_path, uint32_t id_map_base,
                      uint32_t id_range, size_t max_images = kMaxCachedContainerImages);

  // The unpacked image for `payload` — an oci-archive when `is_archive`, else an executable
  // packed as /ta — built on first use, pinned until Release(key).
  Result<CachedImage> Acquire(ByteView payload, bool is_archive);
  void Release(const std::string& key);

  const std::string& dir() const { return dir_; }

 private:
  Status Build(const std::string& target, ByteView payload, bool is_archive);
  void Evict();

  const std::string dir_;
  const std::string umoci_path_;
  const uint32_t id_map_base_;
  const uint32_t id_range_;
  const size_t max_images_;
  std::mutex mu_;
  std::map<std::string, int> pins_;
  std::map<std::string, uint64_t> last_use_;
  uint64_t clock_ = 0;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CONTAINER_IMAGE_CACHE_H_
