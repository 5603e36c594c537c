// Internal to the Agent: a ComponentStore that stages the commits of every SUIT procedure of
// one Update on top of the real store, so the Update is all-or-nothing across its manifests
// (draft-ietf-teep-protocol §"Update Message" processing: Success only when every manifest
// succeeded) and later manifests of the same Update see earlier ones (a personalization
// manifest's dependency on the TC manifest it ships with).
#ifndef TEEPNET_AGENT_STAGING_STORE_H_
#define TEEPNET_AGENT_STAGING_STORE_H_

#include <map>
#include <optional>

#include "teepnet/suit/component_store.h"

namespace teepnet::agent::internal {

class StagingStore final : public suit::ComponentStore {
 public:
  // `base` must outlive the StagingStore; it is only read until Flush.
  explicit StagingStore(const suit::ComponentStore& base) : base_(base) {}

  std::optional<Bytes> ReadComponent(const suit::ComponentId& id) const override;
  std::optional<suit::ManifestRecord> FindManifest(
      const suit::ComponentId& manifest_id) const override;
  // Folds `txn` into the staged changes (never fails).
  Status Commit(const suit::StoreTransaction& txn) override;

  // Every staged change as one transaction for the real store; each id appears in at most
  // one of writes/removals (and installed/removed manifests).
  suit::StoreTransaction Combined() const;

 private:
  const suit::ComponentStore& base_;
  std::map<suit::ComponentId, std::optional<Bytes>> components_;  // nullopt: removed
  std::map<suit::ComponentId, std::optional<suit::ManifestRecord>> manifests_;
};

}  // namespace teepnet::agent::internal

#endif  // TEEPNET_AGENT_STAGING_STORE_H_
