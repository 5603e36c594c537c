// The PCE workload's domain: the provider's topology (nodes, links, utilisation), the user's
// batch of path requests (its routing constraints), and what each of them gets back.
//
// The two inputs are private to their owners: the TA sees both, the provider's output says
// only how many requests were served and how much bandwidth that reserves on each of its links,
// and the user's output holds only its own paths.
#ifndef TEEPNET_WORKLOADS_PCE_MODEL_H_
#define TEEPNET_WORKLOADS_PCE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/result.h"

namespace teepnet::workloads::pce {

enum class Tier : uint8_t { kCore = 0, kAggregation = 1, kAccess = 2 };
inline constexpr uint64_t kTierCount = 3;

struct Node {
  std::string name;  // unique, [A-Za-z0-9._-]{1,kMaxNameBytes}
  Tier tier = Tier::kAccess;
  int32_t x_km = 0;  // position on the provider's map, for the record (delays are per link)
  int32_t y_km = 0;

  friend bool operator==(const Node&, const Node&) = default;
};

// A physical, full-duplex link between nodes a and b (indices into Topology::nodes). Each
// direction is its own arc with its own utilisation; metrics, delay and capacity are shared.
struct Link {
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t igp_metric = 1;
  uint32_t te_metric = 1;
  uint32_t delay_us = 1;
  uint64_t capacity_kbps = 0;
  uint64_t utilised_ab_kbps = 0;  // traffic a -> b
  uint64_t utilised_ba_kbps = 0;  // traffic b -> a

  friend bool operator==(const Link&, const Link&) = default;
};

struct Topology {
  std::string label;  // the provider's own name for this snapshot
  std::vector<Node> nodes;
  std::vector<Link> links;  // at most one link per node pair

  friend bool operator==(const Topology&, const Topology&) = default;
};

// True for a node name of 1..kMaxNameBytes characters of [A-Za-z0-9._-].
bool IsValidNodeName(std::string_view name);

// Checks what the decoder cannot see from the shape alone: limits, names, endpoints, metric
// and delay ranges, utilisation within capacity, one link per node pair.
Status ValidateTopology(const Topology& topology);

// The metric a request minimises (RFC 5440 §7.8: IGP metric, TE metric; RFC 8233: latency).
enum class Metric : uint8_t { kIgp = 0, kTe = 1, kDelay = 2 };
inline constexpr uint64_t kMetricCount = 3;
std::string_view MetricName(Metric metric);

// A physical link named by its end nodes, in either order.
struct LinkRef {
  std::string a;
  std::string b;

  friend bool operator==(const LinkRef&, const LinkRef&) = default;
};

struct PathRequest {
  uint32_t id = 0;  // unique in the batch
  std::string src;
  std::string dst;
  uint64_t bandwidth_kbps = 0;  // reserved on every arc of the path
  Metric metric = Metric::kIgp;
  std::optional<uint64_t> max_delay_us;  // end-to-end, sum of the link delays
  std::optional<uint64_t> max_hops;      // links on the path
  std::vector<std::string> exclude_nodes;
  std::vector<LinkRef> exclude_links;

  friend bool operator==(const PathRequest&, const PathRequest&) = default;
};

// Requests are admitted in order, as an online PCE does: a served request's bandwidth is
// reserved before the next request is computed.
struct RequestBatch {
  std::string label;  // the user's own name for this batch
  std::vector<PathRequest> requests;

  friend bool operator==(const RequestBatch&, const RequestBatch&) = default;
};

Status ValidateBatch(const RequestBatch& batch);

// What became of one request. Checked in this order, each on the graph the previous step left:
enum class Outcome : uint8_t {
  kFound = 0,
  kUnknownName,       // src, dst or an exclusion names no node / link of the topology
  kSameEndpoints,     // src == dst
  kExcludedEndpoint,  // src or dst is in exclude_nodes
  kExcluded,          // dst unreachable once the excluded nodes and links are removed
  kBandwidth,         // ... and once links without the requested available bandwidth are
  kHopLimit,          // every remaining path has more than max_hops links
  kDelayLimit,        // every remaining path is slower than max_delay_us
  kDelayAndHopLimit,  // each bound can be met, but no path meets both
};
inline constexpr uint64_t kOutcomeCount = 9;
std::string_view OutcomeName(Outcome outcome);

struct PathResult {
  uint32_t id = 0;
  Outcome outcome = Outcome::kFound;
  std::vector<std::string> nodes;  // src ... dst when found, else empty
  uint64_t cost = 0;               // in the request's metric; 0 when not found
  uint64_t delay_us = 0;           // 0 when not found

  friend bool operator==(const PathResult&, const PathResult&) = default;
};

// The user's output: one result per request, in request order.
struct UserOutput {
  uint64_t compute_ns = 0;  // the TA's computation time for the batch
  std::vector<PathResult> results;

  friend bool operator==(const UserOutput&, const UserOutput&) = default;
};

// Bandwidth the served paths reserve on one direction of one link.
struct Reservation {
  uint32_t link = 0;
  uint8_t direction = 0;  // 0: a -> b, 1: b -> a
  uint64_t kbps = 0;

  friend bool operator==(const Reservation&, const Reservation&) = default;
};

// The provider's output: counts and its own links' reservations, sorted by (link, direction),
// nothing about the user's endpoints or constraints.
struct ProviderOutput {
  uint64_t requests = 0;
  uint64_t served = 0;
  uint64_t compute_ns = 0;
  std::vector<Reservation> reservations;

  friend bool operator==(const ProviderOutput&, const ProviderOutput&) = default;
};

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_MODEL_H_
