// deps: teepnet_workload_pce teepnet_cbor teepnet_base
// Target functions: the PCE workload's decoders (teepnet/workloads/pce/codec.h) — what the PCE
// TA runs on the provider's topology and the user's request batch, and what each party runs on
// its output — and the TA's computation on an accepted batch.
//
// Properties: no crash; whatever a decoder accepts re-encodes to exactly the bytes it was
// decoded from (every message is deterministic CBOR); an accepted batch, served on a fixed
// small backbone, yields an answer that the independent check accepts (or, for a search it
// cannot finish, reports as over its budget).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/workloads/pce/check.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/cspf.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/generator.h"
#include "teepnet/workloads/pce/graph.h"

namespace {

using namespace teepnet;                  // NOLINT: fuzz harness brevity
using namespace teepnet::workloads::pce;  // NOLINT

// 3 core sites, 1 aggregation node each, 2 access nodes each: nodes cr-fra, ag-fra-1,
// pe-fra-1-1 ... (the seed corpus's batches name them).
const Topology& Backbone() {
  static const Topology* topology = [] {
    auto t = GenerateTopology(1, TopologyShape{3, 1, 2}, "fuzz");
    if (!t.ok()) std::abort();
    return new Topology(*std::move(t));
  }();
  return *topology;
}

template <typename T, typename Encode>
void ExpectStable(const Result<T>& decoded, Encode encode, ByteView input) {
  if (!decoded.ok()) return;
  auto again = encode(*decoded);
  if (!again.ok() || !Equal(*again, input)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  ExpectStable(DecodeTopology(input), EncodeTopology, input);
  ExpectStable(DecodeUserOutput(input), EncodeUserOutput, input);
  ExpectStable(DecodeProviderOutput(input), EncodeProviderOutput, input);
  auto batch = DecodeBatch(input);
  ExpectStable(batch, EncodeBatch, input);
  if (batch.ok()) {
    const Graph graph(Backbone());
    auto served = ServeBatch(graph, *batch);
    // The only refusal is the search's label limit, which a 12-node backbone cannot reach.
    if (!served.ok()) std::abort();
    const Answer& answer = *served;
    auto checked = CheckAnswer(Backbone(), *batch, answer.user, answer.provider);
    if (!checked.ok() && !checked.error().Is(Errc::kCheckBudget)) std::abort();
    if (!EncodeUserOutput(answer.user).ok() || !EncodeProviderOutput(answer.provider).ok()) {
      std::abort();
    }
  }
  return 0;
}
