// The Agent's component store: suit::ComponentStore (what the SUIT processor reads and
// commits to) plus the listing the Agent needs to build tc-list. The services layer provides
// a directory-backed implementation; InMemoryTcStore serves tests and the simulated TEE.
#ifndef TEEPNET_AGENT_TC_STORE_H_
#define TEEPNET_AGENT_TC_STORE_H_

#include <map>
#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_store.h"

namespace teepnet::agent {

class TcStore : public suit::ComponentStore {
 public:
  // Every installed manifest, ordered by manifest id.
  virtual std::vector<suit::ManifestRecord> ListManifests() const = 0;
};

class InMemoryTcStore final : public TcStore {
 public:
  std::optional<Bytes> ReadComponent(const suit::ComponentId& id) const override;
  std::optional<suit::ManifestRecord> FindManifest(
      const suit::ComponentId& manifest_id) const override;
  // All or nothing: built on copies and swapped in.
  Status Commit(const suit::StoreTransaction& txn) override;
  std::vector<suit::ManifestRecord> ListManifests() const override;

  // Comparable snapshot, for "nothing changed" assertions.
  struct State {
    std::map<suit::ComponentId, Bytes> components;
    std::map<suit::ComponentId, suit::ManifestRecord> manifests;

    friend bool operator==(const State& a, const State& b);
  };
  const State& Snapshot() const { return state_; }
  size_t commits() const { return commits_; }
  // Test hook: the next Commit fails with suit::Errc::kOperationFailed.
  void FailNextCommit() { fail_next_commit_ = true; }

 private:
  State state_;
  size_t commits_ = 0;
  bool fail_next_commit_ = false;
};

}  // namespace teepnet::agent

#endif  // TEEPNET_AGENT_TC_STORE_H_
