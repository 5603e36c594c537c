// Length-prefixed frames over a stream socket: a 4-byte big-endian length, then that many
// bytes. This is the wire of the Broker <-> Agent channel (the TEE boundary, DESIGN §1), so
// the reader treats the header as untrusted: a length above the caller's limit is refused
// before anything is allocated, and the connection must then be dropped (it cannot resync).
#ifndef TEEPNET_SERVICES_COMMON_FRAME_H_
#define TEEPNET_SERVICES_COMMON_FRAME_H_

#include <cstddef>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::common {

inline constexpr size_t kFrameHeaderBytes = 4;
// Large enough for an Update carrying several SUIT envelopes; the HTTP client's body limit
// (services/net) is the same order.
inline constexpr size_t kDefaultMaxFrameBytes = 16u << 20;

// Writes one frame (blocking; retries on EINTR and short writes). Never raises SIGPIPE.
Status WriteFrame(int fd, ByteView payload);
// Reads one frame (blocking). kPeerClosed on a clean close before the header,
// kTruncatedFrame on a close inside a frame, kFrameTooLarge above `max_bytes`.
Result<Bytes> ReadFrame(int fd, size_t max_bytes = kDefaultMaxFrameBytes);

// Parses a frame header (exposed for tests and the fuzzer): the announced payload length.
Result<size_t> ParseFrameHeader(ByteView header, size_t max_bytes);

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_FRAME_H_
