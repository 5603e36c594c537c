// cgroup limits of a confidential container: written into the runtime config's
// linux.resources (OCI runtime-spec config-linux.md "Control groups"), which runc applies
// through whichever hierarchy holds each controller (v1 on the hybrid dev machine, v2
// elsewhere). A limit whose controller this host does not offer is left out of the config and
// reported as not applied, with the reason, rather than failing the start or vanishing.
#ifndef TEEPNET_RUNTIME_CONTAINER_RESOURCES_H_
#define TEEPNET_RUNTIME_CONTAINER_RESOURCES_H_

#include <cstdint>
#include <nlohmann/json.hpp>

#include "teepnet/runtime/cgroup_layout.h"
#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

// Zero means "no limit" for each field.
struct ContainerLimits {
  uint64_t memory_bytes = 0;  // memory.limit_in_bytes (v1) / memory.max (v2)
  uint64_t pids = 0;          // pids.max
  uint64_t cpu_quota_us = 0;  // CPU time per period: cpu.cfs_quota_us (v1) / cpu.max (v2)
  uint64_t cpu_period_us = 100'000;
  bool any() const { return memory_bytes != 0 || pids != 0 || cpu_quota_us != 0; }
};

// runc refuses a memory limit below what the container's init needs to start; smaller ones
// are refused before the runtime sees them.
inline constexpr uint64_t kMinContainerMemoryBytes = 4u << 20;
inline constexpr uint64_t kMinCpuPeriodUs = 1'000;
inline constexpr uint64_t kMaxCpuPeriodUs = 1'000'000;

// Checks the limits' ranges (kBadSpec).
Status ValidateContainerLimits(const ContainerLimits& limits);

// The linux.resources object for `limits` as far as `layout` can apply them (an empty object
// when nothing is limited); appends one "cgroup <controller> limit" to report.applied or
// report.not_applied per limit that was asked for.
nlohmann::json ContainerResources(const ContainerLimits& limits, const CgroupLayout& layout,
                                  IsolationReport& report);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CONTAINER_RESOURCES_H_
