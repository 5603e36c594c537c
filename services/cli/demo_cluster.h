// The little network `teepnet demo` runs on this machine: a teepnet-moc on a temporary SQLite
// store with attestation required, and one simulated device (teepnet-device + teepnet-agent)
// per architecture, all on 127.0.0.1 under a temporary directory that is removed afterwards.
#ifndef TEEPNET_SERVICES_CLI_DEMO_CLUSTER_H_
#define TEEPNET_SERVICES_CLI_DEMO_CLUSTER_H_

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
  std::optional<common::Subprocess> process;
};

class DemoCluster {
 public:
  // `bin_dir` holds teepnet-moc, teepnet-device and teepnet-agent.
  static Result<std::unique_ptr<DemoCluster>> Start(const std::string& bin_dir,
                                                    const std::vector<std::string>& serving);
  ~DemoCluster();
  DemoCluster(const DemoCluster&) = delete;
  DemoCluster& operator=(const DemoCluster&) = delete;

  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }
  const std::string& tenant_token() const { return tenant_token_; }
  const crypto::PrivateKey& signer() const { return *signer_; }
  std::vector<DemoDevice>& devices() { return devices_; }
  // The EAR status the TAM holds for each device ("affirming", ...; "none" before one).
  std::map<std::string, std::string> EarStatuses() const;

 private:
  DemoCluster() = default;
  Status StartMoc();
  Status StartDevices(const std::vector<std::string>& serving);
  Status CreateTenantAndCapacity(const std::vector<std::string>& serving);

  std::string bin_dir_;
  std::string dir_;
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
