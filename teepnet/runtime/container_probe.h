// What the machine offers confidential containers (issue 6 "Feature probes"): an OCI runtime
// that really runs a container here, umoci, user namespaces with a full id range, and the
// cgroup layout the limits go through. The runtime is tried with a bounded one-shot container
// (the same namespaces and id map the backend uses, a static program copied into an otherwise
// empty root), because "installed" is not "works": crun 1.8.1 refuses the dev machine's hybrid
// cgroup layout (spec/instance-runtimes.md §2), and the probe reports crun's own words.
#ifndef TEEPNET_RUNTIME_CONTAINER_PROBE_H_
#define TEEPNET_RUNTIME_CONTAINER_PROBE_H_

#include <string>

#include "teepnet/runtime/cgroup_layout.h"
#include "teepnet/runtime/probe.h"

namespace teepnet::runtime {

// The one-shot probe container gets this long before it is killed.
inline constexpr int kRuntimeProbeTimeoutMs = 10'000;
// ContainerOptions::runtime value that picks crun when its probe passes, else runc.
inline constexpr char kAutoRuntime[] = "auto";

struct ContainerProbe {
  std::string runtime_name;  // the runtime the backend uses ("runc", "crun")
  Capability runtime;        // whether runtime_name ran the one-shot container
  std::string choice;        // "auto: runc (crun: no (...))"; empty for a named runtime
  Capability umoci;
  Capability user_namespace;
  CgroupLayout cgroups;
  bool usable() const { return runtime.available && umoci.available && user_namespace.available; }
  // One line per item; cgroup lines name the layout and each limitable controller.
  std::string ToString() const;
};

// `runtime` names one ("runc", "crun") or is kAutoRuntime.
ContainerProbe ProbeContainers(const std::string& runtime = "runc");

// Runs a one-shot container with `runtime` (a name looked up on the tool path) and returns yes
// with its version, or no with the runtime's own first error line.
Capability ProbeRuntime(const std::string& runtime);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CONTAINER_PROBE_H_
