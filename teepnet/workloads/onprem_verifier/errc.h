// Reasons for onprem_verifier failures. The workload libraries share Domain::kWorkload, each in
// its own block of reason values so Error::Is never confuses two of them; this one owns
// 100..199.
#ifndef TEEPNET_WORKLOADS_ONPREM_VERIFIER_ERRC_H_
#define TEEPNET_WORKLOADS_ONPREM_VERIFIER_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::workloads::onprem_verifier {

enum class Errc : uint16_t {
  kMalformed = 100,    // not the CBOR shape of the message: wrong type, key, count or order
  kTooLarge,           // a list, string or byte string beyond its named limit (limits.h)
  kDuplicateName,      // two routers in one batch share a name
  kInconsistent,       // a decoded value contradicts another (status vs trust vector)
  kBadVendorMaterial,  // a certificate, key, CoRIM or policy the Verifier cannot use
  kMissingInput,       // the vendor's or the ISP's part did not arrive
};

}  // namespace teepnet::workloads::onprem_verifier

namespace teepnet {
template <>
struct ErrcTraits<workloads::onprem_verifier::Errc> {
  static constexpr Domain kDomain = Domain::kWorkload;
  static Code CodeOf(workloads::onprem_verifier::Errc e) {
    switch (e) {
      case workloads::onprem_verifier::Errc::kTooLarge: return Code::kResourceExhausted;
      case workloads::onprem_verifier::Errc::kMissingInput: return Code::kFailedPrecondition;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(workloads::onprem_verifier::Errc e) {
    switch (e) {
      case workloads::onprem_verifier::Errc::kMalformed: return "onprem-verifier-malformed";
      case workloads::onprem_verifier::Errc::kTooLarge: return "onprem-verifier-too-large";
      case workloads::onprem_verifier::Errc::kDuplicateName:
        return "onprem-verifier-duplicate-name";
      case workloads::onprem_verifier::Errc::kInconsistent: return "onprem-verifier-inconsistent";
      case workloads::onprem_verifier::Errc::kBadVendorMaterial:
        return "onprem-verifier-bad-vendor-material";
      case workloads::onprem_verifier::Errc::kMissingInput: return "onprem-verifier-missing-input";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_WORKLOADS_ONPREM_VERIFIER_ERRC_H_
