// Named limits for TEEP decoding, beyond the CBOR ones in cbor/limits.h.
#ifndef TEEPNET_TEEP_LIMITS_H_
#define TEEPNET_TEEP_LIMITS_H_

#include <cstddef>

namespace teepnet::teep {

// Entries in one options map (or requested-tc-info map). The draft defines at most 9
// options per message; the rest are extensions, and no deployment needs hundreds. The bound
// also caps the duplicate-label search. Errc::kTooManyOptions.
inline constexpr size_t kMaxOptionEntries = 256;

// draft CDDL size bounds.
inline constexpr size_t kMinTokenSize = 8;  // token => bstr .size (8..64)
inline constexpr size_t kMaxTokenSize = 64;
inline constexpr size_t kMinChallengeSize = 8;  // challenge => bstr .size (8..512)
inline constexpr size_t kMaxChallengeSize = 512;
inline constexpr size_t kMaxMsgSize = 128;     // msg, err-msg => text .size (1..128)
inline constexpr size_t kMaxErrLangSize = 35;  // err-lang => text .size (1..35)

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_LIMITS_H_
