#include "teepnet/workloads/telemetry/report.h"

#include <algorithm>
#include <string>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/schema.h"

namespace teepnet::workloads::telemetry {
namespace {

enum ReportKey : uint64_t { kRecords = 1, kFlagged, kFlaggedIds, kElapsedNs };
constexpr size_t kReportEntries = 4;
constexpr size_t kUsageEntries = 1;

Status CheckReport(const OperatorReport& report) {
  if (report.flagged > report.records) {
    return Error(Errc::kMalformed, "report: more flagged records than records");
  }
  if (report.flagged_ids.size() > kMaxReportedIds) {
    return Error(Errc::kTooLarge, "report: more than kMaxReportedIds ids");
  }
  if (report.flagged_ids.size() != std::min<uint64_t>(report.flagged, kMaxReportedIds)) {
    return Error(Errc::kMalformed, "report: the id list does not match the flagged count");
  }
  for (size_t i = 0; i < report.flagged_ids.size(); ++i) {
    if (report.flagged_ids[i] > kMaxRecordId ||
        (i > 0 && report.flagged_ids[i] <= report.flagged_ids[i - 1])) {
      return Error(Errc::kMalformed, "report: ids are not increasing 32-bit flow ids");
    }
  }
  return OkStatus();
}

}  // namespace

Result<Bytes> EncodeOperatorReport(const OperatorReport& report) {
  TEEPNET_RETURN_IF_ERROR(CheckReport(report));
  cbor::Writer w(16 + 5 * report.flagged_ids.size());
  w.WriteMapHeader(kReportEntries);
  w.WriteUint(kRecords);
  w.WriteUint(report.records);
  w.WriteUint(kFlagged);
  w.WriteUint(report.flagged);
  w.WriteUint(kFlaggedIds);
  w.WriteArrayHeader(report.flagged_ids.size());
  for (uint64_t id : report.flagged_ids) w.WriteUint(id);
  w.WriteUint(kElapsedNs);
  w.WriteUint(report.elapsed_ns);
  return std::move(w).Take();
}

Result<OperatorReport> DecodeOperatorReport(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  OperatorReport report;
  size_t ids = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ExpectMap(r, kReportEntries, "report"));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kRecords, "report"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, kMaxRecords, "report records", &report.records));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kFlagged, "report"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, kMaxRecords, "report flagged", &report.flagged));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kFlaggedIds, "report"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 0, kMaxReportedIds, "report ids", &ids));
  report.flagged_ids.resize(ids);
  for (uint64_t& id : report.flagged_ids) {
    TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, kMaxRecordId, "report id", &id));
  }
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kElapsedNs, "report"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, UINT64_MAX, "report elapsed", &report.elapsed_ns));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectEnd(r, "report"));
  TEEPNET_RETURN_IF_ERROR(CheckReport(report));
  return report;
}

Bytes EncodeVendorUsage(const VendorUsage& usage) {
  cbor::Writer w;
  w.WriteMapHeader(kUsageEntries);
  w.WriteUint(kRecords);
  w.WriteUint(usage.records);
  return std::move(w).Take();
}

Result<VendorUsage> DecodeVendorUsage(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  VendorUsage usage;
  TEEPNET_RETURN_IF_ERROR(schema::ExpectMap(r, kUsageEntries, "usage"));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kRecords, "usage"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, kMaxRecords, "usage records", &usage.records));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectEnd(r, "usage"));
  return usage;
}

}  // namespace teepnet::workloads::telemetry
