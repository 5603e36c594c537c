// Where our containers' cgroups live, and how the ones a dead runtime left behind are removed.
//
// runc names a container's cgroup after linux.cgroupsPath; without one it uses "/<id>" in every
// hierarchy, and when the runtime is killed before `delete` (the Agent died, PR_SET_PDEATHSIG
// took runc with it) nothing removes those groups: a test host collected hundreds of empty
// "ta-1-…" groups in each v1 hierarchy that way. The container backend therefore puts every
// container under one parent ("/teepnet/<container id>", ContainerCgroupPath), removes its
// groups itself after `delete`, and at start sweeps the parent for groups of containers it no
// longer knows.
//
// Removing is rmdir(2) only: the kernel refuses it for a group that still has a process or a
// child group (EBUSY / ENOTEMPTY), so a sweep can never take a running container's group. A
// group younger than `min_age_s` is left alone as well, so a sweep cannot race another
// backend's runtime between creating a group and moving the container's first process in.
#ifndef TEEPNET_RUNTIME_CGROUP_SWEEP_H_
#define TEEPNET_RUNTIME_CGROUP_SWEEP_H_

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "teepnet/runtime/cgroup_layout.h"

namespace teepnet::runtime {

// The parent group of every container this backend starts, in each hierarchy.
inline constexpr std::string_view kContainerCgroupParent = "teepnet";

// linux.cgroupsPath for container `id`: "/teepnet/<id>".
std::string ContainerCgroupPath(std::string_view id);

// Removes the (empty) group of container `id` in every hierarchy of `layout`; returns how many
// it removed. Groups that are absent or still busy are left as they are.
size_t RemoveContainerCgroups(const CgroupLayout& layout, std::string_view id);

// Removes every empty group under the parent, in every hierarchy, whose name is not in `live`
// and whose directory was last changed at least `min_age_s` seconds before `now_unix`; returns
// how many it removed.
size_t SweepStaleContainerCgroups(const CgroupLayout& layout, const std::set<std::string>& live,
                                  int64_t now_unix, int64_t min_age_s);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CGROUP_SWEEP_H_
