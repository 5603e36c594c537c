#include "teepnet/workloads/telemetry/generator.h"

#include <algorithm>
#include <cmath>

#include "teepnet/workloads/telemetry/rng.h"

namespace teepnet::workloads::telemetry {
namespace {

// Header sizes that bound per-packet byte counts: a bare TCP segment with options, a full
// Ethernet-MTU packet.
constexpr double kMinTcpPacket = 40;
constexpr double kMtuPacket = 1500;
constexpr double kSecond = 1e6;  // µs

class Draw {
 public:
  explicit Draw(uint64_t seed) : rng_(seed) {}

  Rng& rng() { return rng_; }

  double Normal() {
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const double u = 1.0 - rng_.Uniform();
    const double v = rng_.Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  // A count of at least `floor`, from a log-normal.
  uint64_t Count(double median, double sigma, uint64_t floor) {
    const double v = std::round(LogNormal(median, sigma));
    return std::max<uint64_t>(floor, static_cast<uint64_t>(std::min(v, 1e9)));
  }
  uint64_t Bytes(uint64_t packets, double median_size, double sigma, double lo, double hi) {
    const double size = std::clamp(LogNormal(median_size, sigma), lo, hi);
    return static_cast<uint64_t>(std::round(size * static_cast<double>(packets)));
  }
  uint64_t Micros(double median, double sigma) {
    return static_cast<uint64_t>(std::min(std::round(LogNormal(median, sigma)), 1e13));
  }

 private:
  Rng rng_;
};

// Inter-arrival statistics of `packets` packets spread over `duration_us` with a coefficient
// of variation around `cv_median`.
void SetTiming(FlowRecord& r, Draw& d, double cv_median, double cv_sigma) {
  const uint64_t packets = r.packets_out + r.packets_in;
  if (packets < 2) {
    r.iat_mean_us = 0;
    r.iat_std_us = 0;
    return;
  }
  r.iat_mean_us = r.duration_us / (packets - 1);
  r.iat_std_us = static_cast<uint64_t>(
      std::round(static_cast<double>(r.iat_mean_us) * d.LogNormal(cv_median, cv_sigma)));
}

void TcpHandshake(FlowRecord& r, Draw& d, double fin_chance, double rst_chance) {
  r.protocol = kProtocolTcp;
  r.syn = 2;  // SYN and SYN/ACK
  r.fin = d.rng().Chance(fin_chance) ? 2 : 0;
  r.rst = d.rng().Chance(rst_chance) ? 1 : 0;
}

uint16_t WebPort(Draw& d) {
  const double u = d.rng().Uniform();
  if (u < 0.8) return 443;
  if (u < 0.95) return 80;
  return 8080;
}

void Web(FlowRecord& r, Draw& d) {
  r.dst_port = WebPort(d);
  r.packets_out = d.Count(10, 0.9, 4);
  r.packets_in = std::max<uint64_t>(
      3, static_cast<uint64_t>(static_cast<double>(r.packets_out) * d.LogNormal(1.4, 0.4)));
  r.bytes_out = d.Bytes(r.packets_out, 180, 0.5, kMinTcpPacket, kMtuPacket);
  r.bytes_in = d.Bytes(r.packets_in, 900, 0.5, kMinTcpPacket, kMtuPacket);
  r.duration_us = d.Micros(1.5 * kSecond, 1.2);
  TcpHandshake(r, d, 0.9, 0.08);
  SetTiming(r, d, 1.2, 0.4);
}

void Dns(FlowRecord& r, Draw& d) {
  r.protocol = kProtocolUdp;
  r.dst_port = 53;
  r.packets_out = 1;
  r.packets_in = d.rng().Chance(0.95) ? 1 : 0;  // an unanswered query now and then
  r.bytes_out = d.rng().Between(52, 96);
  r.bytes_in = r.packets_in * d.rng().Between(80, 512);
  r.duration_us = r.packets_in ? d.Micros(20'000, 0.8) : 0;
  SetTiming(r, d, 0.01, 0.1);
  r.iat_std_us = 0;  // one interval has no spread
}

void Download(FlowRecord& r, Draw& d) {
  r.dst_port = d.rng().Chance(0.85) ? 443 : 873;
  r.packets_in = d.Count(20'000, 1.0, 100);
  r.packets_out = static_cast<uint64_t>(static_cast<double>(r.packets_in) *
                                        d.rng().Uniform(0.3, 0.6));  // delayed ACKs
  r.bytes_in = d.Bytes(r.packets_in, 1420, 0.02, 1200, kMtuPacket);
  r.bytes_out = d.Bytes(r.packets_out, 56, 0.1, kMinTcpPacket, 80);
  r.duration_us = d.Micros(60 * kSecond, 0.8);
  TcpHandshake(r, d, 0.95, 0.03);
  SetTiming(r, d, 1.5, 0.4);
}

void Upload(FlowRecord& r, Draw& d) {  // backup and cloud sync
  r.dst_port = 443;
  r.packets_out = d.Count(30'000, 1.0, 100);
  r.packets_in =
      static_cast<uint64_t>(static_cast<double>(r.packets_out) * d.rng().Uniform(0.3, 0.6));
  r.bytes_out = d.Bytes(r.packets_out, 1420, 0.02, 1200, kMtuPacket);
  r.bytes_in = d.Bytes(r.packets_in, 56, 0.1, kMinTcpPacket, 80);
  r.duration_us = d.Micros(120 * kSecond, 0.8);
  TcpHandshake(r, d, 0.95, 0.03);
  SetTiming(r, d, 1.5, 0.4);
}

void Streaming(FlowRecord& r, Draw& d) {
  const bool quic = d.rng().Chance(0.7);
  r.protocol = quic ? kProtocolUdp : kProtocolTcp;
  r.dst_port = 443;
  r.duration_us = d.Micros(600 * kSecond, 0.7);
  const double seconds = static_cast<double>(r.duration_us) / kSecond;
  r.packets_in = std::max<uint64_t>(10, static_cast<uint64_t>(seconds * d.LogNormal(250, 0.5)));
  r.packets_out =
      static_cast<uint64_t>(static_cast<double>(r.packets_in) * d.rng().Uniform(0.1, 0.3));
  r.bytes_in = d.Bytes(r.packets_in, 1300, 0.05, 1000, kMtuPacket);
  r.bytes_out = d.Bytes(r.packets_out, 80, 0.2, kMinTcpPacket, 200);
  if (!quic) TcpHandshake(r, d, 0.9, 0.05);
  SetTiming(r, d, 0.6, 0.3);
}

void Ssh(FlowRecord& r, Draw& d) {
  r.dst_port = 22;
  r.duration_us = d.Micros(300 * kSecond, 1.2);
  r.packets_out = d.Count(800, 1.0, 20);
  r.packets_in =
      static_cast<uint64_t>(static_cast<double>(r.packets_out) * d.rng().Uniform(0.8, 1.5));
  r.bytes_out = d.Bytes(r.packets_out, 110, 0.3, kMinTcpPacket, 400);
  r.bytes_in = d.Bytes(r.packets_in, 150, 0.4, kMinTcpPacket, kMtuPacket);
  TcpHandshake(r, d, 0.95, 0.05);
  SetTiming(r, d, 2.5, 0.4);
}

void PortScan(FlowRecord& r, Draw& d) {
  r.protocol = kProtocolTcp;
  if (d.rng().Chance(0.25)) {
    // Connect scan of a well-known service: a full handshake, then an immediate reset.
    static constexpr uint16_t kCommon[] = {21, 22, 23, 25, 80, 110, 143, 443, 445, 3389};
    r.dst_port = kCommon[d.rng().Below(std::size(kCommon))];
    r.packets_out = 3;
    r.packets_in = 2;
    r.syn = 2;
    r.rst = 1;
    r.bytes_out = 3 * d.rng().Between(40, 60);
    r.bytes_in = 2 * d.rng().Between(40, 60);
    r.duration_us = d.Micros(2'000, 0.8);
    SetTiming(r, d, 0.5, 0.3);
    return;
  }
  // SYN probe of a random port: closed (RST/ACK back), filtered (no answer) or open (SYN/ACK,
  // which the scanner resets).
  r.dst_port = static_cast<uint16_t>(d.rng().Between(1, 65535));
  const double u = d.rng().Uniform();
  r.syn = 1;
  if (u < 0.6) {
    r.packets_out = 1;
    r.packets_in = 1;
    r.rst = 1;
  } else if (u < 0.9) {
    r.packets_out = d.rng().Chance(0.5) ? 1 : 2;  // a retransmitted probe
    r.packets_in = 0;
    r.syn = r.packets_out;
  } else {
    r.packets_out = 2;
    r.packets_in = 1;
    r.syn = 2;
    r.rst = 1;
  }
  r.bytes_out = r.packets_out * d.rng().Between(40, 60);
  r.bytes_in = r.packets_in * d.rng().Between(40, 60);
  const uint64_t packets = r.packets_out + r.packets_in;
  r.duration_us = packets > 1 ? d.Micros(300, 0.8) : 0;
  SetTiming(r, d, 0.3, 0.3);
}

void VolumetricDos(FlowRecord& r, Draw& d) {
  r.packets_out = d.Count(50'000, 1.0, 2'000);
  r.packets_in = 0;
  r.duration_us = d.Micros(20 * kSecond, 0.7);
  if (d.rng().Chance(0.35)) {
    // SYN flood: every packet a bare SYN, never answered.
    r.protocol = kProtocolTcp;
    r.dst_port = d.rng().Chance(0.7) ? 443 : 80;
    r.syn = r.packets_out;
    r.bytes_out = d.Bytes(r.packets_out, 54, 0.05, kMinTcpPacket, 60);
  } else {
    // UDP flood, reflected (large answers from DNS/NTP/memcached) or direct.
    static constexpr uint16_t kReflectors[] = {53, 123, 11211, 1900, 443};
    r.protocol = kProtocolUdp;
    r.dst_port = kReflectors[d.rng().Below(std::size(kReflectors))];
    const double size = d.rng().Chance(0.5) ? 1200 : 100;
    r.bytes_out = d.Bytes(r.packets_out, size, 0.1, 60, kMtuPacket);
  }
  SetTiming(r, d, 0.2, 0.4);
}

void SlowExfiltration(FlowRecord& r, Draw& d) {
  const bool mild = d.rng().Chance(0.3);
  r.protocol = kProtocolTcp;
  static constexpr uint16_t kPorts[] = {443, 8443, 4444, 53, 995};
  r.dst_port = mild ? 443 : kPorts[d.rng().Below(std::size(kPorts))];
  r.duration_us = d.Micros(2 * 3600 * kSecond, 0.5);
  r.packets_out = d.Count(3'000, 0.8, 50);
  r.packets_in =
      static_cast<uint64_t>(static_cast<double>(r.packets_out) * d.rng().Uniform(0.5, 1.0));
  r.bytes_out = d.Bytes(r.packets_out, 1100, 0.2, 200, kMtuPacket);
  r.bytes_in = d.Bytes(r.packets_in, 56, 0.1, kMinTcpPacket, 80);
  TcpHandshake(r, d, mild ? 0.9 : 0.2, 0.02);
  // Beaconing is regular; the mild variant jitters like ordinary traffic.
  if (mild) {
    SetTiming(r, d, 1.0, 0.4);
  } else {
    SetTiming(r, d, 0.1, 0.5);
  }
}

void BruteForce(FlowRecord& r, Draw& d) {
  r.dst_port = d.rng().Chance(0.7) ? 22 : 3389;
  r.packets_out = d.Count(12, 0.3, 6);
  r.packets_in = d.Count(12, 0.3, 5);
  r.bytes_out = d.Bytes(r.packets_out, 90, 0.3, kMinTcpPacket, 300);
  r.bytes_in = d.Bytes(r.packets_in, 120, 0.3, kMinTcpPacket, 400);
  r.duration_us = d.Micros(1.5 * kSecond, 0.4);
  TcpHandshake(r, d, 0.5, 0.6);
  SetTiming(r, d, 1.0, 0.3);
}

FlowClass PickNormal(Rng& rng) {
  const double u = rng.Uniform();
  if (u < 0.52) return FlowClass::kWeb;
  if (u < 0.77) return FlowClass::kDns;
  if (u < 0.83) return FlowClass::kDownload;
  if (u < 0.86) return FlowClass::kUpload;
  if (u < 0.92) return FlowClass::kStreaming;
  return FlowClass::kSsh;
}

FlowClass PickAnomaly(Rng& rng) {
  const double u = rng.Uniform();
  if (u < 0.3) return FlowClass::kPortScan;
  if (u < 0.5) return FlowClass::kVolumetricDos;
  if (u < 0.75) return FlowClass::kSlowExfiltration;
  return FlowClass::kBruteForce;
}

void Fill(FlowClass cls, FlowRecord& r, Draw& d) {
  switch (cls) {
    case FlowClass::kWeb: return Web(r, d);
    case FlowClass::kDns: return Dns(r, d);
    case FlowClass::kDownload: return Download(r, d);
    case FlowClass::kUpload: return Upload(r, d);
    case FlowClass::kStreaming: return Streaming(r, d);
    case FlowClass::kSsh: return Ssh(r, d);
    case FlowClass::kPortScan: return PortScan(r, d);
    case FlowClass::kVolumetricDos: return VolumetricDos(r, d);
    case FlowClass::kSlowExfiltration: return SlowExfiltration(r, d);
    case FlowClass::kBruteForce: return BruteForce(r, d);
  }
}

}  // namespace

bool IsAnomaly(FlowClass cls) {
  return cls >= FlowClass::kPortScan;
}

std::string_view FlowClassName(FlowClass cls) {
  switch (cls) {
    case FlowClass::kWeb: return "web";
    case FlowClass::kDns: return "dns";
    case FlowClass::kDownload: return "download";
    case FlowClass::kUpload: return "upload";
    case FlowClass::kStreaming: return "streaming";
    case FlowClass::kSsh: return "ssh";
    case FlowClass::kPortScan: return "port-scan";
    case FlowClass::kVolumetricDos: return "volumetric-dos";
    case FlowClass::kSlowExfiltration: return "slow-exfiltration";
    case FlowClass::kBruteForce: return "brute-force";
  }
  return "unknown";
}

std::vector<LabelledFlow> GenerateFlows(const GeneratorOptions& options) {
  Draw d(options.seed);
  std::vector<LabelledFlow> flows;
  flows.reserve(options.count);
  for (size_t i = 0; i < options.count; ++i) {
    LabelledFlow f;
    f.cls = d.rng().Chance(options.anomaly_rate) ? PickAnomaly(d.rng()) : PickNormal(d.rng());
    f.record.id = options.first_id + i;
    Fill(f.cls, f.record, d);
    flows.push_back(f);
  }
  return flows;
}

}  // namespace teepnet::workloads::telemetry
