// Helpers shared by the real attester backends (configfs-tsm, /dev/sev-guest, /dev/tdx_guest):
// the 64-byte report-data field every firmware interface takes, and the launch measurement
// read back out of the evidence a backend returned (so measurement_hex() reports what the
// hardware signed, not what a configuration claims).
#ifndef TEEPNET_ATTEST_REAL_PLATFORM_EVIDENCE_H_
#define TEEPNET_ATTEST_REAL_PLATFORM_EVIDENCE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// SNP_GET_REPORT user_data, TDX REPORTDATA, configfs-tsm inblob (TSM_INBLOB_MAX) and the CCA
// challenge are all 64 bytes.
inline constexpr size_t kReportDataSize = 64;

// `report_data` zero-padded to 64 bytes; kRealBadArgument when it is longer.
Result<std::array<uint8_t, kReportDataSize>> PadReportData(ByteView report_data);

// The launch measurement carried by `evidence`, hex: SNP MEASUREMENT, TDX MRTD, CCA realm
// initial measurement. Parse errors of the evidence are returned as they are.
Result<std::string> EvidenceMeasurementHex(EvidenceFormat format, ByteView evidence);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_REAL_PLATFORM_EVIDENCE_H_
