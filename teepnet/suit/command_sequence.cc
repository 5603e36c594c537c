#include "teepnet/suit/command_sequence.h"

#include <string>

#include "teepnet/cbor/reader.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/ids.h"

namespace teepnet::suit {
namespace {

bool TakesReportingPolicy(int64_t id) {
  switch (static_cast<Command>(id)) {
    case Command::kVendorIdentifier:
    case Command::kClassIdentifier:
    case Command::kImageMatch:
    case Command::kComponentSlot:
    case Command::kCheckContent:
    case Command::kDependencyIntegrity:
    case Command::kIsDependency:
    case Command::kProcessDependency:
    case Command::kAbort:
    case Command::kWrite:
    case Command::kFetch:
    case Command::kCopy:
    case Command::kInvoke:
    case Command::kDeviceIdentifier:
    case Command::kSwap:
    case Command::kUnlink: return true;
    default: return false;
  }
}

// Checks the argument shape the CDDL gives each known command (manifest-37 §8.4.10).
Status CheckArgument(int64_t id, ByteView argument, size_t offset) {
  cbor::Reader r(argument, SuitDecodeOptions());
  const std::string what(CommandName(id));
  auto bad = [&](std::string_view expected) {
    return Error(Errc::kMalformed, what + " argument must be " + std::string(expected), offset);
  };
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, PeekType(r, what));
  if (TakesReportingPolicy(id)) {
    if (type != cbor::ItemType::kUnsigned) return bad("a SUIT_Rep_Policy uint");
    return OkStatus();
  }
  switch (static_cast<Command>(id)) {
    case Command::kSetComponentIndex: {
      if (type == cbor::ItemType::kUnsigned || type == cbor::ItemType::kTrue) return OkStatus();
      if (type != cbor::ItemType::kArray) return bad("uint, true or [+ uint]");
      size_t n = 0;
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), what));
      if (n == 0) return bad("a non-empty index list");
      for (size_t i = 0; i < n; ++i) {
        uint64_t index = 0;
        TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadUint(&index), what));
      }
      return OkStatus();
    }
    case Command::kTryEach: {
      // SUIT_Directive_Try_Each_Argument = [2* bstr .cbor SUIT_Command_Sequence, ?nil]
      size_t n = 0;
      if (type != cbor::ItemType::kArray) return bad("an array of sequences");
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), what));
      if (n < 2) return bad("at least two entries");
      for (size_t i = 0; i < n; ++i) {
        TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType t, PeekType(r, what));
        if (t == cbor::ItemType::kNull && i == n - 1) {
          TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadNull(), what));
          continue;
        }
        ByteView seq;
        if (t != cbor::ItemType::kBytes) return bad("bstr sequences with an optional final nil");
        TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&seq), what));
      }
      return OkStatus();
    }
    case Command::kSetParameters:
    case Command::kOverrideParameters:
      if (type != cbor::ItemType::kMap) return bad("a parameter map");
      return OkStatus();
    case Command::kRunSequence:
      if (type != cbor::ItemType::kBytes) return bad("a bstr-wrapped sequence");
      return OkStatus();
    default: return OkStatus();  // unknown command: refused when executed
  }
}

}  // namespace

Result<std::vector<CommandEntry>> DecodeCommandSequence(ByteView encoded, const Limits& limits) {
  cbor::Reader r(encoded, SuitDecodeOptions());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), "SUIT_Command_Sequence"));
  // The sequence is `[ + (command-id, argument) ]`: a non-empty, even number of items.
  if (n == 0 || n % 2 != 0) {
    return Error(Errc::kMalformed, "SUIT_Command_Sequence needs id/argument pairs", 0);
  }
  if (n / 2 > limits.max_commands) {
    return Error(Errc::kSequenceTooLong,
                 std::to_string(n / 2) + " commands exceed the limit of " +
                     std::to_string(limits.max_commands),
                 0);
  }
  std::vector<CommandEntry> out;
  out.reserve(n / 2);
  for (size_t i = 0; i < n / 2; ++i) {
    CommandEntry c;
    c.offset = r.offset();
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&c.id), "command id"));
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadRawItem(&c.argument), "command argument"));
    TEEPNET_RETURN_IF_ERROR(CheckArgument(c.id, c.argument, c.offset));
    out.push_back(c);
  }
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Command_Sequence"));
  return out;
}

uint64_t ReportingPolicyOf(const CommandEntry& command) {
  cbor::Reader r(command.argument, SuitDecodeOptions());
  uint64_t policy = 0;
  if (!r.ReadUint(&policy).ok()) return 0;
  return policy;
}

}  // namespace teepnet::suit
