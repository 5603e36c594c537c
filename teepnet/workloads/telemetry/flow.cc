#include "teepnet/workloads/telemetry/flow.h"

#include <cmath>
#include <string>

#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"

namespace teepnet::workloads::telemetry {
namespace {

Error BadRecord(const FlowRecord& r, const std::string& what) {
  return Error(Errc::kBadRecord, "flow " + std::to_string(r.id) + ": " + what);
}

double Ratio(uint64_t part, uint64_t whole) {
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

Status ValidateRecord(const FlowRecord& r) {
  if (r.id > kMaxRecordId) return BadRecord(r, "id above 2^32 - 1");
  if (r.protocol != kProtocolTcp && r.protocol != kProtocolUdp) {
    return BadRecord(r, "protocol is neither TCP (6) nor UDP (17)");
  }
  for (uint64_t v : {r.duration_us, r.packets_out, r.packets_in, r.bytes_out, r.bytes_in, r.syn,
                     r.fin, r.rst, r.iat_mean_us, r.iat_std_us}) {
    if (v >= kMaxCounter) return BadRecord(r, "a counter is not below 2^48");
  }
  const uint64_t packets = r.packets_out + r.packets_in;
  if (packets == 0) return BadRecord(r, "no packets");
  if (r.bytes_out < r.packets_out || r.bytes_in < r.packets_in) {
    return BadRecord(r, "fewer bytes than packets");
  }
  if (r.protocol == kProtocolUdp && (r.syn | r.fin | r.rst) != 0) {
    return BadRecord(r, "TCP flags on a UDP flow");
  }
  if (r.syn > packets || r.fin > packets || r.rst > packets) {
    return BadRecord(r, "more flagged packets than packets");
  }
  return OkStatus();
}

PortClass PortClassOf(uint16_t port) {
  if (port < 1024) return PortClass::kSystem;
  if (port < 49152) return PortClass::kUser;
  return PortClass::kDynamic;
}

std::string_view FeatureName(size_t feature) {
  switch (feature) {
    case kLogDuration: return "log-duration";
    case kLogPackets: return "log-packets";
    case kLogBytes: return "log-bytes";
    case kLogBytesPerPacket: return "log-bytes-per-packet";
    case kDirection: return "direction";
    case kPortClass: return "port-class";
    case kSynRatio: return "syn-ratio";
    case kRstRatio: return "rst-ratio";
    case kFinRatio: return "fin-ratio";
    case kLogIatMean: return "log-iat-mean";
    case kIatCv: return "iat-cv";
    case kIsUdp: return "is-udp";
    default: return "unknown";
  }
}

double Log2OnePlus(double x) {
  int exponent = 0;
  // 1 + x = m * 2^exponent with m in [0.5, 1); log2(1 + x) = (exponent - 1) + log2(1 + t)
  // for t = 2m - 1 in [0, 1). frexp and 2m - 1 are exact.
  const double m = std::frexp(1.0 + x, &exponent);
  const double t = 2.0 * m - 1.0;
  // Least-squares cubic for log2(1 + t) on [0, 1] through (0, 0) and (1, 1): continuous across
  // octaves, increasing, maximum error 0.0011.
  constexpr double kA = 1.4208645374301365;
  constexpr double kB = -0.577250650806566;
  constexpr double kC = 1.0 - kA - kB;
  return static_cast<double>(exponent - 1) + t * (kA + t * (kB + t * kC));
}

FeatureVector FeaturesOf(const FlowRecord& r) {
  const uint64_t packets = r.packets_out + r.packets_in;
  const uint64_t bytes = r.bytes_out + r.bytes_in;
  FeatureVector f{};
  f[kLogDuration] = Log2OnePlus(static_cast<double>(r.duration_us));
  f[kLogPackets] = Log2OnePlus(static_cast<double>(packets));
  f[kLogBytes] = Log2OnePlus(static_cast<double>(bytes));
  f[kLogBytesPerPacket] = Log2OnePlus(Ratio(bytes, packets));
  f[kDirection] =
      Log2OnePlus(static_cast<double>(r.bytes_out)) - Log2OnePlus(static_cast<double>(r.bytes_in));
  f[kPortClass] = static_cast<double>(PortClassOf(r.dst_port));
  f[kSynRatio] = Ratio(r.syn, packets);
  f[kRstRatio] = Ratio(r.rst, packets);
  f[kFinRatio] = Ratio(r.fin, packets);
  f[kLogIatMean] = Log2OnePlus(static_cast<double>(r.iat_mean_us));
  double cv = 0;
  if (r.iat_mean_us > 0) cv = Ratio(r.iat_std_us, r.iat_mean_us);
  f[kIatCv] = cv < kMaxIatCv ? cv : kMaxIatCv;
  f[kIsUdp] = r.protocol == kProtocolUdp ? 1.0 : 0.0;
  return f;
}

}  // namespace teepnet::workloads::telemetry
