#include "teepnet/workloads/pce/model.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/limits.h"

namespace teepnet::workloads::pce {
namespace {

Error BadTopology(std::string what) {
  return Error(Errc::kBadTopology, "topology: " + what);
}
Error BadRequest(uint32_t id, std::string what) {
  return Error(Errc::kBadRequest, "request " + std::to_string(id) + ": " + what);
}

Status ValidateLink(const Topology& t, size_t i) {
  const Link& l = t.links[i];
  const std::string at = "link " + std::to_string(i) + " ";
  if (l.a >= t.nodes.size() || l.b >= t.nodes.size()) return BadTopology(at + "names no node");
  if (l.a == l.b) return BadTopology(at + "is a loop");
  if (l.igp_metric == 0 || l.igp_metric > kMaxMetric || l.te_metric == 0 ||
      l.te_metric > kMaxMetric) {
    // A metric of 0 would make a cycle free and the "shortest" path ill-defined.
    return BadTopology(at + "has a metric outside 1.." + std::to_string(kMaxMetric));
  }
  if (l.delay_us == 0 || l.delay_us > kMaxLinkDelayUs) {
    return BadTopology(at + "has a delay outside 1.." + std::to_string(kMaxLinkDelayUs) + " us");
  }
  if (l.capacity_kbps == 0 || l.capacity_kbps > kMaxCapacityKbps) {
    return BadTopology(at + "has a capacity outside 1.." + std::to_string(kMaxCapacityKbps));
  }
  if (l.utilised_ab_kbps > l.capacity_kbps || l.utilised_ba_kbps > l.capacity_kbps) {
    return BadTopology(at + "carries more than its capacity");
  }
  return OkStatus();
}

}  // namespace

bool IsValidNodeName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status ValidateTopology(const Topology& t) {
  if (t.label.size() > kMaxLabelBytes) return Error(Errc::kTooLarge, "topology: label too long");
  if (t.nodes.size() > kMaxNodes) return Error(Errc::kTooLarge, "topology: too many nodes");
  if (t.links.size() > kMaxLinks) return Error(Errc::kTooLarge, "topology: too many links");
  if (t.nodes.empty()) return BadTopology("no nodes");
  std::set<std::string_view> names;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const Node& n = t.nodes[i];
    if (!IsValidNodeName(n.name))
      return BadTopology("node " + std::to_string(i) + " has a bad name");
    if (static_cast<uint64_t>(n.tier) >= kTierCount) {
      return BadTopology("node " + std::to_string(i) + " has an unknown tier");
    }
    if (!names.insert(n.name).second) return BadTopology("duplicate node name " + n.name);
  }
  std::set<std::pair<uint32_t, uint32_t>> pairs;
  for (size_t i = 0; i < t.links.size(); ++i) {
    TEEPNET_RETURN_IF_ERROR(ValidateLink(t, i));
    const Link& l = t.links[i];
    // Paths travel as node names, so a node pair must name exactly one link.
    if (!pairs.insert(std::minmax(l.a, l.b)).second) {
      return BadTopology("link " + std::to_string(i) + " duplicates a node pair");
    }
  }
  return OkStatus();
}

Status ValidateBatch(const RequestBatch& batch) {
  if (batch.label.size() > kMaxLabelBytes) return Error(Errc::kTooLarge, "batch: label too long");
  if (batch.requests.size() > kMaxRequests) {
    return Error(Errc::kTooLarge, "batch: more than " + std::to_string(kMaxRequests) + " requests");
  }
  std::set<uint32_t> ids;
  for (const PathRequest& r : batch.requests) {
    if (!ids.insert(r.id).second) return BadRequest(r.id, "duplicate id");
    if (!IsValidNodeName(r.src) || !IsValidNodeName(r.dst))
      return BadRequest(r.id, "bad endpoint name");
    if (static_cast<uint64_t>(r.metric) >= kMetricCount) return BadRequest(r.id, "unknown metric");
    if (r.bandwidth_kbps > kMaxCapacityKbps) return BadRequest(r.id, "bandwidth out of range");
    if (r.max_delay_us && *r.max_delay_us > kMaxDelayBoundUs) {
      return BadRequest(r.id, "max_delay_us out of range");
    }
    if (r.max_hops && *r.max_hops > kMaxHopBound) return BadRequest(r.id, "max_hops out of range");
    if (r.exclude_nodes.size() > kMaxExclusions || r.exclude_links.size() > kMaxExclusions) {
      return Error(Errc::kTooLarge, "request " + std::to_string(r.id) + ": too many exclusions");
    }
    for (const std::string& n : r.exclude_nodes) {
      if (!IsValidNodeName(n)) return BadRequest(r.id, "bad excluded node name");
    }
    for (const LinkRef& l : r.exclude_links) {
      if (!IsValidNodeName(l.a) || !IsValidNodeName(l.b))
        return BadRequest(r.id, "bad excluded link");
    }
  }
  return OkStatus();
}

std::string_view MetricName(Metric metric) {
  switch (metric) {
    case Metric::kIgp: return "igp";
    case Metric::kTe: return "te";
    case Metric::kDelay: return "delay";
  }
  return "unknown";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kFound: return "found";
    case Outcome::kUnknownName: return "unknown-name";
    case Outcome::kSameEndpoints: return "same-endpoints";
    case Outcome::kExcludedEndpoint: return "excluded-endpoint";
    case Outcome::kExcluded: return "excluded";
    case Outcome::kBandwidth: return "bandwidth";
    case Outcome::kHopLimit: return "hop-limit";
    case Outcome::kDelayLimit: return "delay-limit";
    case Outcome::kDelayAndHopLimit: return "delay-and-hop-limit";
  }
  return "unknown";
}

}  // namespace teepnet::workloads::pce
