// The pull reader's fast paths (internal to teepnet/cbor; include reader.h, not this file).
//
// They live in a header so that every Try* read inlines into the protocol decoders that call
// it: decoding a TEEP message is a few dozen small items, and a call per item was a
// measurable share of it (bench/teep, BM_DecodeQueryResponseVector).
#ifndef TEEPNET_CBOR_READER_FAST_PATH_H_
#define TEEPNET_CBOR_READER_FAST_PATH_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/bytes.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/item.h"
#include "teepnet/cbor/utf8.h"

#ifndef TEEPNET_CBOR_READER_H_
#error "include teepnet/cbor/reader.h instead"
#endif

namespace teepnet::cbor {
namespace reader_internal {

// RFC 8949 §4.1: the smallest argument each of the heads 24..27 may carry in preferred
// serialization (anything smaller fits a shorter head).
inline constexpr uint64_t kMinimumArgument[] = {24, uint64_t{1} << 8, uint64_t{1} << 16,
                                                uint64_t{1} << 32};

// --- Fast paths ----------------------------------------------------------------------------
//
// Most items in protocol messages are small and well formed, so Next() and the schema
// helpers first try to take the whole item from a view of the remaining input, and change
// the reader's state (consume the bytes, count the item, update the container stack) only
// once every check has passed. Anything else -- the sticky error, an indefinite length, a
// break, a chunk, a limit, an argument or string that runs past the input, a non-preferred
// head, invalid UTF-8, a key out of RFC 8949 §4.2.1 order or repeated, a type mismatch --
// goes to the general path, which therefore starts from the untouched state and reports
// exactly what it always did (same Errc, offset, message and reader state). A fast path only
// ever accepts what the general path accepts. The Try* reads are these fast paths alone.

// A head whose argument is complete in the input: definite (additional information < 28)
// and, for major types 0..6 when preferred serialization is required, in its shortest form.
// Major type 7 is returned as is (simple values and floats have their own rules).
struct Head {
  uint8_t major;
  uint8_t info;
  size_t size;  // bytes in the head
  uint64_t argument;
};

[[gnu::always_inline]] inline bool ParseHead(ByteView rest, bool require_preferred, Head* h) {
  if (rest.empty()) return false;
  const uint8_t initial = rest[0];
  h->major = initial >> 5;
  h->info = initial & 0x1f;
  if (h->info < 24) {
    h->size = 1;
    h->argument = h->info;
    return true;
  }
  if (h->info > 27) return false;
  const size_t width = size_t{1} << (h->info - 24);
  if (rest.size() <= width) return false;
  const uint8_t* p = rest.data() + 1;
  uint64_t v = 0;
  switch (width) {
    case 1: v = p[0]; break;
    case 2: v = (uint64_t{p[0]} << 8) | p[1]; break;
    case 4:
      v = (uint64_t{p[0]} << 24) | (uint64_t{p[1]} << 16) | (uint64_t{p[2]} << 8) | p[3];
      break;
    default:
      for (size_t i = 0; i < 8; ++i) v = (v << 8) | p[i];
      break;
  }
  if (require_preferred && h->major != 7 && v < kMinimumArgument[h->info - 24]) return false;
  h->size = 1 + width;
  h->argument = v;
  return true;
}

// The value and width of a float head (info 25..27) from its bits; false when preferred
// serialization is required and the float is not in it (reader.cc).
bool DecodeFloat(uint8_t info, uint64_t bits, bool require_preferred, double* value,
                 FloatWidth* width);

// A definite string head (major type 2 or 3) whose contents are within the limit, complete
// in the input and, for text, valid UTF-8 when the options ask.
[[gnu::always_inline]] inline bool StringFits(const Head& h, ByteView rest,
                                              const DecodeOptions& options) {
  if (h.argument > options.limits.max_string_length || h.argument > rest.size() - h.size) {
    return false;
  }
  if (h.major != 3 || !options.validate_utf8) return true;
  size_t bad = 0;
  return IsValidUtf8(rest.subspan(h.size, static_cast<size_t>(h.argument)), &bad);
}

// An array or map head (major type 4 or 5) within the entry limit whose members can fit the
// rest of the input; *members is the count of items that follow (two per map pair).
[[gnu::always_inline]] inline bool ContainerFits(const Head& h, ByteView rest, const Limits& limits,
                                                 uint64_t* members) {
  const unsigned per_entry_shift = h.major == 4 ? 0 : 1;  // one item per entry, two per pair
  if (h.argument > limits.max_container_items ||
      h.argument > (rest.size() - h.size) >> per_entry_shift) {
    return false;
  }
  *members = h.argument << per_entry_shift;
  return true;
}

// The next item as a fast path takes it: its head, its encoded size and the items it opens
// (an array, map or tag head; 0 for anything else).
struct FastItem {
  Head head;
  size_t size;
  uint64_t members;
};

// RFC 8949 §4.2.1 key order for a map frame, shared by the fast paths and Next(). A map's
// members alternate key, value; the frame counts what is left (definite) or what was read
// (indefinite), so the parity says which one comes next.
template <typename Frame>
[[gnu::always_inline]] inline bool AtMapKey(const Frame& map) {
  return (map.indefinite ? map.seen : map.remaining) % 2 == 0;
}

// At the head of a map's value the key before it is complete: [key_begin, position) of the
// input. True when that key sorts strictly after the map's previous key (bytewise
// lexicographic order of the encodings, which for deterministic CBOR is the §4.2.1 order; an
// equal key is a repeated key). At a key's head, and for the first key, there is nothing to
// compare yet. Both keys are views into the input: nothing is decoded or copied.
template <typename Frame>
[[gnu::always_inline]] inline bool KeyFollowsPrevious(const Frame& map, ByteView input,
                                                      size_t position) {
  if (AtMapKey(map) || map.prev_key_end == 0) return true;
  const ByteView key = input.subspan(map.key_begin, position - map.key_begin);
  const ByteView prev = input.subspan(map.prev_key_begin, map.prev_key_end - map.prev_key_begin);
  // Keys are mostly one or two bytes: a plain loop beats a call to memcmp.
  const size_t common = std::min(key.size(), prev.size());
  for (size_t i = 0; i < common; ++i) {
    if (prev[i] != key[i]) return prev[i] < key[i];
  }
  return prev.size() < key.size();
}

// Called with the position of each member's head once the member is accepted: a key's start
// is recorded; at its value the key becomes the previous key.
template <typename Frame>
[[gnu::always_inline]] inline void RecordMapMember(Frame& map, size_t position) {
  if (AtMapKey(map)) {
    map.key_begin = position;
    return;
  }
  map.prev_key_begin = map.key_begin;
  map.prev_key_end = position;
}

// True when a fast path may take the next item as far as its head goes: the reader has not
// failed, may count one more item, is not inside an indefinite string (whose chunks follow
// their own rules), keeps the key order of the map it is directly in when the options ask
// for it (a key out of order or repeated goes to Next(), which names it), and the head is
// definite and complete (ParseHead). `rest` is input from `position` on.
template <typename Stack, typename Kind = decltype(std::declval<Stack>().back().kind)>
[[gnu::always_inline]] inline bool PeekFast(bool failed, uint64_t total_items, const Stack& stack,
                                            ByteView input, size_t position, ByteView rest,
                                            const DecodeOptions& options, FastItem* f) {
  if (failed || total_items >= options.limits.max_total_items) return false;
  if (!stack.empty()) {
    const auto& top = stack.back();
    if (top.kind == Kind::kBytesChunks || top.kind == Kind::kTextChunks) return false;
    if (options.require_sorted_map_keys && top.kind == Kind::kMap &&
        !KeyFollowsPrevious(top, input, position)) {
      return false;
    }
  }
  return ParseHead(rest, options.require_preferred, &f->head);
}

// True when the item PeekFast found passes every check the general path makes for it
// (limits, depth, input length, preferred serialization, UTF-8, simple values); fills in
// its size and the items it opens and, when `item` is given, its type and type-specific
// fields. The schema helpers test the major type before calling it, so that only that case
// is compiled into them.
[[gnu::always_inline]] inline bool CheckFast(ByteView rest, const DecodeOptions& options,
                                             size_t depth, FastItem* f, Item* item) {
  const Head& h = f->head;
  f->size = h.size;
  f->members = 0;
  switch (h.major) {
    case 0:
      if (item != nullptr) item->type = ItemType::kUnsigned;
      return true;
    case 1:
      if (item != nullptr) item->type = ItemType::kNegative;
      return true;
    case 2:
    case 3:
      if (!StringFits(h, rest, options)) return false;
      f->size += static_cast<size_t>(h.argument);
      if (item != nullptr) {
        item->type = h.major == 2 ? ItemType::kBytes : ItemType::kText;
        item->bytes = rest.subspan(h.size, static_cast<size_t>(h.argument));
      }
      return true;
    case 4:
    case 5:
      if (item != nullptr) item->type = h.major == 4 ? ItemType::kArray : ItemType::kMap;
      return ContainerFits(h, rest, options.limits, &f->members) &&
             (f->members == 0 || depth < options.limits.max_depth);
    case 6:
      if (item != nullptr) item->type = ItemType::kTag;
      f->members = 1;
      return depth < options.limits.max_depth;
    default:  // 7
      break;
  }
  if (h.info >= 25) {
    double value = 0;
    FloatWidth width = FloatWidth::kDouble;
    if (!DecodeFloat(h.info, h.argument, options.require_preferred, &value, &width)) {
      return false;
    }
    if (item != nullptr) {
      item->type = ItemType::kFloat;
      item->float_value = value;
      item->float_width = width;
    }
    return true;
  }
  // RFC 8949 §3.3: f8 followed by a value below 32 is not well-formed.
  if (h.info == 24 && h.argument < 32) return false;
  if (item != nullptr) {
    switch (h.argument) {
      case 20: item->type = ItemType::kFalse; break;
      case 21: item->type = ItemType::kTrue; break;
      case 22: item->type = ItemType::kNull; break;
      case 23: item->type = ItemType::kUndefined; break;
      default: item->type = ItemType::kSimple; break;
    }
  }
  return true;
}

// The contents of a string item CheckFast accepted.
[[gnu::always_inline]] inline ByteView Contents(const FastItem& f, ByteView rest) {
  return rest.subspan(f.head.size, static_cast<size_t>(f.head.argument));
}

// Records that one complete item was read and closes every definite container (and tag)
// that it completes. Indefinite containers close only at their break. (The body of
// Reader::ItemDone, here so that the fast paths inline it.)
template <typename Stack>
[[gnu::always_inline]] inline void CompleteItem(Stack& stack) {
  while (!stack.empty()) {
    auto& top = stack.back();
    if (top.indefinite) {
      ++top.seen;
      return;
    }
    if (--top.remaining > 0) return;
    stack.pop_back();
  }
}

// Takes an item CheckFast accepted: consumes its bytes and counts it (recording it as a key
// or value of the map it is directly in when key order is checked); an array, map or tag
// head opens a frame for its members, anything else completes the containers it completes.
template <typename Stack>
[[gnu::always_inline]] inline void Commit(ByteReader& in, uint64_t& total_items, Stack& stack,
                                          const DecodeOptions& options, const FastItem& f) {
  using Frame = std::remove_reference_t<decltype(stack.back())>;
  using Kind = decltype(Frame::kind);
  if (options.require_sorted_map_keys && !stack.empty() && stack.back().kind == Kind::kMap) {
    RecordMapMember(stack.back(), in.position());
  }
  in.Skip(f.size);
  ++total_items;
  if (f.members == 0) {
    CompleteItem(stack);
    return;
  }
  const Kind kind = f.head.major == 4 ? Kind::kArray : f.head.major == 5 ? Kind::kMap : Kind::kTag;
  stack.push_back(Frame{kind, false, f.members, 0, 0, 0, 0});
}

inline constexpr auto kInteger = [](const Head& h) { return h.major <= 1; };
inline constexpr auto kUnsigned = [](const Head& h) { return h.major == 0; };
inline constexpr auto kByteString = [](const Head& h) { return h.major == 2; };
inline constexpr auto kTextString = [](const Head& h) { return h.major == 3; };
inline constexpr auto kArray = [](const Head& h) { return h.major == 4; };
inline constexpr auto kMap = [](const Head& h) { return h.major == 5; };
inline constexpr auto kBool = [](const Head& h) {
  return h.major == 7 && (h.info == 20 || h.info == 21);
};
// A single head with its contents: arrays, maps and tags open more items.
inline constexpr auto kSingleHead = [](const Head& h) { return h.major < 4 || h.major > 6; };

inline auto StoreInteger(bool* negative, uint64_t* argument) {
  return [=](const FastItem& f, ByteView) {
    *negative = f.head.major == 1;
    *argument = f.head.argument;
  };
}
inline auto StoreArgument(uint64_t* out) {
  return [=](const FastItem& f, ByteView) { *out = f.head.argument; };
}
inline auto StoreCount(size_t* out) {
  return [=](const FastItem& f, ByteView) { *out = static_cast<size_t>(f.head.argument); };
}
inline auto StoreContents(ByteView* out) {
  return [=](const FastItem& f, ByteView rest) { *out = Contents(f, rest); };
}
inline auto StoreText(std::string_view* out) {
  return [=](const FastItem& f, ByteView rest) { *out = AsChars(Contents(f, rest)); };
}
inline auto StoreBool(bool* out) {
  return [=](const FastItem& f, ByteView) { *out = f.head.info == 21; };
}
inline auto StoreRawItem(ByteView* out) {
  return [=](const FastItem& f, ByteView rest) { *out = rest.first(f.size); };
}

}  // namespace reader_internal

// Each schema helper first tries its fast path: the item is taken straight from the input,
// without building an Item or a Result; the general path (peek, then Next()) decides
// everything else.

template <typename Accept, typename Take>
[[gnu::always_inline]] inline bool Reader::TakeFast(Accept accept, Take take) {
  const ByteView rest = in_.Rest();
  reader_internal::FastItem f;
  if (!reader_internal::PeekFast(failed(), total_items_, stack_, input_, in_.position(), rest,
                                 options_, &f) ||
      !accept(f.head) || !reader_internal::CheckFast(rest, options_, stack_.size(), &f, nullptr)) {
    return false;
  }
  reader_internal::Commit(in_, total_items_, stack_, options_, f);
  take(f, rest);
  return true;
}

[[gnu::always_inline]] inline bool Reader::TryReadInteger(bool* negative, uint64_t* argument) {
  return TakeFast(reader_internal::kInteger, reader_internal::StoreInteger(negative, argument));
}
[[gnu::always_inline]] inline bool Reader::TryReadUint(uint64_t* out) {
  return TakeFast(reader_internal::kUnsigned, reader_internal::StoreArgument(out));
}
[[gnu::always_inline]] inline bool Reader::TryReadBytes(ByteView* out) {
  return TakeFast(reader_internal::kByteString, reader_internal::StoreContents(out));
}
[[gnu::always_inline]] inline bool Reader::TryReadText(std::string_view* out) {
  return TakeFast(reader_internal::kTextString, reader_internal::StoreText(out));
}
[[gnu::always_inline]] inline bool Reader::TryReadArrayHeader(size_t* n) {
  return TakeFast(reader_internal::kArray, reader_internal::StoreCount(n));
}
[[gnu::always_inline]] inline bool Reader::TryReadMapHeader(size_t* n) {
  return TakeFast(reader_internal::kMap, reader_internal::StoreCount(n));
}
[[gnu::always_inline]] inline bool Reader::TryReadBool(bool* out) {
  return TakeFast(reader_internal::kBool, reader_internal::StoreBool(out));
}
[[gnu::always_inline]] inline bool Reader::TryReadRawItem(ByteView* out) {
  return TakeFast(reader_internal::kSingleHead, reader_internal::StoreRawItem(out));
}

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_READER_FAST_PATH_H_
