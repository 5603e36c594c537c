// Reasons for failures of the telemetry workload (privacy-preserving anomaly detection on flow
// telemetry): what the TA refuses in the vendor's model, the operator's key part and the
// encrypted telemetry it is handed. Decoding errors carry the byte offset of the bad item.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_ERRC_H_
#define TEEPNET_WORKLOADS_TELEMETRY_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::workloads::telemetry {

// Domain::kWorkload is shared by the Appendix-B workloads; telemetry owns reasons 200..299.
enum class Errc : uint16_t {
  kMalformed = 200,    // not the CBOR structure the schema names (type, arity, key, trailing bytes)
  kTooLarge,           // beyond a named limit (limits.h): records, chunks, components, bytes
  kBadModel,           // a well-formed model that cannot be evaluated (ranges, factor, features)
  kBadRecord,          // a flow record with impossible counters or ids that do not increase
  kBadKey,             // the operator's data key or batch id has the wrong size
  kOpenFailed,         // AES-GCM authentication of a telemetry chunk failed
  kSiteMismatch,       // a chunk names another site than the operator's key part
  kMissingInput,       // a role's input or the bulk telemetry did not arrive
  kBadTraining,        // training data or options that cannot produce a model
  kWrongAnswer,        // a party's check: the TA's output differs from its own evaluation
  kBelowQualityFloor,  // a party's check: detection quality under kMinPrecision/Recall/F1
};

}  // namespace teepnet::workloads::telemetry

namespace teepnet {
template <>
struct ErrcTraits<workloads::telemetry::Errc> {
  static constexpr Domain kDomain = Domain::kWorkload;
  static Code CodeOf(workloads::telemetry::Errc e) {
    using workloads::telemetry::Errc;
    switch (e) {
      case Errc::kTooLarge: return Code::kResourceExhausted;
      case Errc::kOpenFailed: return Code::kUnauthenticated;
      case Errc::kMissingInput: return Code::kFailedPrecondition;
      case Errc::kWrongAnswer:
      case Errc::kBelowQualityFloor: return Code::kDataLoss;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(workloads::telemetry::Errc e) {
    using workloads::telemetry::Errc;
    switch (e) {
      case Errc::kMalformed: return "telemetry-malformed";
      case Errc::kTooLarge: return "telemetry-too-large";
      case Errc::kBadModel: return "telemetry-bad-model";
      case Errc::kBadRecord: return "telemetry-bad-record";
      case Errc::kBadKey: return "telemetry-bad-key";
      case Errc::kOpenFailed: return "telemetry-open-failed";
      case Errc::kSiteMismatch: return "telemetry-site-mismatch";
      case Errc::kMissingInput: return "telemetry-missing-input";
      case Errc::kBadTraining: return "telemetry-bad-training";
      case Errc::kWrongAnswer: return "telemetry-wrong-answer";
      case Errc::kBelowQualityFloor: return "telemetry-below-quality-floor";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_WORKLOADS_TELEMETRY_ERRC_H_
