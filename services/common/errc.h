// Reasons for failures in the service bindings (services/): process plumbing, the Broker <->
// Agent channel, command-line flags, the admin API. Protocol reasons stay in their modules.
#ifndef TEEPNET_SERVICES_COMMON_ERRC_H_
#define TEEPNET_SERVICES_COMMON_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::common {

enum class Errc : uint16_t {
  kPeerClosed = 1,  // the other end of a channel closed it (between frames)
  kTruncatedFrame,  // the channel closed in the middle of a frame
  kFrameTooLarge,   // a frame header announced more than the channel's limit
  kIo,              // read/write/socket/fork failed
  kSpawnFailed,     // a child program could not be started
  kTimeout,         // a bounded wait ran out
  kUsage,           // a command line is wrong: unknown flag, missing value, bad number
  kBadConfig,       // a data directory or key file is not usable
  kRemoteRefused,   // the peer answered with a refusal (HTTP 4xx/5xx, an error frame)
  kBadResponse,     // the peer's answer is malformed
};

}  // namespace teepnet::common

namespace teepnet {
template <>
struct ErrcTraits<common::Errc> {
  static constexpr Domain kDomain = Domain::kService;
  static Code CodeOf(common::Errc e) {
    switch (e) {
      case common::Errc::kPeerClosed:
      case common::Errc::kIo:
      case common::Errc::kTimeout: return Code::kUnavailable;
      case common::Errc::kTruncatedFrame:
      case common::Errc::kBadResponse: return Code::kDataLoss;
      case common::Errc::kFrameTooLarge: return Code::kResourceExhausted;
      case common::Errc::kUsage: return Code::kInvalidArgument;
      case common::Errc::kBadConfig:
      case common::Errc::kRemoteRefused: return Code::kFailedPrecondition;
      case common::Errc::kSpawnFailed: return Code::kInternal;
    }
    return Code::kInternal;
  }
  static std::string_view NameOf(common::Errc e) {
    switch (e) {
      case common::Errc::kPeerClosed: return "peer-closed";
      case common::Errc::kTruncatedFrame: return "truncated-frame";
      case common::Errc::kFrameTooLarge: return "frame-too-large";
      case common::Errc::kIo: return "io";
      case common::Errc::kSpawnFailed: return "spawn-failed";
      case common::Errc::kTimeout: return "timeout";
      case common::Errc::kUsage: return "usage";
      case common::Errc::kBadConfig: return "bad-config";
      case common::Errc::kRemoteRefused: return "remote-refused";
      case common::Errc::kBadResponse: return "bad-response";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_SERVICES_COMMON_ERRC_H_
