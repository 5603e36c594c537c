// MapBuilder: builds a map whose keys are in Core Deterministic order (RFC 8949 §4.2.1:
// "sorted in the bytewise lexicographic order of their deterministic encodings"), whatever
// order the entries are added in.
//
//   cbor::MapBuilder m;
//   m.Entry(1).WriteInt(-7);        // alg: ES256
//   m.Entry(4).WriteBytes(kid);     // kid
//   TEEPNET_RETURN_IF_ERROR(m.WriteTo(writer));
#ifndef TEEPNET_CBOR_MAP_BUILDER_H_
#define TEEPNET_CBOR_MAP_BUILDER_H_

#include <cstdint>
#include <deque>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::cbor {

class MapBuilder {
 public:
  // Starts an entry and returns the writer for its value; write exactly one item to it.
  // The reference stays valid for the builder's lifetime.
  Writer& Entry(int64_t key);
  Writer& Entry(std::string_view text_key);
  // An entry whose key is any pre-encoded item.
  Writer& EntryWithEncodedKey(ByteView encoded_key);
  // An entry from pre-encoded key and value.
  void AddEncoded(ByteView encoded_key, ByteView encoded_value);

  size_t size() const { return entries_.size(); }

  // Appends the map head and the entries sorted by encoded key. Fails with
  // Errc::kDuplicateMapKey when two keys encode the same (RFC 8949 §5.6).
  Status WriteTo(Writer& out) const;
  // WriteTo into a fresh buffer.
  Result<Bytes> Encode() const;

 private:
  struct PendingEntry {
    Bytes key;
    Writer value;
  };
  std::deque<PendingEntry> entries_;
};

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_MAP_BUILDER_H_
