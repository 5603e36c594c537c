// SUIT report (draft-ietf-suit-report-18 §4): what the processor did with one manifest,
// encoded as CBOR for the TEEP Agent to return to the TAM.
//
//   SUIT_Report = { 99: [uri, SUIT_Digest], ?2: nonce, 3: [* SUIT_Record],
//                   4: true / {5: code, 6: SUIT_Record, 7: reason} }
//   SUIT_Record = [manifest-id [* uint], section int, offset uint, component-index uint,
//                  properties {* parameter => value}]
#ifndef TEEPNET_SUIT_REPORT_H_
#define TEEPNET_SUIT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/error.h"

namespace teepnet::suit {

// suit-report-18 §4.3 SUIT_Report_Reasons.
enum class ReportReason : uint64_t {
  kOk = 0,
  kCborParse = 1,
  kCoseUnsupported = 2,
  kAlgUnsupported = 3,
  kUnauthorised = 4,
  kCommandUnsupported = 5,
  kComponentUnsupported = 6,
  kComponentUnauthorised = 7,
  kParameterUnsupported = 8,
  kSeveringUnsupported = 9,
  kConditionFailed = 10,
  kOperationFailed = 11,
  kInvokePending = 12,
};

struct ReportRecord {
  std::vector<uint64_t> manifest_id;  // dependency indices from the root manifest
  int64_t section = 0;                // ManifestKey of the sequence (3 for shared-sequence)
  uint64_t offset = 0;                // the command's offset in its sequence
  uint64_t component_index = 0;
  // Encoded parameter values reported (sysinfo bits of the reporting policy).
  std::vector<std::pair<int64_t, Bytes>> properties;
};

struct Report {
  std::string manifest_uri;  // suit-reference-uri, or "" when the manifest has none
  Bytes manifest_digest;     // encoded SUIT_Digest of the manifest (may be empty: unknown)
  std::optional<Bytes> nonce;
  std::vector<ReportRecord> records;
  bool success = false;
  // On failure: the result code (the suit::Errc value), the record of the failing command
  // and the reason.
  int64_t result_code = 0;
  std::optional<ReportRecord> failed_record;
  ReportReason reason = ReportReason::kOk;
  // The precise error, for the caller (not encoded).
  std::optional<Error> error;
};

// The SUIT report reason for a processing error.
ReportReason ReasonFor(const Error& error);

// Deterministic CBOR of the report (RFC 8949 §4.2.1 key order).
Bytes EncodeReport(const Report& report);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_REPORT_H_
