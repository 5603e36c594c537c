// The Agent's component store on disk: agent::TcStore over a directory, every commit atomic.
//
// Layout under `root` (0700):
//   current -> gen-7            symlink to the live generation
//   gen-7/components/<hex>      one file per component, named by the hex of its encoded
//                               SUIT_Component_Identifier, holding the component's bytes
//   gen-7/manifests/<hex>       one JSON record per installed manifest (id, sequence number,
//                               digest, envelope)
//
// A commit builds the next generation beside the live one (unchanged files are hard-linked,
// new ones written and fsynced), then swaps `current` with rename(2) — atomic on POSIX — and
// deletes the old generation. A crash at any point leaves either the old or the new state,
// never a mix: draft-ietf-suit-manifest-37 §6.5 wants a manifest applied whole or not at all,
// and AgentCore stages a whole Update into one StoreTransaction for exactly that.
//
// Not thread-safe (the Agent handles one message at a time). One process per root: the
// manifest records are decoded once per generation and kept in memory (every QueryResponse
// lists them, and a record holds a whole envelope, hex in JSON), which is only right while no
// other process commits to the same root.
#ifndef TEEPNET_SERVICES_AGENT_FILE_TC_STORE_H_
#define TEEPNET_SERVICES_AGENT_FILE_TC_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/agent/tc_store.h"

namespace teepnet::agentd {

class FileTcStore final : public agent::TcStore {
 public:
  // Opens the store at `root`, creating it (empty) on first use, and removes generations a
  // crash left behind.
  static Result<std::unique_ptr<FileTcStore>> Open(const std::string& root);

  std::optional<Bytes> ReadComponent(const suit::ComponentId& id) const override;
  std::optional<suit::ManifestRecord> FindManifest(
      const suit::ComponentId& manifest_id) const override;
  Status Commit(const suit::StoreTransaction& txn) override;
  std::vector<suit::ManifestRecord> ListManifests() const override;

  // The live generation's directory (tests and tools look inside it).
  std::string CurrentDirectory() const;
  // The file name used for a component or manifest id.
  static std::string FileNameFor(const suit::ComponentId& id);

 private:
  FileTcStore(std::string root, uint64_t generation)
      : root_(std::move(root)), generation_(generation) {}

  std::string root_;
  uint64_t generation_;
  // ListManifests() of generation_, once read; Commit() drops it.
  mutable std::optional<std::vector<suit::ManifestRecord>> listed_;
};

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_FILE_TC_STORE_H_
