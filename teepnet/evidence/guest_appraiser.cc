#include "teepnet/evidence/guest_appraiser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/hex.h"

namespace teepnet::evidence {
namespace {

Error Refused(std::string why) {
  return Error(Code::kFailedPrecondition, std::move(why));
}

}  // namespace

Result<std::unique_ptr<GuestAppraiser>> GuestAppraiser::FromDirectory(const std::string& dir) {
  TEEPNET_ASSIGN_OR_RETURN(attest::VerifierConfig config,
                           attest::VerifierConfig::FromDirectory(dir));
  TEEPNET_ASSIGN_OR_RETURN(attest::Verifier verifier, attest::Verifier::Create(std::move(config)));
  return std::make_unique<GuestAppraiser>(std::move(verifier));
}

Status GuestAppraiser::Appraise(ByteView evidence, ByteView report_data,
                                ByteView launch_measurement, int64_t now_unix) const {
  TEEPNET_ASSIGN_OR_RETURN(attest::Verdict verdict,
                           verifier_.Verify(evidence, std::nullopt, report_data, now_unix));
  const attest::Appraisal& a = verdict.appraisal;
  attest::TrustVector others = a.trust;
  others.executables = attest::ar4si::kNoClaim;  // see the header: the launch digest instead
  if (others.Overall() == attest::Tier::kContraindicated ||
      others.Overall() == attest::Tier::kNone) {
    std::string why = "the guest's " + std::string(attest::EvidenceFormatName(a.format)) +
                      " evidence is " +
                      (others.Overall() == attest::Tier::kNone ? "unappraised" : "contraindicated");
    for (const std::string& note : a.notes) why += "; " + note;
    return Refused(why);
  }
  const auto measured = a.claims.find("measurement");
  if (measured == a.claims.end()) {
    return Refused("the guest's evidence names no measurement");
  }
  auto field = FromHex(measured->second);
  if (!field.ok() || field->size() < launch_measurement.size() ||
      !std::equal(launch_measurement.begin(), launch_measurement.end(), field->begin()) ||
      !std::all_of(field->begin() + static_cast<std::ptrdiff_t>(launch_measurement.size()),
                   field->end(), [](uint8_t b) { return b == 0; })) {
    return Refused("the guest's measurement " + measured->second +
                   " is not the launch digest of the VM started (" + ToHex(launch_measurement) +
                   ")");
  }
  return OkStatus();
}

}  // namespace teepnet::evidence
