#include "teepnet/base/byte_writer.h"

namespace teepnet {

void ByteWriter::WriteBeUint(uint64_t v, size_t width) {
  for (size_t i = width; i > 0; --i) out_.push_back(static_cast<uint8_t>(v >> (8 * (i - 1))));
}

void ByteWriter::WriteLeUint(uint64_t v, size_t width) {
  for (size_t i = 0; i < width; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace teepnet
