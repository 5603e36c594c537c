#include "teepnet/base/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "teepnet/base/errc.h"

namespace teepnet {

namespace {

Result<Bytes> ReadAll(int fd, const std::string& what, size_t max_size) {
  Bytes out;
  uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(BaseErrc::kIo, what + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_size) {
      return Error(BaseErrc::kTooLarge, what + ": larger than " + std::to_string(max_size) + " bytes");
    }
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

}  // namespace

Result<Bytes> ReadFile(const std::string& path, size_t max_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(BaseErrc::kIo, path + ": " + std::strerror(errno));
  auto result = ReadAll(fd, path, max_size);
  ::close(fd);
  return result;
}

Result<Bytes> ReadStdin(size_t max_size) { return ReadAll(0, "stdin", max_size); }

Status WriteFileAtomic(const std::string& path, ByteView data, unsigned mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error(BaseErrc::kIo, tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error(BaseErrc::kIo, tmp + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Error(BaseErrc::kIo, tmp + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Error(BaseErrc::kIo, path + ": " + std::strerror(err));
  }
  return OkStatus();
}

}  // namespace teepnet
