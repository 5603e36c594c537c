// TESTONLY: a TAM, a TEEP Agent and a Broker in one process, wired by a fake transport, with
// fixed keys so captured messages stay verifiable (the fuzzers replay them). Used by the
// in-process integration suite and by fuzz/tam_process_fuzzer.cc / agent_process_fuzzer.cc.
//
// Keys (TEST-ONLY, never deploy): TAM P-256 and Ed25519 keys, the Agent's P-256 key and a
// Trusted Component Signer P-256 key, all from fixed scalars below in fixture.cc.
#ifndef TESTS_INTEGRATION_TEEP_INPROCESS_FIXTURE_H_
#define TESTS_INTEGRATION_TEEP_INPROCESS_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/agent/agent_core.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/broker/agent_link.h"
#include "teepnet/broker/broker_core.h"
#include "teepnet/suit/environment.h"
#include "teepnet/tam/in_memory_tam_store.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::inprocess {

// A deterministic "random" source: SHA-256(seed || counter) blocks. Test-only, so tokens and
// challenges repeat from run to run and captured messages stay valid for the fuzzers.
class CounterRandom final : public Random {
 public:
  explicit CounterRandom(uint64_t seed = 1) : seed_(seed) {}
  Status Fill(std::span<uint8_t> out) override;

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
};

crypto::PrivateKey TamP256Key();
crypto::PrivateKey TamEd25519Key();
crypto::PrivateKey AgentP256Key();
crypto::PrivateKey OtherAgentP256Key();  // never enrolled
crypto::PrivateKey TcSignerKey();
// The vendor / class ids of the draft's Appendix E examples.
suit::DeviceIdentity ExampleDevice();

// The manifest id and component of the fixture's own Trusted Component, and a signed
// envelope for it: install writes `payload` to the component, uninstall unlinks it. A
// different `vendor` makes the install fail its vendor condition.
suit::ComponentId FixtureManifestId();
suit::ComponentId FixtureComponentId();
Bytes FixtureEnvelope(uint64_t sequence_number, std::string_view payload,
                      std::optional<Bytes> vendor = std::nullopt);

// An AgentLink over an AgentCore in the same process.
class InProcessAgentLink final : public broker::AgentLink {
 public:
  explicit InProcessAgentLink(agent::AgentCore& agent) : agent_(agent) {}
  Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) override;
  std::optional<broker::TamContact> RequestPolicyCheck() override;
  void ProcessError(std::string_view tam_uri) override;

 private:
  agent::AgentCore& agent_;
};

enum class Hop : uint8_t { kTamToAgent, kAgentToTam };

// Fuzz scripts: what the fuzzers replay. A script is a list of steps, each encoded as
// [op: 1 byte][length: 2 bytes big-endian][bytes]; a malformed tail ends the script.
enum class ScriptOp : uint8_t {
  kConnect = 0,       // TAM: empty POST (ProcessConnect)
  kMessage = 1,       // TAM or Agent: ProcessMessage(bytes)
  kDesireV1 = 2,      // TAM operator: install fixture TC sequence 1
  kDesireV2 = 3,      // TAM operator: install fixture TC sequence 2
  kDesireRemove = 4,  // TAM operator: remove the fixture TC
  kRequestTa = 5,     // Agent: RequestTA(fixture TC)
  kUnrequestTa = 6,   // Agent: UnrequestTA(fixture TC)
};
struct ScriptStep {
  ScriptOp op;
  Bytes bytes;
};
Bytes EncodeScript(const std::vector<ScriptStep>& steps);
// At most kMaxScriptSteps steps; unknown ops are kept (the runners ignore them).
std::vector<ScriptStep> DecodeScript(ByteView script);
inline constexpr size_t kMaxScriptSteps = 32;

// Everything wired together.
class World {
 public:
  static constexpr std::string_view kTamUri = "https://tam.example/teep";

  struct Options {
    bool enroll = true;  // add the Agent's key to the TAM store
    tam::TamConfig tam = DefaultTamConfig();
    std::function<void(agent::AgentConfig&)> adjust_agent;
    tam::EvidenceAppraiser* appraiser = nullptr;
    agent::EvidenceProvider* evidence = nullptr;
    tam::TamAttester* tam_attester = nullptr;
    agent::TamAttestationVerifier* tam_verifier = nullptr;
  };
  World();
  explicit World(Options options);
  static tam::TamConfig DefaultTamConfig();
  static agent::AgentConfig DefaultAgentConfig();

  // One Broker session from an empty POST to the end, through the fake transport: the
  // Broker POSTs, the "HTTP server" calls ProcessConnect / ProcessMessage and answers 200 or
  // 204. `tamper` may rewrite each message in flight. Returns the Broker's final state.
  broker::SessionState RunSession();
  std::function<void(Hop, Bytes&)> tamper;
  // Every message that crossed the transport in the last RunSession (after tampering).
  struct Sent {
    Hop hop;
    Bytes bytes;
  };
  std::vector<Sent> wire_log;
  std::vector<tam::TamResult> tam_results;
  // Every step taken through RunSession / Desire, per side, for fuzz seeds.
  std::vector<ScriptStep> tam_script;
  std::vector<ScriptStep> agent_script;

  // Adds the fixture TC at sequence 1 and 2 to the catalog (fuzz worlds start this way).
  void AddFixturePackages();
  // Operator actions on the fixture TC, recorded in tam_script.
  void Desire(ScriptOp op);
  // Replays a script on one side; returns the results of the steps that reached a core.
  std::vector<tam::TamResult> RunTamScript(const std::vector<ScriptStep>& steps);
  std::vector<agent::AgentResult> RunAgentScript(const std::vector<ScriptStep>& steps);

  FakeClock clock{1'800'000'000};
  CounterRandom tam_random{1};
  CounterRandom agent_random{2};
  tam::InMemoryTamStore tam_store;
  agent::InMemoryTcStore agent_store;
  suit::MapFetcher fetcher;
  std::unique_ptr<tam::TamCore> tam;
  std::unique_ptr<agent::AgentCore> agent;
  std::unique_ptr<InProcessAgentLink> link;
  tam::DeviceId device_id;
};

}  // namespace teepnet::inprocess

#endif  // TESTS_INTEGRATION_TEEP_INPROCESS_FIXTURE_H_
