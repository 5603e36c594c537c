// How strictly a decoder treats well-formed input that is not in preferred or deterministic
// form. Well-formedness itself (RFC 8949 Appendix F) is always enforced.
#ifndef TEEPNET_CBOR_DECODE_OPTIONS_H_
#define TEEPNET_CBOR_DECODE_OPTIONS_H_

#include "teepnet/cbor/limits.h"

namespace teepnet::cbor {

struct DecodeOptions {
  // Indefinite-length strings, arrays and maps (RFC 8949 §3.2). Errc::kIndefiniteNotAllowed.
  bool allow_indefinite = true;
  // Require preferred serialization (RFC 8949 §4.1): the shortest head for every argument, the
  // shortest float width that keeps the value, and NaN only as f9 7e00.
  // Errc::kNonPreferredEncoding.
  bool require_preferred = false;
  // Require map keys in bytewise lexicographic order of their encodings (RFC 8949 §4.2.1).
  // Errc::kUnsortedMapKeys (kDuplicateMapKey for an equal key). Checked by Decode() and by
  // the pull Reader.
  bool require_sorted_map_keys = false;
  // Reject a map that holds the same key twice (RFC 8949 §5.6: such a map is not valid).
  // Errc::kDuplicateMapKey. Checked by Decode() only; the pull Reader cannot see keys whole.
  bool reject_duplicate_keys = true;
  // Reject bytes after the top-level item (Decode(), Reader::ExpectEnd()). Errc::kTrailingBytes.
  bool allow_trailing_bytes = false;
  // Text strings must be valid UTF-8 (RFC 8949 §3.1, major type 3). Errc::kBadUtf8.
  bool validate_utf8 = true;
  Limits limits;

  // Accepts every well-formed, valid item (the default).
  static DecodeOptions Lenient() { return DecodeOptions(); }
  // Core Deterministic Encoding (RFC 8949 §4.2.1): definite lengths, preferred serialization,
  // sorted unique map keys, no trailing bytes, valid UTF-8. What COSE/SUIT/TEEP profiles want.
  static DecodeOptions Deterministic() {
    DecodeOptions o;
    o.allow_indefinite = false;
    o.require_preferred = true;
    o.require_sorted_map_keys = true;
    o.reject_duplicate_keys = true;
    o.allow_trailing_bytes = false;
    o.validate_utf8 = true;
    return o;
  }
  // Preferred serialization and definite lengths, but any map key order (many protocol
  // messages are produced by encoders that do not sort).
  static DecodeOptions Strict() {
    DecodeOptions o = Deterministic();
    o.require_sorted_map_keys = false;
    return o;
  }
};

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_DECODE_OPTIONS_H_
