// ByteWriter: appends to an owned buffer. Writing cannot fail (allocation failure aborts).
#ifndef TEEPNET_BASE_BYTE_WRITER_H_
#define TEEPNET_BASE_BYTE_WRITER_H_

#include <cstdint>

#include "teepnet/base/bytes.h"

namespace teepnet {

class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(size_t reserve) { out_.reserve(reserve); }

  void WriteU8(uint8_t v) { out_.push_back(v); }
  // Writes the low `width` bytes of v, most significant first.
  void WriteBeUint(uint64_t v, size_t width);
  void WriteBeU16(uint16_t v) { WriteBeUint(v, 2); }
  void WriteBeU32(uint32_t v) { WriteBeUint(v, 4); }
  void WriteBeU64(uint64_t v) { WriteBeUint(v, 8); }
  void WriteLeUint(uint64_t v, size_t width);
  void WriteLeU16(uint16_t v) { WriteLeUint(v, 2); }
  void WriteLeU32(uint32_t v) { WriteLeUint(v, 4); }
  void WriteLeU64(uint64_t v) { WriteLeUint(v, 8); }
  void WriteBytes(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void WriteZeros(size_t n) { out_.insert(out_.end(), n, 0); }

  size_t size() const { return out_.size(); }
  const Bytes& bytes() const { return out_; }
  Bytes Take() && { return std::move(out_); }

 private:
  Bytes out_;
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_BYTE_WRITER_H_
