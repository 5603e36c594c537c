// Value: a generic CBOR data item tree (a DOM) for tools, tests and EDN. Protocol decoders
// should read with cbor::Reader into typed structs instead; Value copies every string.
//
// A Value remembers how it was encoded where EDN shows it (indefinite lengths and string
// chunks, float width), so Decode → ToEdn reproduces RFC 8949 §8 notation, while Encode
// always writes preferred serialization.
#ifndef TEEPNET_CBOR_VALUE_H_
#define TEEPNET_CBOR_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/errc.h"
#include "teepnet/cbor/item.h"

namespace teepnet::cbor {

class Value {
 public:
  enum class Type : uint8_t {
    kUnsigned,
    kNegative,
    kBytes,
    kText,
    kArray,
    kMap,
    kTag,
    kBool,
    kNull,
    kUndefined,
    kSimple,
    kFloat,
  };
  using MapEntry = std::pair<Value, Value>;

  Value() : type_(Type::kNull) {}  // null

  // --- Construction ---
  static Value Unsigned(uint64_t v);
  static Value Int(int64_t v);
  // The value -1 - n (major type 1 argument n).
  static Value Negative(uint64_t n);
  static Value Bytes(ByteView b);
  static Value Text(std::string_view s);
  static Value Array(std::vector<Value> items = {});
  static Value Map(std::vector<MapEntry> entries = {});
  static Value Tag(uint64_t tag, Value content);
  static Value Bool(bool b);
  static Value Null();
  static Value Undefined();
  // Simple value v; 20..23 become false/true/null/undefined. 24..31 are reserved (RFC 8949
  // §3.3) and abort: callers pass constants.
  static Value Simple(uint8_t v);
  static Value Float(double v, FloatWidth width = FloatWidth::kDouble);

  // --- Inspection ---
  Type type() const { return type_; }
  bool is_unsigned() const { return type_ == Type::kUnsigned; }
  bool is_negative() const { return type_ == Type::kNegative; }
  bool is_integer() const { return is_unsigned() || is_negative(); }
  bool is_bytes() const { return type_ == Type::kBytes; }
  bool is_text() const { return type_ == Type::kText; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_map() const { return type_ == Type::kMap; }
  bool is_tag() const { return type_ == Type::kTag; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_undefined() const { return type_ == Type::kUndefined; }
  bool is_simple() const { return type_ == Type::kSimple; }
  bool is_float() const { return type_ == Type::kFloat; }

  // Integers: the head argument (the value itself for kUnsigned, n for -1-n for kNegative).
  uint64_t argument() const { return scalar_; }
  // The integer as int64 when it fits.
  std::optional<int64_t> AsInt64() const;
  // Byte/text string contents (chunks joined).
  const teepnet::Bytes& bytes() const { return str_; }
  std::string_view text() const { return AsChars(str_); }
  const std::vector<Value>& array() const { return items_; }
  std::vector<Value>& mutable_array() { return items_; }
  const std::vector<MapEntry>& map() const { return entries_; }
  std::vector<MapEntry>& mutable_map() { return entries_; }
  uint64_t tag() const { return scalar_; }
  // The tagged item (only for kTag).
  const Value& tagged() const { return items_.front(); }
  bool bool_value() const { return scalar_ != 0; }
  uint8_t simple_value() const { return static_cast<uint8_t>(scalar_); }
  double float_value() const { return float_; }
  FloatWidth float_width() const { return float_width_; }

  // Map lookup by key (first match); nullptr when absent or not a map.
  const Value* Find(const Value& key) const;
  const Value* Find(int64_t key) const;
  const Value* Find(std::string_view text_key) const;

  // Encoding details kept for EDN. Chunks are only non-empty for indefinite strings.
  bool indefinite() const { return indefinite_; }
  const std::vector<teepnet::Bytes>& chunks() const { return chunks_; }
  void set_indefinite(bool v) { indefinite_ = v; }
  void AddChunk(ByteView chunk);

  // Sorts every map in this tree by encoded key (RFC 8949 §4.2.1), recursively.
  void SortMapsDeterministically();

  // Data-model equality: same type and content. Floats compare by bit pattern (0.0 != -0.0)
  // except that all NaNs are equal; width, indefinite-ness and chunking are ignored.
  friend bool operator==(const Value& a, const Value& b);

 private:
  explicit Value(Type t) : type_(t) {}

  Type type_;
  bool indefinite_ = false;
  FloatWidth float_width_ = FloatWidth::kDouble;
  uint64_t scalar_ = 0;  // integer argument, tag number, bool, simple value
  double float_ = 0;
  teepnet::Bytes str_;
  std::vector<teepnet::Bytes> chunks_;
  std::vector<Value> items_;  // array items, or the one tagged item
  std::vector<MapEntry> entries_;
};

// Decodes exactly one item (trailing bytes per options) into a Value.
Result<Value> Decode(ByteView input, const DecodeOptions& options = DecodeOptions());
// Preferred serialization of `value` (map entries in their stored order; call
// SortMapsDeterministically() first for deterministic output). Indefinite values are written
// definite.
teepnet::Bytes Encode(const Value& value);
class Writer;
void WriteValue(Writer& writer, const Value& value);

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_VALUE_H_
