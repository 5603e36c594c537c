#include "teepnet/workloads/pce/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "teepnet/workloads/pce/errc.h"

namespace teepnet::workloads::pce {
namespace {

// SplitMix64: small, fast, and the same sequence everywhere; integer arithmetic only, so the
// generated inputs are byte-identical across machines.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (the modulo bias is below 2^-40 for the small n used here).
  uint64_t Below(uint64_t n) { return Next() % n; }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Percent(uint64_t p) { return Below(100) < p; }

 private:
  uint64_t state_;
};

struct City {
  std::string_view code;
  int32_t x_km;  // equirectangular projection around 50N 10E
  int32_t y_km;
};
// In the order core sites are added: the first few are already spread over the map.
constexpr std::array<City, kMaxCoreSites> kCities{{
    {"fra", -95, 12},
    {"par", -548, -126},
    {"lon", -725, 167},
    {"ams", -365, 262},
    {"mil", -58, -502},
    {"vie", 456, -198},
    {"mad", -981, -1060},
    {"waw", 788, 247},
    {"sto", 578, 1032},
    {"zrh", -105, -291},
    {"prg", 318, 9},
    {"bru", -405, 94},
}};

enum class LinkClass { kCoreCore, kAggCore, kAggAgg, kAccess };

constexpr uint64_t kGbps = 1'000'000;  // in kb/s
// IGP metric = reference bandwidth / capacity (1 Tb/s reference).
constexpr uint64_t kReferenceKbps = 1000 * kGbps;

uint64_t CapacityOf(LinkClass c) {
  switch (c) {
    case LinkClass::kCoreCore: return 400 * kGbps;
    case LinkClass::kAggCore: return 100 * kGbps;
    case LinkClass::kAggAgg: return 40 * kGbps;
    case LinkClass::kAccess: return 10 * kGbps;
  }
  return 10 * kGbps;
}

// Utilisation range in percent of capacity, per direction.
std::pair<int64_t, int64_t> LoadOf(LinkClass c) {
  switch (c) {
    case LinkClass::kCoreCore: return {20, 70};
    case LinkClass::kAggCore: return {10, 75};
    case LinkClass::kAggAgg: return {10, 60};
    case LinkClass::kAccess: return {5, 85};
  }
  return {5, 85};
}

uint32_t TePenaltyOf(LinkClass c) {
  switch (c) {
    case LinkClass::kCoreCore: return 0;
    case LinkClass::kAggCore: return 20;
    case LinkClass::kAggAgg: return 50;
    case LinkClass::kAccess: return 100;
  }
  return 100;
}

uint64_t DistanceKm(const Node& a, const Node& b) {
  const int64_t dx = a.x_km - b.x_km;
  const int64_t dy = a.y_km - b.y_km;
  // sqrt is correctly rounded (IEEE 754), so this is the same everywhere.
  return static_cast<uint64_t>(std::llround(std::sqrt(static_cast<double>(dx * dx + dy * dy))));
}

class Builder {
 public:
  explicit Builder(Rng& rng) : rng_(rng) {}

  uint32_t AddNode(std::string name, Tier tier, int32_t x, int32_t y) {
    t_.nodes.push_back(Node{std::move(name), tier, x, y});
    return static_cast<uint32_t>(t_.nodes.size() - 1);
  }
  // A node within [min_km, max_km] of `near`, by rejection sampling on the square.
  uint32_t AddNear(std::string name, Tier tier, uint32_t near, int64_t min_km, int64_t max_km) {
    const Node& c = t_.nodes[near];
    int64_t dx = 0;
    int64_t dy = 0;
    do {
      dx = rng_.Between(-max_km, max_km);
      dy = rng_.Between(-max_km, max_km);
    } while (dx * dx + dy * dy > max_km * max_km || dx * dx + dy * dy < min_km * min_km);
    return AddNode(std::move(name), tier, static_cast<int32_t>(c.x_km + dx),
                   static_cast<int32_t>(c.y_km + dy));
  }

  void AddLink(uint32_t a, uint32_t b, LinkClass c) {
    if (a == b || !pairs_.insert(std::minmax(a, b)).second) return;
    Link l;
    l.a = a;
    l.b = b;
    l.capacity_kbps = CapacityOf(c);
    l.igp_metric = static_cast<uint32_t>(kReferenceKbps / l.capacity_kbps);
    // Light in fibre: ~5 us/km, with a 1.25 route factor over the straight line, plus 20 us
    // of equipment and serialisation per hop.
    l.delay_us = static_cast<uint32_t>(20 + DistanceKm(t_.nodes[a], t_.nodes[b]) * 25 / 4);
    l.te_metric = std::max<uint32_t>(1, l.delay_us / 10) + TePenaltyOf(c);
    l.utilised_ab_kbps = Load(c, l.capacity_kbps);
    l.utilised_ba_kbps = Load(c, l.capacity_kbps);
    t_.links.push_back(l);
  }

  Topology Take() && { return std::move(t_); }
  const Topology& topology() const { return t_; }

 private:
  uint64_t Load(LinkClass c, uint64_t capacity) {
    // About one direction in sixteen runs hot (90..99 %): the links CSPF must route around.
    const auto [lo, hi] = rng_.Percent(6) ? std::pair<int64_t, int64_t>{90, 99} : LoadOf(c);
    return capacity / 100 * static_cast<uint64_t>(rng_.Between(lo, hi));
  }

  Rng& rng_;
  Topology t_;
  std::set<std::pair<uint32_t, uint32_t>> pairs_;
};

// Core sites k nearest to `i` (ties to the lower index).
std::vector<uint32_t> Nearest(const Topology& t, const std::vector<uint32_t>& cores, uint32_t i,
                              size_t k) {
  std::vector<uint32_t> others;
  for (uint32_t c : cores) {
    if (c != i) others.push_back(c);
  }
  std::stable_sort(others.begin(), others.end(), [&](uint32_t a, uint32_t b) {
    return DistanceKm(t.nodes[i], t.nodes[a]) < DistanceKm(t.nodes[i], t.nodes[b]);
  });
  if (others.size() > k) others.resize(k);
  return others;
}

}  // namespace

Result<Topology> GenerateTopology(uint64_t seed, const TopologyShape& shape, std::string label) {
  if (shape.core < 3 || shape.core > kMaxCoreSites || shape.aggregation_per_core < 1 ||
      shape.aggregation_per_core > 16 || shape.access_per_aggregation > 64) {
    return Error(Errc::kBadTopology,
                 "generator: shape outside 3..12 cores, 1..16 aggregation "
                 "per core, 0..64 access per aggregation");
  }
  Rng rng(seed);
  Builder b(rng);
  std::vector<uint32_t> cores;
  for (size_t i = 0; i < shape.core; ++i) {
    const City& city = kCities[i];
    cores.push_back(b.AddNode("cr-" + std::string(city.code), Tier::kCore, city.x_km, city.y_km));
  }
  // A connected core: each site links to the nearest site added before it, then to its three
  // nearest sites overall (a partial mesh as in real backbones).
  for (size_t i = 1; i < cores.size(); ++i) {
    std::vector<uint32_t> before(cores.begin(), cores.begin() + static_cast<ptrdiff_t>(i + 1));
    b.AddLink(cores[i], Nearest(b.topology(), before, cores[i], 1).front(), LinkClass::kCoreCore);
  }
  for (uint32_t c : cores) {
    for (uint32_t n : Nearest(b.topology(), cores, c, 3)) b.AddLink(c, n, LinkClass::kCoreCore);
  }
  for (size_t s = 0; s < cores.size(); ++s) {
    const std::string city(kCities[s].code);
    const uint32_t second_core = Nearest(b.topology(), cores, cores[s], 1).front();
    std::vector<uint32_t> aggs;
    for (size_t j = 0; j < shape.aggregation_per_core; ++j) {
      aggs.push_back(b.AddNear("ag-" + city + "-" + std::to_string(j + 1), Tier::kAggregation,
                               cores[s], 20, 120));
      b.AddLink(aggs.back(), cores[s], LinkClass::kAggCore);
      b.AddLink(aggs.back(), second_core, LinkClass::kAggCore);
    }
    // A ring through the site's aggregation nodes (AddLink ignores the repeat when there are 2).
    for (size_t j = 0; aggs.size() > 1 && j < aggs.size(); ++j) {
      b.AddLink(aggs[j], aggs[(j + 1) % aggs.size()], LinkClass::kAggAgg);
    }
    for (size_t j = 0; j < aggs.size(); ++j) {
      // Dual-homed: to its aggregation node and the next one of the site (or the core).
      const uint32_t second = aggs.size() > 1 ? aggs[(j + 1) % aggs.size()] : cores[s];
      uint32_t previous = UINT32_MAX;
      for (size_t k = 0; k < shape.access_per_aggregation; ++k) {
        const uint32_t pe =
            b.AddNear("pe-" + city + "-" + std::to_string(j + 1) + "-" + std::to_string(k + 1),
                      Tier::kAccess, aggs[j], 5, 40);
        b.AddLink(pe, aggs[j], LinkClass::kAccess);
        b.AddLink(pe, second, LinkClass::kAccess);
        if (previous != UINT32_MAX && rng.Percent(15)) {
          b.AddLink(pe, previous, LinkClass::kAccess);
        }
        previous = pe;
      }
    }
  }
  Topology t = std::move(b).Take();
  t.label = std::move(label);
  TEEPNET_RETURN_IF_ERROR(ValidateTopology(t));
  return t;
}

Result<RequestBatch> GenerateRequests(const Topology& topology, uint64_t seed, size_t count,
                                      std::string label) {
  std::vector<uint32_t> access;
  std::vector<uint32_t> core;
  for (uint32_t i = 0; i < topology.nodes.size(); ++i) {
    if (topology.nodes[i].tier == Tier::kAccess) access.push_back(i);
    if (topology.nodes[i].tier == Tier::kCore) core.push_back(i);
  }
  std::vector<const Link*> core_links;
  for (const Link& l : topology.links) {
    if (topology.nodes[l.a].tier == Tier::kCore && topology.nodes[l.b].tier == Tier::kCore) {
      core_links.push_back(&l);
    }
  }
  if (access.size() < 2 || core.empty() || core_links.empty()) {
    return Error(Errc::kBadTopology, "generator: requests need two access nodes and a core");
  }
  constexpr std::array<uint64_t, 7> kBandwidths{50'000,    100'000,   200'000,  500'000,
                                                1'000'000, 2'000'000, 5'000'000};
  constexpr std::array<uint64_t, 6> kDelays{2'000, 4'000, 6'000, 8'000, 12'000, 20'000};
  Rng rng(seed ^ 0x5043452d72657173ULL);  // "PCE-reqs": not the topology's stream
  RequestBatch batch;
  batch.label = std::move(label);
  for (size_t i = 0; i < count; ++i) {
    PathRequest r;
    r.id = static_cast<uint32_t>(i + 1);
    const uint32_t src = access[rng.Below(access.size())];
    uint32_t dst = src;
    while (dst == src) dst = access[rng.Below(access.size())];
    r.src = topology.nodes[src].name;
    r.dst = topology.nodes[dst].name;
    r.bandwidth_kbps = kBandwidths[rng.Below(kBandwidths.size())];
    r.metric = static_cast<Metric>(rng.Below(kMetricCount));
    if (rng.Percent(60)) r.max_delay_us = kDelays[rng.Below(kDelays.size())];
    if (rng.Percent(40)) r.max_hops = 4 + rng.Below(7);
    if (rng.Percent(20)) {
      const uint64_t n = 1 + rng.Below(2);
      for (uint64_t k = 0; k < n; ++k) {
        const std::string& name = topology.nodes[core[rng.Below(core.size())]].name;
        if (std::find(r.exclude_nodes.begin(), r.exclude_nodes.end(), name) ==
            r.exclude_nodes.end()) {
          r.exclude_nodes.push_back(name);
        }
      }
    }
    if (rng.Percent(15)) {
      const Link& l = *core_links[rng.Below(core_links.size())];
      r.exclude_links.push_back(LinkRef{topology.nodes[l.a].name, topology.nodes[l.b].name});
    }
    batch.requests.push_back(std::move(r));
  }
  TEEPNET_RETURN_IF_ERROR(ValidateBatch(batch));
  return batch;
}

}  // namespace teepnet::workloads::pce
