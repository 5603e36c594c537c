#include "teepnet/suit/report.h"

#include "teepnet/cbor/map_builder.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {
namespace {

void WriteRecord(cbor::Writer& w, const ReportRecord& record) {
  w.WriteArrayHeader(5);
  w.WriteArrayHeader(record.manifest_id.size());
  for (uint64_t i : record.manifest_id) w.WriteUint(i);
  w.WriteInt(record.section);
  w.WriteUint(record.offset);
  w.WriteUint(record.component_index);
  cbor::MapBuilder props;
  for (const auto& [key, value] : record.properties) props.Entry(key).WriteRaw(value);
  // Keys come from a map keyed by parameter, so they are unique: WriteTo cannot fail.
  (void)props.WriteTo(w);
}

}  // namespace

ReportReason ReasonFor(const Error& error) {
  if (error.domain() != Domain::kSuit) {
    return error.code() == Code::kUnauthenticated ? ReportReason::kUnauthorised
                                                  : ReportReason::kOperationFailed;
  }
  switch (static_cast<Errc>(error.reason())) {
    case Errc::kMalformed:
    case Errc::kWrongTag:
    case Errc::kDuplicateKey:
    case Errc::kUnknownMember:
    case Errc::kEnvelopeTooLarge:
    case Errc::kTooManyComponents:
    case Errc::kSequenceTooLong:
    case Errc::kNestingTooDeep:
    case Errc::kTooManyAuthBlocks: return ReportReason::kCborParse;
    case Errc::kUnsupportedAuthentication: return ReportReason::kCoseUnsupported;
    case Errc::kUnsupportedDigest:
    case Errc::kUnsupportedVersion: return ReportReason::kAlgUnsupported;
    case Errc::kNoAuthentication:
    case Errc::kSignatureInvalid:
    case Errc::kDigestMismatch:
    case Errc::kSeveredDigestMismatch:
    case Errc::kRollback: return ReportReason::kUnauthorised;
    case Errc::kUnsupportedCommand: return ReportReason::kCommandUnsupported;
    case Errc::kComponentIndexOutOfRange: return ReportReason::kComponentUnsupported;
    case Errc::kDependencyMismatch: return ReportReason::kComponentUnauthorised;
    case Errc::kUnsupportedParameter:
    case Errc::kMissingParameter: return ReportReason::kParameterUnsupported;
    case Errc::kMissingSeveredMember:
    case Errc::kUnexpectedSeveredMember: return ReportReason::kSeveringUnsupported;
    case Errc::kConditionFailed:
    case Errc::kAborted: return ReportReason::kConditionFailed;
    default: return ReportReason::kOperationFailed;
  }
}

Bytes EncodeReport(const Report& report) {
  cbor::MapBuilder m;
  {
    cbor::Writer& ref = m.Entry(99);  // suit-reference
    ref.WriteArrayHeader(2);
    ref.WriteText(report.manifest_uri);
    // A report about an envelope that did not decode has no digest to name: [-16, h''].
    ref.WriteRaw(report.manifest_digest.empty() ? EncodeDigest(DigestAlgorithm::kSha256, {})
                                                : report.manifest_digest);
  }
  if (report.nonce) m.Entry(2).WriteBytes(*report.nonce);
  {
    cbor::Writer& records = m.Entry(3);
    records.WriteArrayHeader(report.records.size());
    for (const ReportRecord& r : report.records) WriteRecord(records, r);
  }
  cbor::Writer& result = m.Entry(4);
  if (report.success) {
    result.WriteBool(true);
  } else {
    cbor::MapBuilder failure;
    failure.Entry(5).WriteInt(report.result_code);
    WriteRecord(failure.Entry(6), report.failed_record.value_or(ReportRecord{}));
    failure.Entry(7).WriteUint(static_cast<uint64_t>(report.reason));
    (void)failure.WriteTo(result);
  }
  cbor::Writer out;
  (void)m.WriteTo(out);
  return std::move(out).Take();
}

}  // namespace teepnet::suit
