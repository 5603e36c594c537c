// UTF-8 well-formedness (RFC 3629 §4): no overlong forms, no surrogates, nothing above
// U+10FFFF. CBOR text strings must be UTF-8 (RFC 8949 §3.1, major type 3).
#ifndef TEEPNET_CBOR_UTF8_H_
#define TEEPNET_CBOR_UTF8_H_

#include <cstddef>

#include "teepnet/base/bytes.h"

namespace teepnet::cbor {

// True when `text` is valid UTF-8. On failure *bad_index (if given) is the index of the first
// byte of the offending sequence.
bool IsValidUtf8(ByteView text, size_t* bad_index = nullptr);

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_UTF8_H_
