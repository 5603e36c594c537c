#include "teepnet/runtime/cgroup_layout.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace teepnet::runtime {
namespace {

// The controllers the container backend can limit (linux.resources memory, pids, cpu).
constexpr const char* kLimitedControllers[] = {"memory", "pids", "cpu"};

bool HasWord(const std::string& list, const std::string& word, char sep) {
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, sep)) {
    if (item == word) return true;
  }
  return false;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

const char* CgroupLayout::VersionName() const {
  switch (version) {
    case CgroupVersion::kV1: return "v1";
    case CgroupVersion::kV2: return "v2";
    case CgroupVersion::kHybrid: return "hybrid";
    case CgroupVersion::kNone: break;
  }
  return "none";
}

Capability CgroupLayout::Controller(const std::string& controller) const {
  std::string at;
  std::string where;
  if (auto it = v1_mounts.find(controller); it != v1_mounts.end()) {
    at = it->second;
    where = "v1 at " + at;
  } else if (!v2_mount.empty() && HasWord(v2_controllers, controller, ' ')) {
    at = v2_mount;
    where = "v2 at " + at;
  } else {
    return Capability{
        false, "no " + controller + " controller is mounted (cgroup layout " + Describe() + ")"};
  }
  // The runtime creates the container's group below its own: the hierarchy must be writable.
  if (::access(at.c_str(), W_OK) != 0) {
    return Capability{false, "the " + controller + " hierarchy " + where + " is not writable"};
  }
  return Capability{true, where};
}

std::string CgroupLayout::Describe() const {
  std::string out = VersionName();
  if (version == CgroupVersion::kNone) return out;
  out += " (";
  if (!v1_mounts.empty()) {
    out += "v1:";
    for (const auto& [controller, at] : v1_mounts) out += " " + controller;
  }
  if (!v2_mount.empty()) {
    if (!v1_mounts.empty()) out += "; ";
    out += "cgroup2 at " + v2_mount + " with [" + v2_controllers + "]";
  }
  return out + ")";
}

CgroupLayout ParseCgroupLayout(
    const std::string& mounts,
    const std::function<std::string(const std::string& mount)>& read_controllers) {
  CgroupLayout layout;
  std::istringstream lines(mounts);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string device, at, type, options;
    fields >> device >> at >> type >> options;
    if ((type == "cgroup" || type == "cgroup2") &&
        std::find(layout.hierarchies.begin(), layout.hierarchies.end(), at) ==
            layout.hierarchies.end()) {
      layout.hierarchies.push_back(at);
    }
    if (type == "cgroup2" && layout.v2_mount.empty()) {
      layout.v2_mount = at;
      layout.v2_controllers = read_controllers(at);
    } else if (type == "cgroup") {
      // A v1 mount names its controllers among its options ("rw,relatime,cpu,cpuacct").
      std::istringstream opts(options);
      std::string opt;
      while (std::getline(opts, opt, ',')) {
        for (const char* c : kLimitedControllers) {
          if (opt == c) layout.v1_mounts.emplace(opt, at);
        }
      }
    }
  }
  const bool v1 = !layout.v1_mounts.empty();
  const bool v2 = !layout.v2_mount.empty();
  layout.version = v1 && v2 ? CgroupVersion::kHybrid
                   : v1     ? CgroupVersion::kV1
                   : v2     ? CgroupVersion::kV2
                            : CgroupVersion::kNone;
  return layout;
}

CgroupLayout ProbeCgroupLayout() {
  std::ifstream in("/proc/self/mounts");
  std::stringstream mounts;
  mounts << in.rdbuf();
  return ParseCgroupLayout(mounts.str(), [](const std::string& at) {
    return ReadFirstLine(at + "/cgroup.controllers");
  });
}

}  // namespace teepnet::runtime
