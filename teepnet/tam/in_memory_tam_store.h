// A TamStore in memory, for tests, fuzzing and single-process demos. Commits are atomic (every
// refusal is decided before the first change). Snapshot() returns the whole state as a
// comparable value so tests can assert that a refused message changed nothing.
#ifndef TEEPNET_TAM_IN_MEMORY_TAM_STORE_H_
#define TEEPNET_TAM_IN_MEMORY_TAM_STORE_H_

#include <cstddef>
#include <map>
#include <utility>

#include "teepnet/tam/tam_store.h"

namespace teepnet::tam {

class InMemoryTamStore final : public TamStore {
 public:
  struct State {
    std::map<Bytes, DeviceRecord> devices;
    std::map<std::pair<suit::ComponentId, uint64_t>, Package> packages;
    std::map<Bytes, DesiredState> desired;
    std::map<Bytes, DeviceStatus> status;
    std::map<Bytes, TokenRecord> tokens;
    size_t commits = 0;

    friend bool operator==(const State&, const State&) = default;
  };

  // At most `max_tokens_per_device` outstanding (unconsumed) tokens per device; issuing one
  // more evicts the oldest (digest §5: "an optional per-device cap that evicts the oldest").
  explicit InMemoryTamStore(size_t max_tokens_per_device = 16)
      : max_tokens_per_device_(max_tokens_per_device) {}

  Status PutDevice(const DeviceRecord& device) override;
  Status RemoveDevice(ByteView device_id) override;
  Result<std::optional<DeviceRecord>> FindDevice(ByteView device_id) const override;
  Result<std::vector<DeviceRecord>> ListDevices() const override;
  Status PutPackage(const Package& package) override;
  Result<std::optional<Package>> FindPackage(const suit::ComponentId& manifest_id,
                                             uint64_t sequence_number) const override;
  Result<std::optional<Package>> FindLatestPackage(
      const suit::ComponentId& manifest_id) const override;
  Result<DesiredState> GetDesiredState(ByteView device_id) const override;
  Status SetDesiredState(ByteView device_id, const DesiredState& desired) override;
  Result<std::optional<DeviceStatus>> GetStatus(ByteView device_id) const override;
  Result<std::optional<TokenRecord>> FindToken(ByteView token) const override;
  Result<size_t> PurgeTokens(int64_t now_unix) override;
  Status Commit(const TamTransaction& txn) override;

  const State& Snapshot() const { return state_; }
  // Test hook: the next Commit fails with kStoreFailure (to check that no reply leaves
  // before the state is durable).
  void FailNextCommit() { fail_next_commit_ = true; }

 private:
  State state_;
  size_t max_tokens_per_device_;
  bool fail_next_commit_ = false;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_IN_MEMORY_TAM_STORE_H_
