// Reasons the TAM core refuses (drops) a message or an operation. A dropped message leaves no
// trace in the TamStore; the reason travels in TamResult::drop_reason so the HTTP layer can log
// it and count it. Failures of the layers below keep their own reasons (cbor::Errc for bytes
// that are not CBOR, cose::Errc / teep::Errc for the COSE wrapper and the message codec).
#ifndef TEEPNET_TAM_ERRC_H_
#define TEEPNET_TAM_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::tam {

enum class Errc : uint16_t {
  // Who sent it.
  kMissingKid = 1,  // the COSE_Sign1 names no kid, so no enrolled device can be looked up
  kUnknownDevice,   // no enrolled device has the kid's key (RFC 9679 thumbprint)
  kBadDeviceKey,    // EnrollDevice: not a public COSE_Key usable for a TEEP suite
  // Matching the response to what the TAM sent (draft §"Validating", token rules).
  kUnexpectedMessage,     // an Agent sent a QueryRequest or Update
  kMissingToken,          // a response without a token; this TAM always sends one
  kUnknownToken,          // a token the TAM never issued (or purged after expiry)
  kTokenExpired,          // issued, but past its lifetime
  kTokenReplayed,         // already used by a validly signed response
  kTokenDeviceMismatch,   // issued to another device
  kTokenPurposeMismatch,  // a QueryResponse answering an Update token, or a Success
                          // answering a QueryRequest token
  kReportNonceMismatch,   // a SUIT report's suit-report-nonce differs from the token
  kBadSuitReport,         // a suit-reports entry that is not a SUIT_Report map
  kBadTcList,             // a tc-list entry whose claims have the wrong types
  // Policy outcomes (the message was valid; the TAM answers with an err-code Update).
  kAttestationFailed,  // attestation required but not affirming (or not appraisable)
  // Operator-side operations.
  kUnknownPackage,  // desired state names a manifest/sequence the catalog lacks
  kBadPackage,      // AddPackage: not a SUIT envelope with a manifest-component-id
  kBadConfig,       // TamCore::Create: no signing key, a key that is not one suite, ...
  kStoreFailure,    // the TamStore refused a commit (the reply is withheld: nothing sent)
  // An Agent answered ERR_ATTESTATION_REQUIRED and this TAM cannot attest itself (no
  // TamAttester, or it failed), or already did so for that exchange: recorded, not retried.
  kTamAttestationUnavailable,
  // A QueryRequest token whose tag is good but whose issue time lies more than the allowed
  // clock skew after this replica's clock (query_token.h, kMaxTokenClockSkew).
  kTokenNotYetValid,
};

}  // namespace teepnet::tam

namespace teepnet {
template <>
struct ErrcTraits<tam::Errc> {
  static constexpr Domain kDomain = Domain::kTam;
  static Code CodeOf(tam::Errc e) {
    switch (e) {
      case tam::Errc::kMissingKid:
      case tam::Errc::kUnknownDevice:
      case tam::Errc::kAttestationFailed: return Code::kUnauthenticated;
      case tam::Errc::kTokenExpired: return Code::kDeadlineExceeded;
      case tam::Errc::kTokenReplayed: return Code::kAlreadyExists;
      case tam::Errc::kUnknownToken:
      case tam::Errc::kUnknownPackage: return Code::kNotFound;
      case tam::Errc::kTokenDeviceMismatch: return Code::kPermissionDenied;
      case tam::Errc::kStoreFailure: return Code::kUnavailable;
      case tam::Errc::kBadConfig:
      case tam::Errc::kTamAttestationUnavailable: return Code::kFailedPrecondition;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(tam::Errc e) {
    switch (e) {
      case tam::Errc::kMissingKid: return "missing-kid";
      case tam::Errc::kUnknownDevice: return "unknown-device";
      case tam::Errc::kBadDeviceKey: return "bad-device-key";
      case tam::Errc::kUnexpectedMessage: return "unexpected-message";
      case tam::Errc::kMissingToken: return "missing-token";
      case tam::Errc::kUnknownToken: return "unknown-token";
      case tam::Errc::kTokenExpired: return "token-expired";
      case tam::Errc::kTokenNotYetValid: return "token-not-yet-valid";
      case tam::Errc::kTokenReplayed: return "token-replayed";
      case tam::Errc::kTokenDeviceMismatch: return "token-device-mismatch";
      case tam::Errc::kTokenPurposeMismatch: return "token-purpose-mismatch";
      case tam::Errc::kReportNonceMismatch: return "report-nonce-mismatch";
      case tam::Errc::kBadSuitReport: return "bad-suit-report";
      case tam::Errc::kBadTcList: return "bad-tc-list";
      case tam::Errc::kAttestationFailed: return "attestation-failed";
      case tam::Errc::kUnknownPackage: return "unknown-package";
      case tam::Errc::kBadPackage: return "bad-package";
      case tam::Errc::kBadConfig: return "bad-config";
      case tam::Errc::kStoreFailure: return "store-failure";
      case tam::Errc::kTamAttestationUnavailable: return "tam-attestation-unavailable";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_TAM_ERRC_H_
