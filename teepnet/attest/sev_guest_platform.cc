#include "teepnet/attest/sev_guest_platform.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/real_platform_evidence.h"
#include "teepnet/attest/sev_guest_certs.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/base/byte_reader.h"

namespace teepnet::attest {
namespace {

class FdSevGuestDevice final : public SevGuestDevice {
 public:
  explicit FdSevGuestDevice(int fd) : fd_(fd) {}
  ~FdSevGuestDevice() override { ::close(fd_); }
  FdSevGuestDevice(const FdSevGuestDevice&) = delete;
  FdSevGuestDevice& operator=(const FdSevGuestDevice&) = delete;

  int Ioctl(unsigned long request, snp_guest_request_ioctl& arg) override {
    int rc;
    do {
      rc = ::ioctl(fd_, request, &arg);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
  }

 private:
  int fd_;
};

uint64_t Address(const void* p) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

Error IoctlError(const char* what, int err, const snp_guest_request_ioctl& arg) {
  return Error(Errc::kRealIo, std::string(what) + " failed: " + std::strerror(err) +
                                  " (firmware error " + std::to_string(SevFwError(arg)) +
                                  ", vmm error " + std::to_string(SevVmmError(arg)) + ")");
}

}  // namespace

Result<std::unique_ptr<SevGuestDevice>> OpenSevGuestDevice(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO) {
      return Error(Errc::kRealNotPresent,
                   path + " is not present (not an SEV-SNP guest): " + std::strerror(err));
    }
    return Error(Errc::kRealIo, "open " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<SevGuestDevice>(new FdSevGuestDevice(fd));
}

Result<Bytes> ReportFromMsgReportRsp(ByteView response) {
  ByteReader r(response);
  uint32_t status = 0, size = 0;
  if (!r.ReadLeU32(&status) || !r.ReadLeU32(&size) || !r.Skip(kMsgReportRspHeaderSize - 8)) {
    return Error(Errc::kRealBadResponse, "MSG_REPORT_RSP shorter than its header");
  }
  // SEV-SNP ABI spec, MSG_REPORT_RSP: STATUS 0h = success, 16h = INVALID_PARAMETERS,
  // 27h = INVALID_KEY_SELECTION.
  if (status != 0) {
    return Error(Errc::kRealBadResponse, "MSG_REPORT_RSP status " + std::to_string(status));
  }
  ByteView report;
  if (size != kSnpReportSize || !r.ReadBytes(size, &report)) {
    return Error(Errc::kRealBadResponse, "MSG_REPORT_RSP report size " + std::to_string(size) +
                                             " (expected " + std::to_string(kSnpReportSize) + ")");
  }
  return Bytes(report.begin(), report.end());
}

Result<std::unique_ptr<SevGuestPlatform>> SevGuestPlatform::Open(SevGuestOptions options) {
  // SEV-SNP has four VMPLs (0..3); the firmware refuses a report for a more privileged one.
  if (options.vmpl > 3) return Error(Errc::kRealBadArgument, "vmpl above 3");
  if (!options.device) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SevGuestDevice> dev,
                             OpenSevGuestDevice(options.device_path));
    options.device = std::move(dev);
  }
  std::unique_ptr<SevGuestPlatform> p(new SevGuestPlatform(std::move(options)));
  TEEPNET_ASSIGN_OR_RETURN(Bytes probe, p->Request({}, nullptr));
  TEEPNET_ASSIGN_OR_RETURN(p->measurement_hex_,
                           EvidenceMeasurementHex(EvidenceFormat::kSevSnpReport, probe));
  return p;
}

Result<Bytes> SevGuestPlatform::GetEvidence(ByteView report_data) {
  Bytes certs;
  TEEPNET_ASSIGN_OR_RETURN(Bytes report,
                           Request(report_data, options_.extended_report ? &certs : nullptr));
  last_cert_table_ = std::move(certs);
  return report;
}

Result<Bytes> SevGuestPlatform::Request(ByteView report_data, Bytes* cert_table) {
  TEEPNET_ASSIGN_OR_RETURN(auto user_data, PadReportData(report_data));
  snp_ext_report_req req{};
  std::memcpy(req.data.user_data, user_data.data(), user_data.size());
  req.data.vmpl = options_.vmpl;
  snp_report_resp resp{};
  snp_guest_request_ioctl arg{};

  if (cert_table == nullptr) {
    arg.msg_version = kSevMsgVersion;
    arg.req_data = Address(&req.data);
    arg.resp_data = Address(&resp);
    if (int err = options_.device->Ioctl(kSnpGetReport, arg); err != 0) {
      return IoctlError("SNP_GET_REPORT", err, arg);
    }
    return ReportFromMsgReportRsp(ByteView(resp.data, sizeof(resp.data)));
  }

  Bytes certs(kSevCertBufferInitial);
  for (int attempt = 0;; ++attempt) {
    std::fill(certs.begin(), certs.end(), 0);
    req.certs_address = Address(certs.data());
    req.certs_len = static_cast<uint32_t>(certs.size());
    arg = snp_guest_request_ioctl{};
    arg.msg_version = kSevMsgVersion;
    arg.req_data = Address(&req);
    arg.resp_data = Address(&resp);
    const int err = options_.device->Ioctl(kSnpGetExtReport, arg);
    if (err == 0) break;
    // The driver reports a too-small buffer as INVALID_LEN with the needed size in certs_len;
    // it must be page-aligned and within the driver's own maximum to be worth a second try.
    if (SevVmmError(arg) == kSevVmmErrInvalidLen && attempt == 0 && req.certs_len > certs.size() &&
        req.certs_len <= kSnpCertTableMax && req.certs_len % kSevPageSize == 0) {
      certs.resize(req.certs_len);
      continue;
    }
    if (SevVmmError(arg) == kSevVmmErrInvalidLen) {
      return Error(Errc::kRealBlobTooLarge, "the host's certificate table needs " +
                                                std::to_string(req.certs_len) + " bytes (at most " +
                                                std::to_string(kSnpCertTableMax) + ")");
    }
    return IoctlError("SNP_GET_EXT_REPORT", err, arg);
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes report,
                           ReportFromMsgReportRsp(ByteView(resp.data, sizeof(resp.data))));
  // An all-zero buffer means the host gave no certificates (the table is just a terminator).
  TEEPNET_ASSIGN_OR_RETURN(std::vector<SnpCertEntry> entries, ParseSnpCertTable(certs));
  if (entries.empty()) {
    cert_table->clear();
  } else {
    *cert_table = std::move(certs);
  }
  return report;
}

}  // namespace teepnet::attest
