// The REE deployer's backend: a UA runs as an ordinary supervised process (DESIGN §1,
// teepnet-device "runs Untrusted Applications in the REE"). No isolation is claimed; the
// process gets a clean environment, descriptors 0-3 only, its rlimits, its output in the log,
// and dies with the launcher.
#ifndef TEEPNET_RUNTIME_REE_BACKEND_H_
#define TEEPNET_RUNTIME_REE_BACKEND_H_

#include "teepnet/runtime/instance.h"

namespace teepnet::runtime {

class ReeProcessBackend final : public InstanceBackend {
 public:
  std::string_view kind() const override { return "ree-process"; }
  // From `executable_path` the program is exec'd by path (so dynamic programs and scripts
  // work and measurement() is empty); from `executable` bytes it runs from a sealed memfd
  // and measurement() is their SHA-256.
  Result<std::unique_ptr<Instance>> Start(const InstanceSpec& spec) override;
  // The REE backend keeps no state on disk.
  Status CleanupStale() override { return OkStatus(); }
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_REE_BACKEND_H_
