// TamActionSink: carries out the M/OC's committed actions (moc/moc_service.h ActionSink) on the
// TAM's state, so a request's deploy and removal steps become TEEP Updates the next time the
// device's Broker polls (DESIGN §2, USE-CASES.md).
//
//   kSetDesiredState  each package's SUIT envelope goes into the TAM catalog (PutPackage, an
//                     upsert keyed by manifest id and sequence number) and a reference to it
//                     into the device's desired state;
//   kRemovePackages   the references leave the desired state and the manifests go into its
//                     remove list, so the TAM names them in unneeded-manifest-list.
// Both are idempotent, as Resume() requires: a package already desired changes nothing and the
// desired state is written only when it differs. TamStore has no compare-and-set on the desired
// state, so two replicas editing one device's desired state at once could lose one edit; the
// sink therefore reads the state back and fails when its change is missing, which leaves the
// action in the outbox for the next Resume().
//
// The other actions need nothing from the TAM: the TAM challenges the Agent on its next
// QueryRequest whenever attestation is on (kRequestAttestation), users poll the request for the
// EAR or the failure (kEmitEar, kFailRequest), and sealed bytes are already in the committed
// relay queue (kRelaySealedData). They succeed without effect.
#ifndef TEEPNET_SERVICES_MOC_TAM_ACTION_SINK_H_
#define TEEPNET_SERVICES_MOC_TAM_ACTION_SINK_H_

#include <functional>
#include <string_view>

#include "teepnet/moc/moc_service.h"
#include "teepnet/moc/moc_store.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

// The TAM catalog entry for an uploaded envelope: its manifest-component-id, sequence number
// and encoded digest (the same reading as TamCore::AddPackage).
Result<tam::Package> TamPackageFor(const Package& package);

class TamActionSink final : public ActionSink {
 public:
  // Both stores must outlive the sink.
  TamActionSink(const MocStore& moc_store, tam::TamStore& tam_store)
      : moc_store_(moc_store), tam_store_(tam_store) {}

  Status Execute(const Request& request, const Action& action) override;

  // Called with the device id after an action that gives the device work was carried out
  // (a desired state changed, an attestation wanted, sealed bytes queued), so a Broker
  // waiting at GET .../wait can be answered at once (device_wakeups.h). Set before use.
  void OnDeviceWork(std::function<void(std::string_view device_id)> hook) {
    device_work_ = std::move(hook);
  }

 private:
  Result<std::vector<tam::Package>> Packages(const Action& action) const;
  Status Deploy(const Action& action);
  Status Remove(const Action& action);

  const MocStore& moc_store_;
  tam::TamStore& tam_store_;
  std::function<void(std::string_view)> device_work_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_TAM_ACTION_SINK_H_
