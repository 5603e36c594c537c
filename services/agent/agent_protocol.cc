#include "services/agent/agent_protocol.h"

#include <cstdint>

#include "services/common/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"

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

// Reads the next map key, which must be exactly `key` (deterministic order makes the sequence
// of keys fixed, which also refuses unknown and duplicate keys).
Status ExpectKey(cbor::Reader& r, uint64_t key) {
  const size_t at = r.offset();
  uint64_t got = 0;
  if (!r.ReadUint(&got).ok() || got != key) {
    return Malformed("expected map key " + std::to_string(key), at);
  }
  return OkStatus();
}

Result<std::string> ReadField(cbor::Reader& r, uint64_t key, std::string_view name) {
  TEEPNET_RETURN_IF_ERROR(ExpectKey(r, key));
  const size_t at = r.offset();
  std::string_view text;
  if (!r.ReadText(&text).ok()) return Malformed(std::string(name) + " must be a tstr", at);
  if (text.size() > kMaxDeliveryFieldBytes) {
    return Malformed(std::string(name) + " is longer than the limit", at);
  }
  return std::string(text);
}

Result<Bytes> ReadByteField(cbor::Reader& r, uint64_t key, std::string_view name,
                            size_t limit = SIZE_MAX) {
  TEEPNET_RETURN_IF_ERROR(ExpectKey(r, key));
  const size_t at = r.offset();
  ByteView bytes;
  if (!r.ReadBytes(&bytes).ok()) return Malformed(std::string(name) + " must be a bstr", at);
  if (bytes.size() > limit) return Malformed(std::string(name) + " is longer than the limit", at);
  return ToBytes(bytes);
}

Status ExpectMapOf(cbor::Reader& r, size_t entries, std::string_view what) {
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || n != entries) {
    return Malformed(std::string(what) + ": not a map of " + std::to_string(entries) +
                         (entries == 1 ? " entry" : " entries"),
                     0);
  }
  return OkStatus();
}

// {1: bstr}: the ok bodies of ops 6 and 7.
Bytes EncodeOneBytes(ByteView bytes) {
  cbor::Writer w(bytes.size() + 16);
  w.WriteMapHeader(1);
  w.WriteUint(1);
  w.WriteBytes(bytes);
  return std::move(w).Take();
}

Result<Bytes> DecodeOneBytes(ByteView body, size_t limit, std::string_view what) {
  cbor::Reader r(body, cbor::DecodeOptions::Deterministic());
  TEEPNET_RETURN_IF_ERROR(ExpectMapOf(r, 1, what));
  TEEPNET_ASSIGN_OR_RETURN(Bytes out, ReadByteField(r, 1, what, limit));
  if (!r.ExpectEnd().ok()) return Malformed(std::string(what) + ": trailing bytes", r.offset());
  return out;
}

// A request id: present and within kMaxDeliveryFieldBytes.
Result<std::string> ReadRequestId(cbor::Reader& r, std::string_view what) {
  TEEPNET_ASSIGN_OR_RETURN(std::string id, ReadField(r, 1, "request_id"));
  if (id.empty()) return Malformed(std::string(what) + ": request_id is empty", r.offset());
  return id;
}

constexpr uint64_t kTargetAgent = 0;
constexpr uint64_t kTargetTa = 1;
constexpr uint64_t kKeyInstanceType = 6;

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
    case AgentOp::kProcessError:
    case AgentOp::kDeliverSealed:
    case AgentOp::kRelayToTa:
    case AgentOp::kFetchUa: break;
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

std::string_view InstanceTypeName(InstanceType type) {
  switch (type) {
    case InstanceType::kContainer: return "container";
    case InstanceType::kVm: return "vm";
    case InstanceType::kProcess: break;
  }
  return "process";
}

Bytes EncodeDeliverSealed(const DeliverSealed& request) {
  cbor::Writer w(request.sealed.size() + request.request_id.size() + request.instance.size() +
                 request.purpose.size() + 32);
  const bool typed = request.instance_type != InstanceType::kProcess;
  w.WriteMapHeader(typed ? 6 : 5);
  w.WriteUint(1);
  w.WriteText(request.request_id);
  w.WriteUint(2);
  w.WriteUint(request.to_ta ? kTargetTa : kTargetAgent);
  w.WriteUint(3);
  w.WriteText(request.instance);
  w.WriteUint(4);
  w.WriteText(request.purpose);
  w.WriteUint(5);
  w.WriteBytes(request.sealed);
  if (typed) {
    w.WriteUint(kKeyInstanceType);
    w.WriteUint(static_cast<uint64_t>(request.instance_type));
  }
  return std::move(w).Take();
}

Result<DeliverSealed> DecodeDeliverSealed(ByteView body) {
  cbor::Reader r(body, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || (n != 5 && n != 6)) {
    return Malformed("deliver: not a map of 5 or 6 entries", 0);
  }
  DeliverSealed out;
  TEEPNET_ASSIGN_OR_RETURN(out.request_id, ReadField(r, 1, "request_id"));
  if (out.request_id.empty()) return Malformed("deliver: request_id is empty", r.offset());
  TEEPNET_RETURN_IF_ERROR(ExpectKey(r, 2));
  const size_t target_at = r.offset();
  uint64_t target = 0;
  if (!r.ReadUint(&target).ok() || target > kTargetTa) {
    return Malformed("deliver: target must be 0 (agent) or 1 (ta)", target_at);
  }
  out.to_ta = target == kTargetTa;
  TEEPNET_ASSIGN_OR_RETURN(out.instance, ReadField(r, 3, "instance"));
  // The binding's instance is "" exactly when the Agent is the recipient (USE-CASES "The
  // channel"), so a mismatch here can only be a confused or hostile relay.
  if (out.to_ta == out.instance.empty()) {
    return Malformed(out.to_ta ? "deliver: target ta needs an instance"
                               : "deliver: target agent takes no instance",
                     r.offset());
  }
  TEEPNET_ASSIGN_OR_RETURN(out.purpose, ReadField(r, 4, "purpose"));
  TEEPNET_ASSIGN_OR_RETURN(out.sealed, ReadByteField(r, 5, "sealed"));
  if (n == 6) {
    TEEPNET_RETURN_IF_ERROR(ExpectKey(r, kKeyInstanceType));
    const size_t type_at = r.offset();
    uint64_t type = 0;
    // A process is encoded by leaving key 6 out, so 0 here would be a second encoding.
    if (!r.ReadUint(&type).ok() || (type != static_cast<uint64_t>(InstanceType::kContainer) &&
                                    type != static_cast<uint64_t>(InstanceType::kVm))) {
      return Malformed("deliver: instance_type must be 1 (container) or 2 (vm) when present",
                       type_at);
    }
    out.instance_type = static_cast<InstanceType>(type);
  }
  if (!r.ExpectEnd().ok()) return Malformed("deliver: trailing bytes", r.offset());
  return out;
}

Bytes EncodeDelivered(const Delivered& delivered) {
  cbor::Writer w(delivered.receipt.size() + (delivered.ua ? delivered.ua->size() : 0) + 16);
  w.WriteMapHeader(delivered.ua ? 2 : 1);
  w.WriteUint(1);
  w.WriteBytes(delivered.receipt);
  if (delivered.ua) {
    w.WriteUint(2);
    w.WriteBytes(*delivered.ua);
  }
  return std::move(w).Take();
}

Result<Delivered> DecodeDelivered(ByteView body) {
  cbor::Reader r(body, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || (n != 1 && n != 2)) {
    return Malformed("delivered: not a map of 1 or 2 entries", 0);
  }
  Delivered out;
  TEEPNET_ASSIGN_OR_RETURN(out.receipt, ReadByteField(r, 1, "receipt"));
  if (out.receipt.empty()) return Malformed("delivered: receipt is empty", r.offset());
  if (n == 2) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes ua, ReadByteField(r, 2, "ua"));
    out.ua = std::move(ua);
  }
  if (!r.ExpectEnd().ok()) return Malformed("delivered: trailing bytes", r.offset());
  return out;
}

Bytes EncodeUaMessage(const UaMessage& message) {
  cbor::Writer w(message.request_id.size() + message.message.size() + 16);
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteText(message.request_id);
  w.WriteUint(2);
  w.WriteBytes(message.message);
  return std::move(w).Take();
}

Result<UaMessage> DecodeUaMessage(ByteView body) {
  cbor::Reader r(body, cbor::DecodeOptions::Deterministic());
  TEEPNET_RETURN_IF_ERROR(ExpectMapOf(r, 2, "ua message"));
  UaMessage out;
  TEEPNET_ASSIGN_OR_RETURN(out.request_id, ReadRequestId(r, "ua message"));
  TEEPNET_ASSIGN_OR_RETURN(out.message, ReadByteField(r, 2, "message", kMaxUaMessageBytes));
  if (!r.ExpectEnd().ok()) return Malformed("ua message: trailing bytes", r.offset());
  return out;
}

Bytes EncodeTaAnswer(ByteView answer) {
  return EncodeOneBytes(answer);
}

Result<Bytes> DecodeTaAnswer(ByteView body) {
  return DecodeOneBytes(body, kMaxUaMessageBytes, "ta answer");
}

Bytes EncodeUaFetch(const UaFetch& request) {
  cbor::Writer w(request.request_id.size() + request.component.size() + 16);
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteText(request.request_id);
  w.WriteUint(2);
  w.WriteText(request.component);
  return std::move(w).Take();
}

Result<UaFetch> DecodeUaFetch(ByteView body) {
  cbor::Reader r(body, cbor::DecodeOptions::Deterministic());
  TEEPNET_RETURN_IF_ERROR(ExpectMapOf(r, 2, "ua fetch"));
  UaFetch out;
  TEEPNET_ASSIGN_OR_RETURN(out.request_id, ReadRequestId(r, "ua fetch"));
  TEEPNET_ASSIGN_OR_RETURN(out.component, ReadField(r, 2, "component"));
  if (out.component.empty()) return Malformed("ua fetch: component is empty", r.offset());
  if (!r.ExpectEnd().ok()) return Malformed("ua fetch: trailing bytes", r.offset());
  return out;
}

Bytes EncodeUaImage(ByteView ua) {
  return EncodeOneBytes(ua);
}

Result<Bytes> DecodeUaImage(ByteView body) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes ua, DecodeOneBytes(body, kMaxUaImageBytes, "ua image"));
  if (ua.empty()) return Malformed("ua image: the UA is empty", 0);
  return ua;
}

}  // namespace teepnet::agentd
