#include "teepnet/workloads/pce/codec.h"

#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/limits.h"

namespace teepnet::workloads::pce {
namespace {

constexpr size_t kTopologyFields = 3;
constexpr size_t kNodeFields = 4;
constexpr size_t kLinkFields = 8;
constexpr size_t kBatchFields = 2;
constexpr size_t kRequestFields = 9;
constexpr size_t kUserFields = 2;
constexpr size_t kResultFields = 5;
constexpr size_t kProviderFields = 4;
constexpr size_t kReservationFields = 3;

// Reads one message through a deterministic cbor::Reader; every failure becomes a pce error
// naming the message and field, at the offset where the field starts.
class Decoder {
 public:
  Decoder(ByteView input, std::string_view message)
      : r_(input, cbor::DecodeOptions::Deterministic()), message_(message) {}

  Error Malformed(std::string_view field, std::string_view what, size_t at) const {
    return Error(Errc::kMalformed,
                 std::string(message_) + ": " + std::string(field) + " " + std::string(what), at);
  }

  // An array of exactly `fields` members.
  Status Record(size_t fields, std::string_view field) {
    const size_t at = r_.offset();
    size_t n = 0;
    if (!r_.ReadArrayHeader(&n).ok() || n != fields) {
      return Malformed(field, "is not an array of " + std::to_string(fields), at);
    }
    return OkStatus();
  }
  // An array of at most `limit` members.
  Status List(size_t limit, std::string_view field, size_t* n) {
    const size_t at = r_.offset();
    if (!r_.ReadArrayHeader(n).ok()) return Malformed(field, "is not an array", at);
    if (*n > limit) {
      return Error(Errc::kTooLarge,
                   std::string(message_) + ": " + std::string(field) + " has more than " +
                       std::to_string(limit) + " entries",
                   at);
    }
    return OkStatus();
  }
  Status Uint(std::string_view field, uint64_t max, uint64_t* out) {
    const size_t at = r_.offset();
    if (!r_.ReadUint(out).ok()) return Malformed(field, "is not an unsigned integer", at);
    if (*out > max) return Malformed(field, "is above " + std::to_string(max), at);
    return OkStatus();
  }
  Status Uint32(std::string_view field, uint32_t* out) {
    uint64_t v = 0;
    TEEPNET_RETURN_IF_ERROR(Uint(field, std::numeric_limits<uint32_t>::max(), &v));
    *out = static_cast<uint32_t>(v);
    return OkStatus();
  }
  Status Int32(std::string_view field, int32_t* out) {
    const size_t at = r_.offset();
    int64_t v = 0;
    if (!r_.ReadInt(&v).ok() || v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      return Malformed(field, "is not a 32-bit integer", at);
    }
    *out = static_cast<int32_t>(v);
    return OkStatus();
  }
  Status OptionalUint(std::string_view field, uint64_t max, std::optional<uint64_t>* out) {
    auto type = r_.PeekType();
    if (type.ok() && *type == cbor::ItemType::kNull) {
      (void)r_.ReadNull();
      out->reset();
      return OkStatus();
    }
    uint64_t v = 0;
    TEEPNET_RETURN_IF_ERROR(Uint(field, max, &v));
    *out = v;
    return OkStatus();
  }
  Status Text(std::string_view field, size_t limit, std::string* out) {
    const size_t at = r_.offset();
    std::string_view text;
    if (!r_.ReadText(&text).ok()) return Malformed(field, "is not a text string", at);
    if (text.size() > limit) {
      return Error(Errc::kTooLarge,
                   std::string(message_) + ": " + std::string(field) + " is longer than " +
                       std::to_string(limit) + " bytes",
                   at);
    }
    *out = std::string(text);
    return OkStatus();
  }
  Status End() {
    const size_t at = r_.offset();
    if (!r_.ExpectEnd().ok()) return Malformed("message", "has bytes after it", at);
    return OkStatus();
  }

 private:
  cbor::Reader r_;
  std::string_view message_;
};

Status CheckSize(ByteView bytes, size_t limit, std::string_view message) {
  if (bytes.size() > limit) {
    return Error(Errc::kTooLarge,
                 std::string(message) + " exceeds " + std::to_string(limit) + " bytes");
  }
  return OkStatus();
}

Result<Bytes> Finish(cbor::Writer& w, size_t limit, std::string_view message) {
  TEEPNET_RETURN_IF_ERROR(CheckSize(w.bytes(), limit, message));
  return std::move(w).Take();
}

Error BadOutput(std::string what) {
  return Error(Errc::kBadOutput, std::move(what));
}

Status ValidateUserOutput(const UserOutput& out) {
  if (out.results.size() > kMaxRequests) return Error(Errc::kTooLarge, "user: too many results");
  for (const PathResult& r : out.results) {
    const std::string at = "user: result " + std::to_string(r.id) + " ";
    if (static_cast<uint64_t>(r.outcome) >= kOutcomeCount) return BadOutput(at + "bad outcome");
    if (r.nodes.size() > kMaxNodes) return Error(Errc::kTooLarge, at + "path too long");
    for (const std::string& n : r.nodes) {
      if (!IsValidNodeName(n)) return BadOutput(at + "bad node name");
    }
    if (r.outcome == Outcome::kFound) {
      if (r.nodes.size() < 2) return BadOutput(at + "is found without a path");
    } else if (!r.nodes.empty() || r.cost != 0 || r.delay_us != 0) {
      return BadOutput(at + "has a path but no outcome found");
    }
  }
  return OkStatus();
}

Status ValidateProviderOutput(const ProviderOutput& out) {
  if (out.served > out.requests) return BadOutput("provider: served more than requested");
  if (out.requests > kMaxRequests) return Error(Errc::kTooLarge, "provider: too many requests");
  if (out.reservations.size() > 2 * kMaxLinks) {
    return Error(Errc::kTooLarge, "provider: too many reservations");
  }
  for (size_t i = 0; i < out.reservations.size(); ++i) {
    const Reservation& r = out.reservations[i];
    if (r.direction > 1) return BadOutput("provider: reservation direction is 0 or 1");
    if (r.kbps == 0) return BadOutput("provider: reservation of 0 kbps");
    if (i > 0) {
      const Reservation& p = out.reservations[i - 1];
      if (std::pair(p.link, p.direction) >= std::pair(r.link, r.direction)) {
        return BadOutput("provider: reservations not sorted by (link, direction) or repeated");
      }
    }
  }
  return OkStatus();
}

}  // namespace

// ----- topology --------------------------------------------------------------------------------

Result<Bytes> EncodeTopology(const Topology& t) {
  TEEPNET_RETURN_IF_ERROR(ValidateTopology(t));
  cbor::Writer w;
  w.WriteArrayHeader(kTopologyFields);
  w.WriteText(t.label);
  w.WriteArrayHeader(t.nodes.size());
  for (const Node& n : t.nodes) {
    w.WriteArrayHeader(kNodeFields);
    w.WriteText(n.name);
    w.WriteUint(static_cast<uint64_t>(n.tier));
    w.WriteInt(n.x_km);
    w.WriteInt(n.y_km);
  }
  w.WriteArrayHeader(t.links.size());
  for (const Link& l : t.links) {
    w.WriteArrayHeader(kLinkFields);
    w.WriteUint(l.a);
    w.WriteUint(l.b);
    w.WriteUint(l.igp_metric);
    w.WriteUint(l.te_metric);
    w.WriteUint(l.delay_us);
    w.WriteUint(l.capacity_kbps);
    w.WriteUint(l.utilised_ab_kbps);
    w.WriteUint(l.utilised_ba_kbps);
  }
  return Finish(w, kMaxTopologyBytes, "topology");
}

Result<Topology> DecodeTopology(ByteView bytes) {
  TEEPNET_RETURN_IF_ERROR(CheckSize(bytes, kMaxTopologyBytes, "topology"));
  Decoder d(bytes, "topology");
  Topology t;
  TEEPNET_RETURN_IF_ERROR(d.Record(kTopologyFields, "topology"));
  TEEPNET_RETURN_IF_ERROR(d.Text("label", kMaxLabelBytes, &t.label));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(d.List(kMaxNodes, "nodes", &n));
  t.nodes.resize(n);
  for (Node& node : t.nodes) {
    TEEPNET_RETURN_IF_ERROR(d.Record(kNodeFields, "node"));
    TEEPNET_RETURN_IF_ERROR(d.Text("node name", kMaxNameBytes, &node.name));
    uint64_t tier = 0;
    TEEPNET_RETURN_IF_ERROR(d.Uint("tier", kTierCount - 1, &tier));
    node.tier = static_cast<Tier>(tier);
    TEEPNET_RETURN_IF_ERROR(d.Int32("x_km", &node.x_km));
    TEEPNET_RETURN_IF_ERROR(d.Int32("y_km", &node.y_km));
  }
  TEEPNET_RETURN_IF_ERROR(d.List(kMaxLinks, "links", &n));
  t.links.resize(n);
  for (Link& l : t.links) {
    TEEPNET_RETURN_IF_ERROR(d.Record(kLinkFields, "link"));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("a", &l.a));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("b", &l.b));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("igp_metric", &l.igp_metric));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("te_metric", &l.te_metric));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("delay_us", &l.delay_us));
    TEEPNET_RETURN_IF_ERROR(d.Uint("capacity_kbps", kMaxCapacityKbps, &l.capacity_kbps));
    TEEPNET_RETURN_IF_ERROR(d.Uint("utilised_ab_kbps", kMaxCapacityKbps, &l.utilised_ab_kbps));
    TEEPNET_RETURN_IF_ERROR(d.Uint("utilised_ba_kbps", kMaxCapacityKbps, &l.utilised_ba_kbps));
  }
  TEEPNET_RETURN_IF_ERROR(d.End());
  TEEPNET_RETURN_IF_ERROR(ValidateTopology(t));
  return t;
}

// ----- request batch ---------------------------------------------------------------------------

Result<Bytes> EncodeBatch(const RequestBatch& batch) {
  TEEPNET_RETURN_IF_ERROR(ValidateBatch(batch));
  cbor::Writer w;
  w.WriteArrayHeader(kBatchFields);
  w.WriteText(batch.label);
  w.WriteArrayHeader(batch.requests.size());
  for (const PathRequest& r : batch.requests) {
    w.WriteArrayHeader(kRequestFields);
    w.WriteUint(r.id);
    w.WriteText(r.src);
    w.WriteText(r.dst);
    w.WriteUint(r.bandwidth_kbps);
    w.WriteUint(static_cast<uint64_t>(r.metric));
    if (r.max_delay_us) {
      w.WriteUint(*r.max_delay_us);
    } else {
      w.WriteNull();
    }
    if (r.max_hops) {
      w.WriteUint(*r.max_hops);
    } else {
      w.WriteNull();
    }
    w.WriteArrayHeader(r.exclude_nodes.size());
    for (const std::string& n : r.exclude_nodes) w.WriteText(n);
    w.WriteArrayHeader(r.exclude_links.size());
    for (const LinkRef& l : r.exclude_links) {
      w.WriteArrayHeader(2);
      w.WriteText(l.a);
      w.WriteText(l.b);
    }
  }
  return Finish(w, kMaxBatchBytes, "batch");
}

Result<RequestBatch> DecodeBatch(ByteView bytes) {
  TEEPNET_RETURN_IF_ERROR(CheckSize(bytes, kMaxBatchBytes, "batch"));
  Decoder d(bytes, "batch");
  RequestBatch batch;
  TEEPNET_RETURN_IF_ERROR(d.Record(kBatchFields, "batch"));
  TEEPNET_RETURN_IF_ERROR(d.Text("label", kMaxLabelBytes, &batch.label));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(d.List(kMaxRequests, "requests", &n));
  batch.requests.resize(n);
  for (PathRequest& r : batch.requests) {
    TEEPNET_RETURN_IF_ERROR(d.Record(kRequestFields, "request"));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("id", &r.id));
    TEEPNET_RETURN_IF_ERROR(d.Text("src", kMaxNameBytes, &r.src));
    TEEPNET_RETURN_IF_ERROR(d.Text("dst", kMaxNameBytes, &r.dst));
    TEEPNET_RETURN_IF_ERROR(d.Uint("bandwidth_kbps", kMaxCapacityKbps, &r.bandwidth_kbps));
    uint64_t metric = 0;
    TEEPNET_RETURN_IF_ERROR(d.Uint("metric", kMetricCount - 1, &metric));
    r.metric = static_cast<Metric>(metric);
    TEEPNET_RETURN_IF_ERROR(d.OptionalUint("max_delay_us", kMaxDelayBoundUs, &r.max_delay_us));
    TEEPNET_RETURN_IF_ERROR(d.OptionalUint("max_hops", kMaxHopBound, &r.max_hops));
    TEEPNET_RETURN_IF_ERROR(d.List(kMaxExclusions, "exclude_nodes", &n));
    r.exclude_nodes.resize(n);
    for (std::string& name : r.exclude_nodes) {
      TEEPNET_RETURN_IF_ERROR(d.Text("excluded node", kMaxNameBytes, &name));
    }
    TEEPNET_RETURN_IF_ERROR(d.List(kMaxExclusions, "exclude_links", &n));
    r.exclude_links.resize(n);
    for (LinkRef& link : r.exclude_links) {
      TEEPNET_RETURN_IF_ERROR(d.Record(2, "excluded link"));
      TEEPNET_RETURN_IF_ERROR(d.Text("excluded link end", kMaxNameBytes, &link.a));
      TEEPNET_RETURN_IF_ERROR(d.Text("excluded link end", kMaxNameBytes, &link.b));
    }
  }
  TEEPNET_RETURN_IF_ERROR(d.End());
  TEEPNET_RETURN_IF_ERROR(ValidateBatch(batch));
  return batch;
}

// ----- outputs ---------------------------------------------------------------------------------

Result<Bytes> EncodeUserOutput(const UserOutput& out) {
  TEEPNET_RETURN_IF_ERROR(ValidateUserOutput(out));
  cbor::Writer w;
  w.WriteArrayHeader(kUserFields);
  w.WriteUint(out.compute_ns);
  w.WriteArrayHeader(out.results.size());
  for (const PathResult& r : out.results) {
    w.WriteArrayHeader(kResultFields);
    w.WriteUint(r.id);
    w.WriteUint(static_cast<uint64_t>(r.outcome));
    w.WriteArrayHeader(r.nodes.size());
    for (const std::string& n : r.nodes) w.WriteText(n);
    w.WriteUint(r.cost);
    w.WriteUint(r.delay_us);
  }
  return Finish(w, kMaxOutputBytes, "user output");
}

Result<UserOutput> DecodeUserOutput(ByteView bytes) {
  TEEPNET_RETURN_IF_ERROR(CheckSize(bytes, kMaxOutputBytes, "user output"));
  Decoder d(bytes, "user output");
  UserOutput out;
  TEEPNET_RETURN_IF_ERROR(d.Record(kUserFields, "user output"));
  TEEPNET_RETURN_IF_ERROR(d.Uint("compute_ns", UINT64_MAX, &out.compute_ns));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(d.List(kMaxRequests, "results", &n));
  out.results.resize(n);
  for (PathResult& r : out.results) {
    TEEPNET_RETURN_IF_ERROR(d.Record(kResultFields, "result"));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("id", &r.id));
    uint64_t outcome = 0;
    TEEPNET_RETURN_IF_ERROR(d.Uint("outcome", kOutcomeCount - 1, &outcome));
    r.outcome = static_cast<Outcome>(outcome);
    TEEPNET_RETURN_IF_ERROR(d.List(kMaxNodes, "path", &n));
    r.nodes.resize(n);
    for (std::string& name : r.nodes) {
      TEEPNET_RETURN_IF_ERROR(d.Text("path node", kMaxNameBytes, &name));
    }
    TEEPNET_RETURN_IF_ERROR(d.Uint("cost", UINT64_MAX, &r.cost));
    TEEPNET_RETURN_IF_ERROR(d.Uint("delay_us", UINT64_MAX, &r.delay_us));
  }
  TEEPNET_RETURN_IF_ERROR(d.End());
  TEEPNET_RETURN_IF_ERROR(ValidateUserOutput(out));
  return out;
}

Result<Bytes> EncodeProviderOutput(const ProviderOutput& out) {
  TEEPNET_RETURN_IF_ERROR(ValidateProviderOutput(out));
  cbor::Writer w;
  w.WriteArrayHeader(kProviderFields);
  w.WriteUint(out.requests);
  w.WriteUint(out.served);
  w.WriteUint(out.compute_ns);
  w.WriteArrayHeader(out.reservations.size());
  for (const Reservation& r : out.reservations) {
    w.WriteArrayHeader(kReservationFields);
    w.WriteUint(r.link);
    w.WriteUint(r.direction);
    w.WriteUint(r.kbps);
  }
  return Finish(w, kMaxOutputBytes, "provider output");
}

Result<ProviderOutput> DecodeProviderOutput(ByteView bytes) {
  TEEPNET_RETURN_IF_ERROR(CheckSize(bytes, kMaxOutputBytes, "provider output"));
  Decoder d(bytes, "provider output");
  ProviderOutput out;
  TEEPNET_RETURN_IF_ERROR(d.Record(kProviderFields, "provider output"));
  TEEPNET_RETURN_IF_ERROR(d.Uint("requests", kMaxRequests, &out.requests));
  TEEPNET_RETURN_IF_ERROR(d.Uint("served", kMaxRequests, &out.served));
  TEEPNET_RETURN_IF_ERROR(d.Uint("compute_ns", UINT64_MAX, &out.compute_ns));
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(d.List(2 * kMaxLinks, "reservations", &n));
  out.reservations.resize(n);
  for (Reservation& r : out.reservations) {
    TEEPNET_RETURN_IF_ERROR(d.Record(kReservationFields, "reservation"));
    TEEPNET_RETURN_IF_ERROR(d.Uint32("link", &r.link));
    uint64_t direction = 0;
    TEEPNET_RETURN_IF_ERROR(d.Uint("direction", 1, &direction));
    r.direction = static_cast<uint8_t>(direction);
    TEEPNET_RETURN_IF_ERROR(d.Uint("kbps", UINT64_MAX, &r.kbps));
  }
  TEEPNET_RETURN_IF_ERROR(d.End());
  TEEPNET_RETURN_IF_ERROR(ValidateProviderOutput(out));
  return out;
}

}  // namespace teepnet::workloads::pce
