// The request state machine (DESIGN §2; seed §5.1-§5.4, items 1-5 of each case). Pure: it takes
// a request, an event and the time, changes the request and returns the actions the world must
// carry out. It never does I/O; request_service.h commits the result and only then acts.
//
// Events are facts reported by others (placement, the TAM, the user, the device). A fact that
// was already applied is ignored (Outcome::kIgnored, no actions), so a replayed or duplicated
// report deploys nothing twice. A fact that does not fit the current step is refused with
// moc::Errc::kWrongState and changes nothing.
#ifndef TEEPNET_MOC_REQUEST_MACHINE_H_
#define TEEPNET_MOC_REQUEST_MACHINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

enum class EventKind : uint8_t {
  kPlaced,                // placement chose `device_id` (`architecture`)
  kPlacementRefused,      // placement found nothing; `detail` says why
  kInstallReported,       // the TAM: `device_id` installed (or failed) package `package_id`
  kAttestationResult,     // the Verifier: `device_id`'s Agent is affirming (EAR) or not
  kSealedDataPosted,      // the user posted sealed bytes (their SHA-256 in `digest`)
  kDeliveryAcknowledged,  // the Agent / TA on `device_id` opened and deployed the sealed bytes
  kTimeout,               // the clock: check the current step's deadline
};
std::string_view EventKindName(EventKind kind);

struct Event {
  EventKind kind = EventKind::kTimeout;
  std::string device_id;
  Architecture architecture = Architecture::kTrustZone;
  std::string package_id;
  bool success = true;  // install succeeded / attestation affirming / delivery deployed
  std::string detail;
  Bytes ear;
  std::string ear_media_type;
  Bytes digest;
  Bytes receipt;  // kDeliveryAcknowledged: the recipient's receipt, checked by MocService

  static Event Placed(std::string device, Architecture arch);
  static Event PlacementRefused(std::string why);
  static Event Installed(std::string device, std::string package);
  static Event InstallFailed(std::string device, std::string package, std::string why);
  static Event Affirmed(std::string device, Bytes ear, std::string media_type);
  static Event Contraindicated(std::string device, std::string why);
  static Event SealedPosted(Bytes digest);
  // A successful delivery needs the receipt (MocService::AcceptReceipt verified it first).
  static Event Delivered(std::string device, Bytes digest, Bytes receipt = {});
  static Event DeliveryFailed(std::string device, std::string why);
  static Event Timeout();
};

// How long a request may wait in each step before it fails. A step waits for the TAM (deploy),
// the device (attestation, delivery) or the user (channel).
struct MachineLimits {
  int64_t deploy_seconds = 15 * 60;
  int64_t attest_seconds = 10 * 60;
  int64_t user_channel_seconds = 60 * 60;
  int64_t delivery_seconds = 15 * 60;
};

enum class Outcome : uint8_t { kApplied, kIgnored };

struct Transition {
  Outcome outcome = Outcome::kIgnored;
  std::vector<Action> actions;  // also appended to request.outbox
};

// A new request in state `submitted`, its first step recorded at `now`.
Request NewRequest(std::string id, std::string tenant_id, int use_case, InstanceType instance,
                   std::optional<Architecture> hardware, std::optional<std::string> ua_package,
                   std::optional<std::string> ta_package, int64_t now);

// Checks that the package roles fit the use case (seed §5): case 1 and 4 name no package (their
// bundles carry PD and travel sealed over the user channel); case 2 names a UA and a TA; case 3
// a TA and optionally a UA. moc::Errc::kPackageMismatch otherwise.
Status CheckPackagesFitCase(int use_case, bool has_ua, bool has_ta);

// Applies `event` to `request` at `now`. On kApplied the request's state, steps, flags and
// outbox have changed and `version` is NOT touched (the store does that on commit).
Result<Transition> Apply(Request& request, const Event& event, int64_t now,
                         const MachineLimits& limits = MachineLimits());

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_REQUEST_MACHINE_H_
