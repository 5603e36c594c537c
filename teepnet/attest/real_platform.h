// Selecting a real attester backend by name, and saying which ones this machine has.
// Names (what `teepnet-device --platform` accepts): "configfs-tsm", "sev-guest", "tdx-guest".
#ifndef TEEPNET_ATTEST_REAL_PLATFORM_H_
#define TEEPNET_ATTEST_REAL_PLATFORM_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/configfs_tsm_platform.h"
#include "teepnet/attest/sev_guest_platform.h"
#include "teepnet/attest/tdx_guest_platform.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr std::string_view kRealPlatformNames[] = {"configfs-tsm", "sev-guest", "tdx-guest"};

struct RealPlatformOptions {
  std::string configfs_tsm_root = std::string(kConfigfsTsmDefaultRoot);
  std::string sev_guest_device = std::string(kSevGuestDefaultDevice);
  std::string tdx_guest_device = std::string(kTdxGuestDefaultDevice);
  std::string tdx_measurements_dir = std::string(kTdxMeasurementsDefaultDir);
  // SEV-SNP VMPL to request reports for (configfs-tsm privlevel, snp_report_req.vmpl).
  std::optional<uint32_t> vmpl;
  // sev-guest: SNP_GET_EXT_REPORT (with the certificate table) rather than SNP_GET_REPORT.
  bool sev_extended_report = true;
};

struct RealPlatformProbe {
  std::string name;  // one of kRealPlatformNames
  bool available = false;
  std::string detail;  // why not, or what was found (provider, path)
};

// Looks only at the paths (no report is requested): configfs-tsm needs the report root
// directory, sev-guest and tdx-guest their device node (tdx-guest also the configfs root for
// quotes).
std::vector<RealPlatformProbe> ProbeRealPlatforms(const RealPlatformOptions& options = {});

// Opens the named backend (which requests one report to learn the measurement).
// kRealBadArgument for an unknown name; the backend's own errors otherwise.
Result<std::unique_ptr<Platform>> OpenRealPlatform(std::string_view name,
                                                   const RealPlatformOptions& options);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_REAL_PLATFORM_H_
