#include "teepnet/cbor/utf8.h"

#include <cstdint>

#include "teepnet/base/byte_reader.h"

namespace teepnet::cbor {

bool IsValidUtf8(ByteView text, size_t* bad_index) {
  ByteReader in(text);
  while (!in.AtEnd()) {
    const size_t start = in.position();
    uint8_t b0 = 0;
    in.ReadU8(&b0);
    if (b0 < 0x80) continue;
    // RFC 3629 §4 syntax: the allowed range of the second byte depends on the first, which is
    // what excludes overlong forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
    // code points above U+10FFFF (F4 90.., F5..FF).
    int continuation = 0;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      continuation = 1;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      continuation = 2;
      if (b0 == 0xe0) lo = 0xa0;
      if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      continuation = 3;
      if (b0 == 0xf0) lo = 0x90;
      if (b0 == 0xf4) hi = 0x8f;
    }
    bool ok = continuation > 0;
    for (int k = 0; ok && k < continuation; ++k) {
      uint8_t b = 0;
      ok = in.ReadU8(&b) && b >= (k == 0 ? lo : 0x80) && b <= (k == 0 ? hi : 0xbf);
    }
    if (!ok) {
      if (bad_index) *bad_index = start;
      return false;
    }
  }
  return true;
}

}  // namespace teepnet::cbor
