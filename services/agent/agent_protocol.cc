#include "services/agent/agent_protocol.h"

#include "services/common/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"

namespace teepnet::agentd {

namespace {

using common::Errc;

constexpr uint8_t kStatusOk = 0;
constexpr uint8_t kStatusFailed = 1;

Error Malformed(std::string_view what, size_t offset) {
  return Error(Errc::kBadResponse, "agent channel: " + std::string(what), offset);
}

void WriteOptionalMessage(ByteWriter& w, const std::optional<Bytes>& message) {
  w.WriteU8(message ? 1 : 0);
  if (message) w.WriteBytes(*message);
}

// Reads 0 | 1 || rest-of-input.
Result<std::optional<Bytes>> ReadOptionalMessage(ByteReader& r) {
  uint8_t has = 0;
  if (!r.ReadU8(&has)) return Malformed("missing presence byte", r.failure_offset());
  if (has > 1) return Malformed("presence byte is not 0 or 1", r.position() - 1);
  if (has == 0) {
    if (!r.AtEnd()) return Malformed("trailing bytes", r.position());
    return std::optional<Bytes>();
  }
  ByteView rest;
  if (!r.ReadBytes(r.remaining(), &rest)) return Malformed("message", r.failure_offset());
  return std::optional<Bytes>(ToBytes(rest));
}

}  // namespace

Bytes EncodeRequest(AgentOp op, ByteView body) {
  ByteWriter w(1 + body.size());
  w.WriteU8(static_cast<uint8_t>(op));
  w.WriteBytes(body);
  return std::move(w).Take();
}

Result<AgentRequest> DecodeRequest(ByteView frame) {
  ByteReader r(frame);
  uint8_t op = 0;
  if (!r.ReadU8(&op)) return Malformed("empty request", 0);
  switch (static_cast<AgentOp>(op)) {
    case AgentOp::kGetIdentity:
    case AgentOp::kRequestPolicyCheck:
      if (!r.AtEnd()) return Malformed("this request takes no body", 1);
      break;
    case AgentOp::kProcessTeepMessage:
    case AgentOp::kProcessError: break;
    default: return Malformed("unknown op " + std::to_string(op), 0);
  }
  return AgentRequest{static_cast<AgentOp>(op), r.Rest()};
}

Bytes EncodeOk(ByteView body) {
  ByteWriter w(1 + body.size());
  w.WriteU8(kStatusOk);
  w.WriteBytes(body);
  return std::move(w).Take();
}

Bytes EncodeFailure(std::string_view reason) {
  ByteWriter w(1 + reason.size());
  w.WriteU8(kStatusFailed);
  w.WriteBytes(AsBytes(reason));
  return std::move(w).Take();
}

Result<ByteView> DecodeResponse(ByteView frame) {
  ByteReader r(frame);
  uint8_t status = 0;
  if (!r.ReadU8(&status)) return Malformed("empty response", 0);
  if (status == kStatusOk) return r.Rest();
  if (status == kStatusFailed) {
    return Error(Errc::kRemoteRefused, "agent: " + std::string(AsChars(r.Rest())));
  }
  return Malformed("unknown status " + std::to_string(status), 0);
}

Bytes EncodeOptionalMessage(const std::optional<Bytes>& message) {
  ByteWriter w;
  WriteOptionalMessage(w, message);
  return std::move(w).Take();
}

Result<std::optional<Bytes>> DecodeOptionalMessage(ByteView body) {
  ByteReader r(body);
  return ReadOptionalMessage(r);
}

Bytes EncodeContact(const std::optional<Contact>& contact) {
  ByteWriter w;
  w.WriteU8(contact ? 1 : 0);
  if (contact) {
    w.WriteBeU32(static_cast<uint32_t>(contact->tam_uri.size()));
    w.WriteBytes(AsBytes(contact->tam_uri));
    WriteOptionalMessage(w, contact->message);
  }
  return std::move(w).Take();
}

Result<std::optional<Contact>> DecodeContact(ByteView body) {
  ByteReader r(body);
  uint8_t has = 0;
  if (!r.ReadU8(&has)) return Malformed("missing presence byte", 0);
  if (has > 1) return Malformed("presence byte is not 0 or 1", 0);
  if (has == 0) {
    if (!r.AtEnd()) return Malformed("trailing bytes", r.position());
    return std::optional<Contact>();
  }
  uint32_t length = 0;
  if (!r.ReadBeU32(&length)) return Malformed("uri length", r.failure_offset());
  if (length > kMaxUriBytes) return Malformed("uri longer than the limit", 1);
  ByteView uri;
  if (!r.ReadBytes(length, &uri)) return Malformed("uri", r.failure_offset());
  Contact contact;
  contact.tam_uri = std::string(AsChars(uri));
  TEEPNET_ASSIGN_OR_RETURN(contact.message, ReadOptionalMessage(r));
  return std::optional<Contact>(std::move(contact));
}

}  // namespace teepnet::agentd
