// Reasons the runtime module (instance backends, the TA channel, the TA-side API) fails.
#ifndef TEEPNET_RUNTIME_ERRC_H_
#define TEEPNET_RUNTIME_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::runtime {

enum class Errc : uint16_t {
  kBadSpec = 1,       // an InstanceSpec or backend option is unusable (no executable, ...)
  kSystem,            // a system call the launcher needs failed (memfd, clone, pipe, ...)
  kSealFailed,        // the executable memfd could not be sealed, or its seals are wrong
  kIsolationRefused,  // a required isolation layer could not be applied (require_all)
  kSetupFailed,       // the instance's child failed between clone and exec (step + errno)
  kTimeout,           // Wait() ran out of time; the instance is still running
  kNotRunning,        // the instance has already exited or been cleaned up
  kPeerClosed,        // the channel closed cleanly between frames
  kTruncatedFrame,    // the channel closed inside a frame
  kFrameTooLarge,     // a frame header announces more than the limit
  kBadFrame,          // unknown frame type or malformed PD payload
  kTooManyPending,    // too many frames of another kind queued while waiting for one
};

}  // namespace teepnet::runtime

namespace teepnet {
template <>
struct ErrcTraits<runtime::Errc> {
  static constexpr Domain kDomain = Domain::kRuntime;
  static Code CodeOf(runtime::Errc e) {
    switch (e) {
      case runtime::Errc::kBadSpec:
      case runtime::Errc::kBadFrame: return Code::kInvalidArgument;
      case runtime::Errc::kFrameTooLarge:
      case runtime::Errc::kTooManyPending: return Code::kResourceExhausted;
      case runtime::Errc::kSealFailed:
      case runtime::Errc::kSystem:
      case runtime::Errc::kSetupFailed: return Code::kUnavailable;
      case runtime::Errc::kIsolationRefused:
      case runtime::Errc::kNotRunning: return Code::kFailedPrecondition;
      case runtime::Errc::kTimeout: return Code::kDeadlineExceeded;
      case runtime::Errc::kPeerClosed:
      case runtime::Errc::kTruncatedFrame: return Code::kAborted;
    }
    return Code::kInternal;
  }
  static std::string_view NameOf(runtime::Errc e) {
    switch (e) {
      case runtime::Errc::kBadSpec: return "bad-spec";
      case runtime::Errc::kSystem: return "system";
      case runtime::Errc::kSealFailed: return "seal-failed";
      case runtime::Errc::kIsolationRefused: return "isolation-refused";
      case runtime::Errc::kSetupFailed: return "setup-failed";
      case runtime::Errc::kTimeout: return "timeout";
      case runtime::Errc::kNotRunning: return "not-running";
      case runtime::Errc::kPeerClosed: return "peer-closed";
      case runtime::Errc::kTruncatedFrame: return "truncated-frame";
      case runtime::Errc::kFrameTooLarge: return "frame-too-large";
      case runtime::Errc::kBadFrame: return "bad-frame";
      case runtime::Errc::kTooManyPending: return "too-many-pending";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_RUNTIME_ERRC_H_
