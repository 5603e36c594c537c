// The DOM decoder: builds a Value tree on top of Reader, which has already enforced
// well-formedness and limits; here only validity checks that need whole keys are added
// (duplicate and unsorted map keys).
#include <algorithm>
#include <string>
#include <vector>

#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/value.h"

namespace teepnet::cbor {

namespace {

Result<Value> DecodeItem(Reader& r);

Result<Value> DecodeString(Reader& r, const Item& head) {
  if (!head.indefinite) {
    return head.type == ItemType::kBytes ? Value::Bytes(head.bytes) : Value::Text(head.text());
  }
  Value out = head.type == ItemType::kBytes ? Value::Bytes({}) : Value::Text("");
  out.set_indefinite(true);
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(Item chunk, r.Next());
    if (chunk.type == ItemType::kBreak) return out;
    if (chunk.bytes.size() > r.options().limits.max_string_length - out.bytes().size()) {
      return Error(Errc::kStringTooLong, "joined chunks exceed the string length limit",
                   head.offset);
    }
    out.AddChunk(chunk.bytes);
  }
}

Status CheckMapKeys(const std::vector<Bytes>& keys, const std::vector<size_t>& offsets,
                    const DecodeOptions& options) {
  if (options.require_sorted_map_keys) {
    // RFC 8949 §4.2.1: keys sorted in bytewise lexicographic order of their encodings.
    for (size_t i = 1; i < keys.size(); ++i) {
      if (keys[i - 1] == keys[i]) {
        return Error(Errc::kDuplicateMapKey, "map key repeated", offsets[i]);
      }
      if (BytewiseLess(keys[i], keys[i - 1])) {
        return Error(Errc::kUnsortedMapKeys, "map key out of deterministic order", offsets[i]);
      }
    }
  }
  if (options.reject_duplicate_keys && keys.size() > 1) {
    // RFC 8949 §5.6: a map with two equal keys is not valid. Keys are compared through their
    // preferred encodings, so 1 and 0x1801 (or "a" and (_ "a")) are the same key.
    std::vector<size_t> order(keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) {
                if (BytewiseLess(keys[a], keys[b])) return true;
                if (BytewiseLess(keys[b], keys[a])) return false;
                return a < b;
              });
    for (size_t i = 1; i < order.size(); ++i) {
      if (Equal(keys[order[i - 1]], keys[order[i]])) {
        return Error(Errc::kDuplicateMapKey, "map key repeated", offsets[order[i]]);
      }
    }
  }
  return OkStatus();
}

Result<Value> DecodeMap(Reader& r, const Item& head) {
  const bool check_keys = r.options().reject_duplicate_keys || r.options().require_sorted_map_keys;
  std::vector<Value::MapEntry> entries;
  std::vector<Bytes> keys;
  std::vector<size_t> key_offsets;
  if (!head.indefinite) entries.reserve(static_cast<size_t>(head.argument));
  for (uint64_t i = 0; head.indefinite || i < head.argument; ++i) {
    if (head.indefinite && r.AtBreak()) {
      TEEPNET_RETURN_IF_ERROR(r.ReadBreak());
      break;
    }
    const size_t key_offset = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(Value key, DecodeItem(r));
    TEEPNET_ASSIGN_OR_RETURN(Value value, DecodeItem(r));
    if (check_keys) {
      keys.push_back(Encode(key));
      key_offsets.push_back(key_offset);
    }
    entries.emplace_back(std::move(key), std::move(value));
  }
  TEEPNET_RETURN_IF_ERROR(CheckMapKeys(keys, key_offsets, r.options()));
  Value out = Value::Map(std::move(entries));
  out.set_indefinite(head.indefinite);
  return out;
}

Result<Value> DecodeFromHead(Reader& r, const Item& head) {
  switch (head.type) {
    case ItemType::kUnsigned: return Value::Unsigned(head.argument);
    case ItemType::kNegative: return Value::Negative(head.argument);
    case ItemType::kBytes:
    case ItemType::kText: return DecodeString(r, head);
    case ItemType::kArray: {
      std::vector<Value> items;
      // The reader has checked that the count fits the remaining input.
      if (!head.indefinite) items.reserve(static_cast<size_t>(head.argument));
      for (uint64_t i = 0; head.indefinite || i < head.argument; ++i) {
        if (head.indefinite && r.AtBreak()) {
          TEEPNET_RETURN_IF_ERROR(r.ReadBreak());
          break;
        }
        TEEPNET_ASSIGN_OR_RETURN(Value item, DecodeItem(r));
        items.push_back(std::move(item));
      }
      Value out = Value::Array(std::move(items));
      out.set_indefinite(head.indefinite);
      return out;
    }
    case ItemType::kMap: return DecodeMap(r, head);
    case ItemType::kTag: {
      TEEPNET_ASSIGN_OR_RETURN(Value content, DecodeItem(r));
      return Value::Tag(head.argument, std::move(content));
    }
    case ItemType::kFalse: return Value::Bool(false);
    case ItemType::kTrue: return Value::Bool(true);
    case ItemType::kNull: return Value::Null();
    case ItemType::kUndefined: return Value::Undefined();
    case ItemType::kSimple: return Value::Simple(static_cast<uint8_t>(head.argument));
    case ItemType::kFloat: return Value::Float(head.float_value, head.float_width);
    case ItemType::kBreak: break;
  }
  // The reader reports a misplaced break itself; reaching here means a break closed a
  // container the DOM decoder had not opened.
  return Error(Errc::kUnexpectedBreak, "break where a data item was expected", head.offset);
}

Result<Value> DecodeItem(Reader& r) {
  TEEPNET_ASSIGN_OR_RETURN(Item head, r.Next());
  return DecodeFromHead(r, head);
}

}  // namespace

Result<Value> Decode(ByteView input, const DecodeOptions& options) {
  Reader r(input, options);
  TEEPNET_ASSIGN_OR_RETURN(Value value, DecodeItem(r));
  TEEPNET_RETURN_IF_ERROR(r.ExpectEnd());
  return value;
}

}  // namespace teepnet::cbor
