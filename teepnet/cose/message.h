// Shared pieces of every COSE message codec: CBOR tags (RFC 9052 §2), tag handling, the
// array head and the trailing-bytes rule.
#ifndef TEEPNET_COSE_MESSAGE_H_
#define TEEPNET_COSE_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::cose {

// RFC 9052 §2 Table 1.
enum class MessageTag : uint64_t {
  kEncrypt0 = 16,
  kMac0 = 17,
  kSign1 = 18,
  kEncrypt = 96,
  kMac = 97,
  kSign = 98,
};

// Whether the caller expects the message's CBOR tag. The type itself is always known from
// context: RFC 9052 §2 lets an application omit the tag when the type is known.
enum class Tagging : uint8_t {
  kOptional,  // accept tagged (with the right tag) and untagged
  kRequired,  // the right tag must be present
  kUntagged,  // no tag allowed
};

// The reader profile for messages: definite or indefinite lengths, any key order, but
// well-formed and no trailing bytes.
cbor::DecodeOptions MessageDecodeOptions();

// Reads the optional tag and the array head of a message that must have `min_size` to
// `max_size` members. Fails with kWrongTag / kMalformed.
Result<size_t> ReadMessageStart(cbor::Reader& r, MessageTag tag, Tagging tagging, size_t min_size,
                                size_t max_size, std::string_view name);
// Fails with kTrailingBytes unless the reader consumed everything.
Status ExpectMessageEnd(cbor::Reader& r, std::string_view name);
// Reads `bstr / nil` (payload or ciphertext). nullopt for nil.
Result<std::optional<ByteView>> ReadBytesOrNil(cbor::Reader& r, std::string_view what);
// Reads a bstr with a kMalformed error naming `what`.
Result<ByteView> ReadBstr(cbor::Reader& r, std::string_view what);

void WriteMessageStart(cbor::Writer& w, MessageTag tag, bool tagged, size_t size);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_MESSAGE_H_
