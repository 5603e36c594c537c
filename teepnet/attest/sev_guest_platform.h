// A Platform over the Linux SEV-SNP guest driver, /dev/sev-guest (ioctl type 'S'):
// SNP_GET_REPORT (nr 0) for a bare ATTESTATION_REPORT, SNP_GET_EXT_REPORT (nr 2) for the report
// plus the host-provided certificate table (VCEK/VLEK, ASK, ARK). Both take a
// struct snp_guest_request_ioctl {msg_version (non-zero), req_data, resp_data, exitinfo2}
// whose request is struct snp_report_req {user_data[64], vmpl, rsvd[28]} and whose response is
// a 4000-byte buffer holding the firmware's MSG_REPORT_RSP (SEV-SNP ABI spec 56860): STATUS at
// 0x00, REPORT_SIZE at 0x04, the signed 1184-byte report at 0x20.
//
// The ioctl goes through SevGuestDevice so tests can stand in for the driver and firmware.
#ifndef TEEPNET_ATTEST_SEV_GUEST_PLATFORM_H_
#define TEEPNET_ATTEST_SEV_GUEST_PLATFORM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/sev_guest_abi.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr std::string_view kSevGuestDefaultDevice = "/dev/sev-guest";
// The first certificate buffer offered to SNP_GET_EXT_REPORT: two pages hold an ARK, ASK and
// VCEK with room to spare; a host that needs more says so (vmm_error INVALID_LEN) and the
// request is repeated once with the size it names, up to kSnpCertTableMax.
inline constexpr size_t kSevCertBufferInitial = 2 * kSevPageSize;

// The driver's ioctl entry point.
class SevGuestDevice {
 public:
  virtual ~SevGuestDevice() = default;
  // ioctl(fd, request, &arg): 0 on success, else the errno. The driver writes exitinfo2
  // (firmware and VMM error codes) into `arg` on failure too.
  virtual int Ioctl(unsigned long request, snp_guest_request_ioctl& arg) = 0;
};

// kRealNotPresent when the device node does not exist, kRealIo when it cannot be opened.
Result<std::unique_ptr<SevGuestDevice>> OpenSevGuestDevice(const std::string& path);

struct SevGuestOptions {
  std::string device_path = std::string(kSevGuestDefaultDevice);
  uint32_t vmpl = 0;  // 0..3: the VMPL the report is requested for
  // SNP_GET_EXT_REPORT with the certificate table (last_cert_table()); else SNP_GET_REPORT.
  bool extended_report = true;
  // Null: OpenSevGuestDevice(device_path).
  std::shared_ptr<SevGuestDevice> device;
};

class SevGuestPlatform final : public Platform {
 public:
  // Opens the device and requests one report (zero report data) for the launch measurement.
  static Result<std::unique_ptr<SevGuestPlatform>> Open(SevGuestOptions options);

  Architecture architecture() const override { return Architecture::kSevSnp; }
  EvidenceFormat format() const override { return EvidenceFormat::kSevSnpReport; }
  // The 1184-byte report whose REPORT_DATA is `report_data` zero-padded to 64 bytes.
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override { return measurement_hex_; }

  // The GHCB certificate table of the last extended report (sev_guest_certs.h); empty for
  // SNP_GET_REPORT or when the host supplies no certificates.
  const Bytes& last_cert_table() const { return last_cert_table_; }

 private:
  explicit SevGuestPlatform(SevGuestOptions options) : options_(std::move(options)) {}
  Result<Bytes> Request(ByteView report_data, Bytes* cert_table);

  SevGuestOptions options_;
  std::string measurement_hex_;
  Bytes last_cert_table_;
};

// The report inside a MSG_REPORT_RSP: kRealBadResponse when STATUS is not 0 or REPORT_SIZE is
// not one report that fits the response.
Result<Bytes> ReportFromMsgReportRsp(ByteView response);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SEV_GUEST_PLATFORM_H_
