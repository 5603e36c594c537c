// The little network `teepnet demo` runs on this machine: a teepnet-moc on a temporary SQLite
// store with attestation required, and one simulated device (teepnet-device + teepnet-agent)
// per architecture, all on 127.0.0.1 under a temporary directory that is removed afterwards.
// Devices that take confidential containers keep their container state in a second temporary
// directory, searchable by others (the containers' mapped ids walk it) and removed as well.
#ifndef TEEPNET_SERVICES_CLI_DEMO_CLUSTER_H_
#define TEEPNET_SERVICES_CLI_DEMO_CLUSTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/common/process.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cli {

struct DemoDevice {
  std::string architecture;  // "trustzone", "sgx", ... (openapi.yaml Architecture)
  std::string platform;      // "sim-trustzone", ...
  std::string id;            // hex thumbprint of its Agent key
  bool serving = false;      // keeps polling (takes requests); else enrolled and attested once
  std::vector<std::string> instance_types;  // what its Agent claims to offer ("process", ...)
  std::optional<common::Subprocess> process;
};

class DemoCluster {
 public:
  // `bin_dir` holds teepnet-moc, teepnet-device and teepnet-agent. `offers` maps an
  // architecture to the instance types its device is registered for; the devices of the
  // other architectures only enroll and get attested once.
  using Offers = std::map<std::string, std::vector<std::string>>;
  // The devices of the architectures in `debug` run their simulated platform in debug mode,
  // so their evidence is contraindicated (tests: nothing may reach such a device). Each
  // serving device's Agent claims its instance types and `slots` in its evidence
  // (USE-CASES "Device capacity"); Start returns once the M/OC lists every serving device
  // not in `debug` as attested and offering its types.
  static Result<std::unique_ptr<DemoCluster>> Start(const std::string& bin_dir,
                                                    const Offers& offers,
                                                    const std::vector<std::string>& debug = {},
                                                    uint32_t slots = 64);
  ~DemoCluster();
  DemoCluster(const DemoCluster&) = delete;
  DemoCluster& operator=(const DemoCluster&) = delete;

  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }
  // Where container devices keep their state ("" when none takes containers).
  const std::string& containers_dir() const { return containers_dir_; }
  const std::string& tenant_token() const { return tenant_token_; }
  const crypto::PrivateKey& signer() const { return *signer_; }
  std::vector<DemoDevice>& devices() { return devices_; }
  // The EAR status the TAM holds for each device ("affirming", ...; "none" before one).
  std::map<std::string, std::string> EarStatuses() const;

 private:
  DemoCluster() = default;
  Status StartMoc();
  Status StartDevices(const Offers& offers, const std::vector<std::string>& debug, uint32_t slots);
  Status CreateTenant();
  // Waits until the M/OC lists every serving device outside `debug` as attested and offering
  // its instance types: the capacity its evidence claimed.
  Status WaitForAttestedCapacity(const std::vector<std::string>& debug);
  Status MakeContainersDir();

  std::string bin_dir_;
  std::string dir_;
  std::string containers_dir_;  // "" until a device takes containers
  std::string url_;
  std::string admin_token_;
  std::string tenant_token_;
  std::optional<crypto::PrivateKey> signer_;
  std::optional<common::Subprocess> moc_;
  std::vector<DemoDevice> devices_;
};

// The directory of the running program (/proc/self/exe).
std::string ProgramDir();

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_DEMO_CLUSTER_H_
