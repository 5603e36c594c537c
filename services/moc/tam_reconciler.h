// TamReconciler: turns what the TAM has learnt from devices into M/OC request events
// (moc/request_machine.h), so a request moves on once the device did its part:
//   - the device's last tc-list (DeviceStatus::installed) lists a package's manifest at its
//     sequence number or above -> kInstallReported (success) for that package;
//   - the device's stored appraisal carries an attestation result (the EAR the TAM's Verifier
//     issued) from no earlier than the request entered its attesting step
//     -> kAttestationResult, affirming or not as the appraisal says.
// Run periodically by every replica: an event that no longer fits the request (another replica
// delivered it first, or the request moved on) is refused by the state machine and changes
// nothing, so running it twice is harmless.
#ifndef TEEPNET_SERVICES_MOC_TAM_RECONCILER_H_
#define TEEPNET_SERVICES_MOC_TAM_RECONCILER_H_

#include <cstddef>
#include <string_view>

#include "teepnet/moc/moc_service.h"
#include "teepnet/moc/moc_store.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

// The media type of the EARs the TAM's appraiser issues (evidence/tam_appraiser.h: an ES256
// JWT; draft-ietf-rats-ear registers the EAR profile).
inline constexpr std::string_view kEarMediaType =
    "application/eat+jwt; eat_profile=\"tag:github.com,2023:veraison/ear\"";

struct ReconcileCounts {
  size_t examined = 0;  // in-flight requests placed on a device
  size_t events = 0;    // events the state machine accepted
};

class TamReconciler {
 public:
  // All references must outlive the reconciler.
  TamReconciler(const MocStore& moc_store, const tam::TamStore& tam_store, MocService& service)
      : moc_store_(moc_store), tam_store_(tam_store), service_(service) {}

  // One pass over the in-flight requests. Fails only when the stores cannot be read.
  Result<ReconcileCounts> RunOnce();

 private:
  Result<size_t> Installs(const Request& request, const tam::DeviceStatus& status);
  // A device whose evidence the TAM refused while the request's packages wait to be installed:
  // the TAM will not install them, so the request fails now rather than at its deadline.
  Result<size_t> RefusedWhileDeploying(const Request& r, const tam::DeviceStatus& status);
  Result<size_t> Attestation(const Request& request, const tam::DeviceStatus& status);
  Result<bool> Deliver(const Request& request, const Event& event);

  const MocStore& moc_store_;
  const tam::TamStore& tam_store_;
  MocService& service_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_TAM_RECONCILER_H_
