#include "services/moc/tam_reconciler.h"

#include "teepnet/moc/receipt_check.h"

#include "services/moc/tam_action_sink.h"
#include "teepnet/base/hex.h"
#include "teepnet/moc/errc.h"

namespace teepnet::moc {

namespace {

bool Deploying(RequestState s) {
  return s == RequestState::kDeployingUa || s == RequestState::kDeployingTa ||
         s == RequestState::kDeployingUaTa;
}

bool Reported(const tam::DeviceStatus& status, const tam::Package& p) {
  for (const agent::InstalledTc& tc : status.installed) {
    if (tc.manifest_id != p.manifest_id) continue;
    // An Agent that does not report sequence numbers is taken at its word for the manifest.
    if (!tc.sequence_number || *tc.sequence_number >= p.sequence_number) return true;
  }
  return false;
}

// When the request entered its current step (its last history entry).
int64_t StepStartedAt(const Request& r) {
  return r.steps.empty() ? r.updated_at : r.steps.back().at;
}

}  // namespace

Result<ReconcileCounts> TamReconciler::RunOnce() {
  ReconcileCounts counts;
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Request> requests, moc_store_.ListInFlightRequests());
  for (const Request& r : requests) {
    if (r.device_id.empty() || IsTerminal(r.state)) continue;
    if (!Deploying(r.state) && r.state != RequestState::kAttestingAgent) continue;
    ++counts.examined;
    auto device = FromHex(r.device_id);
    if (!device.ok()) continue;  // not a TAM device id; nothing the TAM can report
    TEEPNET_ASSIGN_OR_RETURN(std::optional<tam::DeviceStatus> status,
                             tam_store_.GetStatus(*device));
    if (!status) continue;
    if (Deploying(r.state)) {
      TEEPNET_ASSIGN_OR_RETURN(size_t n, Installs(r, *status));
      if (n == 0) {
        TEEPNET_ASSIGN_OR_RETURN(n, RefusedWhileDeploying(r, *status));
      }
      counts.events += n;
    } else {
      TEEPNET_ASSIGN_OR_RETURN(size_t n, Attestation(r, *status));
      counts.events += n;
    }
  }
  return counts;
}

Result<size_t> TamReconciler::Installs(const Request& r, const tam::DeviceStatus& status) {
  size_t events = 0;
  const std::pair<const std::optional<std::string>*, bool> packages[] = {
      {&r.ua_package, r.ua_deploy_issued && !r.ua_installed},
      {&r.ta_package, r.ta_deploy_issued && !r.ta_installed}};
  for (const auto& [id, waiting] : packages) {
    if (!*id || !waiting) continue;
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> stored, moc_store_.FindPackage(**id));
    if (!stored) continue;
    auto tam_package = TamPackageFor(*stored);
    if (!tam_package.ok() || !Reported(status, *tam_package)) continue;
    TEEPNET_ASSIGN_OR_RETURN(bool accepted, Deliver(r, Event::Installed(r.device_id, **id)));
    if (accepted) ++events;
  }
  return events;
}

Result<size_t> TamReconciler::RefusedWhileDeploying(const Request& r,
                                                    const tam::DeviceStatus& status) {
  // Only a refusal from this step on: an older one may predate a fix of the device.
  if (!status.appraisal || status.appraisal->affirming) return size_t{0};
  const tam::AppraisalRecord& a = *status.appraisal;
  if (a.appraised_at < StepStartedAt(r)) return size_t{0};
  TEEPNET_ASSIGN_OR_RETURN(
      bool accepted, Deliver(r, Event::Contraindicated(
                                    r.device_id, a.reason.empty() ? "not affirming" : a.reason)));
  return accepted ? size_t{1} : size_t{0};
}

Result<size_t> TamReconciler::Attestation(const Request& r, const tam::DeviceStatus& status) {
  if (!status.appraisal || status.appraisal->attestation_result.empty()) return size_t{0};
  const tam::AppraisalRecord& a = *status.appraisal;
  // Only an appraisal from this step on speaks for the Agent that now holds the request's
  // packages; seconds are the stores' resolution, so the same second counts.
  if (a.appraised_at < StepStartedAt(r)) return size_t{0};
  // The same second may still hold the appraisal of evidence the Agent produced just before
  // the install (the session that carried the Update began with it). When the user will seal
  // to a TA instance (cases 2, 3), only an EAR that attests that instance speaks for the Agent
  // after the install; the device's next session brings one.
  if (a.affirming && !r.channel_instance.empty()) {
    auto ear = DecodeStoredEar(a.attestation_result, kEarMediaType);
    if (!ear.ok()) return size_t{0};
    bool attested = false;
    for (const auto& [name, submod] : ear->submods) {
      for (const eat::EarInstance& instance : submod.instances) {
        attested = attested || instance.name == r.channel_instance;
      }
    }
    if (!attested) return size_t{0};
  }
  const Event event =
      a.affirming
          ? Event::Affirmed(r.device_id, a.attestation_result, std::string(kEarMediaType))
          : Event::Contraindicated(r.device_id, a.reason.empty() ? "not affirming" : a.reason);
  TEEPNET_ASSIGN_OR_RETURN(bool accepted, Deliver(r, event));
  return accepted ? size_t{1} : size_t{0};
}

Result<bool> TamReconciler::Deliver(const Request& r, const Event& event) {
  auto t = service_.HandleEvent(r.id, event);
  if (t.ok()) return t->outcome != Outcome::kIgnored;
  // Another replica (or an earlier pass) delivered it, or the request moved on: the machine
  // refused a replay, which is the idempotence this loop relies on.
  if (t.error().domain() == Domain::kMoc && !t.error().Is(Errc::kStoreFailure)) return false;
  return t.error();
}

}  // namespace teepnet::moc
