// The SUIT command processor (draft-ietf-suit-manifest-37 §6, trust-domains-11 §6): runs
// the procedures of an authenticated manifest against a ComponentStore, with no I/O of its
// own (environment.h supplies identity, fetching and invocation).
//
//   suit::Processor processor({&anchors, &keys, &device, &store, &fetcher, nullptr});
//   suit::Report report = processor.Install(envelope_bytes);
//   if (!report.success) ... report.error->Is(suit::Errc::kConditionFailed) ...
//   Bytes cbor = suit::EncodeReport(report);
//
// Install runs the TEEP Agent's update procedure: dependency-resolution -> payload-fetch ->
// candidate-verification -> install -> validate (-> load -> invoke when asked), each preceded
// by the shared sequence. Every write, copy, fetch and unlink is staged; the store sees one
// transaction, committed only when everything passed (manifest-37 §6.5), so a refused
// manifest leaves nothing behind.
#ifndef TEEPNET_SUIT_PROCESSOR_H_
#define TEEPNET_SUIT_PROCESSOR_H_

#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/suit/component_store.h"
#include "teepnet/suit/encryption.h"
#include "teepnet/suit/environment.h"
#include "teepnet/suit/limits.h"
#include "teepnet/suit/manifest.h"
#include "teepnet/suit/report.h"

namespace teepnet::suit {

// Borrowed collaborators; all must outlive the Processor. `fetcher` and `invoker` may be
// null: a fetch of a non-integrated URI or an invoke then fails with kFetchFailed /
// kOperationFailed.
struct ProcessorContext {
  const TrustAnchors* anchors = nullptr;
  const PayloadKeys* keys = nullptr;
  const DeviceIdentity* device = nullptr;
  ComponentStore* store = nullptr;
  Fetcher* fetcher = nullptr;
  Invoker* invoker = nullptr;
};

struct InstallOptions {
  bool run_invoke = false;  // also run load and invoke after validate
  std::optional<Bytes> report_nonce;
};

class Processor {
 public:
  explicit Processor(ProcessorContext context, Limits limits = Limits());

  // The update procedure on one envelope (see above).
  Report Install(ByteView envelope, const InstallOptions& options = InstallOptions());
  // The invocation procedure (validate -> load -> invoke) on an envelope.
  Report Invoke(ByteView envelope);
  // Runs the uninstall sequence (trust-domains-11 suit-uninstall) of the installed manifest
  // `manifest_id` and forgets it (TEEP unneeded-manifest-list). kNotInstalled if unknown.
  Report Uninstall(const ComponentId& manifest_id);

 private:
  ProcessorContext context_;
  Limits limits_;
};

// The key under which the store remembers a manifest: its manifest-component-id, or for a
// manifest without one, an id derived from its component list.
ComponentId ManifestKeyFor(const Manifest& manifest);

// OK when the report says success, else its error (for FailsWith in tests and callers that
// want a Status).
Status ReportStatus(const Report& report);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_PROCESSOR_H_
