#include "teepnet/attest/real_platform.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "teepnet/attest/errc.h"

namespace teepnet::attest {
namespace {

// "" when `path` exists with the wanted type, else the reason in words.
std::string Missing(const std::string& path, bool want_directory) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path + ": " + std::strerror(errno);
  if (want_directory && !S_ISDIR(st.st_mode)) return path + " is not a directory";
  if (!want_directory && !S_ISCHR(st.st_mode)) return path + " is not a character device";
  return "";
}

}  // namespace

std::vector<RealPlatformProbe> ProbeRealPlatforms(const RealPlatformOptions& options) {
  std::vector<RealPlatformProbe> out;
  const std::string tsm = Missing(options.configfs_tsm_root, true);
  out.push_back({"configfs-tsm", tsm.empty(),
                 tsm.empty() ? "report root " + options.configfs_tsm_root
                             : tsm + " (configfs not mounted at /sys/kernel/config, or a kernel "
                                     "without CONFIG_TSM_REPORTS)"});
  const std::string sev = Missing(options.sev_guest_device, false);
  out.push_back({"sev-guest", sev.empty(),
                 sev.empty() ? "device " + options.sev_guest_device
                             : sev + " (not an SEV-SNP guest, or sev-guest driver not loaded)"});
  std::string tdx = Missing(options.tdx_guest_device, false);
  if (tdx.empty() && !tsm.empty()) tdx = "quotes need configfs-tsm: " + tsm;
  out.push_back({"tdx-guest", tdx.empty(),
                 tdx.empty() ? "device " + options.tdx_guest_device + ", quotes via " +
                                   options.configfs_tsm_root
                             : tdx + (Missing(options.tdx_guest_device, false).empty()
                                          ? ""
                                          : " (not a TDX guest, or tdx_guest driver not loaded)")});
  return out;
}

Result<std::unique_ptr<Platform>> OpenRealPlatform(std::string_view name,
                                                   const RealPlatformOptions& options) {
  if (name == "configfs-tsm") {
    ConfigfsTsmOptions o;
    o.root = options.configfs_tsm_root;
    o.privlevel = options.vmpl;
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<ConfigfsTsmPlatform> p,
                             ConfigfsTsmPlatform::Open(std::move(o)));
    return std::unique_ptr<Platform>(std::move(p));
  }
  if (name == "sev-guest") {
    SevGuestOptions o;
    o.device_path = options.sev_guest_device;
    o.vmpl = options.vmpl.value_or(0);
    o.extended_report = options.sev_extended_report;
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SevGuestPlatform> p,
                             SevGuestPlatform::Open(std::move(o)));
    return std::unique_ptr<Platform>(std::move(p));
  }
  if (name == "tdx-guest") {
    TdxGuestOptions o;
    o.device_path = options.tdx_guest_device;
    o.measurements_dir = options.tdx_measurements_dir;
    o.quote.root = options.configfs_tsm_root;
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<TdxGuestPlatform> p,
                             TdxGuestPlatform::Open(std::move(o)));
    return std::unique_ptr<Platform>(std::move(p));
  }
  return Error(Errc::kRealBadArgument, "unknown real platform \"" + std::string(name) +
                                           "\" (configfs-tsm, sev-guest or tdx-guest)");
}

}  // namespace teepnet::attest
