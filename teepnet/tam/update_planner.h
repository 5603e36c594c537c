// What an Update must carry, computed from a device's desired state and what its Agent just
// reported in a QueryResponse (draft-ietf-teep-protocol §"TAM Processing": "decide with
// policy, based on ... tc-list, requested-tc-list and unneeded-manifest-list").
//
//   install  every desired manifest the Agent lacks, or holds at a lower sequence number
//            (or, when the Agent reports no sequence number, with a different digest), in
//            desired-state order (so dependencies listed first are installed first); plus,
//            with honour_requested_tcs, requested TCs the catalog can satisfy
//   remove   desired removals the Agent still reports; plus, with honour_unneeded, the
//            Agent's unneeded-manifest-list entries it still reports
// Nothing to install or remove means no Update (HTTP 204).
#ifndef TEEPNET_TAM_UPDATE_PLANNER_H_
#define TEEPNET_TAM_UPDATE_PLANNER_H_

#include <optional>
#include <vector>

#include "teepnet/agent/tc_claims.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/tam/tam_store.h"
#include "teepnet/teep/types.h"

namespace teepnet::tam {

struct PlannerPolicy {
  bool honour_requested_tcs = true;
  bool honour_unneeded = true;
};

struct UpdatePlan {
  std::vector<Package> install;
  std::vector<suit::ComponentId> remove;
  // The desired state after honouring the Agent's requests, when it changed.
  std::optional<DesiredState> new_desired;

  bool empty() const { return install.empty() && remove.empty(); }
};

// Reads packages from `store`. kUnknownPackage when the desired state names a package the
// catalog no longer has; store read errors are passed on.
Result<UpdatePlan> PlanUpdate(const PlannerPolicy& policy, const TamStore& store,
                              const DesiredState& desired,
                              const std::vector<agent::InstalledTc>& installed,
                              const std::vector<teep::RequestedTcInfo>& requested,
                              const std::vector<suit::ComponentId>& unneeded);

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_UPDATE_PLANNER_H_
