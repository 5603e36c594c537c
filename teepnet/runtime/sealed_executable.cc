#include "teepnet/runtime/sealed_executable.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

constexpr int kRequiredSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

Error SysError(const char* what) {
  return Error(Errc::kSystem, std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

Result<SealedExecutable> SealedExecutable::FromBytes(const std::string& name, ByteView image) {
  if (image.empty()) return Error(Errc::kBadSpec, "executable: empty image");
  if (image.size() > kMaxExecutableBytes) {
    return Error(Errc::kBadSpec, "executable: above kMaxExecutableBytes");
  }
  SealedExecutable e;
  e.fd_ = ::memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (e.fd_ < 0) return SysError("memfd_create");
  size_t done = 0;
  while (done < image.size()) {
    ssize_t n = ::write(e.fd_, image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return SysError("memfd write");
    done += static_cast<size_t>(n);
  }
  // Seal before measuring: after F_SEAL_WRITE no writable mapping or write() can change the
  // bytes, and F_SEAL_SEAL stops anyone from lifting the seals again.
  if (::fcntl(e.fd_, F_ADD_SEALS, kRequiredSeals) != 0) {
    return Error(Errc::kSealFailed, std::string("F_ADD_SEALS: ") + std::strerror(errno));
  }
  int seals = ::fcntl(e.fd_, F_GET_SEALS);
  if (seals < 0 || (seals & kRequiredSeals) != kRequiredSeals) {
    return Error(Errc::kSealFailed, "memfd: seals missing after F_ADD_SEALS");
  }
  // Measure what the kernel holds now, not the caller's buffer.
  crypto::Hasher hasher(crypto::HashAlgorithm::kSha256);
  uint8_t chunk[64 * 1024];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(e.fd_, chunk, sizeof chunk, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("memfd pread");
    if (n == 0) break;
    hasher.Update(ByteView(chunk, static_cast<size_t>(n)));
    offset += n;
  }
  if (static_cast<size_t>(offset) != image.size()) {
    return Error(Errc::kSealFailed, "memfd: size changed while measuring");
  }
  e.size_ = image.size();
  e.measurement_ = hasher.Finish();
  return e;
}

Result<SealedExecutable> SealedExecutable::FromFile(const std::string& name,
                                                    const std::string& path) {
  auto image = ReadFile(path, kMaxExecutableBytes);
  if (!image.ok()) {
    return Error(Errc::kBadSpec, "executable " + path + ": " + image.error().message());
  }
  return FromBytes(name, *image);
}

SealedExecutable::SealedExecutable(SealedExecutable&& other) noexcept
    : fd_(other.fd_), size_(other.size_), measurement_(std::move(other.measurement_)) {
  other.fd_ = -1;
}

SealedExecutable& SealedExecutable::operator=(SealedExecutable&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    size_ = other.size_;
    measurement_ = std::move(other.measurement_);
    other.fd_ = -1;
  }
  return *this;
}

SealedExecutable::~SealedExecutable() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace teepnet::runtime
