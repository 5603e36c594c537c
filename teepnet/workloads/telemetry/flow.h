// One flow record as a flow exporter (IPFIX/NetFlow style) reports it, and the feature vector
// the anomaly model sees.
//
// The features are derived with +, -, *, / and frexp only (no libm transcendental calls): the
// checker and the static TA must compute bit-identical features, and glibc's log() may pick a
// different implementation per CPU and per link mode. IEEE 754 makes the basic operations
// exact-rounded, so the same record gives the same vector everywhere.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_FLOW_H_
#define TEEPNET_WORKLOADS_TELEMETRY_FLOW_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "teepnet/base/result.h"

namespace teepnet::workloads::telemetry {

// IANA protocol numbers.
inline constexpr uint8_t kProtocolTcp = 6;
inline constexpr uint8_t kProtocolUdp = 17;

struct FlowRecord {
  uint64_t id = 0;  // exporter's flow sequence number; strictly increasing within a batch
  uint8_t protocol = kProtocolTcp;
  uint16_t dst_port = 0;
  uint64_t duration_us = 0;
  uint64_t packets_out = 0;  // initiator -> responder
  uint64_t packets_in = 0;
  uint64_t bytes_out = 0;
  uint64_t bytes_in = 0;
  uint64_t syn = 0;  // TCP packets with the flag set, both directions (0 for UDP)
  uint64_t fin = 0;
  uint64_t rst = 0;
  uint64_t iat_mean_us = 0;  // packet inter-arrival time
  uint64_t iat_std_us = 0;

  friend bool operator==(const FlowRecord&, const FlowRecord&) = default;
};

// Errc::kBadRecord unless: protocol TCP or UDP; at least one packet; every counter below
// kMaxCounter; no more bytes-less packets than possible (bytes >= packets in each direction);
// flag counts within the packet count, and zero for UDP; id at most kMaxRecordId.
Status ValidateRecord(const FlowRecord& record);

// Service port classes of RFC 6335 §6: system (0-1023), user (1024-49151), dynamic (49152-).
enum class PortClass : uint8_t { kSystem = 0, kUser = 1, kDynamic = 2 };
PortClass PortClassOf(uint16_t port);

enum Feature : size_t {
  kLogDuration = 0,    // log2(1 + duration µs)
  kLogPackets,         // log2(1 + packets, both directions)
  kLogBytes,           // log2(1 + bytes, both directions)
  kLogBytesPerPacket,  // log2(1 + bytes / packets)
  kDirection,          // log2(1 + bytes out) - log2(1 + bytes in)
  kPortClass,          // 0, 1, 2 (PortClass)
  kSynRatio,           // syn / packets
  kRstRatio,           // rst / packets
  kFinRatio,           // fin / packets
  kLogIatMean,         // log2(1 + mean inter-arrival µs)
  kIatCv,              // std / mean of inter-arrival, capped at kMaxIatCv; 0 when mean is 0
  kIsUdp,              // 0 TCP, 1 UDP
  kFeatureCount,
};
inline constexpr double kMaxIatCv = 16;

std::string_view FeatureName(size_t feature);

using FeatureVector = std::array<double, kFeatureCount>;

// The record must have passed ValidateRecord (packets > 0).
FeatureVector FeaturesOf(const FlowRecord& record);

// log2(1 + x) for x >= 0 from frexp and a fixed polynomial: monotonic, within 0.01 of the true
// value, and bit-identical on every IEEE 754 machine (see the file comment).
double Log2OnePlus(double x);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_FLOW_H_
