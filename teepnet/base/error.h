// Errors are values. An Error carries two layers of meaning:
//  - a canonical Code that tells a caller whether and how to retry (the service layer uses it
//    to pick HTTP statuses and TEEP error codes), and
//  - a precise, module-specific reason (cbor::Errc::kTrailingBytes, cose::Errc::kUnknownCritical,
//    ...) that tests assert on and logs print, plus a message naming the field.
// Parsers also record the byte offset at which input went wrong, so tools can point at it.
#ifndef TEEPNET_BASE_ERROR_H_
#define TEEPNET_BASE_ERROR_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace teepnet {

// Canonical codes, chosen with the usual retry guidance:
//  kUnavailable        the caller may retry the same call later;
//  kAborted            retry at a higher level (a read-modify-write lost a race);
//  kFailedPrecondition do not retry until the state has been fixed;
//  kInvalidArgument    the input itself is bad, whatever the state.
enum class Code : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kFailedPrecondition,
  kOutOfRange,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kUnimplemented,
  kUnavailable,
  kAborted,
  kDeadlineExceeded,
  kDataLoss,
  kInternal,
};

std::string_view CodeName(Code code);

// Which module's reason enum an Error's `reason` value belongs to.
enum class Domain : uint8_t {
  kNone = 0,
  kBase,
  kCrypto,
  kCbor,
  kCose,
  kHpke,
  kSuit,
  kEat,
  kTeep,
  kAttest,
  kRuntime,
  kStore,
  kService,
  kTam,
  kAgent,
  kBroker,
  kChannel,
  kMoc,
  // The Appendix-B workload libraries (teepnet/workloads/*): each takes its own range of
  // reason values so that Error::Is never confuses two of them.
  kWorkload,
};

std::string_view DomainName(Domain domain);

// Each module declares `enum class Errc : uint16_t` and specialises ErrcTraits so that an
// Error can be built from, and compared with, that enum:
//   template <> struct ErrcTraits<cbor::Errc> {
//     static constexpr Domain kDomain = Domain::kCbor;
//     static Code CodeOf(cbor::Errc);              // canonical code for the reason
//     static std::string_view NameOf(cbor::Errc);  // "trailing-bytes"
//   };
template <typename E>
struct ErrcTraits;

inline constexpr size_t kNoOffset = std::numeric_limits<size_t>::max();

class [[nodiscard]] Error {
 public:
  Error() = default;
  Error(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  template <typename E, typename = decltype(ErrcTraits<E>::kDomain)>
  Error(E reason, std::string message, size_t offset = kNoOffset)
      : code_(ErrcTraits<E>::CodeOf(reason)),
        domain_(ErrcTraits<E>::kDomain),
        reason_(static_cast<uint16_t>(reason)),
        reason_name_(ErrcTraits<E>::NameOf(reason)),
        message_(std::move(message)),
        offset_(offset) {}

  Code code() const { return code_; }
  Domain domain() const { return domain_; }
  uint16_t reason() const { return reason_; }
  std::string_view reason_name() const { return reason_name_; }
  const std::string& message() const { return message_; }
  // Byte offset into the input at which a parser failed, or kNoOffset.
  size_t offset() const { return offset_; }
  bool has_offset() const { return offset_ != kNoOffset; }

  // True when this error carries exactly `reason` from E's module.
  template <typename E>
  bool Is(E reason) const {
    return domain_ == ErrcTraits<E>::kDomain && reason_ == static_cast<uint16_t>(reason);
  }

  // Returns a copy with `context` prefixed to the message ("suit-manifest: " + ...), keeping
  // code, reason and offset. Used when an outer decoder wraps an inner failure.
  Error WithContext(std::string_view context) const;
  // Returns a copy whose offset is shifted by `base` (inner decoders report offsets relative
  // to the sub-span they were given).
  Error WithOffsetBase(size_t base) const;

  // "cbor/trailing-bytes at offset 12: 3 bytes after the top-level item"
  std::string ToString() const;

 private:
  Code code_ = Code::kInternal;
  Domain domain_ = Domain::kNone;
  uint16_t reason_ = 0;
  std::string_view reason_name_;
  std::string message_;
  size_t offset_ = kNoOffset;
};

}  // namespace teepnet

#endif  // TEEPNET_BASE_ERROR_H_
