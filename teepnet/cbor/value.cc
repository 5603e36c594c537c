#include "teepnet/cbor/value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "teepnet/cbor/float_bits.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::cbor {

Value Value::Unsigned(uint64_t v) {
  Value out(Type::kUnsigned);
  out.scalar_ = v;
  return out;
}

Value Value::Int(int64_t v) {
  return v >= 0 ? Unsigned(static_cast<uint64_t>(v)) : Negative(static_cast<uint64_t>(-1 - v));
}

Value Value::Negative(uint64_t n) {
  Value out(Type::kNegative);
  out.scalar_ = n;
  return out;
}

Value Value::Bytes(ByteView b) {
  Value out(Type::kBytes);
  out.str_ = ToBytes(b);
  return out;
}

Value Value::Text(std::string_view s) {
  Value out(Type::kText);
  out.str_ = ToBytes(s);
  return out;
}

Value Value::Array(std::vector<Value> items) {
  Value out(Type::kArray);
  out.items_ = std::move(items);
  return out;
}

Value Value::Map(std::vector<MapEntry> entries) {
  Value out(Type::kMap);
  out.entries_ = std::move(entries);
  return out;
}

Value Value::Tag(uint64_t tag, Value content) {
  Value out(Type::kTag);
  out.scalar_ = tag;
  out.items_.push_back(std::move(content));
  return out;
}

Value Value::Bool(bool b) {
  Value out(Type::kBool);
  out.scalar_ = b ? 1 : 0;
  return out;
}

Value Value::Null() {
  return Value(Type::kNull);
}
Value Value::Undefined() {
  return Value(Type::kUndefined);
}

Value Value::Simple(uint8_t v) {
  switch (v) {
    case 20: return Bool(false);
    case 21: return Bool(true);
    case 22: return Null();
    case 23: return Undefined();
    default: break;
  }
  // RFC 8949 §3.3: 24..31 are reserved and cannot be encoded; asking for one is a
  // programming error, like reading the value of a failed Result.
  if (v >= 24 && v < 32) std::abort();
  Value out(Type::kSimple);
  out.scalar_ = v;
  return out;
}

Value Value::Float(double v, FloatWidth width) {
  Value out(Type::kFloat);
  out.float_ = v;
  out.float_width_ = width;
  return out;
}

std::optional<int64_t> Value::AsInt64() const {
  if (!is_integer() || scalar_ > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  const int64_t magnitude = static_cast<int64_t>(scalar_);
  return is_unsigned() ? magnitude : -1 - magnitude;
}

void Value::AddChunk(ByteView chunk) {
  chunks_.push_back(ToBytes(chunk));
  Append(str_, chunk);
}

const Value* Value::Find(const Value& key) const {
  if (!is_map()) return nullptr;
  for (const MapEntry& e : entries_) {
    if (e.first == key) return &e.second;
  }
  return nullptr;
}

const Value* Value::Find(int64_t key) const {
  return Find(Int(key));
}
const Value* Value::Find(std::string_view text_key) const {
  return Find(Text(text_key));
}

void Value::SortMapsDeterministically() {
  for (Value& item : items_) item.SortMapsDeterministically();
  if (!is_map()) return;
  std::vector<std::pair<teepnet::Bytes, MapEntry>> keyed;
  keyed.reserve(entries_.size());
  for (MapEntry& e : entries_) {
    e.second.SortMapsDeterministically();
    e.first.SortMapsDeterministically();
    keyed.emplace_back(Encode(e.first), std::move(e));
  }
  // RFC 8949 §4.2.1: bytewise lexicographic order of the deterministic key encodings.
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return BytewiseLess(a.first, b.first); });
  entries_.clear();
  for (auto& k : keyed) entries_.push_back(std::move(k.second));
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Value::Type::kBytes:
    case Value::Type::kText: return a.str_ == b.str_;
    case Value::Type::kArray: return a.items_ == b.items_;
    case Value::Type::kMap: return a.entries_ == b.entries_;
    case Value::Type::kTag: return a.scalar_ == b.scalar_ && a.items_ == b.items_;
    case Value::Type::kFloat:
      // Every NaN is one value: preferred serialization writes them all as f9 7e00 (RFC 8949
      // §4.2.2), so payloads do not survive a round trip. Otherwise compare bit patterns, so
      // that 0.0 and -0.0 stay distinct data items.
      if (std::isnan(a.float_) && std::isnan(b.float_)) return true;
      return DoubleToBits(a.float_) == DoubleToBits(b.float_);
    default: return a.scalar_ == b.scalar_;
  }
}

void WriteValue(Writer& w, const Value& v) {
  switch (v.type()) {
    case Value::Type::kUnsigned: w.WriteUint(v.argument()); return;
    case Value::Type::kNegative: w.WriteNegative(v.argument()); return;
    case Value::Type::kBytes: w.WriteBytes(v.bytes()); return;
    case Value::Type::kText: w.WriteText(v.text()); return;
    case Value::Type::kArray:
      w.WriteArrayHeader(v.array().size());
      for (const Value& item : v.array()) WriteValue(w, item);
      return;
    case Value::Type::kMap:
      w.WriteMapHeader(v.map().size());
      for (const Value::MapEntry& e : v.map()) {
        WriteValue(w, e.first);
        WriteValue(w, e.second);
      }
      return;
    case Value::Type::kTag:
      w.WriteTag(v.tag());
      WriteValue(w, v.tagged());
      return;
    case Value::Type::kBool: w.WriteBool(v.bool_value()); return;
    case Value::Type::kNull: w.WriteNull(); return;
    case Value::Type::kUndefined: w.WriteUndefined(); return;
    case Value::Type::kSimple:
      // Value::Simple never holds 20..31, so this is the one valid encoding.
      w.WriteHead(MajorType::kSimpleOrFloat, v.simple_value());
      return;
    case Value::Type::kFloat: w.WriteFloat(v.float_value()); return;
  }
}

teepnet::Bytes Encode(const Value& value) {
  Writer w;
  WriteValue(w, value);
  return std::move(w).Take();
}

}  // namespace teepnet::cbor
