#include "teepnet/base/fd_io.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace teepnet {

FdTransfer WriteAllToFd(int fd, ByteView data) {
  FdTransfer t;
  while (t.done < data.size()) {
    ssize_t n = ::send(fd, data.data() + t.done, data.size() - t.done, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data.data() + t.done, data.size() - t.done);
    if (n < 0) {
      if (errno == EINTR) continue;
      t.outcome =
          (errno == EPIPE || errno == ECONNRESET) ? FdOutcome::kPeerClosed : FdOutcome::kError;
      t.error = errno;
      return t;
    }
    t.done += static_cast<size_t>(n);
  }
  return t;
}

FdTransfer ReadFullFromFd(int fd, std::span<uint8_t> out) {
  FdTransfer t;
  while (t.done < out.size()) {
    ssize_t n = ::read(fd, out.data() + t.done, out.size() - t.done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) {
        t.outcome = FdOutcome::kPeerClosed;
        return t;
      }
      t.outcome = FdOutcome::kError;
      t.error = errno;
      return t;
    }
    if (n == 0) {
      t.outcome = FdOutcome::kPeerClosed;
      return t;
    }
    t.done += static_cast<size_t>(n);
  }
  return t;
}

}  // namespace teepnet
