// deps: teepnet_teep_inprocess_fixture
// Fuzzes TamCore::ProcessMessage (and ProcessConnect / operator steps) with scripts
// (tests/integration/teep_inprocess/fixture.h: [op][len][bytes] steps) run against a fresh
// in-process world with fixed keys and deterministic tokens, so the committed seeds - real
// Agent messages captured from the in-process suite - verify and reach token matching, the
// planner and the store. Properties: no crash; a dropped message changes nothing in the store;
// a reply is returned exactly when the outcome says a QueryRequest or an Update went out.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fixture.h"

using namespace teepnet;
using namespace teepnet::inprocess;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World world;
  world.AddFixturePackages();
  for (const ScriptStep& step : DecodeScript(ByteView(data, size))) {
    const auto before = world.tam_store.Snapshot();
    tam::TamResult result;
    if (step.op == ScriptOp::kConnect) {
      result = world.tam->ProcessConnect();
    } else if (step.op == ScriptOp::kMessage) {
      result = world.tam->ProcessMessage(step.bytes);
    } else {
      world.RunTamScript({step});
      continue;
    }
    const bool sends = result.outcome == tam::Outcome::kQueryRequestSent ||
                       result.outcome == tam::Outcome::kUpdateSent;
    if (sends != result.response.has_value()) std::abort();
    if (result.outcome == tam::Outcome::kDropped && !(world.tam_store.Snapshot() == before)) {
      std::abort();
    }
    if ((result.outcome == tam::Outcome::kDropped || result.outcome == tam::Outcome::kFailed) &&
        !result.drop_reason.has_value()) {
      std::abort();
    }
  }
  return 0;
}
