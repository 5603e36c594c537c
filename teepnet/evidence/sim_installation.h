// Simulated platforms per installation. A "simulated manufacturers" directory (shared by every
// simulated device of one installation) holds
//   VENDORS/private/   0700: the manufacturers' secret state, created once —
//                      intel.state (SimIntelManufacturer: root, PCK CA, TCB signer, one chip),
//                      snp-host.state (one simulated SEV-SNP host: ARK, ASK, VCEK, chip id),
//                      csv-host.state (one simulated Hygon host: HRK, HSK, CEK, PEK)
//   VENDORS/public/    what a Verifier is provisioned with, in the layout of
//                      attest::VerifierConfig::FromDirectory (roots, collateral, PSA/CCA
//                      trust anchors and reference values, policies) — no private key.
// and each device keeps its own part in its data directory (DEVICE/platform.json: the guest
// identity — measurements, debug; DEVICE/platform.state 0600: the per-chip PSA IAK / CCA
// CPAK+RAK, whose public halves the "manufacturer" provisions into VENDORS/public).
// SNP, SGX/TDX and CSV devices are guests of the one simulated host of their architecture (as
// several VMs on one machine share a chip): the chip signs, the guest identity differs.
//
// Opening a platform takes an exclusive lock on VENDORS/private/lock, so devices starting
// together create each manufacturer once.
#ifndef TEEPNET_EVIDENCE_SIM_INSTALLATION_H_
#define TEEPNET_EVIDENCE_SIM_INSTALLATION_H_

#include <memory>
#include <string>
#include <string_view>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/result.h"

namespace teepnet::evidence {

struct SimPlatformOptions {
  std::string platform;     // sim-trustzone | sim-sgx | sim-snp | sim-cca | sim-tdx | sim-csv
  std::string device_dir;   // the Agent's private directory
  std::string vendors_dir;  // the shared simulated-manufacturers directory
  // On first creation only: the guest runs with debug enabled (SGX/TDX ATTRIBUTES.DEBUG, SNP
  // policy DEBUG, PSA/CCA lifecycle "non-PSA-RoT debug"). A default policy contraindicates it.
  bool debug = false;
  int64_t now = 0;  // Unix seconds: certificate and collateral validity start
};

// True for the six simulated names (sim-sev-snp is accepted as sim-snp).
bool IsSimPlatform(std::string_view name);

// Loads the device's simulated platform, creating it (and the shared manufacturer) on first
// use, and (re)writes the public endorsements under VENDORS/public.
Result<std::unique_ptr<attest::Platform>> OpenSimPlatform(const SimPlatformOptions& options);

}  // namespace teepnet::evidence

#endif  // TEEPNET_EVIDENCE_SIM_INSTALLATION_H_
