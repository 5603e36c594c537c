// The REE deployer for case 1 (seed §5.1 item 5: "TEEP Agent deploys TA and personalization data
// in TEE, then deploy UA in REE"): the UA bytes the Agent returned from the user's bundle run as
// a supervised REE process (runtime/ree_backend.h), one per request, their output appended to
// DIR/ua-<request>.log. They die with the Broker; exits are logged by Reap().
#ifndef TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_
#define TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_

#include <map>
#include <memory>
#include <string>

#include "services/common/json_log.h"
#include "services/device/inbox_relay.h"
#include "teepnet/runtime/ree_backend.h"

namespace teepnet::device {

class ReeUaLauncher final : public UaLauncher {
 public:
  // `dir` (created 0700 on first use) holds the UAs' logs; `log` must outlive the launcher.
  ReeUaLauncher(std::string dir, const common::JsonLog& log) : dir_(std::move(dir)), log_(log) {}
  ~ReeUaLauncher() override;

  // Starts the UA unless one for this request already runs. The instance is named
  // "ua-<request id>" (runtime::InstanceSpec's name rules; kBadSpec otherwise).
  Status Start(std::string_view request_id, ByteView ua) override;
  // Logs and forgets the UAs that exited since the last call.
  void Reap();
  // SIGTERM, then SIGKILL after `grace_ms`, for every UA still running.
  void StopAll(int grace_ms);
  size_t running() const { return running_.size(); }

 private:
  std::string dir_;
  const common::JsonLog& log_;
  runtime::ReeProcessBackend backend_;
  std::map<std::string, std::unique_ptr<runtime::Instance>> running_;  // by instance name
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_UA_LAUNCHER_H_
