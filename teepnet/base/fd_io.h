// Blocking whole-buffer reads and writes on a file descriptor (a socketpair or pipe between
// teepnet's own processes: the Agent's TEE boundary, a TA's channel). They retry EINTR and short
// transfers; each caller maps the outcome to its own module's error reasons.
#ifndef TEEPNET_BASE_FD_IO_H_
#define TEEPNET_BASE_FD_IO_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "teepnet/base/bytes.h"

namespace teepnet {

enum class FdOutcome : uint8_t {
  kOk,
  kPeerClosed,  // write: EPIPE/ECONNRESET; read: EOF or ECONNRESET before the buffer filled
  kError,       // any other errno (in FdTransfer::error)
};

struct FdTransfer {
  FdOutcome outcome = FdOutcome::kOk;
  size_t done = 0;  // bytes transferred
  int error = 0;    // errno for kError
};

// Writes all of `data`. send() with MSG_NOSIGNAL so a vanished peer is an outcome, not a
// SIGPIPE that kills the process; falls back to write() for descriptors that are not sockets.
FdTransfer WriteAllToFd(int fd, ByteView data);

// Fills `out` completely unless the peer closes first (kPeerClosed with `done` < size).
FdTransfer ReadFullFromFd(int fd, std::span<uint8_t> out);

}  // namespace teepnet

#endif  // TEEPNET_BASE_FD_IO_H_
