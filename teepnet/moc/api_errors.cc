#include "teepnet/moc/api_errors.h"

#include <array>

namespace teepnet::moc {

namespace {

// 404 for another tenant's object as for a missing one, so existence does not leak.
constexpr std::array<ApiErrorEntry, 35> kTable = {{
    {Errc::kUnauthenticated, "unauthenticated", 401},
    {Errc::kAdminOnly, "admin_only", 403},
    {Errc::kTenantOnly, "tenant_only", 403},
    {Errc::kInvalidArgument, "invalid_argument", 400},
    {Errc::kInvalidJson, "invalid_json", 400},
    {Errc::kBodyTooLarge, "body_too_large", 413},
    {Errc::kInvalidPackage, "invalid_package", 400},
    {Errc::kPackageMismatch, "package_mismatch", 422},
    {Errc::kRouteNotFound, "route_not_found", 404},
    {Errc::kMethodNotAllowed, "method_not_allowed", 405},
    {Errc::kPackageNotFound, "package_not_found", 404},
    {Errc::kRequestNotFound, "request_not_found", 404},
    {Errc::kEarNotIssued, "ear_not_issued", 404},
    {Errc::kInstanceNotOnHardware, "instance_not_on_hardware", 422},
    {Errc::kNoSuitableDevice, "no_suitable_device", 409},
    {Errc::kNoCapacity, "no_capacity", 503},
    {Errc::kInvalidCapacityReport, "invalid_capacity_report", 400},
    {Errc::kWrongState, "wrong_state", 409},
    {Errc::kChannelAlreadyUsed, "channel_already_used", 409},
    {Errc::kRequestFinished, "request_finished", 409},
    {Errc::kWrongDevice, "wrong_device", 409},
    {Errc::kUnknownPackage, "unknown_package", 409},
    {Errc::kConcurrentUpdate, "concurrent_update", 409},
    {Errc::kAlreadyExists, "already_exists", 409},
    {Errc::kStoreFailure, "store_failure", 503},
    {Errc::kReceiptInvalid, "receipt_invalid", 400},
    {Errc::kNoVerifierKey, "no_verifier_key", 404},
    {Errc::kInvalidIdempotencyKey, "invalid_idempotency_key", 400},
    {Errc::kIdempotencyKeyReused, "idempotency_key_reused", 409},
    {Errc::kCapacityNotAttested, "capacity_not_attested", 409},
    {Errc::kArchitectureMismatch, "architecture_mismatch", 409},
    {Errc::kCapacityExceedsAttested, "capacity_exceeds_attested", 409},
    {Errc::kDeviceNotAttested, "device_not_attested", 409},
    {Errc::kRequestNotFailed, "request_not_failed", 409},
    {Errc::kFailureRecordInvalid, "failure_record_invalid", 400},
}};

}  // namespace

std::span<const ApiErrorEntry> ApiErrorTable() {
  return kTable;
}

ApiError ApiErrorFor(const Error& error) {
  if (error.domain() == Domain::kMoc) {
    for (const ApiErrorEntry& entry : kTable) {
      if (static_cast<uint16_t>(entry.reason) == error.reason()) {
        return {std::string(entry.code), entry.http_status};
      }
    }
  }
  if (error.code() == Code::kUnavailable) return {"unavailable", 503};
  return {"internal", 500};
}

}  // namespace teepnet::moc
