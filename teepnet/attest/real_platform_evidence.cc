#include "teepnet/attest/real_platform_evidence.h"

#include <algorithm>

#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {

Result<std::array<uint8_t, kReportDataSize>> PadReportData(ByteView report_data) {
  if (report_data.size() > kReportDataSize) {
    return Error(Errc::kRealBadArgument,
                 "report data of " + std::to_string(report_data.size()) + " bytes (at most 64)");
  }
  std::array<uint8_t, kReportDataSize> out{};
  std::copy(report_data.begin(), report_data.end(), out.begin());
  return out;
}

Result<std::string> EvidenceMeasurementHex(EvidenceFormat format, ByteView evidence) {
  switch (format) {
    case EvidenceFormat::kSevSnpReport: {
      TEEPNET_ASSIGN_OR_RETURN(SnpReport report, DecodeSnpReport(evidence));
      return ToHex(report.measurement);
    }
    case EvidenceFormat::kTdxQuote: {
      TEEPNET_ASSIGN_OR_RETURN(DcapQuote quote, ParseDcapQuote(evidence));
      if (!quote.td) return Error(Errc::kRealBadResponse, "tdx_guest returned an SGX quote");
      return ToHex(quote.td->mrtd);
    }
    case EvidenceFormat::kCcaToken: {
      TEEPNET_ASSIGN_OR_RETURN(CcaToken token, ParseCcaToken(evidence));
      return ToHex(token.realm_claims.initial_measurement);
    }
    default: break;
  }
  return Error(Errc::kRealBadArgument,
               "no real backend emits " + std::string(EvidenceFormatName(format)) + " evidence");
}

}  // namespace teepnet::attest
