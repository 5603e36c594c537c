#include "teepnet/cbor/writer.h"

#include <cmath>

#include "teepnet/cbor/errc.h"
#include "teepnet/cbor/float_bits.h"

namespace teepnet::cbor {

void Writer::WriteHead(MajorType type, uint64_t argument) {
  const uint8_t major = static_cast<uint8_t>(static_cast<uint8_t>(type) << 5);
  // RFC 8949 §4.1 preferred serialization: the argument in the shortest of the forms
  // 0..23 in the initial byte, or 1, 2, 4 or 8 following bytes.
  if (argument < 24) {
    out_.push_back(static_cast<uint8_t>(major | argument));
    return;
  }
  size_t width = 8;
  uint8_t info = 27;
  if (argument <= 0xff) {
    width = 1;
    info = 24;
  } else if (argument <= 0xffff) {
    width = 2;
    info = 25;
  } else if (argument <= 0xffffffff) {
    width = 4;
    info = 26;
  }
  out_.push_back(static_cast<uint8_t>(major | info));
  for (size_t i = width; i > 0; --i)
    out_.push_back(static_cast<uint8_t>(argument >> (8 * (i - 1))));
}

void Writer::WriteUint(uint64_t value) {
  WriteHead(MajorType::kUnsigned, value);
}

void Writer::WriteInt(int64_t value) {
  if (value >= 0) {
    WriteHead(MajorType::kUnsigned, static_cast<uint64_t>(value));
  } else {
    // -1 - value cannot overflow for any negative int64.
    WriteHead(MajorType::kNegative, static_cast<uint64_t>(-1 - value));
  }
}

void Writer::WriteNegative(uint64_t n) {
  WriteHead(MajorType::kNegative, n);
}

void Writer::WriteBytes(ByteView bytes) {
  WriteHead(MajorType::kBytes, bytes.size());
  Append(out_, bytes);
}

void Writer::WriteText(std::string_view text) {
  WriteHead(MajorType::kText, text.size());
  Append(out_, AsBytes(text));
}

void Writer::WriteArrayHeader(uint64_t count) {
  WriteHead(MajorType::kArray, count);
}
void Writer::WriteMapHeader(uint64_t pairs) {
  WriteHead(MajorType::kMap, pairs);
}
void Writer::WriteTag(uint64_t tag) {
  WriteHead(MajorType::kTag, tag);
}
void Writer::WriteBool(bool value) {
  out_.push_back(value ? 0xf5 : 0xf4);
}
void Writer::WriteNull() {
  out_.push_back(0xf6);
}
void Writer::WriteUndefined() {
  out_.push_back(0xf7);
}

Status Writer::WriteSimple(uint8_t value) {
  // RFC 8949 §3.3: simple values 24..31 are reserved and have no valid encoding.
  if (value >= 24 && value < 32) {
    return Error(Errc::kBadSimpleValue, "simple value " + std::to_string(value) + " is reserved");
  }
  WriteHead(MajorType::kSimpleOrFloat, value);
  return OkStatus();
}

void Writer::WriteFloat(double value) {
  // RFC 8949 §4.2.2: NaN is encoded as the half-precision quiet NaN 0xf97e00.
  if (std::isnan(value)) {
    out_.insert(out_.end(), {0xf9, 0x7e, 0x00});
    return;
  }
  uint16_t half = 0;
  uint32_t single = 0;
  if (ExactHalf(value, &half)) {
    out_.insert(out_.end(), {0xf9, static_cast<uint8_t>(half >> 8), static_cast<uint8_t>(half)});
    return;
  }
  if (ExactSingle(value, &single)) {
    out_.push_back(0xfa);
    for (int shift = 24; shift >= 0; shift -= 8)
      out_.push_back(static_cast<uint8_t>(single >> shift));
    return;
  }
  const uint64_t bits = DoubleToBits(value);
  out_.push_back(0xfb);
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(bits >> shift));
}

Status Writer::WriteFloatWithWidth(double value, FloatWidth width) {
  uint16_t half = 0;
  uint32_t single = 0;
  switch (width) {
    case FloatWidth::kHalf:
      if (std::isnan(value))
        half = 0x7e00;
      else if (!ExactHalf(value, &half))
        break;
      out_.insert(out_.end(), {0xf9, static_cast<uint8_t>(half >> 8), static_cast<uint8_t>(half)});
      return OkStatus();
    case FloatWidth::kSingle:
      if (std::isnan(value))
        single = 0x7fc00000;
      else if (!ExactSingle(value, &single))
        break;
      out_.push_back(0xfa);
      for (int shift = 24; shift >= 0; shift -= 8)
        out_.push_back(static_cast<uint8_t>(single >> shift));
      return OkStatus();
    case FloatWidth::kDouble: {
      const uint64_t bits = DoubleToBits(value);
      out_.push_back(0xfb);
      for (int shift = 56; shift >= 0; shift -= 8)
        out_.push_back(static_cast<uint8_t>(bits >> shift));
      return OkStatus();
    }
  }
  return Error(Errc::kBadState, "value is not exact in the requested float width");
}

void Writer::WriteIndefiniteHeader(MajorType type) {
  out_.push_back(static_cast<uint8_t>((static_cast<uint8_t>(type) << 5) | 31));
}

void Writer::WriteBreak() {
  out_.push_back(0xff);
}

void Writer::WriteRaw(ByteView encoded_item) {
  Append(out_, encoded_item);
}

}  // namespace teepnet::cbor
