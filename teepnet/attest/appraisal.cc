#include "teepnet/attest/appraisal.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/errc.h"

namespace teepnet::attest {

std::string_view ArchitectureName(Architecture arch) {
  switch (arch) {
    case Architecture::kTrustZone: return "trustzone";
    case Architecture::kSgx: return "sgx";
    case Architecture::kSevSnp: return "sev-snp";
    case Architecture::kCca: return "cca";
    case Architecture::kTdx: return "tdx";
    case Architecture::kCsv: return "csv";
  }
  return "unknown";
}

std::string_view EvidenceFormatName(EvidenceFormat format) {
  switch (format) {
    case EvidenceFormat::kPsaToken: return "psa";
    case EvidenceFormat::kSgxQuoteV3: return "sgx";
    case EvidenceFormat::kSevSnpReport: return "snp";
    case EvidenceFormat::kCcaToken: return "cca";
    case EvidenceFormat::kTdxQuote: return "tdx";
    case EvidenceFormat::kCsvReport: return "csv";
  }
  return "unknown";
}

Tier TierOf(int8_t v) {
  // draft-ietf-rats-ar4si, trustworthiness tiers: none -1..1, affirming -32..-2 and 2..31,
  // warning -96..-33 and 32..95, contraindicated -128..-97 and 96..127.
  if (v == 0 || v == 1 || v == -1) return Tier::kNone;
  if ((v >= 2 && v <= 31) || (v >= -32 && v <= -2)) return Tier::kAffirming;
  if ((v >= 32 && v <= 95) || (v >= -96 && v <= -33)) return Tier::kWarning;
  return Tier::kContraindicated;
}

Tier TrustVector::Overall() const {
  Tier worst = Tier::kNone;
  for (int8_t v : {instance_identity, configuration, executables, file_system, hardware,
                   runtime_opaque, storage_opaque, sourced_data}) {
    worst = std::max(worst, TierOf(v));
  }
  return worst;
}

Result<Bytes> Platform::GetGuestEvidence(ByteView, ByteView) {
  return Error(Errc::kNoGuests, std::string(ArchitectureName(architecture())) +
                                    " platform: no confidential VMs are launched on it");
}

Result<Bytes> PadMeasurement(ByteView measurement, size_t width) {
  if (measurement.size() > width) {
    return Error(Errc::kBadState, "a launch measurement of " + std::to_string(measurement.size()) +
                                      " bytes does not fit a " + std::to_string(width) +
                                      "-byte field");
  }
  Bytes out(measurement.begin(), measurement.end());
  out.resize(width, 0);
  return out;
}

}  // namespace teepnet::attest
