#include "teepnet/cbor/reader.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

#include "teepnet/cbor/float_bits.h"
#include "teepnet/cbor/utf8.h"

namespace teepnet::cbor {

namespace {

std::string MajorName(uint8_t major) {
  static constexpr const char* kNames[] = {
      "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag",
      "simple/float"};
  return kNames[major & 7];
}

}  // namespace

namespace reader_internal {

// The value and width of a float head (info 25..27) from its bits; false when preferred
// serialization is required and the float is not in it.
bool DecodeFloat(uint8_t info, uint64_t bits, bool require_preferred, double* value,
                 FloatWidth* width) {
  switch (info) {
    case 25:
      *width = FloatWidth::kHalf;
      *value = HalfToDouble(static_cast<uint16_t>(bits));
      break;
    case 26:
      *width = FloatWidth::kSingle;
      *value = SingleToDouble(static_cast<uint32_t>(bits));
      break;
    default:
      *width = FloatWidth::kDouble;
      *value = DoubleFromBits(bits);
      break;
  }
  if (!require_preferred) return true;
  // RFC 8949 §4.2.2 (and §4.1): a float is encoded in the shortest width that preserves
  // its value; NaN uses the half-precision quiet NaN f9 7e00.
  if (std::isnan(*value)) return info == 25 && bits == 0x7e00;
  return ShortestWidth(*value) == *width;
}

}  // namespace reader_internal

using namespace reader_internal;  // NOLINT: the fast paths the header shares with this file

std::string_view ItemTypeName(ItemType type) {
  switch (type) {
    case ItemType::kUnsigned: return "unsigned integer";
    case ItemType::kNegative: return "negative integer";
    case ItemType::kBytes: return "byte string";
    case ItemType::kText: return "text string";
    case ItemType::kArray: return "array";
    case ItemType::kMap: return "map";
    case ItemType::kTag: return "tag";
    case ItemType::kFalse: return "false";
    case ItemType::kTrue: return "true";
    case ItemType::kNull: return "null";
    case ItemType::kUndefined: return "undefined";
    case ItemType::kSimple: return "simple value";
    case ItemType::kFloat: return "float";
    case ItemType::kBreak: return "break";
  }
  return "unknown";
}

void Reader::FrameStack::PushOverflow(const Frame& f) {
  overflow_.push_back(f);
  ++size_;
}

Reader::Reader(ByteView input, const DecodeOptions& options)
    : input_(input), in_(input), options_(options) {}

Status Reader::CheckKeyOrder(size_t offset) {
  Frame& map = stack_.back();
  if (!KeyFollowsPrevious(map, input_, offset)) {
    const ByteView key = input_.subspan(map.key_begin, offset - map.key_begin);
    const ByteView prev = input_.subspan(map.prev_key_begin, map.prev_key_end - map.prev_key_begin);
    if (std::equal(key.begin(), key.end(), prev.begin(), prev.end())) {
      return Fail(Errc::kDuplicateMapKey, map.key_begin, "map key repeated");
    }
    return Fail(Errc::kUnsortedMapKeys, map.key_begin,
                "map key out of deterministic order (RFC 8949 §4.2.1)");
  }
  RecordMapMember(map, offset);
  return OkStatus();
}

Error Reader::Fail(Errc reason, size_t offset, std::string message) {
  if (!error_) error_ = Error(reason, std::move(message), offset);
  return *error_;
}

Status Reader::Push(Frame frame, size_t offset) {
  if (stack_.size() >= options_.limits.max_depth) {
    return Fail(Errc::kNestingTooDeep, offset,
                "more than " + std::to_string(options_.limits.max_depth) + " nested levels");
  }
  stack_.push_back(frame);
  return OkStatus();
}

void Reader::ItemDone() {
  CompleteItem(stack_);
}

Status Reader::ReadHeadArgument(uint8_t info, size_t offset, uint64_t* argument,
                                size_t* head_size) {
  if (info < 24) {
    *argument = info;
    *head_size = 1;
    return OkStatus();
  }
  // RFC 8949 §3: additional information 24..27 means a 1, 2, 4 or 8 byte argument follows.
  const size_t width = size_t{1} << (info - 24);
  if (!in_.ReadBeUint(width, argument)) {
    return Fail(Errc::kTruncated, offset, "input ends inside a head");
  }
  *head_size = 1 + width;
  // RFC 8949 §4.1: preferred serialization uses the shortest form of the argument.
  if (options_.require_preferred && *argument < kMinimumArgument[info - 24]) {
    return Fail(Errc::kNonPreferredEncoding, offset,
                "argument " + std::to_string(*argument) + " in a longer head than needed");
  }
  return OkStatus();
}

Status Reader::ReadFloatBits(uint8_t info, size_t offset, Item* item) {
  uint64_t bits = 0;
  size_t head_size = 0;
  const size_t width = size_t{1} << (info - 24);
  if (!in_.ReadBeUint(width, &bits)) return Fail(Errc::kTruncated, offset, "input ends in a float");
  head_size = 1 + width;
  item->head_size = head_size;
  item->type = ItemType::kFloat;
  if (!DecodeFloat(info, bits, options_.require_preferred, &item->float_value,
                   &item->float_width)) {
    return Fail(Errc::kNonPreferredEncoding, offset, "float in a longer form than needed");
  }
  return OkStatus();
}

Result<Item> Reader::Next() {
  {
    const ByteView rest = in_.Rest();
    FastItem f;
    Item item;
    if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
        CheckFast(rest, options_, stack_.size(), &f, &item)) {
      item.offset = in_.position();
      item.head_size = f.head.size;
      item.head = rest.first(f.head.size);
      // A float's argument stays 0, as in the general path.
      if (item.type != ItemType::kFloat) item.argument = f.head.argument;
      Commit(in_, total_items_, stack_, options_, f);
      return item;
    }
  }
  if (error_) return *error_;
  if (options_.require_sorted_map_keys && !stack_.empty() &&
      stack_.back().kind == FrameKind::kMap && !AtBreak()) {
    TEEPNET_RETURN_IF_ERROR(CheckKeyOrder(in_.position()));
  }
  Item item;
  item.offset = in_.position();
  const size_t offset = item.offset;
  uint8_t initial = 0;
  if (!in_.ReadU8(&initial)) {
    return Fail(Errc::kTruncated, offset,
                stack_.empty() ? "no data item" : "input ends inside an open container");
  }
  const uint8_t major = initial >> 5;
  const uint8_t info = initial & 0x1f;
  item.head_size = 1;

  // Inside an indefinite string only definite strings of the same major type or a break may
  // follow (RFC 8949 §3.2.3).
  if (!stack_.empty() && initial != 0xff) {
    const FrameKind kind = stack_.back().kind;
    if (kind == FrameKind::kBytesChunks || kind == FrameKind::kTextChunks) {
      const uint8_t want = kind == FrameKind::kBytesChunks ? 2 : 3;
      if (major != want || info == 31) {
        return Fail(Errc::kBadIndefiniteChunk, offset,
                    "chunk of an indefinite " + MajorName(want) + " is a " +
                        (info == 31 ? "nested indefinite " : "") + MajorName(major));
      }
    }
  }

  if (initial == 0xff) {
    // RFC 8949 §3.2.1: "break" only terminates an indefinite-length item.
    if (stack_.empty() || !stack_.back().indefinite) {
      return Fail(Errc::kUnexpectedBreak, offset, "break outside an indefinite-length item");
    }
    if (stack_.back().kind == FrameKind::kMap && stack_.back().seen % 2 != 0) {
      return Fail(Errc::kUnexpectedBreak, offset, "break between a map key and its value");
    }
    stack_.pop_back();
    ItemDone();
    item.type = ItemType::kBreak;
    item.head = in_.Consumed(offset);
    return item;
  }

  if (++total_items_ > options_.limits.max_total_items) {
    return Fail(Errc::kTooManyTotalItems, offset,
                "more than " + std::to_string(options_.limits.max_total_items) + " data items");
  }

  if (info >= 28 && info <= 30) {
    // RFC 8949 §3: additional information 28, 29 and 30 are reserved: not well-formed.
    return Fail(Errc::kReservedAdditionalInfo, offset,
                "reserved additional information " + std::to_string(info));
  }

  if (info == 31) {
    if (major == 0 || major == 1 || major == 6) {
      // RFC 8949 §3.2.4: additional information 31 with major types 0, 1 and 6 is not
      // well-formed.
      return Fail(Errc::kReservedAdditionalInfo, offset,
                  "indefinite length is not defined for a " + MajorName(major));
    }
    if (!options_.allow_indefinite) {
      return Fail(Errc::kIndefiniteNotAllowed, offset, "indefinite-length " + MajorName(major));
    }
    item.indefinite = true;
    static constexpr ItemType kTypes[] = {ItemType::kBytes, ItemType::kText, ItemType::kArray,
                                          ItemType::kMap};
    static constexpr FrameKind kKinds[] = {FrameKind::kBytesChunks, FrameKind::kTextChunks,
                                           FrameKind::kArray, FrameKind::kMap};
    item.type = kTypes[major - 2];
    item.head = in_.Consumed(offset);
    TEEPNET_RETURN_IF_ERROR(Push(Frame{kKinds[major - 2], true, 0, 0, 0, 0, 0}, offset));
    return item;
  }

  if (major == 7) {
    if (info >= 25) {
      TEEPNET_RETURN_IF_ERROR(ReadFloatBits(info, offset, &item));
      item.head = in_.Consumed(offset);
      ItemDone();
      return item;
    }
    uint64_t value = info;
    if (info == 24) {
      if (!in_.ReadBeUint(1, &value)) return Fail(Errc::kTruncated, offset, "input ends in head");
      item.head_size = 2;
      // RFC 8949 §3.3: "an encoder MUST NOT issue two-byte sequences that start with 0xf8 and
      // continue with a byte less than 0x20"; such input is not well-formed.
      if (value < 32) {
        return Fail(Errc::kBadSimpleValue, offset,
                    "two-byte simple value " + std::to_string(value) + " (below 32)");
      }
    }
    item.argument = value;
    switch (value) {
      case 20: item.type = ItemType::kFalse; break;
      case 21: item.type = ItemType::kTrue; break;
      case 22: item.type = ItemType::kNull; break;
      case 23: item.type = ItemType::kUndefined; break;
      default: item.type = ItemType::kSimple; break;
    }
    item.head = in_.Consumed(offset);
    ItemDone();
    return item;
  }

  TEEPNET_RETURN_IF_ERROR(ReadHeadArgument(info, offset, &item.argument, &item.head_size));
  item.head = in_.Consumed(offset);
  const uint64_t argument = item.argument;
  switch (major) {
    case 0:
      item.type = ItemType::kUnsigned;
      ItemDone();
      return item;
    case 1:
      item.type = ItemType::kNegative;
      ItemDone();
      return item;
    case 2:
    case 3: {
      item.type = major == 2 ? ItemType::kBytes : ItemType::kText;
      if (argument > options_.limits.max_string_length) {
        return Fail(Errc::kStringTooLong, offset,
                    "string of " + std::to_string(argument) + " bytes exceeds the limit of " +
                        std::to_string(options_.limits.max_string_length));
      }
      if (!in_.ReadBytes(static_cast<size_t>(argument), &item.bytes)) {
        return Fail(Errc::kTruncated, offset,
                    "string of " + std::to_string(argument) + " bytes runs past the input");
      }
      if (major == 3 && options_.validate_utf8) {
        size_t bad = 0;
        if (!IsValidUtf8(item.bytes, &bad)) {
          return Fail(Errc::kBadUtf8, offset + item.head_size + bad,
                      "text string is not valid UTF-8");
        }
      }
      if (stack_.empty() || (stack_.back().kind != FrameKind::kBytesChunks &&
                             stack_.back().kind != FrameKind::kTextChunks)) {
        ItemDone();
      } else {
        ++stack_.back().seen;  // a chunk is part of its string, not an item of the parent
      }
      return item;
    }
    case 4:
    case 5: {
      item.type = major == 4 ? ItemType::kArray : ItemType::kMap;
      if (argument > options_.limits.max_container_items) {
        return Fail(Errc::kTooManyItems, offset,
                    MajorName(major) + " of " + std::to_string(argument) +
                        " entries exceeds the limit of " +
                        std::to_string(options_.limits.max_container_items));
      }
      // Every member takes at least one byte, so a count beyond the remaining input can only
      // be truncated input; failing here keeps callers from reserving memory for it.
      const uint64_t per_entry = major == 4 ? 1 : 2;
      if (argument > in_.remaining() / per_entry) {
        return Fail(
            Errc::kTruncated, offset,
            MajorName(major) + " of " + std::to_string(argument) + " entries runs past the input");
      }
      const uint64_t members = argument * per_entry;
      if (members == 0) {
        ItemDone();
        return item;
      }
      const FrameKind kind = major == 4 ? FrameKind::kArray : FrameKind::kMap;
      TEEPNET_RETURN_IF_ERROR(Push(Frame{kind, false, members, 0, 0, 0, 0}, offset));
      return item;
    }
    default:  // 6
      item.type = ItemType::kTag;
      TEEPNET_RETURN_IF_ERROR(Push(Frame{FrameKind::kTag, false, 1, 0, 0, 0, 0}, offset));
      return item;
  }
}

Result<ItemType> Reader::PeekType() const {
  if (error_) return *error_;
  uint8_t initial = 0;
  if (!in_.PeekU8(&initial)) return Error(Errc::kTruncated, "no data item", in_.position());
  const uint8_t major = initial >> 5;
  const uint8_t info = initial & 0x1f;
  switch (major) {
    case 0: return ItemType::kUnsigned;
    case 1: return ItemType::kNegative;
    case 2: return ItemType::kBytes;
    case 3: return ItemType::kText;
    case 4: return ItemType::kArray;
    case 5: return ItemType::kMap;
    case 6: return ItemType::kTag;
    default: break;
  }
  switch (info) {
    case 20: return ItemType::kFalse;
    case 21: return ItemType::kTrue;
    case 22: return ItemType::kNull;
    case 23: return ItemType::kUndefined;
    case 25:
    case 26:
    case 27: return ItemType::kFloat;
    case 31: return ItemType::kBreak;
    default: return ItemType::kSimple;
  }
}

bool Reader::AtBreak() const {
  uint8_t initial = 0;
  return !error_ && in_.PeekU8(&initial) && initial == 0xff;
}

Status Reader::ExpectType(const Item& item, ItemType type, std::string_view what) {
  if (item.type == type) return OkStatus();
  return Fail(Errc::kUnexpectedType, item.offset,
              "expected " + std::string(what) + ", found " + std::string(ItemTypeName(item.type)));
}

namespace {
// Peeks so that a type mismatch leaves the reader usable (a caller may try another type).
Status CheckNextType(const Reader& r, std::initializer_list<ItemType> allowed,
                     std::string_view what, size_t offset) {
  Result<ItemType> type = r.PeekType();
  if (!type.ok()) return std::move(type).TakeError();
  for (ItemType t : allowed) {
    if (*type == t) return OkStatus();
  }
  return Error(Errc::kUnexpectedType,
               "expected " + std::string(what) + ", found " + std::string(ItemTypeName(*type)),
               offset);
}
}  // namespace

Status Reader::ReadInteger(bool* negative, uint64_t* argument) {
  if (TakeFast(kInteger, StoreInteger(negative, argument))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(
      CheckNextType(*this, {ItemType::kUnsigned, ItemType::kNegative}, "an integer", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *negative = item.type == ItemType::kNegative;
  *argument = item.argument;
  return OkStatus();
}

Status Reader::ReadUint(uint64_t* out) {
  if (TakeFast(kUnsigned, StoreArgument(out))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(
      CheckNextType(*this, {ItemType::kUnsigned}, "an unsigned integer", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *out = item.argument;
  return OkStatus();
}

Status Reader::ReadInt(int64_t* out) {
  const ByteView rest = in_.Rest();
  FastItem f;
  if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
      f.head.major <= 1 && f.head.argument <= static_cast<uint64_t>(INT64_MAX) &&
      CheckFast(rest, options_, stack_.size(), &f, nullptr)) {
    Commit(in_, total_items_, stack_, options_, f);
    const auto value = static_cast<int64_t>(f.head.argument);
    *out = f.head.major == 1 ? -1 - value : value;
    return OkStatus();
  }
  const size_t start = offset();
  bool negative = false;
  uint64_t argument = 0;
  TEEPNET_RETURN_IF_ERROR(ReadInteger(&negative, &argument));
  // int64 holds 0..2^63-1 and -1-n for n <= 2^63-1.
  if (argument > static_cast<uint64_t>(INT64_MAX)) {
    return Fail(
        Errc::kIntegerOverflow, start,
        std::string(negative ? "-1-" : "") + std::to_string(argument) + " does not fit in int64");
  }
  *out = negative ? -1 - static_cast<int64_t>(argument) : static_cast<int64_t>(argument);
  return OkStatus();
}

Status Reader::ReadBytes(ByteView* out) {
  if (TakeFast(kByteString, StoreContents(out))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kBytes}, "a byte string", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  if (item.indefinite) {
    return Fail(Errc::kIndefiniteNotAllowed, item.offset,
                "indefinite byte string where a contiguous one is needed");
  }
  *out = item.bytes;
  return OkStatus();
}

Status Reader::ReadText(std::string_view* out) {
  if (TakeFast(kTextString, StoreText(out))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kText}, "a text string", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  if (item.indefinite) {
    return Fail(Errc::kIndefiniteNotAllowed, item.offset,
                "indefinite text string where a contiguous one is needed");
  }
  *out = item.text();
  return OkStatus();
}

Status Reader::ReadArrayHeader(size_t* n) {
  if (TakeFast(kArray, StoreCount(n))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kArray}, "an array", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *n = item.indefinite ? kIndefiniteLength : static_cast<size_t>(item.argument);
  return OkStatus();
}

Status Reader::ReadMapHeader(size_t* n) {
  if (TakeFast(kMap, StoreCount(n))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kMap}, "a map", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *n = item.indefinite ? kIndefiniteLength : static_cast<size_t>(item.argument);
  return OkStatus();
}

Status Reader::ReadBreak() {
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kBreak}, "a break", offset()));
  return Next().ok() ? OkStatus() : Status(*error_);
}

Status Reader::ReadTag(uint64_t* tag) {
  const ByteView rest = in_.Rest();
  FastItem f;
  if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
      f.head.major == 6 && CheckFast(rest, options_, stack_.size(), &f, nullptr)) {
    Commit(in_, total_items_, stack_, options_, f);
    *tag = f.head.argument;
    return OkStatus();
  }
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kTag}, "a tag", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *tag = item.argument;
  return OkStatus();
}

Status Reader::ReadBool(bool* out) {
  if (TakeFast(kBool, StoreBool(out))) return OkStatus();
  TEEPNET_RETURN_IF_ERROR(
      CheckNextType(*this, {ItemType::kFalse, ItemType::kTrue}, "a bool", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *out = item.type == ItemType::kTrue;
  return OkStatus();
}

Status Reader::ReadNull() {
  const ByteView rest = in_.Rest();
  FastItem f;
  if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
      f.head.major == 7 && f.head.info == 22 &&
      CheckFast(rest, options_, stack_.size(), &f, nullptr)) {
    Commit(in_, total_items_, stack_, options_, f);
    return OkStatus();
  }
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kNull}, "null", offset()));
  return Next().ok() ? OkStatus() : Status(*error_);
}

Status Reader::ReadUndefined() {
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kUndefined}, "undefined", offset()));
  return Next().ok() ? OkStatus() : Status(*error_);
}

Status Reader::ReadFloat(double* out, FloatWidth* width) {
  const ByteView rest = in_.Rest();
  FastItem f;
  Item decoded;
  if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
      f.head.major == 7 && f.head.info >= 25 &&
      CheckFast(rest, options_, stack_.size(), &f, &decoded)) {
    Commit(in_, total_items_, stack_, options_, f);
    *out = decoded.float_value;
    if (width != nullptr) *width = decoded.float_width;
    return OkStatus();
  }
  TEEPNET_RETURN_IF_ERROR(CheckNextType(*this, {ItemType::kFloat}, "a float", offset()));
  TEEPNET_ASSIGN_OR_RETURN(Item item, Next());
  *out = item.float_value;
  if (width != nullptr) *width = item.float_width;
  return OkStatus();
}

Status Reader::SkipItem() {
  if (error_) return *error_;
  if (!stack_.empty() && (stack_.back().kind == FrameKind::kBytesChunks ||
                          stack_.back().kind == FrameKind::kTextChunks)) {
    return Error(Errc::kBadState, "cannot skip a chunk of an indefinite string", offset());
  }
  if (AtBreak()) {
    return Error(Errc::kUnexpectedType, "expected a data item, found a break", offset());
  }
  const size_t depth_before = stack_.size();
  do {
    // Next() without building an Item where its fast path applies.
    const ByteView rest = in_.Rest();
    FastItem f;
    if (PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest, options_, &f) &&
        CheckFast(rest, options_, stack_.size(), &f, nullptr)) {
      Commit(in_, total_items_, stack_, options_, f);
      continue;
    }
    Result<Item> item = Next();
    if (!item.ok()) return std::move(item).TakeError();
  } while (stack_.size() > depth_before);
  return OkStatus();
}

Status Reader::ReadRawItem(ByteView* out) {
  const size_t start = offset();
  TEEPNET_RETURN_IF_ERROR(SkipItem());
  *out = in_.Consumed(start);
  return OkStatus();
}

Status Reader::ExpectEnd() {
  if (error_) return *error_;
  if (!stack_.empty()) {
    if (in_.AtEnd()) return Fail(Errc::kTruncated, offset(), "input ends inside an open container");
    return Error(Errc::kBadState, "a container is still open", offset());
  }
  if (!in_.AtEnd() && !options_.allow_trailing_bytes) {
    return Fail(Errc::kTrailingBytes, offset(),
                std::to_string(in_.remaining()) + " bytes after the data item");
  }
  return OkStatus();
}

}  // namespace teepnet::cbor
