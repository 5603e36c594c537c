#include "teepnet/workloads/pce/pce.h"

#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/cspf.h"
#include "teepnet/workloads/pce/graph.h"

namespace teepnet::workloads::pce {

Result<EncodedAnswer> Run(ByteView topology_bytes, ByteView batch_bytes,
                          const std::function<uint64_t()>& monotonic_ns) {
  TEEPNET_ASSIGN_OR_RETURN(Topology topology, DecodeTopology(topology_bytes));
  TEEPNET_ASSIGN_OR_RETURN(RequestBatch batch, DecodeBatch(batch_bytes));
  const uint64_t start = monotonic_ns();
  const Graph graph(topology);
  TEEPNET_ASSIGN_OR_RETURN(Answer answer, ServeBatch(graph, batch));
  const uint64_t elapsed = monotonic_ns() - start;
  answer.user.compute_ns = elapsed;
  answer.provider.compute_ns = elapsed;
  EncodedAnswer out;
  TEEPNET_ASSIGN_OR_RETURN(out.user, EncodeUserOutput(answer.user));
  TEEPNET_ASSIGN_OR_RETURN(out.provider, EncodeProviderOutput(answer.provider));
  return out;
}

}  // namespace teepnet::workloads::pce
