// Test-only helpers: small hand-drawn topologies and requests for the PCE tests.
#ifndef TEEPNET_WORKLOADS_PCE_TEST_UTIL_H_
#define TEEPNET_WORKLOADS_PCE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce::testing {

struct Edge {
  uint32_t a;
  uint32_t b;
  uint32_t igp;
  uint32_t delay_us;
  uint64_t free_kbps = 10'000;  // in both directions
};

// Nodes n0..n{count-1}; every link 10 Mb/s with `free_kbps` left; TE metric = IGP + delay.
inline Topology Drawn(uint32_t count, const std::vector<Edge>& edges) {
  Topology t;
  t.label = "drawn";
  for (uint32_t i = 0; i < count; ++i) t.nodes.push_back(Node{"n" + std::to_string(i)});
  for (const Edge& e : edges) {
    Link l;
    l.a = e.a;
    l.b = e.b;
    l.igp_metric = e.igp;
    l.te_metric = e.igp + e.delay_us;
    l.delay_us = e.delay_us;
    l.capacity_kbps = 10'000;
    l.utilised_ab_kbps = 10'000 - e.free_kbps;
    l.utilised_ba_kbps = 10'000 - e.free_kbps;
    t.links.push_back(l);
  }
  return t;
}

inline PathRequest Between(uint32_t id, uint32_t src, uint32_t dst) {
  PathRequest r;
  r.id = id;
  r.src = "n" + std::to_string(src);
  r.dst = "n" + std::to_string(dst);
  r.bandwidth_kbps = 1'000;
  return r;
}

}  // namespace teepnet::workloads::pce::testing

#endif  // TEEPNET_WORKLOADS_PCE_TEST_UTIL_H_
