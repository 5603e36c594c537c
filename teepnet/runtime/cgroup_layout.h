// Which cgroup hierarchy this host mounts, read from /proc/self/mounts rather than assumed: the
// dev machine is hybrid (cpu, memory, pids, ... on cgroup v1 and a cgroup2 "unified" mount with
// only hugetlb), a normal Debian 12 host is pure v2 (spec/instance-runtimes.md §0). The
// container backend asks it which of the limits it was given the runtime can apply, and reports
// the rest as not applied instead of dropping them silently.
#ifndef TEEPNET_RUNTIME_CGROUP_LAYOUT_H_
#define TEEPNET_RUNTIME_CGROUP_LAYOUT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "teepnet/runtime/probe.h"

namespace teepnet::runtime {

enum class CgroupVersion { kNone, kV1, kV2, kHybrid };

struct CgroupLayout {
  CgroupVersion version = CgroupVersion::kNone;
  std::map<std::string, std::string> v1_mounts;  // controller -> its v1 mount point
  std::string v2_mount;                          // the cgroup2 mount point, if any
  std::string v2_controllers;                    // its root's cgroup.controllers
  // Every cgroup and cgroup2 mount point, each once, in mount order: the places a container
  // runtime creates a container's groups (cgroup_sweep.h), named hierarchies included.
  std::vector<std::string> hierarchies;

  // "v1" / "v2" / "hybrid" / "none".
  const char* VersionName() const;
  // Whether `controller` (memory, pids, cpu) can be limited here: yes with where it is mounted
  // ("v1 at /sys/fs/cgroup/pids"), or no with the reason.
  Capability Controller(const std::string& controller) const;
  // One line: "hybrid (v1: cpu memory pids ...; cgroup2 at /sys/fs/cgroup/unified with [hugetlb])".
  std::string Describe() const;
};

// Parses mounts in the /proc/self/mounts format; `read_controllers` gives a cgroup2 mount's
// cgroup.controllers (tests pass a stand-in).
CgroupLayout ParseCgroupLayout(
    const std::string& mounts,
    const std::function<std::string(const std::string& mount)>& read_controllers);

// The layout of this process's mount namespace.
CgroupLayout ProbeCgroupLayout();

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CGROUP_LAYOUT_H_
