// Helpers shared by the SUIT decoders: the CBOR profile, mapping CBOR failures onto
// suit::Errc::kMalformed (keeping the offset and naming the field), and duplicate-key checks.
#ifndef TEEPNET_SUIT_DECODE_UTIL_H_
#define TEEPNET_SUIT_DECODE_UTIL_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"

namespace teepnet::suit {

// SUIT structures are CBOR with definite lengths and preferred serialization
// (draft-ietf-suit-manifest-37 §8.1: "SUIT_Envelope ... MUST be encoded with ... definite
// length"); map key order is not required to be sorted.
cbor::DecodeOptions SuitDecodeOptions();

// A failed CBOR read becomes kMalformed naming `field`, with the CBOR reason in the message
// and the offset kept.
Status Wrap(Status status, std::string_view field);

// The type of the next item, a CBOR failure mapped as by Wrap.
Result<cbor::ItemType> PeekType(const cbor::Reader& r, std::string_view field);

// Rejects a key seen before in the same map (RFC 8949 §5.6: such a map is not valid).
class KeySet {
 public:
  Status Add(int64_t key, size_t offset, std::string_view map_name);

 private:
  std::vector<int64_t> keys_;
};

// Reads a `bstr .cbor X`: returns the contents; `raw` (optional) gets the whole encoded bstr,
// head included, which is what SUIT digests cover.
Status ReadWrappedBstr(cbor::Reader& r, std::string_view field, ByteView* contents,
                       ByteView* raw = nullptr);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_DECODE_UTIL_H_
