#include "teepnet/workloads/telemetry/schema.h"

#include <cmath>

#include "teepnet/workloads/telemetry/errc.h"

namespace teepnet::workloads::telemetry::schema {
namespace {

Error Wrap(std::string_view what, size_t offset, const Error& cause) {
  return Error(Errc::kMalformed, std::string(what) + ": " + cause.ToString(), offset);
}

}  // namespace

Error Malformed(std::string_view what, size_t offset) {
  return Error(Errc::kMalformed, std::string(what), offset);
}

Status ExpectMap(cbor::Reader& r, size_t pairs, std::string_view what) {
  const size_t at = r.offset();
  size_t n = 0;
  if (auto s = r.ReadMapHeader(&n); !s.ok()) return Wrap(what, at, s.error());
  if (n != pairs) {
    return Malformed(std::string(what) + " must be a map of " + std::to_string(pairs) + " entries",
                     at);
  }
  return OkStatus();
}

Status ExpectKey(cbor::Reader& r, uint64_t key, std::string_view what) {
  const size_t at = r.offset();
  uint64_t got = 0;
  if (auto s = r.ReadUint(&got); !s.ok()) return Wrap(what, at, s.error());
  if (got != key) {
    return Malformed(std::string(what) + ": expected key " + std::to_string(key) + ", found " +
                         std::to_string(got) + " (keys are 1..n, ascending, once each)",
                     at);
  }
  return OkStatus();
}

Status ReadArray(cbor::Reader& r, size_t min, size_t max, std::string_view what, size_t* n) {
  const size_t at = r.offset();
  if (auto s = r.ReadArrayHeader(n); !s.ok()) return Wrap(what, at, s.error());
  if (*n > max) {
    return Error(Errc::kTooLarge,
                 std::string(what) + " has more than " + std::to_string(max) + " entries", at);
  }
  if (*n < min) {
    return Malformed(std::string(what) + " has fewer than " + std::to_string(min) + " entries", at);
  }
  return OkStatus();
}

Status ReadUint(cbor::Reader& r, uint64_t max, std::string_view what, uint64_t* out) {
  const size_t at = r.offset();
  if (auto s = r.ReadUint(out); !s.ok()) return Wrap(what, at, s.error());
  if (*out > max) {
    return Malformed(std::string(what) + " above " + std::to_string(max), at);
  }
  return OkStatus();
}

Status ReadFiniteFloat(cbor::Reader& r, std::string_view what, double* out) {
  const size_t at = r.offset();
  if (auto s = r.ReadFloat(out); !s.ok()) return Wrap(what, at, s.error());
  if (!std::isfinite(*out)) return Malformed(std::string(what) + " is not finite", at);
  return OkStatus();
}

Status ReadText(cbor::Reader& r, size_t max_bytes, std::string_view what, std::string* out) {
  const size_t at = r.offset();
  std::string_view text;
  if (auto s = r.ReadText(&text); !s.ok()) return Wrap(what, at, s.error());
  if (text.size() > max_bytes) {
    return Error(Errc::kTooLarge,
                 std::string(what) + " longer than " + std::to_string(max_bytes) + " bytes", at);
  }
  *out = std::string(text);
  return OkStatus();
}

Status ReadBytesOfSize(cbor::Reader& r, size_t size, std::string_view what, ByteView* out) {
  const size_t at = r.offset();
  if (auto s = r.ReadBytes(out); !s.ok()) return Wrap(what, at, s.error());
  if (out->size() != size) {
    return Malformed(std::string(what) + " is not " + std::to_string(size) + " bytes", at);
  }
  return OkStatus();
}

Status ReadBytes(cbor::Reader& r, size_t max_bytes, std::string_view what, ByteView* out) {
  const size_t at = r.offset();
  if (auto s = r.ReadBytes(out); !s.ok()) return Wrap(what, at, s.error());
  if (out->size() > max_bytes) {
    return Error(Errc::kTooLarge,
                 std::string(what) + " longer than " + std::to_string(max_bytes) + " bytes", at);
  }
  return OkStatus();
}

Status ExpectEnd(cbor::Reader& r, std::string_view what) {
  const size_t at = r.offset();
  if (auto s = r.ExpectEnd(); !s.ok()) return Wrap(what, at, s.error());
  return OkStatus();
}

}  // namespace teepnet::workloads::telemetry::schema
