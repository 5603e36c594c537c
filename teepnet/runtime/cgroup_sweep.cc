#include "teepnet/runtime/cgroup_sweep.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;

std::string ParentIn(const std::string& hierarchy) {
  return hierarchy + "/" + std::string(kContainerCgroupParent);
}

}  // namespace

std::string ContainerCgroupPath(std::string_view id) {
  return "/" + std::string(kContainerCgroupParent) + "/" + std::string(id);
}

size_t RemoveContainerCgroups(const CgroupLayout& layout, std::string_view id) {
  if (id.empty() || id.find('/') != std::string_view::npos || id == "." || id == "..") return 0;
  size_t removed = 0;
  for (const std::string& hierarchy : layout.hierarchies) {
    const std::string group = ParentIn(hierarchy) + "/" + std::string(id);
    if (::rmdir(group.c_str()) == 0) ++removed;
  }
  return removed;
}

size_t SweepStaleContainerCgroups(const CgroupLayout& layout, const std::set<std::string>& live,
                                  int64_t now_unix, int64_t min_age_s) {
  size_t removed = 0;
  for (const std::string& hierarchy : layout.hierarchies) {
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(ParentIn(hierarchy), ec)) {
      const std::string name = entry.path().filename().string();
      if (live.contains(name)) continue;
      struct stat st {};
      // lstat: a symlink placed here is not a group of ours and is never followed.
      if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
      if (now_unix - static_cast<int64_t>(st.st_mtime) < min_age_s) continue;
      if (::rmdir(entry.path().c_str()) == 0) ++removed;
    }
  }
  return removed;
}

}  // namespace teepnet::runtime
