#include "teepnet/agent/tc_store.h"

#include "teepnet/suit/errc.h"

namespace teepnet::agent {

bool operator==(const InMemoryTcStore::State& a, const InMemoryTcStore::State& b) {
  if (a.components != b.components || a.manifests.size() != b.manifests.size()) return false;
  for (auto ia = a.manifests.begin(), ib = b.manifests.begin(); ia != a.manifests.end();
       ++ia, ++ib) {
    const suit::ManifestRecord& x = ia->second;
    const suit::ManifestRecord& y = ib->second;
    if (ia->first != ib->first || x.manifest_id != y.manifest_id ||
        x.sequence_number != y.sequence_number || x.envelope != y.envelope ||
        x.digest != y.digest) {
      return false;
    }
  }
  return true;
}

std::optional<Bytes> InMemoryTcStore::ReadComponent(const suit::ComponentId& id) const {
  auto it = state_.components.find(id);
  if (it == state_.components.end()) return std::nullopt;
  return it->second;
}

std::optional<suit::ManifestRecord> InMemoryTcStore::FindManifest(
    const suit::ComponentId& manifest_id) const {
  auto it = state_.manifests.find(manifest_id);
  if (it == state_.manifests.end()) return std::nullopt;
  return it->second;
}

Status InMemoryTcStore::Commit(const suit::StoreTransaction& txn) {
  if (fail_next_commit_) {
    fail_next_commit_ = false;
    return Error(suit::Errc::kOperationFailed, "injected commit failure");
  }
  // Built on a copy and swapped in, so the store never shows half a transaction.
  State next = state_;
  for (const suit::ComponentId& id : txn.removals) next.components.erase(id);
  for (const auto& [id, content] : txn.writes) next.components[id] = content;
  for (const suit::ComponentId& id : txn.removed_manifests) next.manifests.erase(id);
  for (const suit::ManifestRecord& record : txn.installed_manifests) {
    next.manifests[record.manifest_id] = record;
  }
  state_ = std::move(next);
  ++commits_;
  return OkStatus();
}

std::vector<suit::ManifestRecord> InMemoryTcStore::ListManifests() const {
  std::vector<suit::ManifestRecord> out;
  out.reserve(state_.manifests.size());
  for (const auto& [id, record] : state_.manifests) out.push_back(record);
  return out;
}

}  // namespace teepnet::agent
