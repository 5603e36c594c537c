// CapacitySync: keeps the M/OC's device records in step with the TAM's appraisals of the
// devices' evidence (moc/attested_capacity.h). The TAM stores, per device, its last appraisal
// with the EAR its Verifier issued; the EAR names the architecture the platform evidence
// proved (its submodule) and, for accepted evidence, the Agent's teepnet_capacity claim. This
// reads that EAR back from the TAM's store (the M/OC's own memory, as receipt_check.h does,
// so the signature is not checked again) and records the result through MocService.
//
// teepnet-moc runs Device() after every TEEP message that committed a device's status (so the
// appraisal of a QueryResponse takes effect before the device's next exchange) and All() once
// at start. Both are idempotent: a record that already says what the appraisal says is not
// written, so replicas sharing a store may run them for the same device.
#ifndef TEEPNET_SERVICES_MOC_CAPACITY_SYNC_H_
#define TEEPNET_SERVICES_MOC_CAPACITY_SYNC_H_

#include <cstddef>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/moc/attested_capacity.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::moc {

// The TAM's last appraisal of `device` (raw thumbprint), read from its status: unset when the
// device was never appraised. An EAR that cannot be read counts as not affirming.
Result<std::optional<AppraisedDevice>> ReadAppraisal(const tam::TamStore& tam_store,
                                                     ByteView device);

class CapacitySync {
 public:
  // Both references must outlive the sync.
  CapacitySync(const tam::TamStore& tam_store, MocService& service)
      : tam_store_(tam_store), service_(service) {}

  // Brings one device's record in line with its last appraisal. Returns what changed ("" when
  // nothing did).
  Result<std::string> Device(ByteView device);
  // Every enrolled device; returns how many records changed.
  Result<size_t> All();

 private:
  const tam::TamStore& tam_store_;
  MocService& service_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_CAPACITY_SYNC_H_
