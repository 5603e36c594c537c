#include "teepnet/agent/staging_store.h"

namespace teepnet::agent::internal {

std::optional<Bytes> StagingStore::ReadComponent(const suit::ComponentId& id) const {
  auto it = components_.find(id);
  if (it != components_.end()) return it->second;
  return base_.ReadComponent(id);
}

std::optional<suit::ManifestRecord> StagingStore::FindManifest(
    const suit::ComponentId& manifest_id) const {
  auto it = manifests_.find(manifest_id);
  if (it != manifests_.end()) return it->second;
  return base_.FindManifest(manifest_id);
}

Status StagingStore::Commit(const suit::StoreTransaction& txn) {
  // The same order a store applies a transaction in: removals, then writes.
  for (const suit::ComponentId& id : txn.removals) components_[id] = std::nullopt;
  for (const auto& [id, content] : txn.writes) components_[id] = content;
  for (const suit::ComponentId& id : txn.removed_manifests) manifests_[id] = std::nullopt;
  for (const suit::ManifestRecord& record : txn.installed_manifests) {
    manifests_[record.manifest_id] = record;
  }
  return OkStatus();
}

suit::StoreTransaction StagingStore::Combined() const {
  suit::StoreTransaction txn;
  for (const auto& [id, content] : components_) {
    if (content) {
      txn.writes[id] = *content;
    } else {
      txn.removals.insert(id);
    }
  }
  for (const auto& [id, record] : manifests_) {
    if (record) {
      txn.installed_manifests.push_back(*record);
    } else {
      txn.removed_manifests.insert(id);
    }
  }
  return txn;
}

}  // namespace teepnet::agent::internal
