#include "teepnet/suit/component_store.h"

namespace teepnet::suit {

std::optional<Bytes> InMemoryComponentStore::ReadComponent(const ComponentId& id) const {
  auto it = components_.find(id);
  if (it == components_.end()) return std::nullopt;
  return it->second;
}

std::optional<ManifestRecord> InMemoryComponentStore::FindManifest(
    const ComponentId& manifest_id) const {
  auto it = manifests_.find(manifest_id);
  if (it == manifests_.end()) return std::nullopt;
  return it->second;
}

Status InMemoryComponentStore::Commit(const StoreTransaction& txn) {
  // Built on copies and swapped in, so the store never shows half a transaction.
  auto components = components_;
  auto manifests = manifests_;
  for (const ComponentId& id : txn.removals) components.erase(id);
  for (const auto& [id, content] : txn.writes) components[id] = content;
  for (const ComponentId& id : txn.removed_manifests) manifests.erase(id);
  for (const ManifestRecord& record : txn.installed_manifests) {
    manifests[record.manifest_id] = record;
  }
  components_.swap(components);
  manifests_.swap(manifests);
  ++commits_;
  return OkStatus();
}

}  // namespace teepnet::suit
