// deps: teepnet_teep_inprocess_fixture
// Fuzzes AgentCore::ProcessMessage (and RequestTA / UnrequestTA) with scripts
// (tests/integration/teep_inprocess/fixture.h) against a fresh in-process Agent with fixed keys
// that trusts the fixture TAM and TC signer, so the committed seeds - real QueryRequests and
// Updates captured from the in-process suite - verify and reach negotiation and the SUIT
// install path. Properties: no crash; every message gets a reply signed by the Agent's key
// unless the outcome says otherwise; an Error leaves the component store unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fixture.h"
#include "teepnet/teep/secure_message.h"

using namespace teepnet;
using namespace teepnet::inprocess;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<teep::PeerKey> agent_key = {
      teep::PeerKey{AgentP256Key().public_key(), std::nullopt}};
  World world;
  for (const ScriptStep& step : DecodeScript(ByteView(data, size))) {
    if (step.op != ScriptOp::kMessage) {
      world.RunAgentScript({step});
      continue;
    }
    const auto before = world.agent_store.Snapshot();
    agent::AgentResult result = world.agent->ProcessMessage(step.bytes);
    const bool replies = result.outcome != agent::AgentOutcome::kNoReply &&
                         result.outcome != agent::AgentOutcome::kFailed;
    if (replies != result.response.has_value()) std::abort();
    if (result.outcome == agent::AgentOutcome::kErrorSent &&
        !(world.agent_store.Snapshot() == before)) {
      std::abort();
    }
    if (result.response &&
        !teep::VerifyMessage(*result.response, teep::RfcProfile(), agent_key).ok()) {
      std::abort();
    }
  }
  return 0;
}
