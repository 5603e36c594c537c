// Reasons for errors raised by base/ itself (hex, file and reader helpers).
#ifndef TEEPNET_BASE_ERRC_H_
#define TEEPNET_BASE_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet {

enum class BaseErrc : uint16_t {
  kBadHex = 1,      // odd length or a non-hex character
  kTruncated,       // a read went past the end of the input
  kTrailingBytes,   // input left over after a complete structure
  kTooLarge,        // input exceeds a named limit
  kIo,              // a file could not be read or written
};

template <>
struct ErrcTraits<BaseErrc> {
  static constexpr Domain kDomain = Domain::kBase;
  static Code CodeOf(BaseErrc e) {
    switch (e) {
      case BaseErrc::kIo: return Code::kUnavailable;
      case BaseErrc::kTooLarge: return Code::kResourceExhausted;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(BaseErrc e) {
    switch (e) {
      case BaseErrc::kBadHex: return "bad-hex";
      case BaseErrc::kTruncated: return "truncated";
      case BaseErrc::kTrailingBytes: return "trailing-bytes";
      case BaseErrc::kTooLarge: return "too-large";
      case BaseErrc::kIo: return "io";
    }
    return "unknown";
  }
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_ERRC_H_
