#include "teepnet/suit/session.h"

#include <string>

#include "teepnet/suit/errc.h"
#include "teepnet/suit/ids.h"

namespace teepnet::suit::internal {

std::optional<Bytes> Session::ReadContent(const ComponentId& id) const {
  auto staged = txn.writes.find(id);
  if (staged != txn.writes.end()) return staged->second;
  if (txn.removals.count(id) != 0) return std::nullopt;
  return context.store->ReadComponent(id);
}

void Session::StageWrite(const ComponentId& id, Bytes content) {
  txn.removals.erase(id);
  txn.writes[id] = std::move(content);
}

void Session::StageRemove(const ComponentId& id) {
  txn.writes.erase(id);
  txn.removals.insert(id);
}

ComponentId ManifestRun::IdOf(uint64_t index) const {
  const Manifest& m = manifest();
  if (index < m.common.components.size()) return m.common.components[index];
  const Dependency* dep = m.FindDependency(index);
  if (dep != nullptr && dep->prefix) return *dep->prefix;
  // A dependency without a prefix: a slot private to this manifest.
  ComponentId id = ManifestKeyFor(m);
  id.segments.push_back(ToBytes("#dependency-" + std::to_string(index)));
  return id;
}

Result<std::unique_ptr<ManifestRun>> OpenRun(Session& session, const ManifestRun* parent,
                                             ByteView bytes, Bytes owned) {
  auto run = std::make_unique<ManifestRun>();
  run->session = &session;
  run->parent = parent;
  run->owned_envelope = std::move(owned);
  ByteView input = run->owned_envelope.empty() ? bytes : ByteView(run->owned_envelope);
  TEEPNET_ASSIGN_OR_RETURN(run->envelope, DecodeEnvelope(input, session.limits));
  TEEPNET_ASSIGN_OR_RETURN(run->verified,
                           OpenEnvelope(run->envelope, *session.context.anchors, session.limits));
  if (parent != nullptr) run->path = parent->path;
  return run;
}

Status CheckRollback(const Session& session, const Manifest& manifest) {
  auto installed = session.context.store->FindManifest(ManifestKeyFor(manifest));
  // manifest-37 §8.4.2: the sequence number "MUST be ... greater than or equal to" the
  // installed one; a lower number is a rollback.
  if (installed && manifest.sequence_number < installed->sequence_number) {
    return Error(Errc::kRollback, "sequence number " + std::to_string(manifest.sequence_number) +
                                      " is below the installed " +
                                      std::to_string(installed->sequence_number));
  }
  return OkStatus();
}

Status RunSection(ManifestRun& run, int64_t section) {
  auto it = run.verified.sections.find(section);
  if (it == run.verified.sections.end()) {
    // A severed member the envelope does not carry cannot be run (manifest-37 §8.4.11).
    if (run.verified.absent_severed.count(section) != 0) {
      return Error(Errc::kMissingSeveredMember,
                   std::string(ManifestKeyName(section)) + " is severed and not in the envelope");
    }
    return OkStatus();
  }
  // manifest-37 §6.4: every sequence starts with the component index at 0 and is preceded by
  // the shared sequence.
  run.current = {0};
  if (run.manifest().common.shared_sequence) {
    run.section = static_cast<int64_t>(ManifestKey::kCommon);
    TEEPNET_RETURN_IF_ERROR(RunCommands(run, *run.manifest().common.shared_sequence));
  }
  run.section = section;
  return RunCommands(run, it->second);
}

}  // namespace teepnet::suit::internal
