// Shared pieces of the TEEP exchange benches (in process and over loopback HTTP): the
// Trusted Component every exchange installs, an Agent whose store can forget, the bare
// OpenSSL cost of the signature operations, and an in-process TAM + Agent pair that counts
// the signatures each side makes.
//
// One exchange = one Broker session: empty POST -> QueryRequest -> QueryResponse -> Update
// (the TC's signed SUIT envelope, which the Agent authenticates and installs) -> Success ->
// 204. Between exchanges the Agent's store is emptied, so its next QueryResponse reports no
// TC and the TAM's planner sends the same Update again: every exchange is a full install,
// with no admin call between them.
#ifndef BENCH_TEEP_EXCHANGE_EXCHANGE_KIT_H_
#define BENCH_TEEP_EXCHANGE_EXCHANGE_KIT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto_counter.h"
#include "teepnet/agent/agent_core.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/broker/agent_link.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::bench {

// The bench Trusted Component: its manifest id doubles as its one component.
suit::ComponentId BenchComponentId();
inline constexpr std::string_view kBenchPayload = "teepnet bench trusted component v1";
// A signed envelope (ESP256) whose install sequence writes kBenchPayload into the component
// (suit-parameter-content + suit-directive-write), as the e2e tests build their packages.
Bytes BenchEnvelope(const crypto::PrivateKey& tc_signer, uint64_t sequence_number = 1);

// An in-memory TC store that Reset() empties.
class ResettableTcStore final : public agent::TcStore {
 public:
  ResettableTcStore() : store_(std::make_unique<agent::InMemoryTcStore>()) {}
  std::optional<Bytes> ReadComponent(const suit::ComponentId& id) const override {
    return store_->ReadComponent(id);
  }
  std::optional<suit::ManifestRecord> FindManifest(
      const suit::ComponentId& manifest_id) const override {
    return store_->FindManifest(manifest_id);
  }
  Status Commit(const suit::StoreTransaction& txn) override { return store_->Commit(txn); }
  std::vector<suit::ManifestRecord> ListManifests() const override {
    return store_->ListManifests();
  }
  void Reset() { store_ = std::make_unique<agent::InMemoryTcStore>(); }

 private:
  std::unique_ptr<agent::InMemoryTcStore> store_;
};

// A broker::AgentLink straight onto an AgentCore in this process.
class CoreLink final : public broker::AgentLink {
 public:
  explicit CoreLink(agent::AgentCore& core) : core_(core) {}
  Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) override;
  std::optional<broker::TamContact> RequestPolicyCheck() override;
  void ProcessError(std::string_view tam_uri) override;

 private:
  agent::AgentCore& core_;
};

// One simulated device: a fresh P-256 Agent key, an Agent trusting one TAM key and one TC
// signer, its resettable store and its link.
struct BenchDevice {
  ResettableTcStore store;
  std::unique_ptr<agent::AgentCore> core;
  std::unique_ptr<CoreLink> link;
  Bytes cose_key;  // the Agent's public COSE_Key, for enrollment

  // True when the bench TC is installed with kBenchPayload.
  bool Installed() const;
};
Result<std::unique_ptr<BenchDevice>> MakeBenchDevice(std::string tam_uri,
                                                     const crypto::PublicKey& tam_key,
                                                     const crypto::PublicKey& tc_signer,
                                                     const Clock& clock, Random& random);

// Bare OpenSSL (teepnet/crypto/bench_baseline.h) ES256 sign and verify on P-256 over a
// 200-byte message, as thread CPU time per operation, measured now for `seconds` each.
struct BareCryptoCost {
  double sign_us = 0;
  double verify_us = 0;
  // The crypto of one exchange at bare-OpenSSL cost.
  double ExchangeUs(const CryptoCounts& per_exchange) const {
    return static_cast<double>(per_exchange.signs) * sign_us +
           static_cast<double>(per_exchange.verifies) * verify_us;
  }
};
BareCryptoCost MeasureBareCrypto(double seconds);

// Thread CPU time in microseconds.
double ThreadCpuMicros();

// A TAM (in-memory store, one ESP256 key, as teepnet-moc runs it) and one device in this
// process, joined by a BrokerSession over a direct call "transport".
class InProcessExchange {
 public:
  static Result<std::unique_ptr<InProcessExchange>> Create();
  // One exchange; false (with `failure` set) unless the four messages crossed, the TAM
  // recorded the Success and the TC is installed.
  bool Run();
  const std::string& failure() const { return failure_; }
  // Signatures counted while the TAM, respectively the Agent, ran (summed over Run calls).
  const CryptoCounts& tam_counts() const { return tam_counts_; }
  const CryptoCounts& agent_counts() const { return agent_counts_; }
  uint64_t exchanges() const { return exchanges_; }

 private:
  InProcessExchange() = default;

  SystemClock clock_;
  tam::InMemoryTamStore tam_store_;
  std::unique_ptr<tam::TamCore> tam_;
  std::unique_ptr<BenchDevice> device_;
  CryptoCounts tam_counts_;
  CryptoCounts agent_counts_;
  uint64_t exchanges_ = 0;
  std::string failure_;
};

}  // namespace teepnet::bench

#endif  // BENCH_TEEP_EXCHANGE_EXCHANGE_KIT_H_
