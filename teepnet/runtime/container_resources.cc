#include "teepnet/runtime/container_resources.h"

#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {

Status ValidateContainerLimits(const ContainerLimits& limits) {
  if (limits.memory_bytes != 0 && limits.memory_bytes < kMinContainerMemoryBytes) {
    return Error(Errc::kBadSpec, "a container memory limit below " +
                                     std::to_string(kMinContainerMemoryBytes) +
                                     " bytes cannot start the container's init");
  }
  if (limits.cpu_quota_us != 0 &&
      (limits.cpu_period_us < kMinCpuPeriodUs || limits.cpu_period_us > kMaxCpuPeriodUs ||
       limits.cpu_quota_us < kMinCpuPeriodUs)) {
    return Error(Errc::kBadSpec,
                 "the CPU period must be 1 ms..1 s and the quota at least 1 ms (cgroup cpu.max)");
  }
  return OkStatus();
}

nlohmann::json ContainerResources(const ContainerLimits& limits, const CgroupLayout& layout,
                                  IsolationReport& report) {
  nlohmann::json resources = nlohmann::json::object();
  auto limit = [&](const char* controller, bool asked, const char* member, nlohmann::json value) {
    if (!asked) return;
    const std::string layer = std::string("cgroup ") + controller + " limit";
    const Capability c = layout.Controller(controller);
    if (!c.available) {
      report.not_applied.push_back({layer, c.reason});
      return;
    }
    resources[member] = std::move(value);
    report.applied.push_back(layer);
  };
  limit("memory", limits.memory_bytes != 0, "memory", {{"limit", limits.memory_bytes}});
  limit("pids", limits.pids != 0, "pids", {{"limit", limits.pids}});
  limit("cpu", limits.cpu_quota_us != 0, "cpu",
        {{"quota", limits.cpu_quota_us}, {"period", limits.cpu_period_us}});
  return resources;
}

}  // namespace teepnet::runtime
