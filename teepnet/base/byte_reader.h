// ByteReader: the one cursor through which every parser of untrusted bytes reads.
//
// It borrows a span (the input must outlive the reader and every view it returns), checks
// every read in overflow-safe form (n <= size - pos), and is *sticky*: the first failed read
// poisons the reader so all later reads fail too. A parser may therefore read several fields
// and test failed() once — but must test it before using any value it read.
//
// Views returned by ReadBytes/PeekBytes point into the input; nothing is copied. The cursor
// moves defined here inline (decoders call them once per item) keep to the same checks as
// byte_reader.cc.
#ifndef TEEPNET_BASE_BYTE_READER_H_
#define TEEPNET_BASE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"

namespace teepnet {

class ByteReader {
 public:
  explicit ByteReader(ByteView input) : input_(input) {}

  size_t size() const { return input_.size(); }
  size_t position() const { return pos_; }
  size_t remaining() const { return failed_ ? 0 : input_.size() - pos_; }
  bool AtEnd() const { return remaining() == 0; }
  bool failed() const { return failed_; }
  // Offset at which the first failed read started (valid when failed()).
  size_t failure_offset() const { return failure_offset_; }

  bool CanRead(size_t n) const { return !failed_ && n <= input_.size() - pos_; }

  // Big-endian (network order, CBOR heads) and little-endian (TEE report structs) integers.
  bool ReadU8(uint8_t* out);
  bool ReadBeU16(uint16_t* out);
  bool ReadBeU32(uint32_t* out);
  bool ReadBeU64(uint64_t* out);
  bool ReadLeU16(uint16_t* out);
  bool ReadLeU32(uint32_t* out);
  bool ReadLeU64(uint64_t* out);
  // Reads an unsigned big-endian integer of `width` bytes (1..8).
  bool ReadBeUint(size_t width, uint64_t* out);

  // Returns a view of the next n bytes and advances past them.
  bool ReadBytes(size_t n, ByteView* out) {
    if (!CanRead(n)) {
      Fail();
      return false;
    }
    *out = input_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  // Copies the next out.size() bytes into `out` (fixed-size fields of report structs).
  bool ReadInto(std::span<uint8_t> out);
  bool Skip(size_t n) {
    if (!CanRead(n)) [[unlikely]] {
      Fail();
      return false;
    }
    pos_ += n;
    return true;
  }
  bool PeekU8(uint8_t* out) const {
    if (!CanRead(1)) return false;
    *out = input_[pos_];
    return true;
  }
  // Everything not yet read, without advancing.
  ByteView Rest() const { return failed_ ? ByteView() : input_.subspan(pos_); }
  // A view of input bytes [from, position()) — the exact bytes a sub-parser consumed.
  ByteView Consumed(size_t from) const;

  // Poisons the reader (a caller found a semantic error at the current position).
  void Fail();

 private:
  ByteView input_;
  size_t pos_ = 0;
  size_t failure_offset_ = 0;
  bool failed_ = false;
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_BYTE_READER_H_
