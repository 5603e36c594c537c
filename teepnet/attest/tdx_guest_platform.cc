#include "teepnet/attest/tdx_guest_platform.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/real_platform_evidence.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {
namespace {

static_assert(sizeof(TdxReportReq) == 64 + kTdReportSize, "tdx_report_req has no padding");

class FdTdxGuestDevice final : public TdxGuestDevice {
 public:
  explicit FdTdxGuestDevice(int fd) : fd_(fd) {}
  ~FdTdxGuestDevice() override { ::close(fd_); }
  FdTdxGuestDevice(const FdTdxGuestDevice&) = delete;
  FdTdxGuestDevice& operator=(const FdTdxGuestDevice&) = delete;

  int GetReport0(TdxReportReq& req) override {
    int rc;
    do {
      rc = ::ioctl(fd_, kTdxCmdGetReport0, &req);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
  }

 private:
  int fd_;
};

}  // namespace

Result<std::unique_ptr<TdxGuestDevice>> OpenTdxGuestDevice(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO) {
      return Error(Errc::kRealNotPresent,
                   path + " is not present (not a TDX guest): " + std::strerror(err));
    }
    return Error(Errc::kRealIo, "open " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<TdxGuestDevice>(new FdTdxGuestDevice(fd));
}

Result<std::unique_ptr<TdxGuestPlatform>> TdxGuestPlatform::Open(TdxGuestOptions options) {
  if (!options.device) {
    TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<TdxGuestDevice> dev,
                             OpenTdxGuestDevice(options.device_path));
    options.device = std::move(dev);
  }
  if (!options.quote.fs) options.quote.fs = NewPosixTsmReportFs();
  options.quote.required_provider = "tdx_guest";
  options.quote.privlevel.reset();  // an SEV-only option
  std::unique_ptr<TdxGuestPlatform> p(new TdxGuestPlatform(options));
  TEEPNET_ASSIGN_OR_RETURN(p->tsm_, ConfigfsTsmPlatform::Open(options.quote));

  auto mrtd = p->ReadMeasurementRegister("mrtd:sha384");
  if (mrtd.ok()) {
    p->measurement_hex_ = ToHex(*mrtd);
  } else if (mrtd.error().Is(Errc::kRealNotPresent)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes report, p->GetTdReport({}));
    p->measurement_hex_ = ToHex(ByteView(report).subspan(kTdReportMrtdOffset, kTdxMeasurementSize));
  } else {
    return mrtd.error();
  }
  return p;
}

Result<Bytes> TdxGuestPlatform::GetEvidence(ByteView report_data) {
  return tsm_->GetEvidence(report_data);
}

Result<Bytes> TdxGuestPlatform::GetTdReport(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(auto data, PadReportData(report_data));
  TdxReportReq req{};
  std::memcpy(req.reportdata, data.data(), data.size());
  if (int err = options_.device->GetReport0(req); err != 0) {
    return Error(Errc::kRealIo, std::string("TDX_CMD_GET_REPORT0 failed: ") + std::strerror(err));
  }
  return Bytes(req.tdreport, req.tdreport + kTdReportSize);
}

Result<Bytes> TdxGuestPlatform::ReadMeasurementRegister(std::string_view name) const {
  // Hex text with a newline is the longest accepted form.
  constexpr size_t kMaxFile = 2 * kTdxMeasurementSize + 1;
  const std::string path = options_.measurements_dir + "/" + std::string(name);
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, options_.quote.fs->Read(path, kMaxFile));
  if (raw.size() == kTdxMeasurementSize) return raw;
  std::string_view text(reinterpret_cast<const char*>(raw.data()), raw.size());
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  auto bytes = FromHex(text);
  if (!bytes.ok() || bytes->size() != kTdxMeasurementSize) {
    return Error(Errc::kRealBadResponse, path + " is neither 48 bytes nor 96 hex digits");
  }
  return *std::move(bytes);
}

}  // namespace teepnet::attest
