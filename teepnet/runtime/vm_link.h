// The link between the VM backend on the host and the guest agent inside a confidential VM
// (spec/instance-runtimes.md §3): the guest's second serial port (ttyS1), which qemu connects to
// a socket of the host. A serial line has no connection state of its own, and "bytes sent while
// the guest tty was closed were lost", so the link carries frames
//
//   magic (2 bytes: 0x7E 0x56) | kind (1 byte) | length (4 bytes, big-endian)
//     | payload (length bytes) | CRC-32 (4 bytes, big-endian, IEEE 802.3, over kind..payload)
//
// and starts with a handshake: the guest, once it holds ttyS1 open (so nothing the host sends
// afterwards is lost), repeats kHello until the host answers kAck. Then kData frames carry the
// TA channel (runtime/ta_wire.h) as an opaque byte stream both ways, so the TA and the Agent
// speak the same ta_wire frames as with a process or a container. kClose tells the guest the
// Agent closed its end; kTaExit tells the host how the TA ended (the guest then powers off).
//
// Both ends treat the other as untrusted: a bad magic, an unknown kind, a length above the limit
// or a wrong CRC ends the link (it cannot resync safely: a TA payload may contain the magic).
// The guest's configuration (/config in its initramfs: the TA's argv and environment) is
// encoded here too, because the guest agent decodes it.
//
// Library teepnet_vm_link: libc and teepnet_base only, so the guest agent links statically.
#ifndef TEEPNET_RUNTIME_VM_LINK_H_
#define TEEPNET_RUNTIME_VM_LINK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

inline constexpr uint8_t kLinkMagic0 = 0x7E;
inline constexpr uint8_t kLinkMagic1 = 0x56;
inline constexpr size_t kLinkHeaderBytes = 7;
inline constexpr size_t kLinkTrailerBytes = 4;
// A kData frame carries at most this much of the stream; larger writes are split.
inline constexpr size_t kMaxLinkPayload = 64 * 1024;
inline constexpr uint8_t kLinkVersion = 1;

enum class LinkKind : uint8_t {
  kHello = 1,   // guest -> host: u8 version; repeated until kAck
  kAck = 2,     // host -> guest: u8 version
  kData = 3,    // both ways: bytes of the TA channel
  kClose = 4,   // host -> guest: the Agent closed its end of the channel (empty)
  kTaExit = 5,  // guest -> host: u8 signaled (0/1) | u32 exit code or signal number
  // guest -> host: the 64 bytes of report data the guest wants its evidence to bind
  // (vm_guest_key.h); the host's platform plays the guest's secure processor.
  kEvidenceRequest = 6,
  // host -> guest: u8 status (0: evidence follows; 1: none, a reason in UTF-8 follows).
  kEvidence = 7,
};

struct LinkFrame {
  LinkKind kind = LinkKind::kData;
  Bytes payload;
};

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib's crc32().
uint32_t Crc32(ByteView data);

// One frame. The payload must be at most kMaxLinkPayload (a programming error otherwise: the
// frame is encoded anyway and the decoder refuses it).
Bytes EncodeLinkFrame(LinkKind kind, ByteView payload = {});
// kData frames for `stream`, split at kMaxLinkPayload, appended to `out`.
void AppendDataFrames(Bytes& out, ByteView stream);

// Incremental decoder for the bytes read from the link. Errors (kBadFrame for a bad magic,
// unknown kind or CRC, kFrameTooLarge above the limit) are sticky: the link is then dead.
class LinkDecoder {
 public:
  explicit LinkDecoder(size_t max_payload = kMaxLinkPayload) : max_payload_(max_payload) {}
  void Feed(ByteView bytes);
  // The next complete frame, or nullopt when more bytes are needed.
  Result<std::optional<LinkFrame>> Next();
  // Bytes fed but not yet returned in a frame.
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  size_t max_payload_;
  Bytes buffer_;
  size_t start_ = 0;
  std::optional<Error> error_;
};

struct TaExitReport {
  bool signaled = false;
  uint32_t value = 0;  // exit code, or the signal number when signaled
};
Bytes EncodeTaExit(const TaExitReport& report);
Result<TaExitReport> DecodeTaExit(ByteView payload);

// kEvidence: the platform's evidence for the guest, or why there is none.
struct EvidenceReply {
  bool ok = false;
  Bytes evidence;      // when ok
  std::string reason;  // when !ok
};
Bytes EncodeEvidenceReply(const EvidenceReply& reply);
// kBadFrame for an empty payload or an unknown status.
Result<EvidenceReply> DecodeEvidenceReply(ByteView payload);

// /config: what the guest agent runs as the TA.
//   config = u32 argc | argc * string | u32 envc | envc * string
//   string = u32 length (at most kMaxGuestConfigString) | bytes (no NUL)
inline constexpr size_t kMaxGuestConfigBytes = 64 * 1024;
inline constexpr size_t kMaxGuestConfigString = 4096;
inline constexpr size_t kMaxGuestConfigEntries = 256;
struct GuestConfig {
  std::vector<std::string> args;  // argv[1..]
  std::vector<std::string> env;   // "KEY=value"

  friend bool operator==(const GuestConfig&, const GuestConfig&) = default;
};
Bytes EncodeGuestConfig(const GuestConfig& config);
// kBadFrame for anything malformed (a NUL, a count or length above the limits, trailing bytes).
Result<GuestConfig> DecodeGuestConfig(ByteView bytes);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_VM_LINK_H_
