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
#include <string>

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
  kGuestKey = 5,  // VM guest agent -> Agent: the guest's key and evidence (vm_guest_key.h)
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
// own attested HPKE key, so the Agent passes the sealed bytes through together with the
// instance's private keys, which the Agent generated and whose public halves it put in the
// evidence (USE-CASES "TA instances"). The TA opens the sealed bytes (teepnet/channel) itself
// and signs its delivery receipt with the proof key. The delivery context tells it what to
// open against (the channel binding the user sealed for) and what its receipt says.
//
//   form 1: 0x01 | plaintext
//   form 2: 0x02 | field(HPKE private key) | field(proof private key) | field(request_id)
//                | field(device_id) | field(instance) | field(purpose) | field(measurement)
//                | sealed bytes (the rest)
//   field  = length (4 bytes BE, at most kMaxPdFieldBytes) | bytes
enum class PdForm : uint8_t { kPlaintext = 1, kSealed = 2 };

// Keys are 32 raw bytes and the context fields short strings and digests; a field announcing
// more is refused before anything is copied.
inline constexpr size_t kMaxPdFieldBytes = 4096;

// Form 2: what the Agent tells the TA about the delivery (channel::Binding plus the
// measurement the receipt names). The Agent is the TA's launcher and already trusted with its
// keys, so the TA takes these as given.
struct DeliveryContext {
  std::string request_id;
  Bytes device_id;  // RFC 9679 thumbprint of the Agent's TEEP key
  std::string instance;
  std::string purpose;
  Bytes measurement;  // SHA-256 of the TA image the Agent started (its launch measurement)

  friend bool operator==(const DeliveryContext&, const DeliveryContext&) = default;
};

struct Pd {
  PdForm form = PdForm::kPlaintext;
  SecretBytes plaintext;          // form 1
  Bytes sealed;                   // form 2: exactly as the user sealed it
  SecretBytes hpke_private_key;   // form 2: the instance's X25519 key (32 raw bytes)
  SecretBytes proof_private_key;  // form 2: the instance's Ed25519 receipt key (32 raw bytes)
  DeliveryContext context;        // form 2
};

Bytes EncodePlaintextPd(ByteView plaintext);
// Form 2. Fields above kMaxPdFieldBytes are a programming error of the Agent: they are encoded
// anyway and DecodePd refuses them.
Bytes EncodeSealedPd(ByteView sealed, ByteView hpke_private_key, ByteView proof_private_key,
                     const DeliveryContext& context);
// Parses a kPd payload (through ByteReader; trailing bytes cannot exist in form 1 and are the
// sealed bytes in form 2). kBadFrame for an unknown form, a field longer than kMaxPdFieldBytes
// or one that runs past the end.
Result<Pd> DecodePd(ByteView payload);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_TA_WIRE_H_
