// SUIT_Command_Sequence (draft-ietf-suit-manifest-37 §8.4.6): a flat CBOR array of
// (command-id, argument) pairs. Decoding checks the pairing, the length limit and the
// argument shape of every command this processor knows; unknown commands are kept (the
// processor refuses them when reached, so a section that never runs cannot fail on them).
//
// WARNING: commands borrow the sequence bytes; they must outlive the decoded sequence.
#ifndef TEEPNET_SUIT_COMMAND_SEQUENCE_H_
#define TEEPNET_SUIT_COMMAND_SEQUENCE_H_

#include <cstdint>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/limits.h"

namespace teepnet::suit {

struct CommandEntry {
  int64_t id = 0;
  ByteView argument;  // one complete encoded CBOR item
  size_t offset = 0;  // offset of the command id inside the sequence bytes
};

// Decodes the contents of a `bstr .cbor SUIT_Command_Sequence`.
Result<std::vector<CommandEntry>> DecodeCommandSequence(ByteView encoded, const Limits& limits);

// Reporting policy of a condition or directive whose argument is SUIT_Rep_Policy (a uint);
// 0 for commands whose argument is something else.
uint64_t ReportingPolicyOf(const CommandEntry& command);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_COMMAND_SEQUENCE_H_
