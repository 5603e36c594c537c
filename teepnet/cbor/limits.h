// Named limits that bound the work and memory a decoder spends on one untrusted input.
// Each limit has its own Errc so a rejection says which bound was hit. The defaults suit
// every TEEP/SUIT/COSE message we handle (the largest is a SUIT envelope with an integrated
// payload); a caller that needs more passes its own Limits in DecodeOptions.
#ifndef TEEPNET_CBOR_LIMITS_H_
#define TEEPNET_CBOR_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace teepnet::cbor {

// Arrays, maps and tags open at once (a tag counts: tag chains are nesting too).
// Exceeding it fails with Errc::kNestingTooDeep.
inline constexpr size_t kDefaultMaxDepth = 64;
// Entries in one array, or key/value pairs in one map. Errc::kTooManyItems.
inline constexpr uint64_t kDefaultMaxContainerItems = uint64_t{1} << 20;
// Bytes in one byte or text string (for an indefinite string: in one chunk, and in the
// concatenation when the DOM decoder joins the chunks). Errc::kStringTooLong.
inline constexpr uint64_t kDefaultMaxStringLength = uint64_t{64} << 20;
// Data items (every head except break) in one input. Errc::kTooManyTotalItems.
inline constexpr uint64_t kDefaultMaxTotalItems = uint64_t{4} << 20;

struct Limits {
  size_t max_depth = kDefaultMaxDepth;
  uint64_t max_container_items = kDefaultMaxContainerItems;
  uint64_t max_string_length = kDefaultMaxStringLength;
  uint64_t max_total_items = kDefaultMaxTotalItems;
};

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_LIMITS_H_
