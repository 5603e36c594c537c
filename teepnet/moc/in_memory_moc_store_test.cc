// The MocStore contract (moc_store_contract.h) on InMemoryMocStore.
#include "teepnet/moc/in_memory_moc_store.h"

#include "teepnet/moc/moc_store_contract.h"

namespace teepnet::moc::testing {
namespace {

class InMemoryHarness final : public MocStoreHarness {
 public:
  MocStore& store() override { return *store_; }
  // A restarted M/OC over the memory the previous one left.
  Status Reopen() override {
    store_ = std::make_unique<InMemoryMocStore>(store_->Snapshot());
    return OkStatus();
  }
  // Replicas of an in-memory store can only share the one object.
  Result<MocStore*> Replica() override { return store_.get(); }

 private:
  std::unique_ptr<InMemoryMocStore> store_ = std::make_unique<InMemoryMocStore>();
};

Result<std::unique_ptr<MocStoreHarness>> MakeInMemory(std::string* /*skip*/) {
  return std::unique_ptr<MocStoreHarness>(std::make_unique<InMemoryHarness>());
}

INSTANTIATE_TEST_SUITE_P(InMemory, MocStoreContractTest,
                         ::testing::Values(MocStoreBackend{"in_memory", &MakeInMemory}),
                         MocStoreBackendName);

}  // namespace
}  // namespace teepnet::moc::testing
