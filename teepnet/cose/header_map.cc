#include "teepnet/cose/header_map.h"

#include "teepnet/cbor/map_builder.h"
#include "teepnet/cose/errc.h"

namespace teepnet::cose {

namespace {

Error Malformed(const std::string& what, size_t offset = kNoOffset) {
  return Error(Errc::kMalformed, what, offset);
}

Result<Label> ReadLabel(cbor::Reader& r) {
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  Label label;
  if (type == cbor::ItemType::kText) {
    std::string_view text;
    TEEPNET_RETURN_IF_ERROR(r.ReadText(&text));
    label.is_text = true;
    label.text = std::string(text);
    return label;
  }
  if (type != cbor::ItemType::kUnsigned && type != cbor::ItemType::kNegative) {
    // RFC 9052 §3: label = int / tstr.
    return Malformed("header label is neither int nor tstr", r.offset());
  }
  TEEPNET_RETURN_IF_ERROR(r.ReadInt(&label.number));
  return label;
}

}  // namespace

Result<HeaderMap> HeaderMap::Read(cbor::Reader& r) {
  size_t start = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type != cbor::ItemType::kMap) return Malformed("header bucket is not a map", start);
  size_t pairs = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadMapHeader(&pairs));
  HeaderMap map;
  map.keep_order_ = true;
  for (size_t i = 0; pairs == cbor::kIndefiniteLength ? !r.AtBreak() : i < pairs; ++i) {
    size_t at = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(Label label, ReadLabel(r));
    //= https://www.rfc-editor.org/rfc/rfc9052#section-3
    //# Labels in each of the maps MUST be unique.
    if (map.Has(label)) return Error(Errc::kDuplicateLabel, "header label repeated", at);
    ByteView value;
    TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&value));
    map.entries_.push_back(Entry{std::move(label), ToBytes(value)});
  }
  if (pairs == cbor::kIndefiniteLength) TEEPNET_RETURN_IF_ERROR(r.ReadBreak());
  return map;
}

Result<HeaderMap> HeaderMap::DecodeProtected(ByteView contents) {
  if (contents.empty()) return HeaderMap();
  cbor::Reader r(contents);
  auto map = Read(r);
  if (!map.ok()) return std::move(map).TakeError().WithContext("protected header: ");
  if (!r.AtEnd()) {
    return Error(Errc::kTrailingBytes, "bytes after the protected header map", r.offset());
  }
  return map;
}

bool HeaderMap::Has(const Label& label) const {
  for (const Entry& e : entries_) {
    if (e.label == label) return true;
  }
  return false;
}

const HeaderMap::Entry* HeaderMap::Find(int64_t label) const {
  for (const Entry& e : entries_) {
    if (!e.label.is_text && e.label.number == label) return &e;
  }
  return nullptr;
}

std::optional<ByteView> HeaderMap::Raw(int64_t label) const {
  const Entry* e = Find(label);
  if (e == nullptr) return std::nullopt;
  return ByteView(e->value);
}

Result<std::optional<int64_t>> HeaderMap::GetInt(int64_t label) const {
  const Entry* e = Find(label);
  if (e == nullptr) return std::optional<int64_t>();
  cbor::Reader r(e->value);
  int64_t value = 0;
  if (!r.ReadInt(&value).ok()) {
    return Error(Errc::kBadHeaderValue, "header " + std::to_string(label) + " is not an int");
  }
  return std::optional<int64_t>(value);
}

Result<std::optional<ByteView>> HeaderMap::GetBytes(int64_t label) const {
  const Entry* e = Find(label);
  if (e == nullptr) return std::optional<ByteView>();
  cbor::Reader r(e->value);
  ByteView value;
  if (!r.ReadBytes(&value).ok()) {
    return Error(Errc::kBadHeaderValue, "header " + std::to_string(label) + " is not a bstr");
  }
  return std::optional<ByteView>(value);
}

Result<std::optional<int64_t>> HeaderMap::GetAlg() const {
  const Entry* e = Find(kLabelAlg);
  if (e == nullptr) return std::optional<int64_t>();
  cbor::Reader r(e->value);
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type == cbor::ItemType::kText) {
    return Error(Errc::kUnsupportedAlgorithm, "text-named algorithms are not supported");
  }
  return GetInt(kLabelAlg);
}

HeaderMap& HeaderMap::SetRaw(Label label, ByteView encoded) {
  for (Entry& e : entries_) {
    if (e.label == label) {
      e.value = ToBytes(encoded);
      return *this;
    }
  }
  entries_.push_back(Entry{std::move(label), ToBytes(encoded)});
  return *this;
}

HeaderMap& HeaderMap::SetRaw(int64_t label, ByteView encoded) {
  Label l;
  l.number = label;
  return SetRaw(std::move(l), encoded);
}

HeaderMap& HeaderMap::SetInt(int64_t label, int64_t value) {
  cbor::Writer w;
  w.WriteInt(value);
  return SetRaw(label, w.bytes());
}

HeaderMap& HeaderMap::SetBytes(int64_t label, ByteView value) {
  cbor::Writer w;
  w.WriteBytes(value);
  return SetRaw(label, w.bytes());
}

HeaderMap& HeaderMap::SetText(int64_t label, std::string_view value) {
  cbor::Writer w;
  w.WriteText(value);
  return SetRaw(label, w.bytes());
}

HeaderMap& HeaderMap::SetCrit(const std::vector<int64_t>& labels) {
  cbor::Writer w;
  w.WriteArrayHeader(labels.size());
  for (int64_t l : labels) w.WriteInt(l);
  return SetRaw(kLabelCrit, w.bytes());
}

HeaderMap& HeaderMap::Remove(int64_t label) {
  std::erase_if(entries_,
                [&](const Entry& e) { return !e.label.is_text && e.label.number == label; });
  return *this;
}

Status HeaderMap::WriteTo(cbor::Writer& out) const {
  if (keep_order_) {
    out.WriteMapHeader(entries_.size());
    for (const Entry& e : entries_) {
      if (e.label.is_text) {
        out.WriteText(e.label.text);
      } else {
        out.WriteInt(e.label.number);
      }
      out.WriteRaw(e.value);
    }
    return OkStatus();
  }
  cbor::MapBuilder m;
  for (const Entry& e : entries_) {
    if (e.label.is_text) {
      m.Entry(e.label.text).WriteRaw(e.value);
    } else {
      m.Entry(e.label.number).WriteRaw(e.value);
    }
  }
  return m.WriteTo(out);
}

Result<Bytes> HeaderMap::EncodeProtected() const {
  if (entries_.empty()) return Bytes();
  cbor::Writer w;
  TEEPNET_RETURN_IF_ERROR(WriteTo(w));
  return std::move(w).Take();
}

}  // namespace teepnet::cose
