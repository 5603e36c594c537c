// Reasons the Agent core refuses a message or an operation. They pick the err-code of the
// signed Error the Agent answers with (draft §"Validating a TEEP Message": an Agent that
// fails to validate a message responds with an Error); validation failures of the layers
// below keep their own reasons and are mapped by teep::AgentErrorCodeFor.
#ifndef TEEPNET_AGENT_ERRC_H_
#define TEEPNET_AGENT_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::agent {

enum class Errc : uint16_t {
  kUnexpectedMessage = 1,   // a TAM sent a QueryResponse, Success or Error
  kAttestationUnavailable,  // the attestation bit is set but no EvidenceProvider exists
  kEvidenceFailed,          // the EvidenceProvider failed
  kUnlinkFailed,            // an unneeded-manifest-list entry could not be unlinked
  kManifestFailed,          // a manifest of the Update failed the SUIT update procedure
  kCommitFailed,            // the component store refused the Update's changes
  kBadConfig,               // AgentCore::Create: no usable key, no TAM, ...
  kSigningFailed,           // the Agent could not sign its reply (nothing is sent)
  // AgentConfig::require_tam_attestation: the QueryRequest carries no attestation-payload, or
  // one that is not affirming or does not carry a challenge this Agent issued as eat_nonce
  // (-> ERR_ATTESTATION_REQUIRED with a fresh challenge).
  kTamAttestationRequired,
  kTamVerifierFailed,  // the TamAttestationVerifier could not run (-> ERR_TEMPORARY_ERROR)
  // A TAM SUIT report in a suit-cose-profile the Agent does not support
  // (-> ERR_UNSUPPORTED_SUIT_REPORT with supported-suit-cose-profiles).
  kUnsupportedTamReport,
};

}  // namespace teepnet::agent

namespace teepnet {
template <>
struct ErrcTraits<agent::Errc> {
  static constexpr Domain kDomain = Domain::kAgent;
  static Code CodeOf(agent::Errc e) {
    switch (e) {
      case agent::Errc::kAttestationUnavailable:
      case agent::Errc::kEvidenceFailed:
      case agent::Errc::kCommitFailed:
      case agent::Errc::kTamVerifierFailed: return Code::kUnavailable;
      case agent::Errc::kTamAttestationRequired: return Code::kUnauthenticated;
      case agent::Errc::kUnlinkFailed:
      case agent::Errc::kManifestFailed: return Code::kFailedPrecondition;
      case agent::Errc::kBadConfig: return Code::kFailedPrecondition;
      case agent::Errc::kSigningFailed: return Code::kInternal;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(agent::Errc e) {
    switch (e) {
      case agent::Errc::kUnexpectedMessage: return "unexpected-message";
      case agent::Errc::kAttestationUnavailable: return "attestation-unavailable";
      case agent::Errc::kEvidenceFailed: return "evidence-failed";
      case agent::Errc::kUnlinkFailed: return "unlink-failed";
      case agent::Errc::kManifestFailed: return "manifest-failed";
      case agent::Errc::kCommitFailed: return "commit-failed";
      case agent::Errc::kBadConfig: return "bad-config";
      case agent::Errc::kSigningFailed: return "signing-failed";
      case agent::Errc::kTamAttestationRequired: return "tam-attestation-required";
      case agent::Errc::kTamVerifierFailed: return "tam-verifier-failed";
      case agent::Errc::kUnsupportedTamReport: return "unsupported-tam-report";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_AGENT_ERRC_H_
