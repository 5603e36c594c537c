#include "teepnet/suit/processor.h"

#include <initializer_list>

#include "teepnet/suit/errc.h"
#include "teepnet/suit/ids.h"
#include "teepnet/suit/session.h"

namespace teepnet::suit {
namespace {

using internal::ManifestRun;
using internal::ProcedureKind;
using internal::Session;

// Fills the failure part of the report from `error` and returns it.
Report Fail(Session& session, const Error& error) {
  Report& report = session.report;
  report.success = false;
  report.result_code = static_cast<int64_t>(error.reason());
  report.reason = ReasonFor(error);
  report.failed_record = session.last_failure;
  report.error = error;
  return std::move(session.report);
}

// Runs `sections` in order on a freshly opened root manifest; commits when all passed.
Report Run(Session& session, ByteView envelope, std::initializer_list<ManifestKey> sections,
           bool record_install) {
  auto opened = internal::OpenRun(session, nullptr, envelope, {});
  if (!opened.ok()) return Fail(session, opened.error());
  ManifestRun& run = **opened;
  const Manifest& manifest = run.manifest();
  session.report.manifest_uri = manifest.reference_uri.value_or("");
  session.report.manifest_digest = ToBytes(run.envelope.digest_encoded);
  if (session.kind == ProcedureKind::kInstall) {
    Status s = internal::CheckRollback(session, manifest);
    if (!s.ok()) return Fail(session, s.error());
  }
  for (ManifestKey section : sections) {
    Status s = internal::RunSection(run, static_cast<int64_t>(section));
    if (!s.ok()) return Fail(session, s.error());
  }
  if (record_install) {
    ManifestRecord record;
    record.manifest_id = ManifestKeyFor(manifest);
    record.sequence_number = manifest.sequence_number;
    record.envelope = ToBytes(envelope);
    record.digest = ToBytes(run.envelope.digest_encoded);
    session.txn.installed_manifests.push_back(std::move(record));
  }
  if (!session.txn.empty()) {
    Status s = session.context.store->Commit(session.txn);
    if (!s.ok()) {
      return Fail(session, Error(Errc::kOperationFailed, "commit: " + s.error().ToString()));
    }
  }
  session.report.success = true;
  return std::move(session.report);
}

}  // namespace

Processor::Processor(ProcessorContext context, Limits limits)
    : context_(context), limits_(limits) {}

Report Processor::Install(ByteView envelope, const InstallOptions& options) {
  Session session(context_, limits_, ProcedureKind::kInstall);
  session.report.nonce = options.report_nonce;
  // manifest-37 §6.3 / trust-domains-11 §6.2: Update = dependency-resolution, payload-fetch,
  // candidate-verification, install; then the Invocation procedure starts with validate.
  if (options.run_invoke) {
    return Run(session, envelope,
               {ManifestKey::kDependencyResolution, ManifestKey::kPayloadFetch,
                ManifestKey::kCandidateVerification, ManifestKey::kInstall, ManifestKey::kValidate,
                ManifestKey::kLoad, ManifestKey::kInvoke},
               true);
  }
  return Run(session, envelope,
             {ManifestKey::kDependencyResolution, ManifestKey::kPayloadFetch,
              ManifestKey::kCandidateVerification, ManifestKey::kInstall, ManifestKey::kValidate},
             true);
}

Report Processor::Invoke(ByteView envelope) {
  Session session(context_, limits_, ProcedureKind::kInvoke);
  return Run(session, envelope, {ManifestKey::kValidate, ManifestKey::kLoad, ManifestKey::kInvoke},
             false);
}

Report Processor::Uninstall(const ComponentId& manifest_id) {
  Session session(context_, limits_, ProcedureKind::kUninstall);
  auto record = context_.store->FindManifest(manifest_id);
  if (!record) {
    return Fail(session, Error(Errc::kNotInstalled, manifest_id.ToString() + " is not installed"));
  }
  // The stored envelope is authenticated again: the store is outside the manifest's
  // signature, and a changed trust anchor set applies to uninstall too.
  session.txn.removed_manifests.insert(manifest_id);
  session.StageRemove(manifest_id);
  return Run(session, record->envelope, {ManifestKey::kUninstall}, false);
}

ComponentId ManifestKeyFor(const Manifest& manifest) {
  if (manifest.manifest_component_id) return *manifest.manifest_component_id;
  ComponentId id;
  id.segments.push_back(ToBytes("#manifest-for"));
  for (const ComponentId& c : manifest.common.components) id.segments.push_back(c.Encode());
  return id;
}

Status ReportStatus(const Report& report) {
  if (report.success) return OkStatus();
  if (report.error) return *report.error;
  return Error(Errc::kOperationFailed, "the report records a failure");
}

}  // namespace teepnet::suit
