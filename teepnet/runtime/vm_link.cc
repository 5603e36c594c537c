#include "teepnet/runtime/vm_link.h"

#include <array>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

bool KnownKind(uint8_t kind) {
  return kind >= static_cast<uint8_t>(LinkKind::kHello) &&
         kind <= static_cast<uint8_t>(LinkKind::kEvidence);
}

void WriteString(ByteWriter& w, const std::string& s) {
  w.WriteBeU32(static_cast<uint32_t>(s.size()));
  w.WriteBytes(AsBytes(s));
}

bool ReadStrings(ByteReader& r, std::vector<std::string>& out) {
  uint32_t count = 0;
  if (!r.ReadBeU32(&count) || count > kMaxGuestConfigEntries) return false;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t length = 0;
    ByteView bytes;
    if (!r.ReadBeU32(&length) || length > kMaxGuestConfigString || !r.ReadBytes(length, &bytes)) {
      return false;
    }
    std::string s(bytes.begin(), bytes.end());
    // argv and environ entries are C strings.
    if (s.find('\0') != std::string::npos) return false;
    out.push_back(std::move(s));
  }
  return true;
}

}  // namespace

uint32_t Crc32(ByteView data) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t b : data) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Bytes EncodeLinkFrame(LinkKind kind, ByteView payload) {
  ByteWriter w(kLinkHeaderBytes + payload.size() + kLinkTrailerBytes);
  w.WriteU8(kLinkMagic0);
  w.WriteU8(kLinkMagic1);
  w.WriteU8(static_cast<uint8_t>(kind));
  w.WriteBeU32(static_cast<uint32_t>(payload.size()));
  w.WriteBytes(payload);
  const ByteView covered = ByteView(w.bytes()).subspan(2);
  w.WriteBeU32(Crc32(covered));
  return std::move(w).Take();
}

void AppendDataFrames(Bytes& out, ByteView stream) {
  while (!stream.empty()) {
    const size_t n = std::min(stream.size(), kMaxLinkPayload);
    Append(out, EncodeLinkFrame(LinkKind::kData, stream.first(n)));
    stream = stream.subspan(n);
  }
}

void LinkDecoder::Feed(ByteView bytes) {
  if (error_) return;
  // Compact once the consumed prefix dominates, so the buffer stays about one frame long.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<ptrdiff_t>(start_));
    start_ = 0;
  }
  Append(buffer_, bytes);
}

Result<std::optional<LinkFrame>> LinkDecoder::Next() {
  if (error_) return *error_;
  ByteReader r(ByteView(buffer_).subspan(start_));
  uint8_t magic0 = 0, magic1 = 0, kind = 0;
  uint32_t length = 0;
  if (!r.ReadU8(&magic0) || !r.ReadU8(&magic1) || !r.ReadU8(&kind) || !r.ReadBeU32(&length)) {
    // A wrong magic is refused as soon as it arrives, not after a whole header.
    if (buffered() >= 1 && buffer_[start_] != kLinkMagic0) {
      error_ = Error(Errc::kBadFrame, "vm link: bad magic", start_);
      return *error_;
    }
    return std::optional<LinkFrame>();
  }
  if (magic0 != kLinkMagic0 || magic1 != kLinkMagic1) {
    error_ = Error(Errc::kBadFrame, "vm link: bad magic", start_);
    return *error_;
  }
  if (!KnownKind(kind)) {
    error_ = Error(Errc::kBadFrame, "vm link: unknown frame kind", start_ + 2);
    return *error_;
  }
  if (length > max_payload_) {
    error_ = Error(Errc::kFrameTooLarge, "vm link: frame of " + std::to_string(length) + " bytes",
                   start_ + 3);
    return *error_;
  }
  ByteView payload;
  uint32_t crc = 0;
  if (!r.ReadBytes(length, &payload) || !r.ReadBeU32(&crc)) return std::optional<LinkFrame>();
  const ByteView covered = ByteView(buffer_).subspan(start_ + 2, 1 + 4 + length);
  if (Crc32(covered) != crc) {
    error_ = Error(Errc::kBadFrame, "vm link: CRC mismatch", start_ + kLinkHeaderBytes + length);
    return *error_;
  }
  LinkFrame frame{static_cast<LinkKind>(kind), ToBytes(payload)};
  start_ += kLinkHeaderBytes + length + kLinkTrailerBytes;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return std::optional<LinkFrame>(std::move(frame));
}

Bytes EncodeTaExit(const TaExitReport& report) {
  ByteWriter w(5);
  w.WriteU8(report.signaled ? 1 : 0);
  w.WriteBeU32(report.value);
  return std::move(w).Take();
}

Result<TaExitReport> DecodeTaExit(ByteView payload) {
  ByteReader r(payload);
  uint8_t signaled = 0;
  TaExitReport report;
  if (!r.ReadU8(&signaled) || !r.ReadBeU32(&report.value) || !r.AtEnd() || signaled > 1) {
    return Error(Errc::kBadFrame, "vm link: malformed TA exit report", r.failure_offset());
  }
  report.signaled = signaled == 1;
  return report;
}

Bytes EncodeEvidenceReply(const EvidenceReply& reply) {
  ByteWriter w;
  w.WriteU8(reply.ok ? 0 : 1);
  w.WriteBytes(reply.ok ? ByteView(reply.evidence) : AsBytes(reply.reason));
  return std::move(w).Take();
}

Result<EvidenceReply> DecodeEvidenceReply(ByteView payload) {
  if (payload.empty() || payload[0] > 1) {
    return Error(Errc::kBadFrame, "vm link: malformed evidence reply");
  }
  EvidenceReply reply;
  reply.ok = payload[0] == 0;
  if (reply.ok) {
    reply.evidence = ToBytes(payload.subspan(1));
  } else {
    reply.reason = std::string(AsChars(payload.subspan(1)));
  }
  return reply;
}

Bytes EncodeGuestConfig(const GuestConfig& config) {
  ByteWriter w;
  w.WriteBeU32(static_cast<uint32_t>(config.args.size()));
  for (const std::string& a : config.args) WriteString(w, a);
  w.WriteBeU32(static_cast<uint32_t>(config.env.size()));
  for (const std::string& e : config.env) WriteString(w, e);
  return std::move(w).Take();
}

Result<GuestConfig> DecodeGuestConfig(ByteView bytes) {
  if (bytes.size() > kMaxGuestConfigBytes) {
    return Error(Errc::kBadFrame, "guest config above kMaxGuestConfigBytes");
  }
  ByteReader r(bytes);
  GuestConfig config;
  if (!ReadStrings(r, config.args) || !ReadStrings(r, config.env)) {
    return Error(Errc::kBadFrame, "guest config: malformed list", r.failure_offset());
  }
  if (!r.AtEnd()) return Error(Errc::kBadFrame, "guest config: trailing bytes", r.position());
  return config;
}

}  // namespace teepnet::runtime
