#include "teepnet/suit/component_id.h"

#include "teepnet/base/hex.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {

std::string ComponentId::ToString() const {
  std::string out;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i != 0) out += '/';
    const Bytes& s = segments[i];
    bool printable = !s.empty();
    for (uint8_t c : s) printable = printable && c >= 0x21 && c <= 0x7e && c != '/';
    out += printable ? std::string(AsChars(s)) : ToHex(s);
  }
  return out;
}

void ComponentId::WriteTo(cbor::Writer& w) const {
  w.WriteArrayHeader(segments.size());
  for (const Bytes& s : segments) w.WriteBytes(s);
}

Bytes ComponentId::Encode() const {
  cbor::Writer w;
  WriteTo(w);
  return std::move(w).Take();
}

Result<ComponentId> ReadComponentId(cbor::Reader& r) {
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), "SUIT_Component_Identifier"));
  ComponentId id;
  id.segments.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ByteView segment;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&segment), "component identifier segment"));
    id.segments.push_back(ToBytes(segment));
  }
  return id;
}

ComponentId MakeComponentId(std::initializer_list<std::string_view> segments) {
  ComponentId id;
  for (std::string_view s : segments) id.segments.push_back(ToBytes(s));
  return id;
}

}  // namespace teepnet::suit
