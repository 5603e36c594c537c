// Internal building blocks of the TEEP message codecs: the frame, the options map, and one
// reader, checker and writer per CDDL rule shared by several messages. Not part of the
// module's API (the message headers are).
//
// Readers read exactly one item from a cbor::Reader with the strict profile and report the
// field name and the byte offset of the offending item. Checkers apply the same rules to a
// model before it is encoded, so an encoder never emits a message its decoder would refuse.
#ifndef TEEPNET_TEEP_CODEC_UTIL_H_
#define TEEPNET_TEEP_CODEC_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/teep/cipher_suite.h"
#include "teepnet/teep/encode_options.h"
#include "teepnet/teep/errc.h"
#include "teepnet/teep/limits.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/message_schema.h"
#include "teepnet/teep/types.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep::internal {

// Definite lengths, preferred serialization, valid UTF-8, no trailing bytes; any key order
// (the draft's own examples are not sorted). Duplicate keys are checked by the readers.
cbor::DecodeOptions StrictOptions();

Error FieldError(Errc reason, std::string_view field, size_t offset, std::string_view detail);
inline Error FieldError(Errc reason, Field field, size_t offset, std::string_view detail) {
  return FieldError(reason, FieldName(field), offset, detail);
}

// --- Frame ------------------------------------------------------------------------------

struct Frame {
  size_t arity = 0;
  MessageType type = MessageType::kQueryRequest;
};
// Reads the array head and the type: kBadFrame, kMessageTypeOutOfRange, kUnknownMessageType.
Result<Frame> ReadFrame(cbor::Reader& r, const WireProfile& profile);
// kBadArity unless the array has exactly the members `frame.type` defines.
Status CheckArity(const Frame& frame, size_t array_offset);
// The message's array must be the whole input.
Status ExpectEnd(cbor::Reader& r);

// Moves a value read for an option into the message member it fills, or passes the read's
// error on: `case Field::kX: return Assign(m.x, ReadX(r, field));`.
template <typename T, typename U>
Status Assign(T& member, Result<U>&& value) {
  if (!value.ok()) return std::move(value).TakeError();
  member = std::move(value).value();
  return OkStatus();
}

// Reads a message into the Result that is returned: `fill(M&)` reads the members into a
// value built in place, and an error replaces it. One named Result and one return statement,
// so the message is neither moved nor destroyed on the way out.
template <typename M, typename Fill>
Result<M> ReadInPlace(Fill&& fill) {
  Result<M> result(std::in_place);
  Status status = fill(*result);
  if (!status.ok()) result = std::move(status).TakeError();
  return result;
}

// The outcome of DecodeOne for a payload its typed reader does not take: another message type,
// a malformed frame or the wrong arity.
template <typename M>
Result<M> DecodeOneOther(ByteView payload, const WireProfile& profile, const Result<Frame>& frame,
                         MessageType type) {
  if (!frame.ok() || frame->type != type) return DecodeAs<M>(payload, profile);
  return CheckArity(*frame, 0).TakeError();
}

// Decodes a payload expected to hold one `type` message, reading its members after the frame
// with `read(r, profile)`, without going through the TeepMessage variant. A payload of any
// other type (or with a malformed frame) takes DecodeAs<M>, so every error is exactly the one
// DecodeMessage followed by the type check gives.
template <typename M, typename Read>
Result<M> DecodeOne(ByteView payload, const WireProfile& profile, MessageType type, Read&& read) {
  cbor::Reader r(payload, StrictOptions());
  const Result<Frame> frame = ReadFrame(r, profile);
  const bool typed = frame.ok() && frame->type == type && frame->arity == Arity(type);
  // One Result, built by whichever call produces it and returned from one statement: the
  // message is never moved (a move and the destruction of the moved-from message were a
  // tenth of decoding the draft's QueryResponse example).
  Result<M> m = typed ? read(r, profile) : DecodeOneOther<M>(payload, profile, frame, type);
  if (typed && m.ok()) {
    Status end = ExpectEnd(r);
    if (!end.ok()) m = std::move(end).TakeError();
  }
  return m;
}

// --- Options map ----------------------------------------------------------------------

// Reads the options map of a `type` message. Each defined field is handed to
// `on_field(Field, size_t value_offset)`, which must read exactly one item; a label the
// profile assigns to a field `type` does not define fails with kFieldNotAllowed; other
// labels are kept in `extensions` (draft §"Extensions": unknown options are ignored by the
// protocol logic, not refused). Labels must be uints and unique.
template <typename OnField>
Status ReadOptions(cbor::Reader& r, const WireProfile& profile, MessageType type,
                   std::vector<Extension>* extensions, OnField&& on_field);

// Reads an unknown option's value: one well-formed item, no duplicate map keys inside.
Result<Bytes> ReadExtensionValue(cbor::Reader& r, uint64_t label);

// --- Field readers (one complete item each) ------------------------------------------

// Reads the next head, which must be of `type`; `reason` (naming `field`) otherwise. A
// definite string comes with its contents; an array or map is only opened.
Result<cbor::Item> ReadItem(cbor::Reader& r, cbor::ItemType type, std::string_view field,
                            Errc reason = Errc::kWrongFieldType);
// ReadToken and ReadBstr straight into an option of the message being decoded, with no
// Result<Bytes> to move from; on failure *out is unspecified (the message is discarded).
Status ReadTokenInto(cbor::Reader& r, std::optional<Bytes>* out);
Status ReadBstrInto(cbor::Reader& r, Field field, std::optional<Bytes>* out);
Result<Bytes> ReadChallenge(cbor::Reader& r);
Result<std::string> ReadText(cbor::Reader& r, Field field);
// msg / err-msg: text .size (1..128).
Result<std::string> ReadMsg(cbor::Reader& r, Field field);
Result<std::string> ReadErrLang(cbor::Reader& r);
Result<uint64_t> ReadUint(cbor::Reader& r, Field field);
// uint .size 4 (version, ext-info).
Result<uint32_t> ReadUint32(cbor::Reader& r, Field field);
Result<bool> ReadBool(cbor::Reader& r, Field field);
Result<ErrCode> ReadErrCode(cbor::Reader& r, const WireProfile& profile);
Result<std::vector<uint64_t>> ReadUintList(cbor::Reader& r, Field field);
Result<std::vector<uint32_t>> ReadUint32List(cbor::Reader& r, Field field);
// [+ bstr .cbor X]: each element one well-formed CBOR item (X is checked by its own module).
Result<std::vector<Bytes>> ReadEmbeddedCborList(cbor::Reader& r, Field field);
Result<ComponentId> ReadComponentId(cbor::Reader& r, std::string_view field);
// ReadComponentId into *id (replacing what it held).
Status ReadComponentIdInto(cbor::Reader& r, std::string_view field, ComponentId* id);
Result<std::vector<ComponentId>> ReadComponentIdList(cbor::Reader& r, Field field);
Result<std::vector<CipherSuite>> ReadCipherSuites(cbor::Reader& r, std::string_view field);
Result<std::vector<SuitCoseProfile>> ReadSuitCoseProfiles(cbor::Reader& r, std::string_view field);
// Into *out (replacing what it held), as it is read: no Result to move the list out of.
Status ReadTcList(cbor::Reader& r, std::vector<SystemPropertyClaims>* out);
Result<std::vector<RequestedTcInfo>> ReadRequestedTcList(cbor::Reader& r,
                                                         const WireProfile& profile);

// --- Model checks (encoder side) -------------------------------------------------------

Status CheckToken(const std::optional<Bytes>& token);
Status CheckChallenge(const std::optional<Bytes>& challenge);
Status CheckMsg(const std::optional<std::string>& msg, Field field);
Status CheckErrLang(const std::optional<std::string>& lang);
Status CheckErrCode(const ErrCode& code, const WireProfile& profile);
// `[+ x]` present-but-empty is impossible in the model (empty = absent) except for the
// QueryRequest's mandatory positional lists.
Status CheckNotEmpty(size_t size, std::string_view field);
Status CheckComponentId(const ComponentId& id, std::string_view field);
Status CheckCipherSuites(const std::vector<CipherSuite>& suites, std::string_view field);
Status CheckEmbeddedCbor(ByteView contents, Field field, size_t offset);
Status CheckEmbeddedCborList(const std::vector<Bytes>& items, Field field);
Status CheckTcList(const std::vector<SystemPropertyClaims>& list);
Status CheckRequestedTcList(const std::vector<RequestedTcInfo>& list, const WireProfile& profile);
Status CheckExtensions(const std::vector<Extension>& extensions, const WireProfile& profile,
                       std::string_view where);

// --- Writers ------------------------------------------------------------------------------

void WriteComponentId(cbor::Writer& w, const ComponentId& id);
void WriteComponentIdList(cbor::Writer& w, const std::vector<ComponentId>& ids);
void WriteCipherSuites(cbor::Writer& w, const std::vector<CipherSuite>& suites);
void WriteSuitCoseProfiles(cbor::Writer& w, const std::vector<SuitCoseProfile>& profiles);
void WriteBstrList(cbor::Writer& w, const std::vector<Bytes>& items);
void WriteUintList(cbor::Writer& w, const std::vector<uint64_t>& items);
void WriteUint32List(cbor::Writer& w, const std::vector<uint32_t>& items);
void WriteTcList(cbor::Writer& w, const std::vector<SystemPropertyClaims>& list, KeyOrder order);
void WriteRequestedTcList(cbor::Writer& w, const std::vector<RequestedTcInfo>& list,
                          const WireProfile& profile, KeyOrder order);

// Writes an options map: the defined fields for which `has(field)` holds (written by
// `write(field)`, value only) and the extensions, keys ordered per `order`.
template <typename Has, typename Write>
void WriteOptions(cbor::Writer& w, const WireProfile& profile, MessageType type,
                  const std::vector<Extension>& extensions, KeyOrder order, Has&& has,
                  Write&& write);

// ===== template definitions =====

// True when `label` was seen before in this map (and records it): labels below 64 in the
// `seen_small` bit set, larger ones (never assigned to fields) among the extensions.
bool SeenAmongExtensions(uint64_t label, const std::vector<Extension>& extensions);
inline bool SeenBefore(uint64_t label, uint64_t* seen_small,
                       const std::vector<Extension>& extensions) {
  if (label >= 64) return SeenAmongExtensions(label, extensions);
  const uint64_t bit = uint64_t{1} << label;
  if ((*seen_small & bit) != 0) return true;
  *seen_small |= bit;
  return false;
}
// Adds an unknown option in ascending label order, the order the encoder writes extensions in
// (both key orders), so a decoded message equals its re-encoding decoded again.
void KeepExtension(std::vector<Extension>* extensions, uint64_t label, Bytes value);

template <typename OnField>
Status ReadOptions(cbor::Reader& r, const WireProfile& profile, MessageType type,
                   std::vector<Extension>* extensions, OnField&& on_field) {
  const size_t map_offset = r.offset();
  size_t pairs = 0;
  // Well-formed input takes the reader's fast paths (no Item, no Result); anything else is
  // read again the general way, which names the field.
  if (!r.TryReadMapHeader(&pairs)) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item head,
                             ReadItem(r, cbor::ItemType::kMap, "options", Errc::kBadFrame));
    pairs = static_cast<size_t>(head.argument);
  }
  if (pairs > kMaxOptionEntries) {
    return Error(Errc::kTooManyOptions,
                 "options: " + std::to_string(pairs) + " entries, limit " +
                     std::to_string(kMaxOptionEntries),
                 map_offset);
  }
  uint64_t seen_small = 0;
  const OptionLabelTable* labels = OptionLabels(profile, type);
  for (uint64_t i = 0; i < pairs; ++i) {
    const size_t key_offset = r.offset();
    uint64_t label = 0;
    if (!r.TryReadUint(&label)) {
      TEEPNET_ASSIGN_OR_RETURN(cbor::Item key, r.Next());
      // teep-option = (uint => any)
      if (key.type != cbor::ItemType::kUnsigned) {
        return Error(Errc::kOptionLabelNotUint, "options: label is not a uint", key_offset);
      }
      label = key.argument;
    }
    // RFC 8949 §5.6: a map with duplicate keys is not valid CBOR.
    if (SeenBefore(label, &seen_small, *extensions)) {
      return Error(Errc::kDuplicateLabel, "options: label " + std::to_string(label) + " twice",
                   key_offset);
    }
    const uint8_t entry = labels != nullptr && label <= kMaxOneByteValue
                              ? (*labels)[static_cast<size_t>(label)]
                              : kOptionDecideSlowly;
    if (entry < kFieldCount) {
      TEEPNET_RETURN_IF_ERROR(on_field(static_cast<Field>(entry), r.offset()));
      continue;
    }
    const auto field = entry == kOptionUnassigned ? std::optional<Field>() : profile.FieldOf(label);
    if (field.has_value()) {
      if (!AllowsOption(type, *field)) {
        return FieldError(Errc::kFieldNotAllowed, *field, key_offset,
                          "not defined for " + std::string(MessageTypeName(type)));
      }
      TEEPNET_RETURN_IF_ERROR(on_field(*field, r.offset()));
      continue;
    }
    TEEPNET_ASSIGN_OR_RETURN(Bytes value, ReadExtensionValue(r, label));
    KeepExtension(extensions, label, std::move(value));
  }
  return OkStatus();
}

struct OptionSlot {
  uint64_t label;
  bool is_extension;
  size_t index;  // Field value, or index into extensions
};
void OrderSlots(std::vector<OptionSlot>& slots, KeyOrder order);

template <typename Has, typename Write>
void WriteOptions(cbor::Writer& w, const WireProfile& profile, MessageType type,
                  const std::vector<Extension>& extensions, KeyOrder order, Has&& has,
                  Write&& write) {
  std::vector<OptionSlot> slots;
  slots.reserve(OptionFields(type).size() + extensions.size());
  for (Field f : OptionFields(type)) {
    if (has(f)) slots.push_back(OptionSlot{profile.Label(f), false, static_cast<size_t>(f)});
  }
  for (size_t i = 0; i < extensions.size(); ++i) {
    slots.push_back(OptionSlot{extensions[i].label, true, i});
  }
  OrderSlots(slots, order);
  w.WriteMapHeader(slots.size());
  for (const OptionSlot& slot : slots) {
    w.WriteUint(slot.label);
    if (slot.is_extension) {
      w.WriteRaw(extensions[slot.index].value);
    } else {
      write(static_cast<Field>(slot.index));
    }
  }
}

}  // namespace teepnet::teep::internal

#endif  // TEEPNET_TEEP_CODEC_UTIL_H_
