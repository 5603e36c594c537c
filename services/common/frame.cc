#include "services/common/frame.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "services/common/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/fd_io.h"

namespace teepnet::common {

namespace {

Status WriteAll(int fd, ByteView data) {
  const FdTransfer t = WriteAllToFd(fd, data);
  if (t.outcome == FdOutcome::kPeerClosed) {
    return Error(Errc::kPeerClosed, "channel closed by peer");
  }
  if (t.outcome == FdOutcome::kError) {
    return Error(Errc::kIo, std::string("channel write: ") + std::strerror(t.error));
  }
  return OkStatus();
}

// Fills `out` completely; returns how many bytes arrived before EOF (== size on success).
Result<size_t> ReadAll(int fd, std::span<uint8_t> out) {
  const FdTransfer t = ReadFullFromFd(fd, out);
  if (t.outcome == FdOutcome::kError) {
    return Error(Errc::kIo, std::string("channel read: ") + std::strerror(t.error));
  }
  return t.done;
}

}  // namespace

Result<size_t> ParseFrameHeader(ByteView header, size_t max_bytes) {
  ByteReader reader(header);
  uint32_t length = 0;
  if (!reader.ReadBeU32(&length) || !reader.AtEnd()) {
    return Error(Errc::kTruncatedFrame, "frame header must be 4 bytes", 0);
  }
  if (length > max_bytes) {
    return Error(Errc::kFrameTooLarge, "frame of " + std::to_string(length) +
                                           " bytes exceeds the limit of " +
                                           std::to_string(max_bytes));
  }
  return static_cast<size_t>(length);
}

Status WriteFrame(int fd, ByteView payload) {
  if (payload.size() > UINT32_MAX) {
    return Error(Errc::kFrameTooLarge, "payload does not fit a 32-bit frame length");
  }
  ByteWriter header(kFrameHeaderBytes);
  header.WriteBeU32(static_cast<uint32_t>(payload.size()));
  TEEPNET_RETURN_IF_ERROR(WriteAll(fd, header.bytes()));
  return WriteAll(fd, payload);
}

Result<Bytes> ReadFrame(int fd, size_t max_bytes) {
  uint8_t header[kFrameHeaderBytes];
  TEEPNET_ASSIGN_OR_RETURN(size_t got, ReadAll(fd, header));
  if (got == 0) return Error(Errc::kPeerClosed, "channel closed by peer");
  if (got < sizeof header) return Error(Errc::kTruncatedFrame, "channel closed inside a header");
  TEEPNET_ASSIGN_OR_RETURN(size_t length, ParseFrameHeader(header, max_bytes));
  Bytes payload(length);
  TEEPNET_ASSIGN_OR_RETURN(got, ReadAll(fd, payload));
  if (got < length) {
    return Error(Errc::kTruncatedFrame, "channel closed after " + std::to_string(got) + " of " +
                                            std::to_string(length) + " bytes");
  }
  return payload;
}

}  // namespace teepnet::common
