// The confidential container backend (DESIGN §3, spec/instance-runtimes.md §2): a TA, or a UA
// in the REE, arrives as an OCI image, is unpacked with umoci into a bundle whose files belong
// to a private id range, and is run by an OCI runtime (runc) under a runtime configuration
// this backend writes itself:
//   - user, pid, mount, net, ipc, uts and cgroup namespaces; ids 0..65535 of the container map
//     to id_map_base.. on the host, and the process runs as a non-root uid inside;
//   - a read-only root, a noexec /tmp, no capabilities, no_new_privs, a seccomp deny list
//     (the calls the confidential process backend also refuses), rlimits, masked /proc paths;
//   - the Agent's channel as descriptor 3 (runc --preserve-fds), stdout/stderr to the log.
//   - cgroup limits (ContainerOptions::limits) in linux.resources where the host's cgroup layout
//     has the controller; the rest are reported as not applied (container_resources.h).
// The image is a layout directory or oci-archive (spec.image_path), package payload bytes that
// are an oci-archive (`teepnet package image`), or else the executable packed as /ta.
// Measurement = SHA-256(manifest digest || SHA-256(config.json)): the manifest digest pins the
// image config and every layer, the config digest pins how it was run (DESIGN §3: "measured by
// manifest digest plus generated config").
//
// What this does not give: the container's files are ordinary host files under state_dir and
// root on the host can read them and enter the namespaces; a sealed memfd exec is not used.
// The report says so.
#ifndef TEEPNET_RUNTIME_CONTAINER_BACKEND_H_
#define TEEPNET_RUNTIME_CONTAINER_BACKEND_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "teepnet/crypto/random.h"
#include "teepnet/runtime/container_image_cache.h"
#include "teepnet/runtime/container_probe.h"
#include "teepnet/runtime/container_resources.h"
#include "teepnet/runtime/instance.h"
#include "teepnet/runtime/probe.h"

namespace teepnet::runtime {

struct ContainerOptions {
  // Bundles (one directory per instance) and the runtime's own state live here.
  std::string state_dir;
  // "runc", "crun", or kAutoRuntime ("auto": crun when its probe container runs, else runc;
  // probe().choice says which and why).
  std::string runtime = "runc";
  uint32_t id_map_base = 200000;
  uint32_t ta_uid = 1000;
  uint32_t ta_gid = 1000;
  size_t tmp_tmpfs_bytes = 16u << 20;
  int start_timeout_ms = 30'000;
  // cgroup limits of every container (container_resources.h); a limit the host's cgroup
  // layout cannot apply is listed in the instance's isolation().not_applied.
  ContainerLimits limits;
};

class ContainerBackend final : public InstanceBackend {
 public:
  // kSetupFailed naming what is missing when the probe says containers cannot run here.
  static Result<std::unique_ptr<ContainerBackend>> Create(ContainerOptions options);

  std::string_view kind() const override { return "confidential-container"; }
  Result<std::unique_ptr<Instance>> Start(const InstanceSpec& spec) override;
  // Deletes every container this backend's runtime root still knows of (force) and every
  // bundle directory left under state_dir, except those of instances this backend runs.
  Status CleanupStale() override;

  const ContainerProbe& probe() const { return probe_; }
  const std::string& runtime_root() const { return runtime_root_; }
  // The runtime in use ("runc" or "crun"; "auto" resolved by the probe).
  const std::string& runtime_name() const { return probe_.runtime_name; }

 private:
  ContainerBackend(ContainerOptions options, ContainerProbe probe, std::string runtime_path,
                   std::string umoci_path);

  ContainerOptions options_;
  ContainerProbe probe_;
  std::string runtime_path_;
  std::string umoci_path_;
  std::string runtime_root_;
  crypto::SystemRandom random_;
  // Ids of the containers this backend started that have not been released; shared with the
  // instances, which may outlive the backend.
  struct Live {
    std::mutex mu;
    std::set<std::string> ids;
  };
  std::shared_ptr<Live> live_ = std::make_shared<Live>();
  // Images unpacked once per payload, shared read-only (STATE/images); shared with the
  // instances, which unpin theirs when released.
  std::shared_ptr<ContainerImageCache> images_;
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_CONTAINER_BACKEND_H_
