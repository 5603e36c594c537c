// SUIT_Component_Identifier (draft-ietf-suit-manifest-37 §8.4.5.1): a path of byte-string
// segments, e.g. ['TEEP-Device', 'SecureFS', h'8D82573A...', 'ta']. Owned, so it can key a
// store and outlive the envelope it came from.
#ifndef TEEPNET_SUIT_COMPONENT_ID_H_
#define TEEPNET_SUIT_COMPONENT_ID_H_

#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::suit {

struct ComponentId {
  std::vector<Bytes> segments;

  friend bool operator==(const ComponentId&, const ComponentId&) = default;
  friend auto operator<=>(const ComponentId&, const ComponentId&) = default;

  // Readable form for logs and tests: segments joined by '/', printable ASCII as text,
  // anything else as hex ("TEEP-Device/SecureFS/8d82573a.../ta").
  std::string ToString() const;
  void WriteTo(cbor::Writer& w) const;
  Bytes Encode() const;
};

// Reads `[* bstr]`.
Result<ComponentId> ReadComponentId(cbor::Reader& r);
// Builds an id from text segments (tests, tools).
ComponentId MakeComponentId(std::initializer_list<std::string_view> segments);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_COMPONENT_ID_H_
