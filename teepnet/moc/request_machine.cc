#include "teepnet/moc/request_machine.h"

#include <utility>

#include "teepnet/moc/errc.h"

namespace teepnet::moc {

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kPlaced: return "placed";
    case EventKind::kPlacementRefused: return "placement_refused";
    case EventKind::kInstallReported: return "install_reported";
    case EventKind::kAttestationResult: return "attestation_result";
    case EventKind::kSealedDataPosted: return "sealed_data_posted";
    case EventKind::kDeliveryAcknowledged: return "delivery_acknowledged";
    case EventKind::kTimeout: return "timeout";
  }
  return "unknown";
}

Event Event::Placed(std::string device, Architecture arch) {
  Event e;
  e.kind = EventKind::kPlaced;
  e.device_id = std::move(device);
  e.architecture = arch;
  return e;
}
Event Event::PlacementRefused(std::string why) {
  Event e;
  e.kind = EventKind::kPlacementRefused;
  e.success = false;
  e.detail = std::move(why);
  return e;
}
Event Event::Installed(std::string device, std::string package) {
  Event e;
  e.kind = EventKind::kInstallReported;
  e.device_id = std::move(device);
  e.package_id = std::move(package);
  return e;
}
Event Event::InstallFailed(std::string device, std::string package, std::string why) {
  Event e = Installed(std::move(device), std::move(package));
  e.success = false;
  e.detail = std::move(why);
  return e;
}
Event Event::Affirmed(std::string device, Bytes ear, std::string media_type) {
  Event e;
  e.kind = EventKind::kAttestationResult;
  e.device_id = std::move(device);
  e.ear = std::move(ear);
  e.ear_media_type = std::move(media_type);
  return e;
}
Event Event::Contraindicated(std::string device, std::string why) {
  Event e;
  e.kind = EventKind::kAttestationResult;
  e.device_id = std::move(device);
  e.success = false;
  e.detail = std::move(why);
  return e;
}
Event Event::SealedPosted(Bytes digest) {
  Event e;
  e.kind = EventKind::kSealedDataPosted;
  e.digest = std::move(digest);
  return e;
}
Event Event::Delivered(std::string device, Bytes digest, Bytes receipt) {
  Event e;
  e.kind = EventKind::kDeliveryAcknowledged;
  e.device_id = std::move(device);
  e.digest = std::move(digest);
  e.receipt = std::move(receipt);
  return e;
}
Event Event::DeliveryFailed(std::string device, std::string why) {
  Event e;
  e.kind = EventKind::kDeliveryAcknowledged;
  e.device_id = std::move(device);
  e.success = false;
  e.detail = std::move(why);
  return e;
}
Event Event::Timeout() {
  return Event();
}

Request NewRequest(std::string id, std::string tenant_id, int use_case, InstanceType instance,
                   std::optional<Architecture> hardware, std::optional<std::string> ua_package,
                   std::optional<std::string> ta_package, int64_t now) {
  Request r;
  r.id = std::move(id);
  r.tenant_id = std::move(tenant_id);
  r.use_case = use_case;
  r.instance = instance;
  r.hardware = hardware;
  r.ua_package = std::move(ua_package);
  r.ta_package = std::move(ta_package);
  r.state = RequestState::kSubmitted;
  // Seed §5, item 1 of every case: "Network User requests for confidential computing resource".
  r.steps.push_back({RequestState::kSubmitted, now,
                     "use case " + std::to_string(use_case) + ": a " +
                         std::string(InstanceTypeTitle(instance)) + " requested"});
  r.created_at = now;
  r.updated_at = now;
  return r;
}

Status CheckPackagesFitCase(int use_case, bool has_ua, bool has_ta) {
  switch (use_case) {
    case 1:
    case 4:
      if (has_ua || has_ta) {
        return Error(Errc::kPackageMismatch,
                     "use case " + std::to_string(use_case) +
                         " names no package: its bundle carries PD and is sent sealed over the "
                         "user channel after the EAR, never through the TAM");
      }
      return OkStatus();
    case 2:
      if (!has_ua || !has_ta) {
        return Error(Errc::kPackageMismatch,
                     "use case 2 deploys a UA and a TA through the TAM: name both");
      }
      return OkStatus();
    case 3:
      if (!has_ta) {
        return Error(Errc::kPackageMismatch,
                     "use case 3 deploys a TA (and optionally a UA) through the TAM: name the TA");
      }
      return OkStatus();
    default: return Error(Errc::kInvalidArgument, "use_case must be 1, 2, 3 or 4 (seed §5.1-§5.4)");
  }
}

namespace {

std::string SealedWhat(int use_case) {
  switch (use_case) {
    case 1: return "(UA, TA, PD) bundle";
    case 4: return "(TA, PD) bundle";
    default: return "PD";
  }
}

class Stepper {
 public:
  Stepper(Request& request, int64_t now) : r_(request), now_(now) {}

  void Enter(RequestState state, std::string detail) {
    r_.state = state;
    r_.steps.push_back({state, now_, std::move(detail)});
    r_.updated_at = now_;
  }
  // Progress inside the current state (one of two installs reported).
  void Note(std::string detail) { Enter(r_.state, std::move(detail)); }
  void Emit(Action action) {
    action.seq = r_.next_action_seq++;
    r_.outbox.push_back(action);
    out_.push_back(std::move(action));
  }
  Action DeviceAction(ActionKind kind) const {
    Action a;
    a.kind = kind;
    a.device_id = r_.device_id;
    return a;
  }
  Transition Applied() { return {Outcome::kApplied, std::move(out_)}; }

  std::string DeviceText() const { return "device " + r_.device_id; }

  void DeployUa(std::string detail) {
    r_.ua_deploy_issued = true;
    Enter(RequestState::kDeployingUa, std::move(detail));
    Action a = DeviceAction(ActionKind::kSetDesiredState);
    a.packages = {*r_.ua_package};
    Emit(std::move(a));
  }
  void DeployTa(std::string detail) {
    r_.ta_deploy_issued = true;
    Enter(RequestState::kDeployingTa, std::move(detail));
    // Desired state is cumulative: the UA stays desired while the TA joins it.
    Action a = DeviceAction(ActionKind::kSetDesiredState);
    if (r_.ua_package) a.packages.push_back(*r_.ua_package);
    a.packages.push_back(*r_.ta_package);
    Emit(std::move(a));
  }
  void DeployBoth() {
    r_.ua_deploy_issued = true;
    r_.ta_deploy_issued = true;
    // Seed §5.2 item 3: "TAM then deploys these two applications in REE and TEE respectively."
    Enter(RequestState::kDeployingUaTa, "the TAM deploys the UA to the REE and the TA to a " +
                                            std::string(InstanceTypeTitle(r_.instance)) + " on " +
                                            DeviceText());
    Action a = DeviceAction(ActionKind::kSetDesiredState);
    a.packages = {*r_.ua_package, *r_.ta_package};
    Emit(std::move(a));
  }
  void Attest() {
    r_.attestation_requested = true;
    // "TAM requests remote attestation to TEEP Agent ... TAM works as Verifier".
    Enter(RequestState::kAttestingAgent,
          "the TAM challenges the TEEP Agent on " + DeviceText() + " and appraises its evidence");
    Emit(DeviceAction(ActionKind::kRequestAttestation));
  }
  void AfterPlacement() {
    switch (r_.use_case) {
      case 2:
        if (r_.device_architecture == Architecture::kSgx) {
          // Seed §5.2 item 3: "(In SGX, UA must be deployed first, then let UA to load TA in
          // SGX.)"
          DeployUa("SGX: the TAM deploys the UA to the REE first; the UA will load the TA");
        } else {
          DeployBoth();
        }
        return;
      case 3:
        // Seed §5.3 items 3 then 4: UA to the REE first, then the TA to the Agent.
        if (r_.ua_package) {
          DeployUa("the TAM deploys the UA to the REE of " + DeviceText());
        } else {
          DeployTa("the TAM transfers the TA to the TEEP Agent on " + DeviceText());
        }
        return;
      default:
        // Cases 1 and 4: nothing goes through the TAM before attestation.
        Attest();
        return;
    }
  }
  void Fail(std::string reason) {
    r_.error = reason;
    Enter(RequestState::kFailed, reason);
    Action remove = DeviceAction(ActionKind::kRemovePackages);
    if (r_.ua_deploy_issued) remove.packages.push_back(*r_.ua_package);
    if (r_.ta_deploy_issued) remove.packages.push_back(*r_.ta_package);
    if (!remove.packages.empty()) Emit(std::move(remove));
    Action fail = DeviceAction(ActionKind::kFailRequest);
    fail.reason = std::move(reason);
    Emit(std::move(fail));
  }

 private:
  Request& r_;
  int64_t now_;
  std::vector<Action> out_;
};

Transition Ignored() {
  return {Outcome::kIgnored, {}};
}

Error WrongState(const Request& r, std::string_view what) {
  return Error(Errc::kWrongState, std::string(what) + " does not fit request " + r.id +
                                      ", which is at step " +
                                      std::string(RequestStateName(r.state)));
}

Status CheckDevice(const Request& r, const Event& e) {
  if (r.device_id.empty() || e.device_id != r.device_id) {
    return Error(Errc::kWrongDevice, "request " + r.id + " is not placed on device " + e.device_id);
  }
  return OkStatus();
}

Result<Transition> OnPlaced(Request& r, const Event& e, Stepper& s) {
  if (r.state != RequestState::kSubmitted) {
    if (e.device_id == r.device_id) return Ignored();
    return WrongState(r, "a second placement");
  }
  if (e.device_id.empty()) return Error(Errc::kInvalidArgument, "placement names no device");
  r.device_id = e.device_id;
  r.device_architecture = e.architecture;
  // Seed §5 item 2: "M/OC orchestrates confidential computing device to undertake the request."
  s.Enter(RequestState::kPlaced, "placed on " + s.DeviceText() + " (" +
                                     std::string(ArchitectureTitle(e.architecture)) + ")");
  s.AfterPlacement();
  return s.Applied();
}

Result<Transition> OnInstall(Request& r, const Event& e, Stepper& s) {
  TEEPNET_RETURN_IF_ERROR(CheckDevice(r, e));
  const bool is_ua = r.ua_package && e.package_id == *r.ua_package;
  const bool is_ta = r.ta_package && e.package_id == *r.ta_package;
  if (!is_ua && !is_ta) {
    return Error(Errc::kUnknownPackage, "request " + r.id + " deploys no package " + e.package_id);
  }
  const char* role = is_ua ? "UA" : "TA";
  if (is_ua ? r.ua_installed : r.ta_installed) return Ignored();
  if (IsTerminal(r.state)) return Ignored();
  if (!(is_ua ? r.ua_deploy_issued : r.ta_deploy_issued)) {
    return WrongState(
        r, std::string("an install report for the ") + role + ", which was not deployed yet,");
  }
  if (!e.success) {
    s.Fail(std::string("the TAM reports that the ") + role + " (" + e.package_id +
           ") failed to install on " + s.DeviceText() + ": " + e.detail);
    return s.Applied();
  }
  (is_ua ? r.ua_installed : r.ta_installed) = true;
  switch (r.state) {
    case RequestState::kDeployingUa:
      // Case 2 on SGX, or case 3 with a UA: the TA follows the UA.
      s.DeployTa(r.use_case == 2
                     ? "SGX: the UA runs in the REE; the TA is deployed for the UA to load"
                     : "the UA runs in the REE; the TAM transfers the TA to the TEEP Agent");
      return s.Applied();
    case RequestState::kDeployingUaTa:
      if (!(r.ua_installed && r.ta_installed)) {
        s.Note(std::string("the ") + role + " is installed; waiting for the other package");
        return s.Applied();
      }
      s.Attest();
      return s.Applied();
    case RequestState::kDeployingTa: s.Attest(); return s.Applied();
    default: return WrongState(r, "an install report");
  }
}

Result<Transition> OnAttestation(Request& r, const Event& e, Stepper& s) {
  TEEPNET_RETURN_IF_ERROR(CheckDevice(r, e));
  if (IsTerminal(r.state) || !r.ear.empty()) return Ignored();
  const bool deploying = r.state == RequestState::kDeployingUa ||
                         r.state == RequestState::kDeployingTa ||
                         r.state == RequestState::kDeployingUaTa;
  if (!e.success && deploying) {
    // The TAM appraises before any Update and installs nothing on a device whose evidence it
    // refused (issue 4 item 5), so waiting for the install would only run into the deadline.
    s.Fail("the TEEP Agent on " + s.DeviceText() +
           " did not attest, so the TAM installs nothing on it: " + e.detail);
    return s.Applied();
  }
  if (r.state != RequestState::kAttestingAgent) {
    // An appraisal from before the TA was in place does not vouch for the TA's keys.
    return WrongState(r, "an attestation result");
  }
  if (!e.success) {
    s.Fail("the TEEP Agent on " + s.DeviceText() + " did not attest: " + e.detail);
    return s.Applied();
  }
  if (e.ear.empty()) return Error(Errc::kInvalidArgument, "an affirming result without an EAR");
  r.ear = e.ear;
  r.ear_media_type = e.ear_media_type;
  s.Enter(RequestState::kEarIssued,
          "the Verifier issued an affirming EAR for the TEEP Agent on " + s.DeviceText());
  s.Emit(s.DeviceAction(ActionKind::kEmitEar));
  // "Network User works as Relying Party to receive the attestation result. If positive,
  // Network User establishes secure channel".
  s.Enter(RequestState::kAwaitingUserChannel,
          "waiting for the user to verify the EAR and post the sealed " + SealedWhat(r.use_case) +
              " for the " + (ChannelTargetFor(r.use_case) == ChannelTarget::kTa ? "TA" : "Agent"));
  return s.Applied();
}

Result<Transition> OnSealed(Request& r, const Event& e, Stepper& s) {
  if (!r.sealed_digest.empty()) {
    if (Equal(r.sealed_digest, e.digest)) return Ignored();
    return Error(Errc::kChannelAlreadyUsed,
                 "request " + r.id + " already relayed other sealed bytes; create a new request");
  }
  if (IsTerminal(r.state)) {
    return Error(Errc::kRequestFinished, "request " + r.id + " is " +
                                             std::string(RequestStateName(r.state)) +
                                             "; nothing more can be sent");
  }
  if (r.state != RequestState::kAwaitingUserChannel) {
    return WrongState(r, "sealed data before the EAR was issued");
  }
  if (e.digest.empty()) return Error(Errc::kInvalidArgument, "sealed data without a digest");
  r.sealed_digest = e.digest;
  const ChannelTarget target = ChannelTargetFor(r.use_case);
  s.Enter(RequestState::kSealedDataRelayed,
          "the sealed " + SealedWhat(r.use_case) + " is queued for the " +
              (target == ChannelTarget::kTa ? "TA" : "TEEP Agent") + " on " + s.DeviceText());
  Action a = s.DeviceAction(ActionKind::kRelaySealedData);
  a.target = target;
  a.digest = e.digest;
  s.Emit(std::move(a));
  return s.Applied();
}

Result<Transition> OnDelivered(Request& r, const Event& e, Stepper& s) {
  TEEPNET_RETURN_IF_ERROR(CheckDevice(r, e));
  if (IsTerminal(r.state) || r.state == RequestState::kWorkloadRunning) return Ignored();
  if (r.state != RequestState::kSealedDataRelayed) return WrongState(r, "a delivery report");
  if (!e.success) {
    s.Fail("the device could not deploy the sealed " + SealedWhat(r.use_case) + ": " + e.detail);
    return s.Applied();
  }
  if (!e.digest.empty() && !Equal(e.digest, r.sealed_digest)) {
    return WrongState(r, "a delivery report for other sealed bytes");
  }
  // USE-CASES "Receipts": a request is done only with the recipient's signed receipt, which
  // the user checks against the PD it sent.
  if (e.receipt.empty()) {
    return Error(Errc::kInvalidArgument, "a delivery report without the recipient's receipt");
  }
  r.receipt = e.receipt;
  const std::string instance(InstanceTypeTitle(r.instance));
  switch (r.use_case) {
    case 1:
      // Seed §5.1 item 5: "TEEP Agent deploys TA and personalization data in TEE, then deploy
      // UA in REE."
      s.Enter(RequestState::kWorkloadRunning, "the TEEP Agent deployed the TA and PD in the " +
                                                  instance + " and the UA in the REE");
      break;
    case 4:
      s.Enter(RequestState::kWorkloadRunning,
              "the TEEP Agent deployed the TA and PD in the " + instance);
      break;
    default:
      s.Enter(RequestState::kWorkloadRunning, "the TA received its PD over the secure channel");
      break;
  }
  s.Enter(RequestState::kDone, "all steps of use case " + std::to_string(r.use_case) + " done");
  return s.Applied();
}

Result<Transition> OnTimeout(Request& r, int64_t now, const MachineLimits& limits, Stepper& s) {
  if (IsTerminal(r.state) || r.state == RequestState::kWorkloadRunning) return Ignored();
  int64_t limit = limits.deploy_seconds;
  switch (r.state) {
    case RequestState::kAttestingAgent: limit = limits.attest_seconds; break;
    case RequestState::kAwaitingUserChannel: limit = limits.user_channel_seconds; break;
    case RequestState::kSealedDataRelayed: limit = limits.delivery_seconds; break;
    default: break;
  }
  const int64_t entered = r.steps.empty() ? r.created_at : r.steps.back().at;
  if (now - entered < limit) return Ignored();
  s.Fail("timed out after " + std::to_string(now - entered) + " s at step " +
         std::string(RequestStateName(r.state)) + " (limit " + std::to_string(limit) + " s)");
  return s.Applied();
}

}  // namespace

Result<Transition> Apply(Request& request, const Event& event, int64_t now,
                         const MachineLimits& limits) {
  // Work on a copy so a refused event leaves the request untouched.
  Request next = request;
  Stepper s(next, now);
  Result<Transition> t = Transition{};
  switch (event.kind) {
    case EventKind::kPlaced: t = OnPlaced(next, event, s); break;
    case EventKind::kPlacementRefused:
      if (next.state != RequestState::kSubmitted) return Ignored();
      s.Fail("placement refused: " + event.detail);
      t = s.Applied();
      break;
    case EventKind::kInstallReported: t = OnInstall(next, event, s); break;
    case EventKind::kAttestationResult: t = OnAttestation(next, event, s); break;
    case EventKind::kSealedDataPosted: t = OnSealed(next, event, s); break;
    case EventKind::kDeliveryAcknowledged: t = OnDelivered(next, event, s); break;
    case EventKind::kTimeout: t = OnTimeout(next, now, limits, s); break;
  }
  if (t.ok() && t->outcome == Outcome::kApplied) request = std::move(next);
  return t;
}

}  // namespace teepnet::moc
