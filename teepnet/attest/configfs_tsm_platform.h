// A Platform over the Linux configfs-tsm report interface (Linux 6.7+, CONFIG_TSM_REPORTS,
// Documentation/ABI/testing/configfs-tsm): one vendor-neutral way for a confidential guest to
// get its evidence. Per request this backend
//   1. creates a report entry directory <root>/<unique name> (one entry per request, so two
//      processes never share an entry);
//   2. reads `provider` (RO) to learn the format: sev_guest -> SEV-SNP ATTESTATION_REPORT,
//      tdx_guest -> TDX quote, arm_cca_guest -> CCA token; anything else is refused;
//   3. reads `generation` (RO), writes `privlevel` (SEV VMPL, optional) and the 64-byte
//      `inblob`, reads `outblob` (and for sev_guest `auxblob`, the GHCB certificate table);
//   4. reads `generation` again: the kernel increments it on every write to inblob or an
//      option, so anything but "before + our writes" means another writer changed the entry
//      between our write and our read, and the blobs may answer someone else's inblob. The
//      attempt is discarded and retried with a fresh entry (kTsmConcurrentWriter after
//      `max_attempts`);
//   5. removes the entry (rmdir), on every path.
//
// All file access goes through TsmReportFs so tests can emulate the kernel's side effects
// (populated attribute files, generation bumps) deterministically over a temporary directory.
#ifndef TEEPNET_ATTEST_CONFIGFS_TSM_PLATFORM_H_
#define TEEPNET_ATTEST_CONFIGFS_TSM_PLATFORM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr std::string_view kConfigfsTsmDefaultRoot = "/sys/kernel/config/tsm/report";
// include/linux/tsm.h: TSM_OUTBLOB_MAX is SZ_32K; the kernel fails larger reports with EFBIG,
// so anything longer here is not from a conforming kernel.
inline constexpr size_t kTsmOutblobMax = 32 * 1024;
// The SEV certificate table (VCEK/VLEK, ASK, ARK, CRL) travels in auxblob: same bound.
inline constexpr size_t kTsmAuxblobMax = 32 * 1024;
// Text attributes (provider, generation, privlevel_floor) are a line each.
inline constexpr size_t kTsmTextAttributeMax = 64;
// include/linux/tsm.h: TSM_PRIVLEVEL_MAX.
inline constexpr uint32_t kTsmPrivlevelMax = 3;

// The filesystem operations the backend needs, over absolute paths.
class TsmReportFs {
 public:
  virtual ~TsmReportFs() = default;
  virtual bool IsDirectory(const std::string& path) = 0;
  // kAlreadyExists (canonical code, no attest reason) when the entry exists, kRealIo otherwise.
  virtual Status MakeDir(const std::string& path) = 0;
  virtual Status RemoveDir(const std::string& path) = 0;
  // The whole attribute. kRealNotPresent when it does not exist, kRealBlobTooLarge when it is
  // longer than `max_size` (never more than max_size + 1 bytes are read), kRealIo otherwise.
  virtual Result<Bytes> Read(const std::string& path, size_t max_size) = 0;
  // Writes the whole attribute in one write (configfs binary attributes commit on close).
  virtual Status Write(const std::string& path, ByteView data) = 0;
};

// Plain POSIX calls (open/read/write/mkdir/rmdir).
std::unique_ptr<TsmReportFs> NewPosixTsmReportFs();

// The evidence format a provider name stands for; kTsmUnknownProvider otherwise.
Result<EvidenceFormat> FormatOfTsmProvider(std::string_view provider);

struct ConfigfsTsmOptions {
  std::string root = std::string(kConfigfsTsmDefaultRoot);
  // Written to `privlevel` when set (SEV-SNP: the VMPL the report is requested for).
  std::optional<uint32_t> privlevel;
  // Refuse any other provider (the tdx-guest backend requires "tdx_guest").
  std::optional<std::string> required_provider;
  int max_attempts = 3;
  // Null: NewPosixTsmReportFs().
  std::shared_ptr<TsmReportFs> fs;
};

struct TsmReport {
  std::string provider;
  Bytes outblob;
  Bytes auxblob;  // empty when the provider gives no auxiliary data
  uint64_t generation = 0;
};

class ConfigfsTsmPlatform final : public Platform {
 public:
  // kRealNotPresent when `root` is not a directory. Makes one report with zero report data to
  // learn the provider and the launch measurement, so a backend that opens also works.
  static Result<std::unique_ptr<ConfigfsTsmPlatform>> Open(ConfigfsTsmOptions options);

  Architecture architecture() const override;
  EvidenceFormat format() const override { return format_; }
  // outblob for `report_data` zero-padded to 64 bytes (kRealBadArgument above 64).
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override { return measurement_hex_; }

  // One full report cycle (steps 1..5 above).
  Result<TsmReport> GetReport(ByteView report_data);
  const std::string& provider() const { return provider_; }
  // auxblob of the last GetEvidence (sev_guest: the GHCB certificate table; else empty).
  const Bytes& last_auxblob() const { return last_auxblob_; }

 private:
  explicit ConfigfsTsmPlatform(ConfigfsTsmOptions options) : options_(std::move(options)) {}
  Result<TsmReport> Attempt(ByteView inblob, bool* concurrent_writer);
  std::string NewEntryName();

  ConfigfsTsmOptions options_;
  std::string provider_;
  EvidenceFormat format_ = EvidenceFormat::kSevSnpReport;
  std::string measurement_hex_;
  Bytes last_auxblob_;
  uint64_t entries_made_ = 0;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CONFIGFS_TSM_PLATFORM_H_
