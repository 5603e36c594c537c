#include "teepnet/runtime/ta_wire.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/fd_io.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

Status WriteAll(int fd, ByteView data) {
  const FdTransfer t = WriteAllToFd(fd, data);
  if (t.outcome == FdOutcome::kPeerClosed) {
    return Error(Errc::kPeerClosed, "channel: peer closed while writing");
  }
  if (t.outcome == FdOutcome::kError) {
    return Error(Errc::kSystem, std::string("channel write: ") + std::strerror(t.error));
  }
  return OkStatus();
}

// Fills `out` completely; returns how many bytes arrived before EOF (== size on success).
Result<size_t> ReadFull(int fd, std::span<uint8_t> out) {
  const FdTransfer t = ReadFullFromFd(fd, out);
  if (t.outcome == FdOutcome::kError) {
    return Error(Errc::kSystem, std::string("channel read: ") + std::strerror(t.error));
  }
  return t.done;
}

bool KnownType(uint8_t t) {
  return t >= static_cast<uint8_t>(FrameType::kPd) &&
         t <= static_cast<uint8_t>(FrameType::kGuestKey);
}

}  // namespace

Status WriteFrame(int fd, FrameType type, ByteView payload) {
  if (payload.size() > kMaxFramePayload) {
    return Error(Errc::kFrameTooLarge, "channel: payload above kMaxFramePayload");
  }
  ByteWriter w(kFrameHeaderBytes + payload.size());
  w.WriteU8(static_cast<uint8_t>(type));
  w.WriteBeU32(static_cast<uint32_t>(payload.size()));
  w.WriteBytes(payload);
  return WriteAll(fd, w.bytes());
}

Result<FrameHeader> ParseFrameHeader(ByteView header, size_t max_payload) {
  ByteReader r(header);
  uint8_t type = 0;
  uint32_t length = 0;
  if (!r.ReadU8(&type) || !r.ReadBeU32(&length)) {
    return Error(Errc::kTruncatedFrame, "channel: short frame header", r.failure_offset());
  }
  if (!r.AtEnd()) return Error(Errc::kBadFrame, "channel: header longer than 5 bytes", 5);
  if (!KnownType(type)) return Error(Errc::kBadFrame, "channel: unknown frame type", 0);
  if (length > max_payload) {
    return Error(Errc::kFrameTooLarge, "channel: frame of " + std::to_string(length) + " bytes", 1);
  }
  return FrameHeader{static_cast<FrameType>(type), length};
}

Result<Frame> ReadFrame(int fd, size_t max_payload) {
  uint8_t header[kFrameHeaderBytes];
  TEEPNET_ASSIGN_OR_RETURN(size_t got, ReadFull(fd, header));
  if (got == 0) return Error(Errc::kPeerClosed, "channel: closed");
  if (got < kFrameHeaderBytes) return Error(Errc::kTruncatedFrame, "channel: closed in a header");
  TEEPNET_ASSIGN_OR_RETURN(FrameHeader h,
                           ParseFrameHeader(ByteView(header, sizeof header), max_payload));
  Frame frame;
  frame.type = h.type;
  frame.payload.resize(h.length);
  TEEPNET_ASSIGN_OR_RETURN(got, ReadFull(fd, frame.payload));
  if (got < h.length) return Error(Errc::kTruncatedFrame, "channel: closed inside a frame");
  return frame;
}

Bytes EncodePlaintextPd(ByteView plaintext) {
  ByteWriter w(1 + plaintext.size());
  w.WriteU8(static_cast<uint8_t>(PdForm::kPlaintext));
  w.WriteBytes(plaintext);
  return std::move(w).Take();
}

namespace {

void WriteField(ByteWriter& w, ByteView field) {
  w.WriteBeU32(static_cast<uint32_t>(field.size()));
  w.WriteBytes(field);
}

// One length-prefixed form-2 field, bounded before it is read.
Result<ByteView> ReadField(ByteReader& r, const char* name) {
  uint32_t length = 0;
  if (!r.ReadBeU32(&length)) {
    return Error(Errc::kBadFrame, std::string("pd: ") + name + " length runs past the payload",
                 r.failure_offset());
  }
  if (length > kMaxPdFieldBytes) {
    return Error(Errc::kBadFrame,
                 std::string("pd: ") + name + " is longer than " + std::to_string(kMaxPdFieldBytes),
                 r.position() - 4);
  }
  ByteView field;
  if (!r.ReadBytes(length, &field)) {
    return Error(Errc::kBadFrame, std::string("pd: ") + name + " runs past the payload",
                 r.failure_offset());
  }
  return field;
}

}  // namespace

Bytes EncodeSealedPd(ByteView sealed, ByteView hpke_private_key, ByteView proof_private_key,
                     const DeliveryContext& context) {
  ByteWriter w(1 + 7 * 4 + hpke_private_key.size() + proof_private_key.size() +
               context.request_id.size() + context.device_id.size() + context.instance.size() +
               context.purpose.size() + context.measurement.size() + sealed.size());
  w.WriteU8(static_cast<uint8_t>(PdForm::kSealed));
  WriteField(w, hpke_private_key);
  WriteField(w, proof_private_key);
  WriteField(w, AsBytes(context.request_id));
  WriteField(w, context.device_id);
  WriteField(w, AsBytes(context.instance));
  WriteField(w, AsBytes(context.purpose));
  WriteField(w, context.measurement);
  w.WriteBytes(sealed);
  return std::move(w).Take();
}

Result<Pd> DecodePd(ByteView payload) {
  ByteReader r(payload);
  uint8_t form = 0;
  if (!r.ReadU8(&form)) return Error(Errc::kBadFrame, "pd: empty payload", 0);
  Pd pd;
  if (form == static_cast<uint8_t>(PdForm::kPlaintext)) {
    pd.form = PdForm::kPlaintext;
    pd.plaintext = SecretBytes(r.Rest());
    return pd;
  }
  if (form != static_cast<uint8_t>(PdForm::kSealed)) {
    return Error(Errc::kBadFrame, "pd: unknown form " + std::to_string(form), 0);
  }
  pd.form = PdForm::kSealed;
  TEEPNET_ASSIGN_OR_RETURN(ByteView hpke, ReadField(r, "HPKE private key"));
  pd.hpke_private_key = SecretBytes(hpke);
  TEEPNET_ASSIGN_OR_RETURN(ByteView proof, ReadField(r, "proof private key"));
  pd.proof_private_key = SecretBytes(proof);
  TEEPNET_ASSIGN_OR_RETURN(ByteView request_id, ReadField(r, "request_id"));
  pd.context.request_id = std::string(AsChars(request_id));
  TEEPNET_ASSIGN_OR_RETURN(ByteView device_id, ReadField(r, "device_id"));
  pd.context.device_id = ToBytes(device_id);
  TEEPNET_ASSIGN_OR_RETURN(ByteView instance, ReadField(r, "instance"));
  pd.context.instance = std::string(AsChars(instance));
  TEEPNET_ASSIGN_OR_RETURN(ByteView purpose, ReadField(r, "purpose"));
  pd.context.purpose = std::string(AsChars(purpose));
  TEEPNET_ASSIGN_OR_RETURN(ByteView measurement, ReadField(r, "measurement"));
  pd.context.measurement = ToBytes(measurement);
  pd.sealed = ToBytes(r.Rest());
  return pd;
}

}  // namespace teepnet::runtime
