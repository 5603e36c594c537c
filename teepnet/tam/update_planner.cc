#include "teepnet/tam/update_planner.h"

#include <algorithm>
#include <map>

#include "teepnet/tam/errc.h"

namespace teepnet::tam {
namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// True when the Agent's copy already satisfies `package`.
bool Satisfies(const agent::InstalledTc& tc, const Package& package) {
  if (tc.sequence_number) return *tc.sequence_number >= package.sequence_number;
  return !tc.manifest_digest.empty() && tc.manifest_digest == package.manifest_digest;
}

}  // namespace

Result<UpdatePlan> PlanUpdate(const PlannerPolicy& policy, const TamStore& store,
                              const DesiredState& desired,
                              const std::vector<agent::InstalledTc>& installed,
                              const std::vector<teep::RequestedTcInfo>& requested,
                              const std::vector<suit::ComponentId>& unneeded) {
  std::map<suit::ComponentId, const agent::InstalledTc*> have;
  for (const agent::InstalledTc& tc : installed) have[tc.manifest_id] = &tc;

  UpdatePlan plan;
  DesiredState next = desired;
  bool changed = false;

  if (policy.honour_unneeded) {
    for (const suit::ComponentId& id : unneeded) {
      // The Agent no longer needs it: unlink it, and stop wanting it installed so the next
      // poll does not put it back.
      const size_t before = next.install.size();
      next.install.erase(
          std::remove_if(next.install.begin(), next.install.end(),
                         [&](const PackageRef& ref) { return ref.manifest_id == id; }),
          next.install.end());
      changed = changed || next.install.size() != before;
      if (have.count(id) != 0 && !Contains(plan.remove, id)) plan.remove.push_back(id);
    }
  }

  if (policy.honour_requested_tcs) {
    for (const teep::RequestedTcInfo& request : requested) {
      const suit::ComponentId id = agent::FromTeepId(request.component_id);
      if (Contains(plan.remove, id)) continue;
      // tc-manifest-sequence-number is "the minimum acceptable" one; absent means any.
      const uint64_t minimum = request.tc_manifest_sequence_number.value_or(0);
      auto it = have.find(id);
      if (it != have.end() && it->second->sequence_number.value_or(0) >= minimum) continue;
      TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> latest, store.FindLatestPackage(id));
      if (!latest || latest->sequence_number < minimum) continue;  // nothing can satisfy it
      auto ref = std::find_if(next.install.begin(), next.install.end(),
                              [&](const PackageRef& r) { return r.manifest_id == id; });
      if (ref == next.install.end()) {
        next.install.push_back(PackageRef{id, latest->sequence_number});
        changed = true;
      } else if (ref->sequence_number < minimum) {
        ref->sequence_number = latest->sequence_number;
        changed = true;
      }
    }
  }

  for (const PackageRef& ref : next.install) {
    if (Contains(plan.remove, ref.manifest_id)) continue;
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> package,
                             store.FindPackage(ref.manifest_id, ref.sequence_number));
    if (!package) {
      return Error(Errc::kUnknownPackage, ref.manifest_id.ToString() + " sequence " +
                                              std::to_string(ref.sequence_number) +
                                              " is not in the catalog");
    }
    auto it = have.find(ref.manifest_id);
    if (it != have.end() && Satisfies(*it->second, *package)) continue;
    plan.install.push_back(std::move(*package));
  }

  for (const suit::ComponentId& id : next.remove) {
    if (have.count(id) != 0 && !Contains(plan.remove, id)) plan.remove.push_back(id);
  }
  if (changed) plan.new_desired = std::move(next);
  return plan;
}

}  // namespace teepnet::tam
