// A Platform for Intel TDX guests. Two kernel interfaces are involved:
//  - /dev/tdx_guest, TDX_CMD_GET_REPORT0 = _IOWR('T', 1, struct tdx_report_req
//    {__u8 reportdata[64]; __u8 tdreport[1024];}): the TDREPORT, MAC-ed by the CPU and only
//    verifiable on the same machine, so it is offered as GetTdReport() and never as evidence;
//  - configfs-tsm with provider tdx_guest: the signed DCAP quote a remote verifier checks.
//    GetEvidence() returns that quote.
// The launch measurement (MRTD) comes from /sys/devices/virtual/misc/tdx_guest/measurements/
// `mrtd:sha384` when the kernel exposes it (6.16+), else from the TDREPORT.
//
// Debian 12's linux-libc-dev (6.1) has no linux/tdx-guest.h, so the ioctl ABI is restated here.
#ifndef TEEPNET_ATTEST_TDX_GUEST_PLATFORM_H_
#define TEEPNET_ATTEST_TDX_GUEST_PLATFORM_H_

#include <linux/ioctl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/configfs_tsm_platform.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr std::string_view kTdxGuestDefaultDevice = "/dev/tdx_guest";
inline constexpr std::string_view kTdxMeasurementsDefaultDir =
    "/sys/devices/virtual/misc/tdx_guest/measurements";

// TDREPORT_STRUCT (TDX module ABI): REPORTMACSTRUCT (256) + TEE_TCB_INFO (239) + reserved (17)
// + TDINFO (512), whose MRTD follows ATTRIBUTES (8) and XFAM (8).
inline constexpr size_t kTdReportSize = 1024;
inline constexpr size_t kTdReportMrtdOffset = 256 + 239 + 17 + 16;
inline constexpr size_t kTdxMeasurementSize = 48;  // SHA-384 registers

// include/uapi/linux/tdx-guest.h: struct tdx_report_req.
struct TdxReportReq {
  uint8_t reportdata[64];
  uint8_t tdreport[kTdReportSize];
};
inline constexpr unsigned long kTdxCmdGetReport0 = _IOWR('T', 1, TdxReportReq);

class TdxGuestDevice {
 public:
  virtual ~TdxGuestDevice() = default;
  // ioctl(fd, TDX_CMD_GET_REPORT0, &req): 0 or the errno.
  virtual int GetReport0(TdxReportReq& req) = 0;
};

// kRealNotPresent when the device node does not exist, kRealIo when it cannot be opened.
Result<std::unique_ptr<TdxGuestDevice>> OpenTdxGuestDevice(const std::string& path);

struct TdxGuestOptions {
  std::string device_path = std::string(kTdxGuestDefaultDevice);
  std::string measurements_dir = std::string(kTdxMeasurementsDefaultDir);
  // Where quotes come from; required_provider is forced to "tdx_guest". Its `fs` also reads
  // the measurement registers.
  ConfigfsTsmOptions quote;
  // Null: OpenTdxGuestDevice(device_path).
  std::shared_ptr<TdxGuestDevice> device;
};

class TdxGuestPlatform final : public Platform {
 public:
  // Needs both the device and configfs-tsm with the tdx_guest provider (kRealNotPresent /
  // kTsmUnknownProvider otherwise).
  static Result<std::unique_ptr<TdxGuestPlatform>> Open(TdxGuestOptions options);

  Architecture architecture() const override { return Architecture::kTdx; }
  EvidenceFormat format() const override { return EvidenceFormat::kTdxQuote; }
  // A DCAP quote (v4/v5) with REPORTDATA = `report_data` zero-padded to 64 bytes.
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override { return measurement_hex_; }

  // The 1024-byte TDREPORT for `report_data` (local only: MAC-ed, not signed).
  Result<Bytes> GetTdReport(ByteView report_data);
  // A register from the measurements directory ("mrtd:sha384", "rtmr0:sha384", ...): 48 raw
  // bytes, or 96 hex digits with an optional newline. kRealNotPresent when absent.
  Result<Bytes> ReadMeasurementRegister(std::string_view name) const;

 private:
  explicit TdxGuestPlatform(TdxGuestOptions options) : options_(std::move(options)) {}
  TdxGuestOptions options_;
  std::unique_ptr<ConfigfsTsmPlatform> tsm_;
  std::string measurement_hex_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_TDX_GUEST_PLATFORM_H_
