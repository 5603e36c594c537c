#include "teepnet/channel/bundle.h"

#include <string>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"

namespace teepnet::channel {
namespace {

constexpr uint64_t kKeyTa = 1;
constexpr uint64_t kKeyPd = 2;
constexpr uint64_t kKeyUa = 3;

Error Malformed(std::string what, size_t offset) {
  return Error(Errc::kMalformed, "bundle: " + std::move(what), offset);
}

// Reads `key` (the next map key, which must be exactly that uint) and its bstr value.
Status ReadEntry(cbor::Reader& r, uint64_t key, const char* name, ByteView* value) {
  const size_t at = r.offset();
  uint64_t got = 0;
  if (!r.ReadUint(&got).ok() || got != key) {
    return Malformed("expected key " + std::to_string(key) + " (" + name + ")", at);
  }
  const size_t value_at = r.offset();
  if (!r.ReadBytes(value).ok()) return Malformed(std::string(name) + " must be a bstr", value_at);
  return OkStatus();
}

}  // namespace

Bytes EncodeBundle(ByteView ta, ByteView pd, std::optional<ByteView> ua) {
  cbor::Writer w(ta.size() + pd.size() + (ua ? ua->size() : 0) + 32);
  w.WriteMapHeader(ua ? 3 : 2);
  w.WriteUint(kKeyTa);
  w.WriteBytes(ta);
  w.WriteUint(kKeyPd);
  w.WriteBytes(pd);
  if (ua) {
    w.WriteUint(kKeyUa);
    w.WriteBytes(*ua);
  }
  return std::move(w).Take();
}

Result<Bundle> DecodeBundle(ByteView bytes) {
  if (bytes.size() > kMaxBundleBytes) {
    return Error(Errc::kTooLarge, "bundle exceeds " + std::to_string(kMaxBundleBytes) + " bytes");
  }
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || (n != 2 && n != 3)) {
    return Malformed("not a map of 2 or 3 entries", 0);
  }
  // Keys ascend (1, 2, 3) in the only deterministic order, so reading them in sequence also
  // refuses duplicates and unknown keys.
  ByteView ta;
  ByteView pd;
  TEEPNET_RETURN_IF_ERROR(ReadEntry(r, kKeyTa, "ta", &ta));
  if (ta.size() < kMinExecutableBytes) return Malformed("the TA executable is empty", r.offset());
  TEEPNET_RETURN_IF_ERROR(ReadEntry(r, kKeyPd, "pd", &pd));
  Bundle out;
  if (n == 3) {
    ByteView ua;
    TEEPNET_RETURN_IF_ERROR(ReadEntry(r, kKeyUa, "ua", &ua));
    if (ua.size() < kMinExecutableBytes) return Malformed("the UA executable is empty", r.offset());
    out.ua = ToBytes(ua);
  }
  if (!r.ExpectEnd().ok()) return Malformed("bytes after the bundle map", r.offset());
  out.ta = ToBytes(ta);
  out.pd = SecretBytes(pd);
  return out;
}

}  // namespace teepnet::channel
