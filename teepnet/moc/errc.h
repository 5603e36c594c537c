// Reasons the M/OC core refuses a user call, a device report or a request event. Each reason
// has one stable snake_case code for the REST API (api_errors.h); tests assert on the reason,
// the user reads the message.
#ifndef TEEPNET_MOC_ERRC_H_
#define TEEPNET_MOC_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::moc {

enum class Errc : uint16_t {
  // Who is calling.
  kUnauthenticated = 1,  // no bearer token, or one that matches nobody
  kAdminOnly,            // a tenant token on an admin endpoint
  kTenantOnly,           // the admin token on a tenant endpoint (the admin owns no requests)
  // What was sent.
  kInvalidArgument,   // a field is missing, has the wrong type or an unknown value
  kInvalidJson,       // the body is not JSON
  kBodyTooLarge,      // the body exceeds its named limit (limits.h)
  kInvalidPackage,    // an upload that is not a SUIT envelope
  kPackageMismatch,   // the packages named do not fit the use case (kinds, count)
  kRouteNotFound,     // no such path
  kMethodNotAllowed,  // the path exists, the method does not
  // What it refers to. A tenant asking for another tenant's object gets these too, so the
  // existence of other tenants' objects does not leak.
  kPackageNotFound,
  kRequestNotFound,
  kEarNotIssued,  // the request exists but its EAR does not (yet, or attestation failed)
  // Placement (seed Figure 2, DESIGN §3).
  kInstanceNotOnHardware,  // the requested hardware cannot host the instance type at all
  kNoSuitableDevice,       // no attested device offers this instance type on allowed hardware
  kNoCapacity,             // suitable devices exist, all of their slots are taken
  kInvalidCapacityReport,  // a device claims an instance type its architecture cannot host
  // The request state machine.
  kWrongState,          // the call or event does not fit the request's current step
  kChannelAlreadyUsed,  // other sealed bytes were already relayed for this request
  kRequestFinished,     // the request is done or failed; nothing more can be sent
  kWrongDevice,         // an event about a device the request is not placed on
  kUnknownPackage,      // an install report for a package the request does not deploy
  // The store.
  kConcurrentUpdate,  // another writer changed the request first; retry the step
  kAlreadyExists,     // an id that is already taken
  kStoreFailure,      // the store could not commit; nothing was acknowledged
  // The device channel (USE-CASES "Device channel API").
  kReceiptInvalid,  // a receipt that does not verify against a key the request's EAR names
  kNoVerifierKey,   // the M/OC issues no EARs (attestation off): there is no key to pin
  // Idempotent request creation (openapi.yaml, "Idempotency-Key").
  kInvalidIdempotencyKey,  // empty, too long, or not printable ASCII
  kIdempotencyKeyReused,   // the tenant used the key for a request with another body
  // Capacity backed by attestation (capacity_api.h, attested_capacity.h).
  kCapacityNotAttested,      // the M/OC takes capacity from evidence and has none for the device
  kArchitectureMismatch,     // the operator names another architecture than the evidence proved
  kCapacityExceedsAttested,  // an override that raises slots or adds an instance type
  kDeviceNotAttested,        // the device's last evidence was refused: it takes no requests
  // Failure records (failure_record.h).
  kRequestNotFailed,      // a failure record for a request that did not fail
  kFailureRecordInvalid,  // a failure record that does not verify or is not one
};

}  // namespace teepnet::moc

namespace teepnet {
template <>
struct ErrcTraits<moc::Errc> {
  static constexpr Domain kDomain = Domain::kMoc;
  static Code CodeOf(moc::Errc e) {
    switch (e) {
      case moc::Errc::kUnauthenticated: return Code::kUnauthenticated;
      case moc::Errc::kAdminOnly:
      case moc::Errc::kTenantOnly: return Code::kPermissionDenied;
      case moc::Errc::kBodyTooLarge: return Code::kResourceExhausted;
      case moc::Errc::kRouteNotFound:
      case moc::Errc::kPackageNotFound:
      case moc::Errc::kRequestNotFound:
      case moc::Errc::kEarNotIssued:
      case moc::Errc::kNoVerifierKey: return Code::kNotFound;
      case moc::Errc::kMethodNotAllowed: return Code::kUnimplemented;
      case moc::Errc::kNoCapacity:
      case moc::Errc::kStoreFailure: return Code::kUnavailable;
      case moc::Errc::kNoSuitableDevice:
      case moc::Errc::kWrongState:
      case moc::Errc::kChannelAlreadyUsed:
      case moc::Errc::kRequestFinished: return Code::kFailedPrecondition;
      case moc::Errc::kConcurrentUpdate: return Code::kAborted;
      case moc::Errc::kAlreadyExists:
      case moc::Errc::kIdempotencyKeyReused: return Code::kAlreadyExists;
      case moc::Errc::kCapacityNotAttested:
      case moc::Errc::kArchitectureMismatch:
      case moc::Errc::kCapacityExceedsAttested:
      case moc::Errc::kDeviceNotAttested:
      case moc::Errc::kRequestNotFailed: return Code::kFailedPrecondition;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(moc::Errc e) {
    switch (e) {
      case moc::Errc::kUnauthenticated: return "unauthenticated";
      case moc::Errc::kAdminOnly: return "admin-only";
      case moc::Errc::kTenantOnly: return "tenant-only";
      case moc::Errc::kInvalidArgument: return "invalid-argument";
      case moc::Errc::kInvalidJson: return "invalid-json";
      case moc::Errc::kBodyTooLarge: return "body-too-large";
      case moc::Errc::kInvalidPackage: return "invalid-package";
      case moc::Errc::kPackageMismatch: return "package-mismatch";
      case moc::Errc::kRouteNotFound: return "route-not-found";
      case moc::Errc::kMethodNotAllowed: return "method-not-allowed";
      case moc::Errc::kPackageNotFound: return "package-not-found";
      case moc::Errc::kRequestNotFound: return "request-not-found";
      case moc::Errc::kEarNotIssued: return "ear-not-issued";
      case moc::Errc::kInstanceNotOnHardware: return "instance-not-on-hardware";
      case moc::Errc::kNoSuitableDevice: return "no-suitable-device";
      case moc::Errc::kNoCapacity: return "no-capacity";
      case moc::Errc::kInvalidCapacityReport: return "invalid-capacity-report";
      case moc::Errc::kWrongState: return "wrong-state";
      case moc::Errc::kChannelAlreadyUsed: return "channel-already-used";
      case moc::Errc::kRequestFinished: return "request-finished";
      case moc::Errc::kWrongDevice: return "wrong-device";
      case moc::Errc::kUnknownPackage: return "unknown-package";
      case moc::Errc::kConcurrentUpdate: return "concurrent-update";
      case moc::Errc::kAlreadyExists: return "already-exists";
      case moc::Errc::kStoreFailure: return "store-failure";
      case moc::Errc::kReceiptInvalid: return "receipt-invalid";
      case moc::Errc::kNoVerifierKey: return "no-verifier-key";
      case moc::Errc::kInvalidIdempotencyKey: return "invalid-idempotency-key";
      case moc::Errc::kIdempotencyKeyReused: return "idempotency-key-reused";
      case moc::Errc::kCapacityNotAttested: return "capacity-not-attested";
      case moc::Errc::kArchitectureMismatch: return "architecture-mismatch";
      case moc::Errc::kCapacityExceedsAttested: return "capacity-exceeds-attested";
      case moc::Errc::kDeviceNotAttested: return "device-not-attested";
      case moc::Errc::kRequestNotFailed: return "request-not-failed";
      case moc::Errc::kFailureRecordInvalid: return "failure-record-invalid";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_MOC_ERRC_H_
