#include "teepnet/teep/codec_util.h"

#include <algorithm>

#include "teepnet/cbor/value.h"

namespace teepnet::teep::internal {
namespace {

using cbor::ItemType;

std::string Count(size_t n) {
  return std::to_string(n);
}

// Heads read the general way: the item the reader's fast path did not take, with the error
// ReadItem gives (naming the field) when it is not of the type.
[[gnu::noinline]] Result<size_t> ReadCountSlow(cbor::Reader& r, ItemType type,
                                               std::string_view field, Errc reason) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item head, ReadItem(r, type, field, reason));
  return static_cast<size_t>(head.argument);
}
[[gnu::noinline]] Result<ByteView> ReadBytesSlow(cbor::Reader& r, std::string_view field,
                                                 Errc reason) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, ReadItem(r, ItemType::kBytes, field, reason));
  return item.bytes;
}

// An array head (definite: the strict options refuse indefinite). Well-formed input takes the
// reader's fast path; anything else is read again by ReadItem, whose error names the field.
inline Result<size_t> ReadArrayHead(cbor::Reader& r, std::string_view field,
                                    Errc reason = Errc::kWrongFieldType) {
  size_t n = 0;
  if (r.TryReadArrayHeader(&n)) return n;
  return ReadCountSlow(r, ItemType::kArray, field, reason);
}

// A map head, as ReadArrayHead.
inline Result<size_t> ReadMapHead(cbor::Reader& r, std::string_view field,
                                  Errc reason = Errc::kWrongFieldType) {
  size_t n = 0;
  if (r.TryReadMapHeader(&n)) return n;
  return ReadCountSlow(r, ItemType::kMap, field, reason);
}

// A byte string's contents (a view into the input), as ReadArrayHead.
inline Result<ByteView> ReadBytesView(cbor::Reader& r, std::string_view field,
                                      Errc reason = Errc::kWrongFieldType) {
  ByteView bytes;
  if (r.TryReadBytes(&bytes)) return bytes;
  return ReadBytesSlow(r, field, reason);
}

// A `[+ x]` list head: definite (the strict options refuse indefinite) and non-empty.
Result<size_t> ReadListHead(cbor::Reader& r, std::string_view field) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadArrayHead(r, field));
  // CDDL `[+ x]`: one or more entries.
  if (n == 0) return FieldError(Errc::kEmptyList, field, offset, "list must not be empty");
  return n;
}

// True when an encoded item may contain a map (array, map or tag at the top).
bool MayContainMap(ByteView encoded) {
  if (encoded.empty()) return false;
  const auto major = static_cast<cbor::MajorType>(encoded.front() >> 5);
  return major == cbor::MajorType::kArray || major == cbor::MajorType::kMap ||
         major == cbor::MajorType::kTag;
}

// Maps nested in an opaque value are checked for duplicate keys by the DOM decoder (the pull
// reader cannot compare whole keys).
Status CheckNoDuplicateKeys(ByteView encoded, std::string_view field, size_t offset) {
  if (!MayContainMap(encoded)) return OkStatus();
  auto decoded = cbor::Decode(encoded, StrictOptions());
  if (!decoded.ok()) {
    return Error(decoded.error()).WithContext(field).WithOffsetBase(offset);
  }
  return OkStatus();
}

bool IsLanguageTagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

inline Status CheckTokenBytes(size_t size, size_t offset) {
  // draft CDDL: token => bstr .size (8..64).
  if (size < kMinTokenSize || size > kMaxTokenSize) [[unlikely]] {
    return FieldError(Errc::kBadTokenLength, Field::kToken, offset,
                      Count(size) + " bytes, must be 8..64");
  }
  return OkStatus();
}

Status CheckChallengeBytes(size_t size, size_t offset) {
  // draft CDDL: challenge => bstr .size (8..512).
  if (size < kMinChallengeSize || size > kMaxChallengeSize) {
    return FieldError(Errc::kBadChallengeLength, Field::kChallenge, offset,
                      Count(size) + " bytes, must be 8..512");
  }
  return OkStatus();
}

Status CheckMsgText(std::string_view text, Field field, size_t offset) {
  // draft CDDL: msg / err-msg => text .size (1..128); .size counts bytes, not characters.
  if (text.empty() || text.size() > kMaxMsgSize) {
    return FieldError(Errc::kBadMsgLength, field, offset,
                      Count(text.size()) + " bytes, must be 1..128");
  }
  return OkStatus();
}

Status CheckErrLangText(std::string_view text, size_t offset) {
  // draft CDDL: err-lang => text .size (1..35), a language tag (RFC 5646 §2.1: subtags of
  // ALPHA / DIGIT joined by "-").
  if (text.empty() || text.size() > kMaxErrLangSize) {
    return FieldError(Errc::kBadErrLang, Field::kErrLang, offset,
                      Count(text.size()) + " bytes, must be 1..35");
  }
  if (!std::all_of(text.begin(), text.end(), IsLanguageTagChar)) {
    return FieldError(Errc::kBadErrLang, Field::kErrLang, offset,
                      "not a language tag (ALPHA / DIGIT / \"-\")");
  }
  return OkStatus();
}

Status CheckErrCodeWire(uint64_t wire, size_t offset) {
  // draft §"Error Message": "0 ... MUST NOT be used".
  if (wire == 0) return FieldError(Errc::kBadErrCode, Field::kErrCode, offset, "0 is reserved");
  return OkStatus();
}

Result<int64_t> ReadSmallInt(cbor::Reader& r, Errc reason, std::string_view field) {
  const size_t offset = r.offset();
  bool negative = false;
  uint64_t argument = 0;
  if (r.TryReadInteger(&negative, &argument)) {
    if (argument > static_cast<uint64_t>(INT64_MAX)) {
      return FieldError(reason, field, offset, "integer outside int64");
    }
    const auto magnitude = static_cast<int64_t>(argument);
    return negative ? -1 - magnitude : magnitude;
  }
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, r.Next());
  if (item.type != ItemType::kUnsigned && item.type != ItemType::kNegative) {
    return FieldError(reason, field, item.offset, "expected an integer");
  }
  if (item.argument > static_cast<uint64_t>(INT64_MAX)) {
    return FieldError(reason, field, item.offset, "integer outside int64");
  }
  const auto magnitude = static_cast<int64_t>(item.argument);
  return item.type == ItemType::kUnsigned ? magnitude : -1 - magnitude;
}

// Fills *out (a new tc-list entry).
Status ReadSystemPropertyClaims(cbor::Reader& r, SystemPropertyClaims* out) {
  constexpr std::string_view kWhere = "tc-list";
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(const uint64_t pairs, ReadMapHead(r, kWhere));
  if (pairs > kMaxOptionEntries) {
    return Error(Errc::kTooManyOptions, "tc-list: too many entries in one map", offset);
  }
  // Every key but 0 is a parameter; the count is bounded by kMaxOptionEntries and the input.
  if (pairs > 1) out->parameters.reserve(static_cast<size_t>(pairs - 1));
  bool have_id = false;
  for (uint64_t i = 0; i < pairs; ++i) {
    const size_t key_offset = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(int64_t key, ReadSmallInt(r, Errc::kWrongFieldType, kWhere));
    if (key == 0) {
      // system-component-id => SUIT_Component_Identifier (draft-ietf-suit-report).
      if (have_id) return FieldError(Errc::kDuplicateLabel, kWhere, key_offset, "key 0 twice");
      have_id = true;
      TEEPNET_RETURN_IF_ERROR(
          ReadComponentIdInto(r, "tc-list system-component-id", &out->system_component_id));
      continue;
    }
    for (const IntKeyedItem& p : out->parameters) {
      if (p.key == key) {
        return FieldError(Errc::kDuplicateLabel, kWhere, key_offset,
                          "key " + std::to_string(key) + " twice");
      }
    }
    const size_t value_offset = r.offset();
    ByteView raw;
    // A single-head value (the common bstr digest) has no map inside to check.
    if (!r.TryReadRawItem(&raw)) {
      TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&raw));
      TEEPNET_RETURN_IF_ERROR(CheckNoDuplicateKeys(raw, kWhere, value_offset));
    }
    IntKeyedItem& parameter = out->parameters.emplace_back();
    parameter.key = key;
    parameter.value.assign(raw.begin(), raw.end());
  }
  if (!have_id) {
    return FieldError(Errc::kMissingField, kWhere, offset, "no system-component-id (key 0)");
  }
  return OkStatus();
}

Result<RequestedTcInfo> ReadRequestedTcInfo(cbor::Reader& r, const WireProfile& profile) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(const uint64_t pairs,
                           ReadMapHead(r, FieldName(Field::kRequestedTcList)));
  if (pairs > kMaxOptionEntries) {
    return Error(Errc::kTooManyOptions, "requested-tc-list: too many entries in one map", offset);
  }
  RequestedTcInfo out;
  bool have_id = false;
  uint64_t seen_small = 0;
  for (uint64_t i = 0; i < pairs; ++i) {
    const size_t key_offset = r.offset();
    uint64_t label = 0;
    if (!r.TryReadUint(&label)) {
      TEEPNET_ASSIGN_OR_RETURN(cbor::Item key, r.Next());
      if (key.type != ItemType::kUnsigned) {
        return Error(Errc::kOptionLabelNotUint, "requested-tc-list: label is not a uint",
                     key_offset);
      }
      label = key.argument;
    }
    if (SeenBefore(label, &seen_small, out.extensions)) {
      return Error(Errc::kDuplicateLabel,
                   "requested-tc-list: label " + std::to_string(label) + " twice", key_offset);
    }
    const auto field = profile.FieldOf(label);
    if (!field.has_value()) {
      TEEPNET_ASSIGN_OR_RETURN(Bytes value, ReadExtensionValue(r, label));
      KeepExtension(&out.extensions, label, std::move(value));
      continue;
    }
    switch (*field) {
      case Field::kComponentId: {
        have_id = true;
        TEEPNET_ASSIGN_OR_RETURN(out.component_id, ReadComponentId(r, FieldName(*field)));
        break;
      }
      case Field::kTcManifestSequenceNumber: {
        TEEPNET_ASSIGN_OR_RETURN(out.tc_manifest_sequence_number, ReadUint(r, *field));
        break;
      }
      case Field::kHaveBinary: {
        TEEPNET_ASSIGN_OR_RETURN(out.have_binary, ReadBool(r, *field));
        break;
      }
      default:
        return FieldError(Errc::kFieldNotAllowed, *field, key_offset,
                          "not defined in requested-tc-info");
    }
  }
  // requested-tc-info = { component-id => SUIT_Component_Identifier, ... }
  if (!have_id) {
    return FieldError(Errc::kMissingField, Field::kComponentId, offset,
                      "requested-tc-info without component-id");
  }
  // draft §QueryResponse: "If have-binary is true, the tc-manifest-sequence-number field
  // MUST also be present."
  if (out.have_binary.value_or(false) && !out.tc_manifest_sequence_number.has_value()) {
    return FieldError(Errc::kHaveBinaryWithoutSequenceNumber, Field::kHaveBinary, offset,
                      "have-binary true without tc-manifest-sequence-number");
  }
  return out;
}

}  // namespace

cbor::DecodeOptions StrictOptions() {
  return cbor::DecodeOptions::Strict();
}

Error FieldError(Errc reason, std::string_view field, size_t offset, std::string_view detail) {
  std::string message(field);
  message += ": ";
  message += detail;
  return Error(reason, std::move(message), offset);
}

bool SeenAmongExtensions(uint64_t label, const std::vector<Extension>& extensions) {
  // Labels above 63 are never assigned fields, so they can only be among the extensions.
  return std::any_of(extensions.begin(), extensions.end(),
                     [label](const Extension& e) { return e.label == label; });
}

void KeepExtension(std::vector<Extension>* extensions, uint64_t label, Bytes value) {
  auto at = std::lower_bound(extensions->begin(), extensions->end(), label,
                             [](const Extension& e, uint64_t l) { return e.label < l; });
  extensions->insert(at, Extension{label, std::move(value)});
}

void OrderSlots(std::vector<OptionSlot>& slots, KeyOrder order) {
  const auto by_label = [](const OptionSlot& a, const OptionSlot& b) { return a.label < b.label; };
  if (order == KeyOrder::kDeterministic) {
    // RFC 8949 §4.2.1: for uint keys bytewise order of the encodings is numeric order.
    std::sort(slots.begin(), slots.end(), by_label);
    return;
  }
  // Draft example order: defined fields as listed, then the extensions by label.
  const auto first_ext =
      std::find_if(slots.begin(), slots.end(), [](const OptionSlot& s) { return s.is_extension; });
  std::sort(first_ext, slots.end(), by_label);
}

// --- Frame ------------------------------------------------------------------------------

Result<Frame> ReadFrame(cbor::Reader& r, const WireProfile& profile) {
  const size_t offset = r.offset();
  Frame frame;
  if (!r.TryReadArrayHeader(&frame.arity)) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item head, r.Next());
    // teep-message-framework = [ type, options, * any ]
    if (head.type != ItemType::kArray) {
      return Error(Errc::kBadFrame, "a TEEP message is an array", offset);
    }
    frame.arity = static_cast<size_t>(head.argument);
  }
  if (frame.arity < 2) {
    return Error(Errc::kBadArity, "a TEEP message has at least type and options", offset);
  }
  const size_t type_offset = r.offset();
  uint64_t wire_type = 0;
  if (!r.TryReadUint(&wire_type)) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item type_item, r.Next());
    if (type_item.type != ItemType::kUnsigned) {
      return Error(Errc::kMessageTypeOutOfRange, "type: expected a uint", type_offset);
    }
    wire_type = type_item.argument;
  }
  // $teep-type /= (0..23): "message type numbers, in one byte".
  if (wire_type > kMaxOneByteValue) {
    return Error(Errc::kMessageTypeOutOfRange,
                 "type: " + std::to_string(wire_type) + " is not in 0..23", type_offset);
  }
  const auto known = profile.MessageTypeOf(wire_type);
  if (!known.has_value()) {
    return Error(Errc::kUnknownMessageType,
                 "type: " + std::to_string(wire_type) + " is not assigned in the " +
                     std::string(profile.name) + " profile",
                 type_offset);
  }
  frame.type = *known;
  return frame;
}

Status CheckArity(const Frame& frame, size_t array_offset) {
  const size_t expected = Arity(frame.type);
  if (frame.arity != expected) {
    return Error(Errc::kBadArity,
                 std::string(MessageTypeName(frame.type)) + ": " + Count(frame.arity) +
                     " array members, expected " + Count(expected),
                 array_offset);
  }
  return OkStatus();
}

Status ExpectEnd(cbor::Reader& r) {
  return r.ExpectEnd();
}

// --- Options ------------------------------------------------------------------------------

Result<Bytes> ReadExtensionValue(cbor::Reader& r, uint64_t label) {
  const size_t offset = r.offset();
  ByteView raw;
  TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&raw));
  TEEPNET_RETURN_IF_ERROR(CheckNoDuplicateKeys(raw, "option " + std::to_string(label), offset));
  return ToBytes(raw);
}

// --- Field readers ----------------------------------------------------------------------

Result<cbor::Item> ReadItem(cbor::Reader& r, ItemType type, std::string_view field, Errc reason) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, r.Next());
  if (item.type != type) {
    return FieldError(reason, field, item.offset,
                      "expected " + std::string(cbor::ItemTypeName(type)) + ", found " +
                          std::string(cbor::ItemTypeName(item.type)));
  }
  return item;
}

Status ReadTokenInto(cbor::Reader& r, std::optional<Bytes>* out) {
  const size_t offset = r.offset();
  ByteView bytes;
  if (!r.TryReadBytes(&bytes)) {
    TEEPNET_ASSIGN_OR_RETURN(bytes,
                             ReadBytesSlow(r, FieldName(Field::kToken), Errc::kWrongFieldType));
  }
  TEEPNET_RETURN_IF_ERROR(CheckTokenBytes(bytes.size(), offset));
  out->emplace(bytes.begin(), bytes.end());
  return OkStatus();
}

Status ReadBstrInto(cbor::Reader& r, Field field, std::optional<Bytes>* out) {
  ByteView bytes;
  if (!r.TryReadBytes(&bytes)) {
    TEEPNET_ASSIGN_OR_RETURN(bytes, ReadBytesSlow(r, FieldName(field), Errc::kWrongFieldType));
  }
  out->emplace(bytes.begin(), bytes.end());
  return OkStatus();
}

Result<Bytes> ReadChallenge(cbor::Reader& r) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(ByteView bytes, ReadBytesView(r, FieldName(Field::kChallenge)));
  TEEPNET_RETURN_IF_ERROR(CheckChallengeBytes(bytes.size(), offset));
  return ToBytes(bytes);
}

Result<std::string> ReadText(cbor::Reader& r, Field field) {
  std::string_view text;
  if (r.TryReadText(&text)) return std::string(text);
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, ReadItem(r, ItemType::kText, FieldName(field)));
  return std::string(item.text());
}

Result<std::string> ReadMsg(cbor::Reader& r, Field field) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(std::string text, ReadText(r, field));
  TEEPNET_RETURN_IF_ERROR(CheckMsgText(text, field, offset));
  return text;
}

Result<std::string> ReadErrLang(cbor::Reader& r) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(std::string text, ReadText(r, Field::kErrLang));
  TEEPNET_RETURN_IF_ERROR(CheckErrLangText(text, offset));
  return text;
}

Result<uint64_t> ReadUint(cbor::Reader& r, Field field) {
  uint64_t value = 0;
  if (r.TryReadUint(&value)) return value;
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, ReadItem(r, ItemType::kUnsigned, FieldName(field)));
  return item.argument;
}

Result<uint32_t> ReadUint32(cbor::Reader& r, Field field) {
  const size_t offset = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(uint64_t v, ReadUint(r, field));
  // version = uint .size 4; ext-info = uint .size 4.
  if (v > UINT32_MAX) {
    return FieldError(Errc::kValueOutOfRange, field, offset, "does not fit uint .size 4");
  }
  return static_cast<uint32_t>(v);
}

Result<bool> ReadBool(cbor::Reader& r, Field field) {
  bool value = false;
  if (r.TryReadBool(&value)) return value;
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, r.Next());
  if (item.type != ItemType::kTrue && item.type != ItemType::kFalse) {
    return FieldError(Errc::kWrongFieldType, field, item.offset, "expected a bool");
  }
  return item.type == ItemType::kTrue;
}

Result<ErrCode> ReadErrCode(cbor::Reader& r, const WireProfile& profile) {
  const size_t offset = r.offset();
  uint64_t wire = 0;
  if (!r.TryReadUint(&wire)) {
    TEEPNET_ASSIGN_OR_RETURN(
        cbor::Item item,
        ReadItem(r, ItemType::kUnsigned, FieldName(Field::kErrCode), Errc::kBadErrCode));
    wire = item.argument;
  }
  TEEPNET_RETURN_IF_ERROR(CheckErrCodeWire(wire, offset));
  return ErrCode::FromWire(profile, wire);
}

Result<std::vector<uint64_t>> ReadUintList(cbor::Reader& r, Field field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(field)));
  std::vector<uint64_t> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(uint64_t v, ReadUint(r, field));
    out.push_back(v);
  }
  return out;
}

Result<std::vector<uint32_t>> ReadUint32List(cbor::Reader& r, Field field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(field)));
  std::vector<uint32_t> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(uint32_t v, ReadUint32(r, field));
    out.push_back(v);
  }
  return out;
}

Result<std::vector<Bytes>> ReadEmbeddedCborList(cbor::Reader& r, Field field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(field)));
  std::vector<Bytes> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t offset = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(ByteView bytes, ReadBytesView(r, FieldName(field)));
    TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCbor(bytes, field, offset));
    out.push_back(ToBytes(bytes));
  }
  return out;
}

Status ReadComponentIdInto(cbor::Reader& r, std::string_view field, ComponentId* id) {
  // SUIT_Component_Identifier = [+ bstr]
  const size_t offset = r.offset();
  size_t n = 0;
  if (!r.TryReadArrayHeader(&n)) {
    TEEPNET_ASSIGN_OR_RETURN(n, ReadCountSlow(r, ItemType::kArray, field, Errc::kBadComponentId));
  }
  if (n == 0) return FieldError(Errc::kBadComponentId, field, offset, "empty component id");
  id->clear();
  id->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ByteView part;
    if (!r.TryReadBytes(&part)) {
      TEEPNET_ASSIGN_OR_RETURN(part, ReadBytesSlow(r, field, Errc::kBadComponentId));
    }
    id->emplace_back(part.begin(), part.end());
  }
  return OkStatus();
}

Result<ComponentId> ReadComponentId(cbor::Reader& r, std::string_view field) {
  Result<ComponentId> id(std::in_place);
  Status status = ReadComponentIdInto(r, field, &*id);
  if (!status.ok()) id = std::move(status).TakeError();
  return id;
}

Result<std::vector<ComponentId>> ReadComponentIdList(cbor::Reader& r, Field field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(field)));
  std::vector<ComponentId> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(ComponentId id, ReadComponentId(r, FieldName(field)));
    out.push_back(std::move(id));
  }
  return out;
}

Result<std::vector<CipherSuite>> ReadCipherSuites(cbor::Reader& r, std::string_view field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, field));
  std::vector<CipherSuite> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // teep-cipher-suite = [ + teep-operation ]; teep-operation = [ cose-type, cose-alg ]
    const size_t suite_offset = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(const size_t ops, ReadArrayHead(r, field, Errc::kBadCipherSuite));
    if (ops == 0) return FieldError(Errc::kBadCipherSuite, field, suite_offset, "suite is empty");
    CipherSuite suite;
    suite.operations.reserve(ops);
    for (size_t j = 0; j < ops; ++j) {
      const size_t op_offset = r.offset();
      TEEPNET_ASSIGN_OR_RETURN(const size_t op_members,
                               ReadArrayHead(r, field, Errc::kBadCipherSuite));
      if (op_members != 2) {
        return FieldError(Errc::kBadCipherSuite, field, op_offset,
                          "operation is not [cose-type, cose-alg]");
      }
      TeepOperation op;
      TEEPNET_ASSIGN_OR_RETURN(op.cose_type, ReadSmallInt(r, Errc::kBadCipherSuite, field));
      TEEPNET_ASSIGN_OR_RETURN(op.alg, ReadSmallInt(r, Errc::kBadCipherSuite, field));
      suite.operations.push_back(op);
    }
    out.push_back(std::move(suite));
  }
  return out;
}

Result<std::vector<SuitCoseProfile>> ReadSuitCoseProfiles(cbor::Reader& r, std::string_view field) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, field));
  std::vector<SuitCoseProfile> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t profile_offset = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(const size_t algs, ReadArrayHead(r, field, Errc::kBadSuitCoseProfile));
    // draft-ietf-suit-mti: [digest-alg, sign-alg, key-distribution-alg, content-enc-alg].
    if (algs != 4) {
      return FieldError(Errc::kBadSuitCoseProfile, field, profile_offset,
                        "expected 4 algorithm ids");
    }
    SuitCoseProfile profile;
    for (int64_t& alg : profile.algs) {
      TEEPNET_ASSIGN_OR_RETURN(alg, ReadSmallInt(r, Errc::kBadSuitCoseProfile, field));
    }
    out.push_back(profile);
  }
  return out;
}

Status ReadTcList(cbor::Reader& r, std::vector<SystemPropertyClaims>* out) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(Field::kTcList)));
  out->clear();
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_RETURN_IF_ERROR(ReadSystemPropertyClaims(r, &out->emplace_back()));
  }
  return OkStatus();
}

Result<std::vector<RequestedTcInfo>> ReadRequestedTcList(cbor::Reader& r,
                                                         const WireProfile& profile) {
  TEEPNET_ASSIGN_OR_RETURN(size_t n, ReadListHead(r, FieldName(Field::kRequestedTcList)));
  std::vector<RequestedTcInfo> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(RequestedTcInfo info, ReadRequestedTcInfo(r, profile));
    out.push_back(std::move(info));
  }
  return out;
}

// --- Model checks -----------------------------------------------------------------------

Status CheckToken(const std::optional<Bytes>& token) {
  return token ? CheckTokenBytes(token->size(), kNoOffset) : OkStatus();
}

Status CheckChallenge(const std::optional<Bytes>& challenge) {
  return challenge ? CheckChallengeBytes(challenge->size(), kNoOffset) : OkStatus();
}

Status CheckMsg(const std::optional<std::string>& msg, Field field) {
  return msg ? CheckMsgText(*msg, field, kNoOffset) : OkStatus();
}

Status CheckErrLang(const std::optional<std::string>& lang) {
  return lang ? CheckErrLangText(*lang, kNoOffset) : OkStatus();
}

Status CheckErrCode(const ErrCode& code, const WireProfile& profile) {
  return CheckErrCodeWire(code.ToWire(profile), kNoOffset);
}

Status CheckNotEmpty(size_t size, std::string_view field) {
  if (size == 0) return FieldError(Errc::kEmptyList, field, kNoOffset, "list must not be empty");
  return OkStatus();
}

Status CheckComponentId(const ComponentId& id, std::string_view field) {
  if (id.empty()) return FieldError(Errc::kBadComponentId, field, kNoOffset, "empty");
  return OkStatus();
}

Status CheckCipherSuites(const std::vector<CipherSuite>& suites, std::string_view field) {
  for (const CipherSuite& suite : suites) {
    if (suite.operations.empty()) {
      return FieldError(Errc::kBadCipherSuite, field, kNoOffset, "suite is empty");
    }
  }
  return OkStatus();
}

Status CheckEmbeddedCbor(ByteView contents, Field field, size_t offset) {
  // `bstr .cbor X` (RFC 8610 §3.8.4): the bytes are the encoding of one CBOR item. Whether
  // it is a valid X (SUIT_Envelope, SUIT_Report) is the SUIT processor's call; here we only
  // refuse what is not CBOR at all.
  cbor::DecodeOptions options = cbor::DecodeOptions::Lenient();
  options.allow_trailing_bytes = false;
  cbor::Reader inner(contents, options);
  Status status = inner.SkipItem();
  if (status.ok()) status = inner.ExpectEnd();
  if (!status.ok()) {
    return FieldError(Errc::kBadEmbeddedCbor, field, offset,
                      "bstr does not hold one CBOR item (" + status.error().ToString() + ")");
  }
  return OkStatus();
}

Status CheckEmbeddedCborList(const std::vector<Bytes>& items, Field field) {
  for (const Bytes& item : items) {
    TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCbor(item, field, kNoOffset));
  }
  return OkStatus();
}

Status CheckTcList(const std::vector<SystemPropertyClaims>& list) {
  for (const SystemPropertyClaims& claims : list) {
    TEEPNET_RETURN_IF_ERROR(CheckComponentId(claims.system_component_id, "tc-list"));
    for (size_t i = 0; i < claims.parameters.size(); ++i) {
      const IntKeyedItem& p = claims.parameters[i];
      if (p.key == 0) return FieldError(Errc::kDuplicateLabel, "tc-list", kNoOffset, "key 0");
      for (size_t j = 0; j < i; ++j) {
        if (claims.parameters[j].key == p.key) {
          return FieldError(Errc::kDuplicateLabel, "tc-list", kNoOffset, "a key twice");
        }
      }
    }
  }
  return OkStatus();
}

Status CheckRequestedTcList(const std::vector<RequestedTcInfo>& list, const WireProfile& profile) {
  for (const RequestedTcInfo& info : list) {
    TEEPNET_RETURN_IF_ERROR(CheckComponentId(info.component_id, "requested-tc-list"));
    if (info.have_binary.value_or(false) && !info.tc_manifest_sequence_number.has_value()) {
      return FieldError(Errc::kHaveBinaryWithoutSequenceNumber, Field::kHaveBinary, kNoOffset,
                        "have-binary true without tc-manifest-sequence-number");
    }
    TEEPNET_RETURN_IF_ERROR(CheckExtensions(info.extensions, profile, "requested-tc-list"));
  }
  return OkStatus();
}

Status CheckExtensions(const std::vector<Extension>& extensions, const WireProfile& profile,
                       std::string_view where) {
  uint64_t seen_small = 0;
  std::vector<Extension> seen_large;
  for (const Extension& e : extensions) {
    // An extension must not shadow a field the profile assigns, or the message would carry
    // the label twice or a defined field with an unchecked value.
    if (profile.FieldOf(e.label).has_value()) {
      return FieldError(Errc::kFieldNotAllowed, where, kNoOffset,
                        "extension label " + std::to_string(e.label) + " is a TEEP label");
    }
    if (SeenBefore(e.label, &seen_small, seen_large)) {
      return FieldError(Errc::kDuplicateLabel, where, kNoOffset,
                        "extension label " + std::to_string(e.label) + " twice");
    }
    if (e.label >= 64) seen_large.push_back(Extension{e.label, {}});
    cbor::Reader check(e.value, StrictOptions());
    Status status = check.SkipItem();
    if (status.ok()) status = check.ExpectEnd();
    if (status.ok()) status = CheckNoDuplicateKeys(e.value, where, kNoOffset);
    if (!status.ok()) {
      return FieldError(Errc::kBadEmbeddedCbor, where, kNoOffset,
                        "extension value is not one strict CBOR item");
    }
  }
  return OkStatus();
}

// --- Writers ------------------------------------------------------------------------------

void WriteComponentId(cbor::Writer& w, const ComponentId& id) {
  w.WriteArrayHeader(id.size());
  for (const Bytes& part : id) w.WriteBytes(part);
}

void WriteComponentIdList(cbor::Writer& w, const std::vector<ComponentId>& ids) {
  w.WriteArrayHeader(ids.size());
  for (const ComponentId& id : ids) WriteComponentId(w, id);
}

void WriteCipherSuites(cbor::Writer& w, const std::vector<CipherSuite>& suites) {
  w.WriteArrayHeader(suites.size());
  for (const CipherSuite& suite : suites) {
    w.WriteArrayHeader(suite.operations.size());
    for (const TeepOperation& op : suite.operations) {
      w.WriteArrayHeader(2);
      w.WriteInt(op.cose_type);
      w.WriteInt(op.alg);
    }
  }
}

void WriteSuitCoseProfiles(cbor::Writer& w, const std::vector<SuitCoseProfile>& profiles) {
  w.WriteArrayHeader(profiles.size());
  for (const SuitCoseProfile& p : profiles) {
    w.WriteArrayHeader(p.algs.size());
    for (int64_t alg : p.algs) w.WriteInt(alg);
  }
}

void WriteBstrList(cbor::Writer& w, const std::vector<Bytes>& items) {
  w.WriteArrayHeader(items.size());
  for (const Bytes& item : items) w.WriteBytes(item);
}

void WriteUintList(cbor::Writer& w, const std::vector<uint64_t>& items) {
  w.WriteArrayHeader(items.size());
  for (uint64_t v : items) w.WriteUint(v);
}

void WriteUint32List(cbor::Writer& w, const std::vector<uint32_t>& items) {
  w.WriteArrayHeader(items.size());
  for (uint32_t v : items) w.WriteUint(v);
}

void WriteTcList(cbor::Writer& w, const std::vector<SystemPropertyClaims>& list, KeyOrder order) {
  w.WriteArrayHeader(list.size());
  for (const SystemPropertyClaims& claims : list) {
    std::vector<const IntKeyedItem*> params;
    params.reserve(claims.parameters.size());
    for (const IntKeyedItem& p : claims.parameters) params.push_back(&p);
    if (order == KeyOrder::kDeterministic) {
      // Encoded order of int keys: unsigned ascending, then negative by magnitude.
      std::sort(params.begin(), params.end(), [](const IntKeyedItem* a, const IntKeyedItem* b) {
        const bool an = a->key < 0, bn = b->key < 0;
        if (an != bn) return !an;
        return an ? a->key > b->key : a->key < b->key;
      });
    }
    w.WriteMapHeader(params.size() + 1);
    w.WriteUint(0);  // system-component-id: key 0 sorts first in both orders
    WriteComponentId(w, claims.system_component_id);
    for (const IntKeyedItem* p : params) {
      w.WriteInt(p->key);
      w.WriteRaw(p->value);
    }
  }
}

void WriteRequestedTcList(cbor::Writer& w, const std::vector<RequestedTcInfo>& list,
                          const WireProfile& profile, KeyOrder order) {
  w.WriteArrayHeader(list.size());
  for (const RequestedTcInfo& info : list) {
    std::vector<OptionSlot> slots;
    slots.push_back(OptionSlot{profile.Label(Field::kComponentId), false,
                               static_cast<size_t>(Field::kComponentId)});
    if (info.tc_manifest_sequence_number) {
      slots.push_back(OptionSlot{profile.Label(Field::kTcManifestSequenceNumber), false,
                                 static_cast<size_t>(Field::kTcManifestSequenceNumber)});
    }
    if (info.have_binary) {
      slots.push_back(OptionSlot{profile.Label(Field::kHaveBinary), false,
                                 static_cast<size_t>(Field::kHaveBinary)});
    }
    for (size_t i = 0; i < info.extensions.size(); ++i) {
      slots.push_back(OptionSlot{info.extensions[i].label, true, i});
    }
    OrderSlots(slots, order);
    w.WriteMapHeader(slots.size());
    for (const OptionSlot& slot : slots) {
      w.WriteUint(slot.label);
      if (slot.is_extension) {
        w.WriteRaw(info.extensions[slot.index].value);
        continue;
      }
      switch (static_cast<Field>(slot.index)) {
        case Field::kComponentId: WriteComponentId(w, info.component_id); break;
        case Field::kTcManifestSequenceNumber:
          w.WriteUint(*info.tc_manifest_sequence_number);
          break;
        case Field::kHaveBinary: w.WriteBool(*info.have_binary); break;
        default: break;
      }
    }
  }
}

}  // namespace teepnet::teep::internal
