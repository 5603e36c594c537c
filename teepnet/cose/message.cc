#include "teepnet/cose/message.h"

#include <string>

#include "teepnet/cose/errc.h"

namespace teepnet::cose {

cbor::DecodeOptions MessageDecodeOptions() {
  cbor::DecodeOptions o = cbor::DecodeOptions::Lenient();
  o.allow_trailing_bytes = false;
  return o;
}

Result<size_t> ReadMessageStart(cbor::Reader& r, MessageTag tag, Tagging tagging, size_t min_size,
                                size_t max_size, std::string_view name) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type == cbor::ItemType::kTag) {
    size_t at = r.offset();
    uint64_t got = 0;
    TEEPNET_RETURN_IF_ERROR(r.ReadTag(&got));
    if (tagging == Tagging::kUntagged) {
      return Error(Errc::kWrongTag, std::string(name) + " must be untagged here", at);
    }
    if (got != static_cast<uint64_t>(tag)) {
      return Error(Errc::kWrongTag, std::string(name) + " carries CBOR tag " + std::to_string(got),
                   at);
    }
    TEEPNET_ASSIGN_OR_RETURN(type, r.PeekType());
  } else if (tagging == Tagging::kRequired) {
    return Error(Errc::kWrongTag, std::string(name) + " tag missing", r.offset());
  }
  size_t at = r.offset();
  if (type != cbor::ItemType::kArray) {
    return Error(Errc::kMalformed, std::string(name) + " is not an array", at);
  }
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
  if (n == cbor::kIndefiniteLength || n < min_size || n > max_size) {
    return Error(Errc::kMalformed, std::string(name) + " has the wrong number of members", at);
  }
  return n;
}

Status ExpectMessageEnd(cbor::Reader& r, std::string_view name) {
  if (!r.AtEnd()) {
    return Error(Errc::kTrailingBytes, std::string("bytes after the ") + std::string(name),
                 r.offset());
  }
  return OkStatus();
}

Result<std::optional<ByteView>> ReadBytesOrNil(cbor::Reader& r, std::string_view what) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type == cbor::ItemType::kNull) {
    TEEPNET_RETURN_IF_ERROR(r.ReadNull());
    return std::optional<ByteView>();
  }
  TEEPNET_ASSIGN_OR_RETURN(ByteView b, ReadBstr(r, what));
  return std::optional<ByteView>(b);
}

Result<ByteView> ReadBstr(cbor::Reader& r, std::string_view what) {
  size_t at = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type != cbor::ItemType::kBytes) {
    return Error(Errc::kMalformed, std::string(what) + " is not a bstr", at);
  }
  ByteView b;
  TEEPNET_RETURN_IF_ERROR(r.ReadBytes(&b));
  return b;
}

void WriteMessageStart(cbor::Writer& w, MessageTag tag, bool tagged, size_t size) {
  if (tagged) w.WriteTag(static_cast<uint64_t>(tag));
  w.WriteArrayHeader(size);
}

}  // namespace teepnet::cose
