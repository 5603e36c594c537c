// How the TEEP encoders order option-map keys. Both orders are deterministic (the same
// message always encodes to the same bytes) and always use preferred serialization.
#ifndef TEEPNET_TEEP_ENCODE_OPTIONS_H_
#define TEEPNET_TEEP_ENCODE_OPTIONS_H_

#include <cstdint>

namespace teepnet::teep {

enum class KeyOrder : uint8_t {
  // RFC 8949 §4.2.1 Core Deterministic Encoding: keys in bytewise lexicographic order of
  // their encodings (for uint labels: ascending). The default for messages we send.
  kDeterministic,
  // The order of the draft's CDDL, token first, as every example in the draft (and so every
  // official vector) is written: `{ token, selected-version, attestation-payload, tc-list }`.
  // Extensions follow the defined fields in ascending label order. Used to reproduce the
  // vectors byte for byte; peers accept either order (the strict decoder does not require
  // sorted keys, and signatures cover the bytes as sent).
  kDraftExample,
};

struct EncodeOptions {
  KeyOrder key_order = KeyOrder::kDeterministic;
};

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_ENCODE_OPTIONS_H_
