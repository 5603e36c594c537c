// Item: what the pull Reader returns for one data item head (RFC 8949 §3).
#ifndef TEEPNET_CBOR_ITEM_H_
#define TEEPNET_CBOR_ITEM_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "teepnet/base/bytes.h"

namespace teepnet::cbor {

// RFC 8949 §3.1.
enum class MajorType : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimpleOrFloat = 7,
};

enum class ItemType : uint8_t {
  kUnsigned,  // argument = the value
  kNegative,  // argument = n, the value is -1 - n
  kBytes,     // definite: bytes = contents; indefinite: chunks follow, then kBreak
  kText,      // as kBytes; contents are UTF-8 (validated when the options ask)
  kArray,     // argument = item count unless indefinite
  kMap,       // argument = pair count unless indefinite
  kTag,       // argument = tag number; exactly one tagged item follows
  kFalse,
  kTrue,
  kNull,
  kUndefined,
  kSimple,  // argument = simple value 0..19 or 32..255 (RFC 8949 §3.3)
  kFloat,   // float_value, float_width
  kBreak,   // the "break" stop code ff that ends an indefinite container
};

std::string_view ItemTypeName(ItemType type);

// Encoded width of a float: f9 half, fa single, fb double (RFC 8949 §3.3).
enum class FloatWidth : uint8_t { kHalf = 2, kSingle = 4, kDouble = 8 };

// The array/map length that stands for "indefinite" in the schema helpers.
inline constexpr size_t kIndefiniteLength = std::numeric_limits<size_t>::max();

struct Item {
  ItemType type = ItemType::kUndefined;
  bool indefinite = false;  // strings, arrays and maps with additional info 31
  uint64_t argument = 0;    // see ItemType
  ByteView bytes;           // definite byte/text string contents: a view into the input
  double float_value = 0;   // kFloat: the value, widened to double exactly
  FloatWidth float_width = FloatWidth::kDouble;
  size_t offset = 0;     // offset of the head's first byte in the input
  size_t head_size = 0;  // bytes in the head (1, 2, 3, 5 or 9)
  ByteView head;         // the head's bytes (a view into the input)

  std::string_view text() const { return AsChars(bytes); }
};

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_ITEM_H_
