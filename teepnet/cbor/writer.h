// Writer: a CBOR encoder that always produces preferred serialization (RFC 8949 §4.1):
// the shortest head for every argument and the shortest float width that keeps the value
// (NaN as f9 7e00). Together with MapBuilder (sorted map keys) its output is Core
// Deterministic Encoding (RFC 8949 §4.2.1).
//
// The writer only appends; it does not check that the items form a complete structure
// (an array head must be followed by that many items) — encoders build from typed structs,
// so the count is known. Writing cannot fail except where a value has no encoding.
#ifndef TEEPNET_CBOR_WRITER_H_
#define TEEPNET_CBOR_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/item.h"

namespace teepnet::cbor {

class Writer {
 public:
  Writer() = default;
  explicit Writer(size_t reserve) { out_.reserve(reserve); }

  void WriteUint(uint64_t value);
  void WriteInt(int64_t value);
  // Major type 1 with argument n: the value -1 - n (reaches -2^64).
  void WriteNegative(uint64_t n);
  void WriteBytes(ByteView bytes);
  // `text` must be UTF-8 (not checked: our encoders write known strings).
  void WriteText(std::string_view text);
  void WriteArrayHeader(uint64_t count);
  void WriteMapHeader(uint64_t pairs);  // keys should be sorted: see MapBuilder
  void WriteTag(uint64_t tag);
  void WriteBool(bool value);
  void WriteNull();
  void WriteUndefined();
  // Simple values 0..19 and 32..255; 20..23 are written as false/true/null/undefined.
  // 24..31 have no encoding (RFC 8949 §3.3): Errc::kBadSimpleValue.
  Status WriteSimple(uint8_t value);
  // Shortest of half/single/double that represents `value` exactly; NaN as f9 7e00.
  void WriteFloat(double value);
  // A float in exactly `width` (for tests and tools that need non-preferred input). Fails
  // with Errc::kBadState when `value` is not exact in that width; NaN is written quiet.
  Status WriteFloatWithWidth(double value, FloatWidth width);
  // Indefinite-length heads and break: not preferred serialization, provided so tests and
  // tools can build such input.
  void WriteIndefiniteHeader(MajorType type);
  void WriteBreak();
  // Appends one pre-encoded, complete item verbatim (the caller vouches for it).
  void WriteRaw(ByteView encoded_item);

  // Writes a head with the shortest argument encoding.
  void WriteHead(MajorType type, uint64_t argument);

  size_t size() const { return out_.size(); }
  const Bytes& bytes() const { return out_; }
  Bytes Take() && { return std::move(out_); }
  void Clear() { out_.clear(); }

 private:
  Bytes out_;
};

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_WRITER_H_
