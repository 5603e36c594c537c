// Reasons for workloads/pce failures: the private inputs and outputs of the path computation
// workload that cross the TEE boundary, and the independent check of the TA's answer.
//
// The workload libraries share Domain::kWorkload; the PCE takes the reason values 300..399 so
// that Error::Is never mistakes one of them for another workload's reason.
#ifndef TEEPNET_WORKLOADS_PCE_ERRC_H_
#define TEEPNET_WORKLOADS_PCE_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::workloads::pce {

enum class Errc : uint16_t {
  kMalformed = 300,  // not the CBOR shape of a topology, request batch or output
  kTooLarge,         // beyond a named limit (limits.h)
  kBadTopology,      // well-formed, but not a usable topology (dangling link, utilisation above
                     // capacity, duplicate name or node pair)
  kBadRequest,       // a request field out of its range (metric, bounds, duplicate id)
  kBadOutput,        // an output that is not consistent in itself (a found path without nodes)
  kWrongAnswer,      // the check found an output that differs from its own computation
  kCheckBudget,      // the check could not finish its own search within its named budget
};

}  // namespace teepnet::workloads::pce

namespace teepnet {
template <>
struct ErrcTraits<workloads::pce::Errc> {
  static constexpr Domain kDomain = Domain::kWorkload;
  static Code CodeOf(workloads::pce::Errc e) {
    switch (e) {
      case workloads::pce::Errc::kTooLarge:
      case workloads::pce::Errc::kCheckBudget: return Code::kResourceExhausted;
      case workloads::pce::Errc::kWrongAnswer: return Code::kDataLoss;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(workloads::pce::Errc e) {
    switch (e) {
      case workloads::pce::Errc::kMalformed: return "pce-malformed";
      case workloads::pce::Errc::kTooLarge: return "pce-too-large";
      case workloads::pce::Errc::kBadTopology: return "pce-bad-topology";
      case workloads::pce::Errc::kBadRequest: return "pce-bad-request";
      case workloads::pce::Errc::kBadOutput: return "pce-bad-output";
      case workloads::pce::Errc::kWrongAnswer: return "pce-wrong-answer";
      case workloads::pce::Errc::kCheckBudget: return "pce-check-budget";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_WORKLOADS_PCE_ERRC_H_
