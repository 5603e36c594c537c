// The on-premises attestation verifier as `teepnet demo` and `teepnet workload onprem-verifier`
// run it: a router vendor ("vendor") hands its verifier material to the attested TA, an ISP
// ("isp") hands it a batch of evidence from its simulated routers, and the TA appraises every
// router with the project's own Verifier (workloads/onprem_verifier).
//
// The scenario generated the fleet, so it knows which routers it broke and how; Check expects
// exactly those routers to be contraindicated, for the reason their defect implies, and every
// other router to be affirming. It recomputes what else it can on its own: the digest of each
// piece of evidence it sent, and the identity of each policy the vendor supplied.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "services/cli/workloads/scenario.h"
#include "teepnet/attest/verifier.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/workloads/onprem_verifier/errc.h"
#include "teepnet/workloads/onprem_verifier/fleet.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

namespace teepnet::cli::workloads {
namespace {

namespace ov = teepnet::workloads::onprem_verifier;

// A full batch: 96 Arm edge routers and 32 x86 core routers, one in four defective.
constexpr size_t kArmRouters = 96;
constexpr size_t kX86Routers = 32;
constexpr size_t kDefectEvery = 4;

Error Wrong(std::string what) {
  return Error(ov::Errc::kInconsistent, "onprem-verifier check: " + std::move(what));
}

// What a router's defect must have done to its trust vector (AR4SI values, attest/appraisal.h).
bool ReasonMatches(ov::Defect defect, const attest::TrustVector& tv) {
  switch (defect) {
    case ov::Defect::kNone: return tv.Overall() == attest::Tier::kAffirming;
    case ov::Defect::kTamperedFirmware:
      return tv.executables == attest::ar4si::kContraindicatedExecutables &&
             attest::TierOf(tv.instance_identity) == attest::Tier::kAffirming;
    case ov::Defect::kStaleNonce:
      return tv.instance_identity == attest::ar4si::kContraindicated &&
             attest::TierOf(tv.executables) == attest::Tier::kAffirming;
    case ov::Defect::kUnendorsedKey:
      // PSA: no IAK for the instance-id (97); SEV-SNP: no endorsed VCEK verifies the report
      // (99, after the Verifier tried each of the vendor's).
      return tv.instance_identity == attest::ar4si::kUnrecognizedInstance ||
             tv.instance_identity == attest::ar4si::kCryptoValidationFailed;
  }
  return false;
}

class OnpremVerifierScenario final : public Scenario {
 public:
  std::string_view name() const override { return ov::kWorkloadName; }
  std::string_view ta_binary() const override { return "onprem_verifier_ta"; }

  Result<ScenarioInputs> MakeInputs(uint64_t seed, std::string_view marker) override {
    ov::FleetOptions options;
    options.seed = seed;
    options.arm_routers = kArmRouters;
    options.x86_routers = kX86Routers;
    options.defect_every = kDefectEvery;
    // The marker sits in each party's own label: private data that must never leave the TEE.
    options.vendor_label = "acme-networks/" + std::string(marker);
    options.isp_label = "example-isp/" + std::string(marker);
    TEEPNET_ASSIGN_OR_RETURN(ov::Fleet fleet,
                             ov::MakeFleet(options, SystemClock().NowUnixSeconds()));
    TEEPNET_ASSIGN_OR_RETURN(Bytes vendor, ov::EncodeVendorInput(fleet.vendor));
    TEEPNET_ASSIGN_OR_RETURN(Bytes isp, ov::EncodeIspInput(fleet.isp));
    ScenarioInputs out;
    out.parties.push_back(PartyInput{std::string(ov::kVendorRole), SecretBytes(vendor), true});
    out.parties.push_back(PartyInput{std::string(ov::kIspRole), SecretBytes(isp), true});
    fleet_ = std::move(fleet);
    return out;
  }

  Result<Headline> Check(const std::map<std::string, SecretBytes>& outputs) override {
    if (!fleet_) return Wrong("no inputs were made");
    const ov::Fleet& fleet = *fleet_;
    auto isp_it = outputs.find(std::string(ov::kIspRole));
    auto vendor_it = outputs.find(std::string(ov::kVendorRole));
    if (isp_it == outputs.end() || vendor_it == outputs.end()) {
      return Wrong("the ISP's or the vendor's output is missing");
    }
    TEEPNET_ASSIGN_OR_RETURN(ov::IspOutput isp, ov::DecodeIspOutput(isp_it->second.view()));
    TEEPNET_ASSIGN_OR_RETURN(ov::VendorOutput vendor,
                             ov::DecodeVendorOutput(vendor_it->second.view()));
    if (isp.results.size() != fleet.plan.size()) {
      return Wrong("results for " + std::to_string(isp.results.size()) + " routers, sent " +
                   std::to_string(fleet.plan.size()));
    }
    if (vendor.appraised != fleet.plan.size()) return Wrong("the vendor's count is wrong");

    std::map<std::string, size_t> by_defect;
    size_t affirming = 0;
    for (size_t i = 0; i < fleet.plan.size(); ++i) {
      const ov::RouterPlan& plan = fleet.plan[i];
      const ov::RouterResult& res = isp.results[i];
      if (res.name != plan.name) return Wrong("result " + std::to_string(i) + " names another");
      if (res.status != ov::ExpectedStatus(plan)) {
        return Wrong(plan.name + " (" + std::string(ov::DefectName(plan.defect)) + ") is " +
                     std::string(ov::RouterStatusName(res.status)));
      }
      if (!ReasonMatches(plan.defect, ov::TrustVectorOf(res.trust))) {
        std::string claims;
        for (int8_t c : res.trust) claims += " " + std::to_string(c);
        return Wrong(plan.name + ": the trust vector [" + claims + " ] does not show " +
                     std::string(ov::DefectName(plan.defect)));
      }
      const char* format = plan.kind == ov::RouterKind::kArmPsa ? "psa" : "snp";
      if (res.format != format) return Wrong(plan.name + " appraised as " + res.format);
      if (res.evidence_digest != crypto::Sha256(fleet.isp.routers[i].evidence)) {
        return Wrong(plan.name + ": the verdict is for other evidence");
      }
      if (plan.defect == ov::Defect::kNone) {
        ++affirming;
      } else {
        ++by_defect[std::string(ov::DefectName(plan.defect))];
      }
    }
    // The policies each format was appraised under are the vendor's, by id and hash.
    for (const auto& [format_name, json] : fleet.vendor.policies) {
      auto format = attest::EvidenceFormatFromName(format_name);
      if (!format) return Wrong("the fleet names an unknown format");
      TEEPNET_ASSIGN_OR_RETURN(attest::PolicyIdentity id, attest::IdentifyPolicy(*format, json));
      auto ref = isp.policy_refs.find(format_name);
      if (ref == isp.policy_refs.end() || ref->second != id.id + "@sha256:" + ToHex(id.sha256)) {
        return Wrong("the " + format_name + " policy applied is not the vendor's");
      }
    }
    if (isp.appraisal_nanos == 0) return Wrong("the TA measured no appraisal time");

    const double seconds = static_cast<double>(isp.appraisal_nanos) / 1e9;
    Headline h;
    h.name = "evidence_per_second";
    h.value = static_cast<double>(isp.results.size()) / seconds;
    h.detail = {{"routers", isp.results.size()},
                {"arm_psa", kArmRouters},
                {"x86_snp", kX86Routers},
                {"affirming", affirming},
                {"contraindicated", isp.results.size() - affirming},
                {"defects", by_defect},
                {"appraisal_ms", seconds * 1000.0}};
    return h;
  }

 private:
  std::optional<ov::Fleet> fleet_;
};

}  // namespace

std::unique_ptr<Scenario> MakeOnpremVerifierScenario() {
  return std::make_unique<OnpremVerifierScenario>();
}

}  // namespace teepnet::cli::workloads
