#include "teepnet/attest/configfs_tsm_platform.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/real_platform_evidence.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"

namespace teepnet::attest {
namespace {

std::string Errno(const char* what, const std::string& path, int err) {
  return std::string(what) + " " + path + ": " + std::strerror(err);
}

class PosixTsmReportFs final : public TsmReportFs {
 public:
  bool IsDirectory(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  Status MakeDir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0700) == 0) return {};
    const int err = errno;
    if (err == EEXIST) return Error(Code::kAlreadyExists, Errno("mkdir", path, err));
    return Error(Errc::kRealIo, Errno("mkdir", path, err));
  }

  Status RemoveDir(const std::string& path) override {
    if (::rmdir(path.c_str()) == 0) return {};
    return Error(Errc::kRealIo, Errno("rmdir", path, errno));
  }

  Result<Bytes> Read(const std::string& path, size_t max_size) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT) return Error(Errc::kRealNotPresent, Errno("open", path, err));
      return Error(Errc::kRealIo, Errno("open", path, err));
    }
    // One byte past the limit tells "exactly at the limit" from "over it".
    Bytes out(max_size + 1);
    size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        // The kernel answers an outblob over TSM_OUTBLOB_MAX with EFBIG.
        if (err == EFBIG) return Error(Errc::kRealBlobTooLarge, Errno("read", path, err));
        return Error(Errc::kRealIo, Errno("read", path, err));
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    ::close(fd);
    if (got > max_size) {
      return Error(Errc::kRealBlobTooLarge,
                   path + " is longer than " + std::to_string(max_size) + " bytes");
    }
    out.resize(got);
    return out;
  }

  Status Write(const std::string& path, ByteView data) override {
    // No O_CREAT / O_TRUNC: configfs attributes exist with the entry and cannot be truncated.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT) return Error(Errc::kRealNotPresent, Errno("open", path, err));
      return Error(Errc::kRealIo, Errno("open", path, err));
    }
    ssize_t n;
    do {
      n = ::write(fd, data.data(), data.size());
    } while (n < 0 && errno == EINTR);
    const int write_err = errno;
    // configfs binary attributes are committed on release: close() can fail the write too.
    const int close_rc = ::close(fd);
    const int close_err = errno;
    if (n < 0) return Error(Errc::kRealIo, Errno("write", path, write_err));
    if (static_cast<size_t>(n) != data.size()) {
      return Error(Errc::kRealIo, "short write to " + path);
    }
    if (close_rc != 0) return Error(Errc::kRealIo, Errno("close", path, close_err));
    return {};
  }
};

std::string_view TrimLine(ByteView text) {
  std::string_view s(reinterpret_cast<const char*>(text.data()), text.size());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\0')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<uint64_t> ReadNumber(TsmReportFs& fs, const std::string& path) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes text, fs.Read(path, kTsmTextAttributeMax));
  const std::string_view s = TrimLine(text);
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Error(Errc::kRealBadResponse, path + " is not a decimal number");
  }
  return value;
}

// Removes the report entry whatever happens after mkdir: entries hold kernel memory.
class EntryGuard {
 public:
  EntryGuard(TsmReportFs& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  ~EntryGuard() { (void)fs_.RemoveDir(path_); }
  EntryGuard(const EntryGuard&) = delete;
  EntryGuard& operator=(const EntryGuard&) = delete;

 private:
  TsmReportFs& fs_;
  std::string path_;
};

}  // namespace

std::unique_ptr<TsmReportFs> NewPosixTsmReportFs() {
  return std::make_unique<PosixTsmReportFs>();
}

Result<EvidenceFormat> FormatOfTsmProvider(std::string_view provider) {
  // Provider names as registered by the kernel drivers (drivers/virt/coco/*).
  if (provider == "sev_guest") return EvidenceFormat::kSevSnpReport;
  if (provider == "tdx_guest") return EvidenceFormat::kTdxQuote;
  if (provider == "arm_cca_guest") return EvidenceFormat::kCcaToken;
  return Error(Errc::kTsmUnknownProvider,
               "configfs-tsm provider \"" + std::string(provider) + "\" is not supported");
}

Result<std::unique_ptr<ConfigfsTsmPlatform>> ConfigfsTsmPlatform::Open(ConfigfsTsmOptions options) {
  if (!options.fs) options.fs = NewPosixTsmReportFs();
  if (options.privlevel && *options.privlevel > kTsmPrivlevelMax) {
    return Error(Errc::kRealBadArgument, "privlevel above " + std::to_string(kTsmPrivlevelMax));
  }
  if (options.max_attempts < 1) return Error(Errc::kRealBadArgument, "max_attempts below 1");
  if (!options.fs->IsDirectory(options.root)) {
    return Error(Errc::kRealNotPresent,
                 "configfs-tsm is not available at " + options.root +
                     " (configfs not mounted, or a kernel without CONFIG_TSM_REPORTS)");
  }
  std::unique_ptr<ConfigfsTsmPlatform> p(new ConfigfsTsmPlatform(std::move(options)));
  TEEPNET_ASSIGN_OR_RETURN(TsmReport probe, p->GetReport({}));
  TEEPNET_ASSIGN_OR_RETURN(p->format_, FormatOfTsmProvider(probe.provider));
  p->provider_ = probe.provider;
  TEEPNET_ASSIGN_OR_RETURN(p->measurement_hex_, EvidenceMeasurementHex(p->format_, probe.outblob));
  return p;
}

Architecture ConfigfsTsmPlatform::architecture() const {
  switch (format_) {
    case EvidenceFormat::kTdxQuote: return Architecture::kTdx;
    case EvidenceFormat::kCcaToken: return Architecture::kCca;
    default: return Architecture::kSevSnp;
  }
}

Result<Bytes> ConfigfsTsmPlatform::GetEvidence(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(TsmReport report, GetReport(report_data));
  last_auxblob_ = std::move(report.auxblob);
  return std::move(report.outblob);
}

std::string ConfigfsTsmPlatform::NewEntryName() {
  // Unique per process and request; the random part keeps names unguessable to other users
  // of the same configfs (a pre-created entry of that name just fails our mkdir).
  auto rnd = crypto::RandomBytes(8);
  return "teepnet-" + std::to_string(::getpid()) + "-" + std::to_string(++entries_made_) + "-" +
         (rnd.ok() ? ToHex(*rnd) : std::string("0"));
}

Result<TsmReport> ConfigfsTsmPlatform::GetReport(ByteView report_data) {
  TEEPNET_ASSIGN_OR_RETURN(auto inblob, PadReportData(report_data));
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    bool concurrent_writer = false;
    auto report = Attempt(inblob, &concurrent_writer);
    if (!concurrent_writer) return report;
  }
  return Error(Errc::kTsmConcurrentWriter, "generation changed under every one of " +
                                               std::to_string(options_.max_attempts) +
                                               " attempts: another writer uses the report entries");
}

Result<TsmReport> ConfigfsTsmPlatform::Attempt(ByteView inblob, bool* concurrent_writer) {
  TsmReportFs& fs = *options_.fs;
  std::string dir;
  // A name clash (kAlreadyExists) just takes another name.
  for (int i = 0;; ++i) {
    dir = options_.root + "/" + NewEntryName();
    Status made = fs.MakeDir(dir);
    if (made.ok()) break;
    if (made.error().code() != Code::kAlreadyExists || i >= 3) return made.error();
  }
  EntryGuard guard(fs, dir);

  TsmReport report;
  auto provider = fs.Read(dir + "/provider", kTsmTextAttributeMax);
  if (!provider.ok() || TrimLine(*provider).empty()) {
    return Error(Errc::kTsmMissingProvider, "report entry " + dir + " has no provider");
  }
  report.provider = std::string(TrimLine(*provider));
  TEEPNET_RETURN_IF_ERROR(FormatOfTsmProvider(report.provider));
  if (options_.required_provider && report.provider != *options_.required_provider) {
    return Error(Errc::kTsmUnknownProvider, "configfs-tsm provider is " + report.provider +
                                                ", not " + *options_.required_provider);
  }
  if (!provider_.empty() && report.provider != provider_) {
    return Error(Errc::kTsmUnknownProvider,
                 "configfs-tsm provider changed from " + provider_ + " to " + report.provider);
  }

  TEEPNET_ASSIGN_OR_RETURN(const uint64_t before, ReadNumber(fs, dir + "/generation"));
  uint64_t writes = 0;
  if (options_.privlevel) {
    // configfs-tsm ABI: privlevel must not be below privlevel_floor (when the provider has
    // one); the kernel would refuse the write with EINVAL, this names the reason.
    auto floor = ReadNumber(fs, dir + "/privlevel_floor");
    if (floor.ok() && *options_.privlevel < *floor) {
      return Error(Errc::kRealBadArgument, "privlevel " + std::to_string(*options_.privlevel) +
                                               " is below privlevel_floor " +
                                               std::to_string(*floor));
    }
    const std::string text = std::to_string(*options_.privlevel);
    TEEPNET_RETURN_IF_ERROR(fs.Write(
        dir + "/privlevel", ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
    ++writes;
  }
  TEEPNET_RETURN_IF_ERROR(fs.Write(dir + "/inblob", inblob));
  ++writes;

  TEEPNET_ASSIGN_OR_RETURN(report.outblob, fs.Read(dir + "/outblob", kTsmOutblobMax));
  if (report.provider == "sev_guest") {
    auto aux = fs.Read(dir + "/auxblob", kTsmAuxblobMax);
    if (aux.ok()) {
      report.auxblob = *std::move(aux);
    } else if (!aux.error().Is(Errc::kRealNotPresent)) {
      return aux.error();  // too large or unreadable: never hand out a truncated table
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(report.generation, ReadNumber(fs, dir + "/generation"));
  // configfs-tsm ABI: generation increments on each write to inblob or an option, so a reader
  // compares it with what its own writes explain to detect a concurrent writer.
  if (report.generation != before + writes) {
    *concurrent_writer = true;
    return Error(Errc::kTsmConcurrentWriter, "generation " + std::to_string(report.generation) +
                                                 " after our writes, expected " +
                                                 std::to_string(before + writes));
  }
  if (report.outblob.empty()) {
    return Error(Errc::kRealBadResponse, "empty outblob from provider " + report.provider);
  }
  return report;
}

}  // namespace teepnet::attest
