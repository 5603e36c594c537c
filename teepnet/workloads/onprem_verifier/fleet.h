// A simulated ISP router fleet and its vendor's verifier material, for the demo, the tests and
// the benchmark. No I/O.
//
// The vendor ships two router lines: Arm edge routers whose TrustZone emits PSA attestation
// tokens (attest::SimPsaPlatform, one IAK per router) and x86 core routers running their
// control plane in a SEV-SNP guest (attest::SimSevSnpPlatform, one VCEK per chip under a
// single simulated AMD ARK/ASK). The vendor's material endorses each router it built (PSA
// IAKs, VCEKs), names the golden firmware (PSA reference values for the Arm image, the SNP
// launch measurement in its SNP policy) and the AMD trust anchor.
//
// Some routers are defective, each in one way the vendor's Verifier must catch:
//   kTamperedFirmware  firmware that is not the golden image (a PSA component measurement or
//                      the SNP launch measurement differs)           -> executables 96
//   kStaleNonce        evidence bound to an earlier nonce than the ISP asked for
//                                                                    -> instance-identity 96
//   kUnendorsedKey     a device the vendor never endorsed (its IAK / VCEK is in no
//                      endorsement of the vendor)    -> instance-identity 97 (PSA: unknown
//                      instance-id) or 99 (SEV-SNP: none of the vendor's VCEKs verifies it)
// Every defect makes the router contraindicated; the others are affirming.
//
// Determinism: the fleet's composition, names, nonces, firmware, chip ids and EC keys follow
// from the seed. ECDSA and RSA-PSS signatures and the simulated AMD RSA keys are randomised by
// nature, so evidence bytes differ between runs while every verdict stays the same.
#ifndef TEEPNET_WORKLOADS_ONPREM_VERIFIER_FLEET_H_
#define TEEPNET_WORKLOADS_ONPREM_VERIFIER_FLEET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

namespace teepnet::workloads::onprem_verifier {

enum class RouterKind : uint8_t { kArmPsa, kX86Snp };
enum class Defect : uint8_t { kNone, kTamperedFirmware, kStaleNonce, kUnendorsedKey };
std::string_view DefectName(Defect defect);  // "none", "tampered-firmware", ...

struct RouterPlan {
  std::string name;
  RouterKind kind = RouterKind::kArmPsa;
  Defect defect = Defect::kNone;
};

// kAffirming for a sound router, kContraindicated for any defect.
RouterStatus ExpectedStatus(const RouterPlan& plan);

struct FleetOptions {
  uint64_t seed = 1;
  size_t arm_routers = 12;
  size_t x86_routers = 4;
  // About one router in `defect_every` is defective, on each router line, and each line of
  // three routers or more has every defect at least once; 0: none.
  size_t defect_every = 4;
  std::string vendor_label = "acme-networks";
  std::string isp_label = "example-isp";
};

struct Fleet {
  VendorInput vendor;
  IspInput isp;                  // one RouterEvidence per router, in plan order
  std::vector<RouterPlan> plan;  // what the generator did to each router: the ground truth
};

// Builds the fleet; certificates are valid from a day before `now_unix` for 25 years.
// Fails when the fleet is empty or larger than kMaxRouters.
Result<Fleet> MakeFleet(const FleetOptions& options, int64_t now_unix);

}  // namespace teepnet::workloads::onprem_verifier

#endif  // TEEPNET_WORKLOADS_ONPREM_VERIFIER_FLEET_H_
