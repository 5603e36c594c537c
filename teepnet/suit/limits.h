// Named limits that bound the work one untrusted SUIT envelope can cause. Each has its own
// suit::Errc so a refusal says which bound was hit. The defaults fit every published example
// with room to spare (the largest, a TEEP personalization envelope, is 701 bytes with one
// component and 12 commands per sequence).
#ifndef TEEPNET_SUIT_LIMITS_H_
#define TEEPNET_SUIT_LIMITS_H_

#include <cstddef>

namespace teepnet::suit {

struct Limits {
  // Whole envelope, integrated payloads included. Errc::kEnvelopeTooLarge.
  size_t max_envelope_size = size_t{16} << 20;
  // Entries in suit-components plus suit-dependencies. Errc::kTooManyComponents.
  size_t max_components = 64;
  // Commands (id/argument pairs) in one command sequence. Errc::kSequenceTooLong.
  size_t max_commands = 256;
  // try-each / run-sequence / process-dependency frames open at once. Errc::kNestingTooDeep.
  size_t max_nesting = 8;
  // COSE blocks in the authentication wrapper. Errc::kTooManyAuthBlocks.
  size_t max_auth_blocks = 8;
};

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_LIMITS_H_
