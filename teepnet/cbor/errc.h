// Reasons for cbor/ failures. Every reason names one precise way an input is not well-formed
// (RFC 8949 §3, Appendix F), not valid, not deterministic (§4.2), or exceeds a named limit
// (limits.h). Errors raised while decoding carry the byte offset of the offending item.
#ifndef TEEPNET_CBOR_ERRC_H_
#define TEEPNET_CBOR_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::cbor {

enum class Errc : uint16_t {
  // Not well-formed (RFC 8949 Appendix F).
  kTruncated = 1,           // input ends inside a head, a string or an open container
  kReservedAdditionalInfo,  // additional information 28..30, or 31 where no indefinite form exists
  kBadSimpleValue,          // f8 00..f8 1f (two-byte simple value below 32)
  kBadIndefiniteChunk,      // a chunk of an indefinite string that is not a definite string
                            // of the same major type
  kUnexpectedBreak,         // a break (ff) outside an indefinite container, or between a map
                            // key and its value
  // Well-formed, but not what the caller or the options accept.
  kTrailingBytes,         // bytes left after the top-level item
  kIndefiniteNotAllowed,  // an indefinite length under options that forbid it
  kNonPreferredEncoding,  // a longer head or float than needed (RFC 8949 §4.1, §4.2.1)
  kUnsortedMapKeys,       // map keys not in bytewise lexicographic order (RFC 8949 §4.2.1)
  kDuplicateMapKey,       // the same key twice in one map (RFC 8949 §5.6)
  kBadUtf8,               // a text string that is not valid UTF-8 (RFC 8949 §3.1 major type 3)
  kUnexpectedType,        // a schema helper found another type than it was asked to read
  kIntegerOverflow,       // an integer does not fit the requested C++ type
  // Named limits (limits.h).
  kNestingTooDeep,     // more nested arrays, maps and tags than Limits::max_depth
  kTooManyItems,       // an array or map with more entries than Limits::max_container_items
  kStringTooLong,      // a string longer than Limits::max_string_length
  kTooManyTotalItems,  // more data items in one input than Limits::max_total_items
  // Misuse of the reader or writer API (a programming error, never an input error).
  kBadState,  // e.g. ReadRawItem inside an indefinite string, unbalanced writer
};

}  // namespace teepnet::cbor

namespace teepnet {
template <>
struct ErrcTraits<cbor::Errc> {
  static constexpr Domain kDomain = Domain::kCbor;
  static Code CodeOf(cbor::Errc e) {
    switch (e) {
      case cbor::Errc::kNestingTooDeep:
      case cbor::Errc::kTooManyItems:
      case cbor::Errc::kStringTooLong:
      case cbor::Errc::kTooManyTotalItems: return Code::kResourceExhausted;
      case cbor::Errc::kBadState: return Code::kFailedPrecondition;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(cbor::Errc e) {
    switch (e) {
      case cbor::Errc::kTruncated: return "truncated";
      case cbor::Errc::kReservedAdditionalInfo: return "reserved-additional-info";
      case cbor::Errc::kBadSimpleValue: return "bad-simple-value";
      case cbor::Errc::kBadIndefiniteChunk: return "bad-indefinite-chunk";
      case cbor::Errc::kUnexpectedBreak: return "unexpected-break";
      case cbor::Errc::kTrailingBytes: return "trailing-bytes";
      case cbor::Errc::kIndefiniteNotAllowed: return "indefinite-not-allowed";
      case cbor::Errc::kNonPreferredEncoding: return "non-preferred-encoding";
      case cbor::Errc::kUnsortedMapKeys: return "unsorted-map-keys";
      case cbor::Errc::kDuplicateMapKey: return "duplicate-map-key";
      case cbor::Errc::kBadUtf8: return "bad-utf8";
      case cbor::Errc::kUnexpectedType: return "unexpected-type";
      case cbor::Errc::kIntegerOverflow: return "integer-overflow";
      case cbor::Errc::kNestingTooDeep: return "nesting-too-deep";
      case cbor::Errc::kTooManyItems: return "too-many-items";
      case cbor::Errc::kStringTooLong: return "string-too-long";
      case cbor::Errc::kTooManyTotalItems: return "too-many-total-items";
      case cbor::Errc::kBadState: return "bad-state";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_CBOR_ERRC_H_
