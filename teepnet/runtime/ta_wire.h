// The wire between a launcher (the TEEP Agent, or the REE deployer for a UA) and the instance
// it started: one inherited stream socket (fd 3 in the instance, kChannelFd) carrying frames
//
//   type (1 byte) | length (4 bytes, big-endian) | payload (length bytes)
//
// Both sides treat the header as untrusted: the TA does not trust the REE that relays UA
// traffic, and the Agent does not trust the TA. A length above the limit is refused before
// anything is allocated, and the connection must then be dropped (it cannot resync).
#ifndef TEEPNET_RUNTIME_TA_WIRE_H_
#define TEEPNET_RUNTIME_TA_WIRE_H_

#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::runtime {

// The descriptor number under which every instance inherits its channel.
inline constexpr int kChannelFd = 3;
inline constexpr size_t kFrameHeaderBytes = 5;
// PD and UA messages are small; 16 MiB leaves room for a data set without letting a peer make
// the other side allocate without bound.
inline constexpr size_t kMaxFramePayload = 16u << 20;

enum class FrameType : uint8_t {
  kPd = 1,        // launcher -> TA: the Personalization Data (see EncodePd)
  kFromUa = 2,    // launcher -> TA: bytes the UA sent to this TA (relayed by the REE)
  kToUa = 3,      // TA -> launcher: bytes for the UA
  kResponse = 4,  // TA -> launcher: the TA's answer to the Agent (e.g. after the PD)
};

struct Frame {
  FrameType type = FrameType::kPd;
  Bytes payload;
};

// Writes one frame (blocking; retries EINTR and short writes; never raises SIGPIPE).
Status WriteFrame(int fd, FrameType type, ByteView payload);
// Reads one frame (blocking). kPeerClosed on a close before a header, kTruncatedFrame inside a
// frame, kFrameTooLarge above `max_payload`, kBadFrame for an unknown type.
Result<Frame> ReadFrame(int fd, size_t max_payload = kMaxFramePayload);

struct FrameHeader {
  FrameType type = FrameType::kPd;
  size_t length = 0;
};
// Parses the kFrameHeaderBytes of a header (ReadFrame's first step; exposed for tests and a
// fuzzer): kBadFrame for an unknown type, kFrameTooLarge above `max_payload`.
Result<FrameHeader> ParseFrameHeader(ByteView header, size_t max_payload = kMaxFramePayload);

// The PD payload has two forms (DESIGN §2): in cases 1 and 4 the Agent opens the user's sealed
// package itself and hands the TA plaintext; in cases 2 and 3 the user seals the PD to the TA's
// own attested HPKE key, so the Agent passes the sealed bytes through together with the TA's
// private key, which the Agent generated and whose public half it put in the evidence. The TA
// opens the sealed bytes (teepnet/hpke or teepnet/cose) itself.
//
//   form 1: 0x01 | plaintext
//   form 2: 0x02 | key length (4 bytes BE) | HPKE private key | sealed bytes
enum class PdForm : uint8_t { kPlaintext = 1, kSealed = 2 };

struct Pd {
  PdForm form = PdForm::kPlaintext;
  SecretBytes plaintext;         // form 1
  Bytes sealed;                  // form 2: exactly as the user sealed it
  SecretBytes hpke_private_key;  // form 2: the TA's own key
};

Bytes EncodePlaintextPd(ByteView plaintext);
Bytes EncodeSealedPd(ByteView sealed, ByteView hpke_private_key);
// Parses a kPd payload (through ByteReader; trailing bytes cannot exist in form 1 and are the
// sealed bytes in form 2). kBadFrame for an unknown form or a key length past the end.
Result<Pd> DecodePd(ByteView payload);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_TA_WIRE_H_
