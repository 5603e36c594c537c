#include "teepnet/cbor/map_builder.h"

#include <algorithm>
#include <vector>

#include "teepnet/cbor/errc.h"

namespace teepnet::cbor {

Writer& MapBuilder::Entry(int64_t key) {
  Writer k;
  k.WriteInt(key);
  return EntryWithEncodedKey(k.bytes());
}

Writer& MapBuilder::Entry(std::string_view text_key) {
  Writer k;
  k.WriteText(text_key);
  return EntryWithEncodedKey(k.bytes());
}

Writer& MapBuilder::EntryWithEncodedKey(ByteView encoded_key) {
  entries_.push_back(PendingEntry{ToBytes(encoded_key), Writer()});
  return entries_.back().value;
}

void MapBuilder::AddEncoded(ByteView encoded_key, ByteView encoded_value) {
  EntryWithEncodedKey(encoded_key).WriteRaw(encoded_value);
}

Status MapBuilder::WriteTo(Writer& out) const {
  std::vector<const PendingEntry*> order;
  order.reserve(entries_.size());
  for (const PendingEntry& e : entries_) order.push_back(&e);
  // RFC 8949 §4.2.1: "The keys in every map MUST be sorted in the bytewise lexicographic
  // order of their deterministic encodings."
  std::sort(order.begin(), order.end(), [](const PendingEntry* a, const PendingEntry* b) {
    return std::lexicographical_compare(a->key.begin(), a->key.end(), b->key.begin(), b->key.end());
  });
  for (size_t i = 1; i < order.size(); ++i) {
    if (order[i - 1]->key == order[i]->key) {
      return Error(Errc::kDuplicateMapKey, "map key added twice");
    }
  }
  out.WriteMapHeader(order.size());
  for (const PendingEntry* e : order) {
    out.WriteRaw(e->key);
    out.WriteRaw(e->value.bytes());
  }
  return OkStatus();
}

Result<Bytes> MapBuilder::Encode() const {
  Writer w;
  TEEPNET_RETURN_IF_ERROR(WriteTo(w));
  return std::move(w).Take();
}

}  // namespace teepnet::cbor
