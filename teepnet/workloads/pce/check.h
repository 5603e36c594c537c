// An independent check of a PCE answer, for the parties and the tests: it never reuses the
// CSPF's search. For each request, in batch order and on the reservations the answer's own
// earlier paths made, it
//  - classifies infeasibility by other means (breadth-first reachability with and without the
//    bandwidth pruning, forward Dijkstra on delay, and a hop-bounded Bellman-Ford for the joint
//    delay-and-hop bound), and
//  - finds the optimum with Yen's k shortest loopless paths on the pruned graph by cost, taking
//    the first that meets the delay and hop bounds (spur roots that cannot meet them even by
//    their fastest hop-bounded completion are skipped: no path below them can);
// then validates the returned path link by link (adjacency, exclusions, bandwidth, bounds,
// cost and delay sums, cost equal to the optimum) and the provider's counts and reservations.
#ifndef TEEPNET_WORKLOADS_PCE_CHECK_H_
#define TEEPNET_WORKLOADS_PCE_CHECK_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "teepnet/base/result.h"
#include "teepnet/workloads/pce/graph.h"
#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce {

// Yen's paths the check may rank for one request before it gives up (Errc::kCheckBudget).
inline constexpr size_t kDefaultCheckPaths = 20000;

struct Reference {
  Outcome outcome = Outcome::kFound;
  uint64_t cost = 0;        // the optimum when found
  size_t paths_ranked = 0;  // Yen's paths taken off the candidate list
};

// The reference answer for one resolved request on the reservations in `ledger`.
Result<Reference> ReferenceOptimum(const Graph& graph, const Ledger& ledger, const Resolved& r,
                                   size_t max_paths = kDefaultCheckPaths);

struct CheckSummary {
  uint64_t requests = 0;
  uint64_t served = 0;
  uint64_t compute_ns = 0;
  std::array<uint64_t, kOutcomeCount> outcomes{};  // requests per Outcome
  size_t paths_ranked = 0;                         // over the batch
};

// Errc::kWrongAnswer naming the first difference; Errc::kCheckBudget if a search ran out.
Result<CheckSummary> CheckAnswer(const Topology& topology, const RequestBatch& batch,
                                 const UserOutput& user, const ProviderOutput& provider,
                                 size_t max_paths = kDefaultCheckPaths);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_CHECK_H_
