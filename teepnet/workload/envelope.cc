#include "teepnet/workload/envelope.h"

#include <set>
#include <string>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/map_builder.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"

namespace teepnet::workload {
namespace {

constexpr int64_t kKeyWorkload = 1;
constexpr int64_t kKeyParts = 2;
constexpr int64_t kKeyBulk = 3;
constexpr size_t kPartFields = 3;

Error Malformed(std::string what, size_t offset = kNoOffset) {
  return Error(channel::Errc::kMalformed, "workload: " + std::move(what), offset);
}

Status ReadName(cbor::Reader& r, const char* field, std::string* out) {
  const size_t at = r.offset();
  std::string_view text;
  if (!r.ReadText(&text).ok()) return Malformed(std::string(field) + " must be a tstr", at);
  if (!IsValidName(text)) {
    return Malformed(std::string(field) + " is not a name of [a-z0-9-] (1.." +
                         std::to_string(kMaxNameBytes) + " bytes)",
                     at);
  }
  *out = std::string(text);
  return OkStatus();
}

Status ReadPart(cbor::Reader& r, Part* part) {
  const size_t at = r.offset();
  size_t n = 0;
  if (!r.ReadArrayHeader(&n).ok() || n != kPartFields) {
    return Malformed("a part is [role, sealed, reply_key / null]", at);
  }
  TEEPNET_RETURN_IF_ERROR(ReadName(r, "role", &part->role));
  const size_t sealed_at = r.offset();
  ByteView sealed;
  if (!r.ReadBytes(&sealed).ok()) return Malformed("sealed must be a bstr", sealed_at);
  part->sealed = ToBytes(sealed);
  const size_t key_at = r.offset();
  auto type = r.PeekType();
  if (type.ok() && *type == cbor::ItemType::kNull) {
    if (!r.ReadNull().ok()) return Malformed("reply_key must be a bstr or null", key_at);
    part->reply_key.reset();
    return OkStatus();
  }
  ByteView key;
  if (!r.ReadBytes(&key).ok()) return Malformed("reply_key must be a bstr or null", key_at);
  if (key.size() != kX25519KeyBytes) {
    return Malformed("reply_key is not a 32-byte X25519 public key", key_at);
  }
  part->reply_key = ToBytes(key);
  return OkStatus();
}

}  // namespace

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string InputPurpose(std::string_view workload, std::string_view role) {
  return "workload/" + std::string(workload) + "/" + std::string(role);
}

std::string OutputPurpose(std::string_view workload, std::string_view role) {
  return "workload-result/" + std::string(workload) + "/" + std::string(role);
}

Result<Bytes> EncodeEnvelope(const Envelope& envelope) {
  if (!IsValidName(envelope.workload)) return Malformed("invalid workload name");
  if (envelope.parts.empty() || envelope.parts.size() > kMaxParts) {
    return Malformed("an envelope has 1.." + std::to_string(kMaxParts) + " parts");
  }
  std::set<std::string_view> roles;
  cbor::Writer parts;
  parts.WriteArrayHeader(envelope.parts.size());
  for (const Part& p : envelope.parts) {
    if (!IsValidName(p.role)) return Malformed("invalid role name");
    if (!roles.insert(p.role).second) return Malformed("role " + p.role + " appears twice");
    if (p.reply_key && p.reply_key->size() != kX25519KeyBytes) {
      return Malformed("reply_key is not a 32-byte X25519 public key");
    }
    parts.WriteArrayHeader(kPartFields);
    parts.WriteText(p.role);
    parts.WriteBytes(p.sealed);
    if (p.reply_key) {
      parts.WriteBytes(*p.reply_key);
    } else {
      parts.WriteNull();
    }
  }
  cbor::MapBuilder m;
  m.Entry(kKeyWorkload).WriteText(envelope.workload);
  m.Entry(kKeyParts).WriteRaw(std::move(parts).Take());
  if (envelope.bulk) m.Entry(kKeyBulk).WriteBytes(*envelope.bulk);
  return m.Encode();
}

Result<Envelope> DecodeEnvelope(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  size_t pairs = 0;
  if (!r.ReadMapHeader(&pairs).ok() || pairs < 2 || pairs > 3) {
    return Malformed("an envelope is a map {1: workload, 2: parts, ? 3: bulk}", 0);
  }
  Envelope out;
  bool have_workload = false;
  bool have_parts = false;
  uint64_t previous_key = 0;
  for (size_t i = 0; i < pairs; ++i) {
    const size_t key_at = r.offset();
    uint64_t key = 0;
    if (!r.ReadUint(&key).ok()) return Malformed("envelope keys are 1, 2, 3", key_at);
    // RFC 8949 §4.2.1: keys in bytewise order of their encodings, each once (the pull reader
    // leaves both to the schema).
    if (key <= previous_key) return Malformed("envelope keys out of order or repeated", key_at);
    previous_key = key;
    switch (key) {
      case kKeyWorkload:
        TEEPNET_RETURN_IF_ERROR(ReadName(r, "workload", &out.workload));
        have_workload = true;
        break;
      case kKeyParts: {
        const size_t at = r.offset();
        size_t n = 0;
        if (!r.ReadArrayHeader(&n).ok() || n == 0 || n > kMaxParts) {
          return Malformed("parts is an array of 1.." + std::to_string(kMaxParts), at);
        }
        std::set<std::string> roles;
        for (size_t j = 0; j < n; ++j) {
          const size_t part_at = r.offset();
          Part part;
          TEEPNET_RETURN_IF_ERROR(ReadPart(r, &part));
          if (!roles.insert(part.role).second) {
            return Malformed("role " + part.role + " appears twice", part_at);
          }
          out.parts.push_back(std::move(part));
        }
        have_parts = true;
        break;
      }
      case kKeyBulk: {
        const size_t at = r.offset();
        ByteView bulk;
        if (!r.ReadBytes(&bulk).ok()) return Malformed("bulk must be a bstr", at);
        out.bulk = ToBytes(bulk);
        break;
      }
      default: return Malformed("unknown envelope key " + std::to_string(key), key_at);
    }
  }
  if (!have_workload || !have_parts) return Malformed("an envelope needs keys 1 and 2", 0);
  if (auto s = r.ExpectEnd(); !s.ok()) return Malformed("bytes after the envelope", r.offset());
  return out;
}

Result<Bytes> EncodeResult(const std::map<std::string, Bytes>& sealed_by_role) {
  if (sealed_by_role.empty() || sealed_by_role.size() > kMaxParts) {
    return Malformed("a result has 1.." + std::to_string(kMaxParts) + " outputs");
  }
  cbor::MapBuilder m;
  for (const auto& [role, sealed] : sealed_by_role) {
    if (!IsValidName(role)) return Malformed("invalid role name");
    m.Entry(std::string_view(role)).WriteBytes(sealed);
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes out, m.Encode());
  if (out.size() > channel::kMaxReceiptResultBytes) {
    return Error(channel::Errc::kTooLarge, "workload: the outputs exceed " +
                                               std::to_string(channel::kMaxReceiptResultBytes) +
                                               " bytes");
  }
  return out;
}

Result<std::map<std::string, Bytes>> DecodeResult(ByteView bytes) {
  if (bytes.size() > channel::kMaxReceiptResultBytes) {
    return Error(channel::Errc::kTooLarge, "workload: result too large");
  }
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  size_t pairs = 0;
  if (!r.ReadMapHeader(&pairs).ok() || pairs == 0 || pairs > kMaxParts) {
    return Malformed("a result is a map of 1.." + std::to_string(kMaxParts) + " outputs", 0);
  }
  std::map<std::string, Bytes> out;
  std::string previous;
  for (size_t i = 0; i < pairs; ++i) {
    const size_t key_at = r.offset();
    std::string role;
    TEEPNET_RETURN_IF_ERROR(ReadName(r, "role", &role));
    // RFC 8949 §4.2.1 for text keys: the shorter encoding first, then bytewise; each once.
    if (i > 0 &&
        (role.size() < previous.size() || (role.size() == previous.size() && role <= previous))) {
      return Malformed("result roles out of order or repeated", key_at);
    }
    previous = role;
    const size_t at = r.offset();
    ByteView sealed;
    if (!r.ReadBytes(&sealed).ok()) return Malformed("an output must be a bstr", at);
    out.emplace(std::move(role), ToBytes(sealed));
  }
  if (!r.ExpectEnd().ok()) return Malformed("bytes after the result", r.offset());
  return out;
}

}  // namespace teepnet::workload
